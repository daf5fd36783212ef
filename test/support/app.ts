import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Pool } from 'pg';
import { createApi } from '../../src/app';
import { type AppConfig, loadConfig } from '../../src/config/config';
import { createTestDatabase, dropTestDatabase, urlFor } from './db';

export const ADMIN = { username: 'admin', password: 'admin-password-1' };
export const TEST_KEY = Buffer.alloc(32, 9).toString('base64');

export interface TestEnv {
  url: string;
  config: AppConfig;
  app: NestFastifyApplication;
  /** Direct database access for assertions (what was or was not written). */
  db: Pool;
  dbName: string;
  close(): Promise<void>;
}

/** A per-file Redis key prefix (hash-tagged, Cluster-safe) so that parallel files never share keys or jobs. */
export function testPrefix(): string {
  return `{t${randomBytes(4).toString('hex')}}`;
}

export function testConfig(dbName: string, overrides: Record<string, string> = {}): AppConfig {
  return loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: urlFor(dbName),
    REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
    QUEUE_PREFIX: testPrefix(),
    JWT_SECRET: 'test-secret-test-secret-test-secret-42',
    DATA_ENCRYPTION_KEY: TEST_KEY,
    ADMIN_USERNAME: ADMIN.username,
    ADMIN_PASSWORD: ADMIN.password,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    PORT: '0',
    HOST: '127.0.0.1',
    ...overrides,
  });
}

/** Starts the real API on a fresh database copied from the migrated template, listening on a random port. */
export async function startApi(
  overrides: Record<string, string> = {},
  options: { databaseUrl?: (dbName: string) => string } = {},
): Promise<TestEnv> {
  const dbName = await createTestDatabase();
  const config = testConfig(dbName, {
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl(dbName) } : {}),
    ...overrides,
  });
  const app = await createApi(config);
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as AddressInfo).port;
  const db = new Pool({ connectionString: urlFor(dbName), max: 3 });
  return {
    url: `http://127.0.0.1:${port}`,
    config,
    app,
    db,
    dbName,
    async close() {
      await app.close();
      await db.end();
      await dropTestDatabase(dbName);
    },
  };
}
