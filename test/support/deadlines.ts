/** Helpers of the deadline, calendar and reminder specs. */
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import type { AppConfig } from '../../src/config/config';
import { DEADLINES_QUEUE } from '../../src/deadlines/deadline-queue';
import { localDateOf } from '../../src/deadlines/period';
import type { TestEnv } from './app';
import { caseBody, residentId, type World } from './fixtures';
import { client } from './http';

let seq = 0;

/** A walk-in case body for a new worker of this file (a birth date no other helper uses). */
export function deadlineCaseBody(over: Record<string, any> = {}): Record<string, any> {
  seq += 1;
  const body = caseBody({}, 900 + seq);
  return {
    ...body,
    worker: {
      ...body.worker,
      idNumber: residentId('430102', `1985${String(1 + (seq % 12)).padStart(2, '0')}15`, seq),
    },
    ...over,
  };
}

export async function intake(w: World, over: Record<string, any> = {}) {
  const r = await client(w.env.url, w.coordinator).post('/api/v1/cases', deadlineCaseBody(over));
  if (r.status !== 201) throw new Error(`intake: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** Intake, accept and assign med1: a case in mediation. */
export async function caseInMediation(w: World, over: Record<string, any> = {}) {
  const c = await intake(w, over);
  const coord = client(w.env.url, w.coordinator);
  const a = await coord.post(`/api/v1/cases/${c.id}/accept`, {});
  if (a.status !== 200) throw new Error(`accept: ${a.status} ${JSON.stringify(a.body)}`);
  const s = await coord.post(`/api/v1/cases/${c.id}/assign`, { mediatorId: w.mediatorId });
  if (s.status !== 200) throw new Error(`assign: ${s.status} ${JSON.stringify(s.body)}`);
  return c as { id: string; caseNo: string };
}

export async function deadlinesOf(env: TestEnv, token: string, caseId: string): Promise<any[]> {
  const r = await client(env.url, token).get(`/api/v1/cases/${caseId}/deadlines`);
  if (r.status !== 200) throw new Error(`deadlines: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.items;
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Today, yesterday… as local dates in Asia/Shanghai. */
export function localDay(offsetDays = 0): string {
  return localDateOf(new Date(Date.now() + offsetDays * 86_400_000));
}

/** A queue handle on this file's prefix, to look at the jobs. */
export function inspectQueue(config: AppConfig): { queue: Queue; close(): Promise<void> } {
  const connection = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue(DEADLINES_QUEUE, { connection, prefix: config.queuePrefix });
  return {
    queue,
    async close() {
      await queue.close();
      connection.disconnect();
    },
  };
}

/** Reminder jobs of the queue (every state), by reminder id. */
export async function reminderJobs(queue: Queue): Promise<Array<{ id: string; reminderId: string }>> {
  const jobs = await queue.getJobs(['delayed', 'waiting', 'active', 'completed', 'failed', 'prioritized']);
  return jobs
    .filter((j) => j && j.name === 'fire-reminder')
    .map((j) => ({ id: j.id as string, reminderId: (j.data as { reminderId: string }).reminderId }));
}

/**
 * Deletes every key of this file's prefix: what a Redis that lost its data looks like to this file. Never
 * FLUSHALL: other files share the server.
 */
export async function deletePrefixKeys(config: AppConfig): Promise<number> {
  if (!/^\{t[0-9a-f]+\}$/.test(config.queuePrefix)) throw new Error('refusing: not a test prefix');
  const redis = new Redis(config.redisUrl);
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${config.queuePrefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) deleted += await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return deleted;
}
