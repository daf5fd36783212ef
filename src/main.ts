import 'reflect-metadata';
import { createApi } from './app';
import { ConfigError, loadConfig } from './config/config';

async function main() {
  const config = loadConfig();
  const app = await createApi(config);
  await app.listen(config.port, config.host);
}

main().catch((e: unknown) => {
  console.error(e instanceof ConfigError ? `Configuration error: ${e.message}` : explainStartFailure(e));
  process.exit(1);
});

export function explainStartFailure(e: unknown): string {
  const msg = (e as Error)?.message ?? String(e);
  if (/ECONNREFUSED.*5432|connect ECONNREFUSED 127\.0\.0\.1:5432|database system/i.test(msg)) {
    return 'PostgreSQL is not answering at DATABASE_URL: start it (e.g. `pg_ctlcluster 15 main start` or `docker compose up -d postgres`).';
  }
  if (/6379|redis/i.test(msg)) {
    return 'Redis is not answering at REDIS_URL: start it (e.g. `redis-server --daemonize yes` or `docker compose up -d redis`).';
  }
  return `Start failed: ${msg}`;
}
