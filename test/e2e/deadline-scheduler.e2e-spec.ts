import { DeadlineQueue } from '../../src/deadlines/deadline-queue';
import { DeadlineScheduler } from '../../src/deadlines/deadline-scheduler';
import { startApi, TestEnv } from '../support/app';
import { caseInMediation, deletePrefixKeys, inspectQueue, reminderJobs } from '../support/deadlines';
import { seedWorld, World } from '../support/fixtures';

// SPEC §6: PostgreSQL holds every reminder, Redis only the next hour's, as delayed jobs with deterministic ids.
// No worker runs in this file, so every job the scheduler adds stays in the queue to be counted.
let env: TestEnv;
let w: World;
let q: ReturnType<typeof inspectQueue>;
let scheduler: DeadlineScheduler;
let deadlineId: string;

beforeAll(async () => {
  env = await startApi();
  w = await seedWorld(env);
  q = inspectQueue(env.config);
  scheduler = env.app.get(DeadlineScheduler);
  // A case received now: its reminders are days away, outside the horizon.
  const c = await caseInMediation(w, { applicationReceivedAt: new Date().toISOString() });
  const d = await env.db.query(`SELECT id FROM deadlines WHERE case_id = $1 AND kind = 'mediation'`, [c.id]);
  deadlineId = d.rows[0].id;
});
afterAll(async () => {
  await q?.close();
  // This file's keys only (the job scheduler, kept completed jobs): the Redis server is shared.
  if (env) await deletePrefixKeys(env.config);
  await env?.close();
});

async function addReminder(kind: string, inMinutes: number): Promise<string> {
  const r = await env.db.query(
    `INSERT INTO deadline_reminders (deadline_id, kind, fire_at, recipients)
     VALUES ($1, $2, now() + make_interval(mins => $3), '[]') RETURNING id`,
    [deadlineId, kind, inMinutes],
  );
  return r.rows[0].id;
}

it('enqueues nothing beyond the horizon at intake and acceptance', async () => {
  expect(await reminderJobs(q.queue)).toEqual([]);
});

it('makes one job of a reminder however many times it is scheduled', async () => {
  const id = await addReminder('probe_once', 10);
  await Promise.all(Array.from({ length: 100 }, () => scheduler.pass()));
  const jobs = (await reminderJobs(q.queue)).filter((j) => j.reminderId === id);
  expect(jobs).toHaveLength(1);
  expect(jobs[0].id).toMatch(/^rem-[0-9a-f-]{36}-\d+$/);
  expect(jobs[0].id).not.toContain(':');
  const job = await q.queue.getJob(jobs[0].id);
  expect(await job!.getState()).toBe('delayed');
  // About ten minutes of delay: it fires when the reminder is due, not when it was scheduled.
  expect(job!.opts.delay).toBeGreaterThan(9 * 60_000);
  expect(job!.opts.delay).toBeLessThanOrEqual(10 * 60_000);
});

it('holds only the next hour of 10,000 reminders spread over a year', async () => {
  // One reminder every 52 minutes and 34 seconds from now on, for a year.
  await env.db.query(
    `INSERT INTO deadline_reminders (deadline_id, kind, fire_at, recipients)
     SELECT $1, 'bulk_' || i, now() + make_interval(secs => i * 3154), '[]' FROM generate_series(1, 10000) AS i`,
    [deadlineId],
  );
  const started = Date.now();
  const { enqueued } = await scheduler.pass();
  expect(Date.now() - started).toBeLessThan(5_000);
  const bulk = await env.db.query(`SELECT id, fire_at FROM deadline_reminders WHERE kind LIKE 'bulk_%'`);
  expect(bulk.rowCount).toBe(10_000);
  const bulkIds = new Set(bulk.rows.map((r) => r.id));
  const inRedis = (await reminderJobs(q.queue)).filter((j) => bulkIds.has(j.reminderId));
  // 3154 s is under an hour, 6308 s is not: exactly one of the bulk is within the horizon.
  expect(inRedis).toHaveLength(1);
  expect(inRedis[0].reminderId).toBe(bulk.rows.find((r) => r.fire_at.getTime() < Date.now() + 3_600_000)!.id);
  // Everything in the queue is within the hour (the reminder of the previous test and this one).
  expect(await q.queue.getJobCountByTypes('delayed', 'waiting')).toBe(2);
  expect(enqueued).toBe(2);

  // Time passes (the pass is given a later "now"): the next ones come in, still nothing beyond the horizon.
  await scheduler.pass(new Date(Date.now() + 3 * 3_600_000));
  const later = (await reminderJobs(q.queue)).filter((j) => bulkIds.has(j.reminderId));
  expect(later).toHaveLength(4);
});

it('leaves reminders that are no longer pending out of the queue', async () => {
  const id = await addReminder('probe_cancelled', 5);
  await env.db.query(`UPDATE deadline_reminders SET status = 'cancelled' WHERE id = $1`, [id]);
  await scheduler.pass();
  expect((await reminderJobs(q.queue)).filter((j) => j.reminderId === id)).toEqual([]);
});

it('names a moved reminder a new job', () => {
  const a = DeadlineQueue.jobId('6f1c1d1e-0000-4000-8000-000000000000', new Date('2026-03-17T16:00:00Z'));
  const b = DeadlineQueue.jobId('6f1c1d1e-0000-4000-8000-000000000000', new Date('2026-03-27T16:00:00Z'));
  expect(a).not.toBe(b);
  expect(a).toBe('rem-6f1c1d1e-0000-4000-8000-000000000000-1773763200000');
});
