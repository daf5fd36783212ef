/** A small HTTP client for the e2e specs: real requests over the loopback, JSON in and out. */
export interface Res<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface ReqOptions {
  token?: string;
  body?: unknown;
  rawBody?: string | Buffer;
  headers?: Record<string, string>;
}

export async function request<T = any>(
  base: string,
  method: string,
  path: string,
  opts: ReqOptions = {},
): Promise<Res<T>> {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | Buffer | undefined;
  if (opts.rawBody !== undefined) body = opts.rawBody;
  else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(base + path, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  if ((res.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text);
  return { status: res.status, body: parsed as T, headers: res.headers };
}

export function client(base: string, token?: string) {
  const call =
    (method: string) =>
    <T = any>(path: string, body?: unknown, opts: Omit<ReqOptions, 'body' | 'token'> = {}) =>
      request<T>(base, method, path, { ...opts, body, token });
  return {
    get: call('GET'),
    post: call('POST'),
    patch: call('PATCH'),
    put: call('PUT'),
    del: call('DELETE'),
  };
}
