/**
 * One clear sentence for the failures people meet at start (SPEC §14): what is missing and how to start it.
 * A refused connection is attributed by its port to PostgreSQL or Redis as configured.
 */
export function explainStartFailure(
  e: unknown,
  env: Record<string, string | undefined> = process.env,
): string {
  const msg = (e as Error)?.message ?? String(e);
  const port = (url: string | undefined, fallback: string) => {
    try {
      return new URL(url ?? '').port || fallback;
    } catch {
      return fallback;
    }
  };
  const refused = /(ECONNREFUSED|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND)\s*\S*?:(\d+)/.exec(msg);
  const pgPort = port(env.DATABASE_URL, '5432');
  const redisPort = port(env.REDIS_URL, '6379');
  if (
    (refused && refused[2] === pgPort) ||
    /database system is|password authentication|database .* does not exist/i.test(msg)
  ) {
    return 'PostgreSQL is not answering at DATABASE_URL: start it (e.g. `pg_ctlcluster 15 main start`, or `docker compose up -d postgres`).';
  }
  if ((refused && refused[2] === redisPort) || /redis/i.test(msg)) {
    return 'Redis is not answering at REDIS_URL: start it (e.g. `redis-server --daemonize yes`, or `docker compose up -d redis`).';
  }
  return `Start failed: ${msg}`;
}
