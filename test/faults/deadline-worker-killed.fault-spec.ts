import type { INestApplicationContext } from '@nestjs/common';
import type { ChildProcess } from 'node:child_process';
import { Client } from 'pg';
import { startApi, startWorker, TestEnv } from '../support/app';
import { urlFor } from '../support/db';
import { caseInMediation, deletePrefixKeys, waitFor } from '../support/deadlines';
import { seedWorld, World } from '../support/fixtures';
import { spawnWorkerProcess } from '../support/worker-process';

// SPEC §6: "firing and its effects are one transaction". A worker killed (SIGKILL) half-way through a reminder
// leaves nothing of it behind; BullMQ hands the stalled job to another worker, which fires it once.
let env: TestEnv;
let w: World;
let child: ChildProcess | null = null;
let survivor: INestApplicationContext | null = null;

beforeAll(async () => {
  env = await startApi();
  w = await seedWorld(env);
});
afterAll(async () => {
  child?.kill('SIGKILL');
  await survivor?.close();
  // This file's keys only (the job scheduler, kept completed jobs): the Redis server is shared.
  if (env) await deletePrefixKeys(env.config);
  await env?.close();
});


it('fires a reminder exactly once when its worker is killed mid-handler', async () => {
  // A late-entered case: its mediation lapse is enqueued at acceptance, due at once; no worker runs yet.
  const c = await caseInMediation(w);
  const { rows } = await env.db.query(
    `SELECT r.id FROM deadline_reminders r JOIN deadlines d ON d.id = r.deadline_id
      WHERE d.case_id = $1 AND d.kind = 'mediation' AND r.kind = 'lapse'`,
    [c.id],
  );
  const reminderId: string = rows[0].id;
  const coordinator = (await env.db.query(`SELECT id FROM users WHERE username = 'coord1'`)).rows[0].id;

  // Hold the handler at its last step: its inbox entry waits on an uncommitted one with the same key.
  const blocker = new Client({ connectionString: urlFor(env.dbName) });
  await blocker.connect();
  await blocker.query('BEGIN');
  await blocker.query(
    `INSERT INTO notifications (user_id, case_id, kind, title, body, source_key) VALUES ($1, $2, 'x', 'x', 'x', $3)`,
    [coordinator, c.id, `reminder:${reminderId}`],
  );

  child = await spawnWorkerProcess(env);
  await waitFor('the handler to be blocked', async () => {
    const r = await env.db.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'`,
      [env.dbName],
    );
    return r.rows[0].n > 0;
  });
  child.kill('SIGKILL');
  await new Promise((r) => child!.once('exit', r));
  child = null;
  await blocker.query('ROLLBACK');
  await blocker.end();

  // Nothing of the half-done firing is left: the reminder is pending, the case not overdue, no inbox entry.
  await waitFor('the dead worker’s transaction to end', async () => {
    const r = await env.db.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND state LIKE 'idle in transaction%'`,
      [env.dbName],
    );
    return r.rows[0].n === 0;
  });
  const state = async () =>
    (
      await env.db.query(
        `SELECT r.status, (SELECT mediation_overdue FROM cases WHERE id = $2) AS overdue,
                (SELECT count(*)::int FROM notifications WHERE source_key = $3) AS entries
           FROM deadline_reminders r WHERE r.id = $1`,
        [reminderId, c.id, `reminder:${reminderId}`],
      )
    ).rows[0];
  expect(await state()).toEqual({ status: 'pending', overdue: false, entries: 0 });

  // Another worker takes the stalled job over once its lock has expired (BullMQ's stalled-job check).
  survivor = await startWorker(env.config);
  await waitFor('the reminder to fire', async () => (await state()).status === 'fired', 100_000);
  // One entry for each recipient: the assigned mediator and the coordinator.
  expect(await state()).toEqual({ status: 'fired', overdue: true, entries: 2 });
  const perUser = await env.db.query(
    `SELECT user_id, count(*)::int AS n FROM notifications WHERE source_key = $1 GROUP BY user_id`,
    [`reminder:${reminderId}`],
  );
  expect(perUser.rows.map((r) => r.n)).toEqual([1, 1]);
}, 150_000);
