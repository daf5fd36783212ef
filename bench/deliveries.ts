/**
 * Notification throughput: N webhook deliveries through the service's pipeline (committed outbox rows →
 * NOTIFY → relay → BullMQ → signed POST → attempt recorded in PostgreSQL) against raw BullMQ (addBulk of N jobs,
 * a Worker POSTing each), both to the same local receiver with the same concurrency. Nothing is asserted.
 */
import { Queue, Worker } from 'bullmq';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NestFactory } from '@nestjs/core';
import type { Pool } from 'pg';
import { loadConfig } from '../src/config/config';
import { DataProtector } from '../src/common/crypto';
import { newWebhookSecret } from '../src/notifications/webhooks.service';
import { WorkerModule } from '../src/worker.module';

const CONCURRENCY = 8;

async function receiver() {
  let count = 0;
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      count += 1;
      res.statusCode = 204;
      res.end();
      for (const w of waiters.filter((x) => count >= x.n)) w.resolve();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    reset: () => (count = 0),
    until: (n: number) => new Promise<void>((resolve) => (count >= n ? resolve() : waiters.push({ n, resolve }))),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export async function benchDeliveries(pool: Pool, databaseUrl: string, n: number) {
  const rx = await receiver();
  const redis = { host: '127.0.0.1', port: 6379, maxRetriesPerRequest: null };

  // Raw BullMQ: the floor for "a queued job that makes one HTTP call".
  const raw = new Queue('raw-deliveries', { connection: redis, prefix: '{benchraw}' });
  await raw.obliterate({ force: true }).catch(() => undefined);
  const rawWorker = new Worker(
    'raw-deliveries',
    async (job) => {
      const r = await fetch(rx.url, { method: 'POST', body: JSON.stringify(job.data), headers: { 'content-type': 'application/json' } });
      await r.body?.cancel();
    },
    { connection: redis, prefix: '{benchraw}', concurrency: CONCURRENCY },
  );
  rx.reset();
  let started = Date.now();
  await raw.addBulk(
    Array.from({ length: n }, (_, i) => ({ name: 'deliver', data: { i }, opts: { removeOnComplete: true } })),
  );
  await rx.until(n);
  const rawMs = Date.now() - started;
  await rawWorker.close();
  await raw.obliterate({ force: true }).catch(() => undefined);
  await raw.close();

  // The service: its worker process's modules, on the benchmark database.
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'silent',
    QUEUE_PREFIX: '{benchsvc}',
    WEBHOOK_ALLOW_PRIVATE: 'true',
    JWT_SECRET: 'bench-secret-bench-secret-bench-secret',
  });
  const org = (await pool.query(`SELECT id FROM organisations WHERE code = 'B0001'`)).rows[0].id as string;
  const protector = new DataProtector(config.dataEncryptionKey);
  const hook = (
    await pool.query(
      `INSERT INTO webhooks (organisation_id, url, events, secret_cipher) VALUES ($1, $2, '{case.accepted}', $3) RETURNING id`,
      [org, rx.url, protector.encrypt(newWebhookSecret())],
    )
  ).rows[0].id as string;
  const worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { logger: false });
  await worker.init();
  rx.reset();
  started = Date.now();
  // What `Notifier.publish` leaves behind, written as one statement, committed, then NOTIFY.
  await pool.query(
    `WITH e AS (
       INSERT INTO outbox_events (type, committee_id, data)
       SELECT 'case.accepted', $1, jsonb_build_object('i', g) FROM generate_series(1, $2::int) g RETURNING id)
     INSERT INTO deliveries (event_id, channel, owner_organisation_id, webhook_id, attempt_limit)
     SELECT e.id, 'webhook', $1, $3, 8 FROM e`,
    [org, n, hook],
  );
  await pool.query(`SELECT pg_notify('outbox', '')`);
  await rx.until(n);
  const serviceMs = Date.now() - started;
  await worker.close();
  await pool.query(`DELETE FROM deliveries WHERE webhook_id = $1`, [hook]);
  await pool.query(`DELETE FROM webhooks WHERE id = $1`, [hook]);
  await rx.close();

  const rows = [
    { title: 'raw BullMQ: job → POST', deliveries: n, ms: rawMs, perSecond: Math.round((n * 1000) / rawMs) },
    {
      title: 'service: outbox → relay → signed POST → recorded',
      deliveries: n,
      ms: serviceMs,
      perSecond: Math.round((n * 1000) / serviceMs),
    },
  ];
  for (const r of rows) process.stdout.write(`${r.title.padEnd(50)} ${String(r.perSecond).padStart(7)} deliveries/s (${n} in ${r.ms} ms)\n`);
  return rows;
}
