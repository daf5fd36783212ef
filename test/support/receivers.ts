/** Real receivers for the notification tests: an HTTP endpoint that verifies Standard Webhooks signatures, and an SMTP server. */
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { Webhook } from 'standardwebhooks';

export interface Receipt {
  method: string;
  /** The request target as sent, query included. */
  url: string;
  /** The request target without its query. */
  path: string;
  id: string;
  headers: IncomingHttpHeaders;
  raw: string;
  body: any;
  /** Whether the signature verified with the path's secret. */
  verified: boolean;
  /** The status the receiver answered. */
  status: number;
}

/**
 * What the receiver answers a request: a status, a status with headers and a body, or `null` to hold the
 * connection open without ever answering (the sender must give up by itself; `stop()` drops it).
 */
export type Answer = number | { status: number; headers?: Record<string, string>; body?: string } | null;

/**
 * Answers per path: `secrets` tells which secret verifies it, `answer` what to reply (default 204 when the
 * signature verifies, 400 when not), `replyText` the body sent with every reply that does not name its own.
 * Every request is kept, verified or not.
 */
export class WebhookReceiver {
  readonly receipts: Receipt[] = [];
  readonly secrets = new Map<string, string>();
  answer: (r: Receipt, seen: number) => Answer = (r) => (r.verified ? 204 : 400);
  replyText = '';
  private server: Server | null = null;
  private readonly held = new Set<ServerResponse>();
  port = 0;

  async start(port = 0): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const url = req.url ?? '/';
        const path = url.split('?')[0];
        const secret = this.secrets.get(path);
        let verified = false;
        if (secret) {
          try {
            new Webhook(secret).verify(raw, req.headers as Record<string, string>);
            verified = true;
          } catch {
            verified = false;
          }
        }
        let body: unknown = null;
        try {
          body = JSON.parse(raw);
        } catch {
          body = null;
        }
        const receipt: Receipt = {
          method: req.method ?? '',
          url,
          path,
          id: String(req.headers['webhook-id'] ?? ''),
          headers: req.headers,
          raw,
          body,
          verified,
          status: 0,
        };
        this.receipts.push(receipt);
        const seen = this.receipts.filter((x) => x.id === receipt.id && x.path === path).length;
        const answer = this.answer(receipt, seen);
        if (answer === null) {
          this.held.add(res);
          res.on('close', () => this.held.delete(res));
          return;
        }
        const reply = typeof answer === 'number' ? { status: answer } : answer;
        receipt.status = reply.status;
        res.writeHead(reply.status, reply.headers ?? {});
        res.end(reply.body ?? this.replyText);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  at(path: string): Receipt[] {
    return this.receipts.filter((r) => r.path === path);
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = null;
    for (const res of this.held) res.socket?.destroy();
    this.held.clear();
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}

/** A port nothing listens on (a receiver that is down). */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

export interface Mail {
  from: string;
  to: string[];
  raw: string;
}

export interface SmtpOptions {
  /**
   * Refuse every message at the end of DATA with this reply code (550: mailbox unavailable), with a text that
   * names the recipients, as real servers do; refused messages are not kept.
   */
  rejectWith?: number;
}

/** An SMTP server without TLS or authentication, keeping each message raw. */
export async function startSmtp(
  options: SmtpOptions = {},
): Promise<{ port: number; mails: Mail[]; stop(): Promise<void> }> {
  const mails: Mail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const to = session.envelope.rcptTo.map((r) => r.address);
        if (options.rejectWith) {
          const refusal = new Error(`mailbox ${to.join(', ')} unavailable`);
          return callback(Object.assign(refusal, { responseCode: options.rejectWith }));
        }
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to,
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { port, mails, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

export interface ParsedMail {
  subject: string;
  text: string;
  html: string;
  attachments: Array<{
    filename: string;
    contentType: string;
    content: Buffer;
    /** The part's headers by lower-case name, unfolded, encoded words decoded. */
    headers: Record<string, string>;
  }>;
  /** The message's own headers by lower-case name, unfolded, encoded words decoded. */
  headers: Record<string, string>;
}

/**
 * Enough MIME to read what the service sends: encoded-word headers, multipart bodies, base64 and
 * quoted-printable, attachment names in RFC 2231 form (`filename*=utf-8''…`, continuations included) or as
 * encoded words.
 */
export function parseMail(raw: string): ParsedMail {
  const out: ParsedMail = { subject: '', text: '', html: '', attachments: [], headers: {} };
  const walk = (part: string, root: boolean) => {
    const split = part.indexOf('\r\n\r\n');
    const head = split >= 0 ? part.slice(0, split) : part;
    const body = split >= 0 ? part.slice(split + 4) : '';
    const headers = new Map<string, string>();
    for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
      const i = line.indexOf(':');
      if (i > 0) headers.set(line.slice(0, i).toLowerCase(), line.slice(i + 1).trim());
    }
    const decoded = Object.fromEntries([...headers].map(([k, v]) => [k, decodeWords(v)]));
    if (root) out.headers = decoded;
    if (headers.has('subject')) out.subject = decoded.subject;
    const type = headers.get('content-type') ?? 'text/plain';
    const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
    if (boundary) {
      for (const sub of body.split(`--${boundary}`).slice(1)) {
        if (sub.startsWith('--')) break;
        walk(sub.replace(/^\r\n/, ''), false);
      }
      return;
    }
    const enc = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
    const bytes =
      enc === 'base64'
        ? Buffer.from(body.replace(/\s+/g, ''), 'base64')
        : enc === 'quoted-printable'
          ? decodeQp(body)
          : Buffer.from(body, 'utf8');
    const disposition = headers.get('content-disposition') ?? '';
    const filename = headerParam(disposition, 'filename') ?? headerParam(type, 'name');
    if (/attachment/i.test(disposition) || filename) {
      out.attachments.push({
        filename: filename ?? '',
        contentType: type.split(';')[0],
        content: bytes,
        headers: decoded,
      });
    } else if (type.startsWith('text/html')) out.html = bytes.toString('utf8');
    else if (type.startsWith('text/plain')) out.text = bytes.toString('utf8');
  };
  walk(raw, true);
  return out;
}

/**
 * One parameter of a structured header (`attachment; filename="…"`), decoded: a plain or quoted value (encoded
 * words allowed, as nodemailer writes `name=`), or RFC 2231 `name*=charset'lang'%XX…`, split or not into
 * continuations `name*0*=…; name*1*=…`.
 */
function headerParam(value: string, name: string): string | undefined {
  const pieces: Array<{ n: number; extended: boolean; text: string }> = [];
  let plain: string | undefined;
  for (const m of value.matchAll(/;\s*([^\s=;]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)/g)) {
    const key = m[1].toLowerCase();
    const text = m[2].startsWith('"') ? m[2].slice(1, -1).replace(/\\(.)/g, '$1') : m[2].trim();
    if (key === name) plain = decodeWords(text);
    const ext = new RegExp(`^${name}\\*(?:(\\d+)(\\*)?)?$`).exec(key);
    if (ext) pieces.push({ n: Number(ext[1] ?? 0), extended: ext[1] === undefined || !!ext[2], text });
  }
  if (!pieces.length) return plain;
  pieces.sort((a, b) => a.n - b.n);
  let charset = 'utf-8';
  const bytes = pieces.map((p, i) => {
    if (!p.extended) return Buffer.from(p.text, 'utf8');
    let text = p.text;
    if (i === 0) {
      const [cs, , rest] = text.split("'");
      if (rest !== undefined) [charset, text] = [cs || charset, rest];
    }
    return decodePercent(text);
  });
  return Buffer.concat(bytes).toString(/^(iso-8859-1|latin1|us-ascii)$/i.test(charset) ? 'latin1' : 'utf8');
}

/** RFC 2047 encoded words (=?UTF-8?B?…?= / =?UTF-8?Q?…?=); adjacent words are joined before decoding. */
function decodeWords(s: string): string {
  return s.replace(/=\?[^?]+\?[BbQq]\?[^?]*\?=(?:\s+=\?[^?]+\?[BbQq]\?[^?]*\?=)*/g, (run) => {
    const bytes = [...run.matchAll(/=\?[^?]+\?([BbQq])\?([^?]*)\?=/g)].map(([, enc, text]) =>
      enc.toUpperCase() === 'B' ? Buffer.from(text, 'base64') : decodeQp(text.replace(/_/g, ' ')),
    );
    return Buffer.concat(bytes).toString('utf8');
  });
}

function decodePercent(s: string): Buffer {
  return decodeEscapes(s, '%');
}

function decodeQp(s: string): Buffer {
  return decodeEscapes(s.replace(/=\r?\n/g, ''), '=');
}

/** `=XX` (quoted-printable) or `%XX` (RFC 2231) escapes to bytes; other characters as UTF-8. */
function decodeEscapes(src: string, escape: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < src.length; i++) {
    if (src[i] === escape && /^[0-9A-Fa-f]{2}$/.test(src.slice(i + 1, i + 3))) {
      bytes.push(parseInt(src.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(src[i], 'utf8'));
  }
  return Buffer.from(bytes);
}
