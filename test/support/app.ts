import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Pool } from 'pg';
import type { DestinationStream } from 'pino';
import { createApi } from '../../src/app';
import { createPino, PinoNestLogger } from '../../src/common/logger';
import { WorkerModule } from '../../src/worker.module';
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
    // The tests play several clients through X-Forwarded-For from the loopback.
    TRUST_PROXY: '127.0.0.1',
    ...overrides,
  });
}

/** Starts the real API on a fresh database copied from the migrated template, listening on a random port. */
export async function startApi(
  overrides: Record<string, string> = {},
  options: { databaseUrl?: (dbName: string) => string; logDestination?: DestinationStream } = {},
): Promise<TestEnv> {
  const dbName = await createTestDatabase();
  const config = testConfig(dbName, {
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl(dbName) } : {}),
    ...overrides,
  });
  const app = await createApi(config, { logDestination: options.logDestination });
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

/**
 * The queue worker (src/worker.ts) inside the test process, on the same database and the same per-file queue
 * prefix as the API it goes with: its processors, job schedulers and start-up pass run as in production.
 * Close it before the API (env.close()) so that no handler is left on a dropped database.
 */
export async function startWorker(
  config: AppConfig,
  options: { logDestination?: DestinationStream } = {},
): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), {
    logger: new PinoNestLogger(createPino(config.logLevel, 'worker', options.logDestination)),
  });
  await app.init();
  return app;
}

/**
 * A second API process for an existing test's database and configuration (so the same Redis prefix): two
 * API processes behind one load balancer share only PostgreSQL and Redis. Close it before env.close().
 */
export async function startSecondApi(env: TestEnv): Promise<{ url: string; close(): Promise<void> }> {
  const app = await createApi(env.config);
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, close: () => app.close() };
}
