import type { INestApplicationContext } from '@nestjs/common';
import type { ChildProcess } from 'node:child_process';
import { startApi, startWorker, type TestEnv } from '../support/app';
import { deletePrefixKeys, waitFor } from '../support/deadlines';
import { caseBody, seedWorld, type World } from '../support/fixtures';
import { client } from '../support/http';
import { PrivateRedis } from '../support/private-redis';
import { spawnWorkerProcess } from '../support/worker-process';
import { WebhookReceiver } from '../support/receivers';

// SPEC §7: an event is never lost when the worker or Redis fails in between, and its `webhook-id` is the same on
// every delivery of it, so a receiver can tell a repeat (here: the one the killed worker never recorded).
const redis = new PrivateRedis();
const receiver = new WebhookReceiver();
let env: TestEnv;
let w: World;
let child: ChildProcess | null = null;
let survivor: INestApplicationContext | null = null;

beforeAll(async () => {
  await redis.start();
  await receiver.start();
  env = await startApi({ REDIS_URL: redis.url, WEBHOOK_ALLOW_PRIVATE: 'true', DELIVERY_BACKOFF_MS: '200,200,200' });
  w = await seedWorld(env);
  const r = await client(env.url, w.admin).post(`/api/v1/organisations/${w.courtId}/webhooks`, {
    url: receiver.url('/court'),
    events: ['case.accepted', 'case.rejected'],
  });
  expect(r.status).toBe(201);
  receiver.secrets.set('/court', r.body.secret);
});

afterAll(async () => {
  child?.kill('SIGKILL');
  await survivor?.close();
  if (env) await deletePrefixKeys(env.config);
  await env?.close();
  await receiver.stop();
  await redis.stop();
});


let seq = 8100;
async function courtSent() {
  const r = await client(env.url, w.liaison).post(
    '/api/v1/cases',
    caseBody({ source: 'court_delegated', committeeId: w.committeeId, originReference: '(2026)湘0102民诉前调9号' }, ++seq),
  );
  expect(r.status).toBe(201);
  return r.body as { id: string; caseNo: string };
}

const delivery = async (caseId: string) =>
  (
    await env.db.query(
      `SELECT d.status, d.attempts, e.id AS event_id FROM deliveries d JOIN outbox_events e ON e.id = d.event_id
        WHERE e.case_id = $1 AND d.channel = 'webhook'`,
      [caseId],
    )
  ).rows;

it('delivers again, with the same webhook-id, what a worker killed before recording it had sent', async () => {
  const c = await courtSent();
  // The receiver kills the worker as the request arrives, then answers: the delivery happened, its record did not.
  receiver.answer = (r) => {
    if (child && r.body?.data?.caseId === c.id) {
      child.kill('SIGKILL');
      child = null;
    }
    return r.verified ? 204 : 400;
  };
  child = await spawnWorkerProcess(env, {
    redisUrl: redis.url,
    settings: { WEBHOOK_ALLOW_PRIVATE: 'true', DELIVERY_BACKOFF_MS: '200,200,200' },
  });
  expect((await client(env.url, w.coordinator).post(`/api/v1/cases/${c.id}/accept`, {})).status).toBe(200);
  await waitFor('the first receipt', async () => receiver.at('/court').some((r) => r.body?.data?.caseId === c.id));
  await waitFor('the dead worker’s transaction to end', async () => {
    const r = await env.db.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND state LIKE 'idle in transaction%'`,
      [env.dbName],
    );
    return r.rows[0].n === 0;
  });
  expect(await delivery(c.id)).toEqual([expect.objectContaining({ status: 'pending', attempts: 0 })]);

  // Another worker takes the stalled job over once its lock has expired (BullMQ's stalled-job check).
  survivor = await startWorker(env.config);
  const [row] = await waitFor(
    'the delivery to be recorded',
    async () => {
      const d = await delivery(c.id);
      return d[0]?.status === 'delivered' ? d : null;
    },
    100_000,
  );
  expect(row.attempts).toBe(1);
  const got = receiver.at('/court').filter((r) => r.body?.data?.caseId === c.id);
  expect(got).toHaveLength(2);
  expect(got.every((r) => r.verified)).toBe(true);
  expect(got.map((r) => r.id)).toEqual([`msg_${row.event_id}`, `msg_${row.event_id}`]);
}, 150_000);

it('loses nothing when Redis restarts empty, and keeps the webhook-id', async () => {
  // A survivor worker runs from the previous test. A receiver failing for now leaves a retry waiting in Redis.
  const c = await courtSent();
  let failing = true;
  receiver.answer = (r) => (r.body?.data?.caseId === c.id && failing ? 503 : r.verified ? 204 : 400);
  expect((await client(env.url, w.coordinator).post(`/api/v1/cases/${c.id}/reject`, { reason: '不属于受理范围' })).status).toBe(200);
  await waitFor('a failed attempt', async () => (await delivery(c.id))[0]?.attempts >= 1);

  // Redis goes away and comes back empty; meanwhile a case change is made and the receiver recovers.
  await redis.stop();
  const d = await courtSent();
  expect((await client(env.url, w.coordinator).post(`/api/v1/cases/${d.id}/accept`, {})).status).toBe(200);
  failing = false;
  await redis.start();

  for (const id of [c.id, d.id]) {
    const [row] = await waitFor(
      'delivered after the restart',
      async () => {
        const x = await delivery(id);
        return x[0]?.status === 'delivered' ? x : null;
      },
      60_000,
    );
    const got = receiver.at('/court').filter((r) => r.body?.data?.caseId === id);
    expect(new Set(got.map((r) => r.id))).toEqual(new Set([`msg_${row.event_id}`]));
    expect(got.every((r) => r.verified)).toBe(true);
    // Accepted once: exactly one attempt was answered 204, and it was the last.
    expect(got.filter((r) => r.status === 204)).toHaveLength(1);
    expect(got[got.length - 1].status).toBe(204);
  }
}, 120_000);
