import type { INestApplicationContext } from '@nestjs/common';
import { CalendarService } from '../../src/deadlines/calendar.service';
import { DeadlineScheduler } from '../../src/deadlines/deadline-scheduler';
import {
  addCalendarDays,
  addDaysPeriod,
  addYearsPeriod,
  endOfDayInstant,
  localInstant,
  workingDaysBefore,
} from '../../src/deadlines/period';
import { startApi, startWorker, TestEnv } from '../support/app';
import {
  caseInMediation,
  deletePrefixKeys,
  deadlinesOf,
  inspectQueue,
  localDay,
  reminderJobs,
  waitFor,
} from '../support/deadlines';
import { seedWorld, World } from '../support/fixtures';
import { client } from '../support/http';

// SPEC §6 end to end, with two workers running in this process on this file's database and queue prefix.
let env: TestEnv;
let w: World;
const workers: INestApplicationContext[] = [];

beforeAll(async () => {
  env = await startApi();
  w = await seedWorld(env);
  workers.push(await startWorker(env.config), await startWorker(env.config));
});
afterAll(async () => {
  for (const worker of workers) await worker.close();
  // This file's keys only (the job scheduler, kept completed jobs): the Redis server is shared.
  if (env) await deletePrefixKeys(env.config);
  await env?.close();
});

const getCase = async (id: string) => (await client(env.url, w.coordinator).get(`/api/v1/cases/${id}`)).body;

async function inbox(token: string, caseId: string, kind?: string): Promise<any[]> {
  const r = await client(env.url, token).get('/api/v1/notifications?limit=200');
  expect(r.status).toBe(200);
  return r.body.items.filter((n: any) => n.caseId === caseId && (!kind || n.kind === kind));
}

const reminderRows = async (caseId: string) =>
  (
    await env.db.query(
      `SELECT r.id, r.kind, r.status, d.kind AS deadline_kind FROM deadline_reminders r
         JOIN deadlines d ON d.id = r.deadline_id WHERE d.case_id = $1`,
      [caseId],
    )
  ).rows as Array<{ id: string; kind: string; status: string; deadline_kind: string }>;

describe('the mediation deadline', () => {
  it('lapses at once when entered late: the case shows mediationOverdue, the coordinators hear of it', async () => {
    // Received 2026-03-02: the 15 days ended on 2026-03-17, long before acceptance.
    const c = await caseInMediation(w);
    const overdue = await waitFor('mediationOverdue', async () => (await getCase(c.id)).mediationOverdue);
    expect(overdue).toBe(true);
    const [d] = (await deadlinesOf(env, w.coordinator, c.id)).filter((x) => x.kind === 'mediation');
    expect(d).toMatchObject({
      lastDay: '2026-03-17',
      dueAt: '2026-03-17T16:00:00.000Z',
      legalBasis: '《劳动争议调解仲裁法》第十四条',
      status: 'fired',
    });
    // The warning's time had passed when the deadline was created: skipped, the lapse fired.
    expect(Object.fromEntries(d.reminders.map((r: any) => [r.kind, r.status]))).toEqual({
      warn_3wd: 'skipped',
      lapse: 'fired',
    });
    const [entry] = await waitFor('inbox entry', async () => {
      const e = await inbox(w.coordinator, c.id, 'mediation.lapse');
      return e.length ? e : null;
    });
    expect(entry.title).toBe(`调解期限已届满：${c.caseNo}`);
    expect(entry.payload).toMatchObject({ nextStep: 'apply_for_arbitration' });
    // The worker hears it by SMS, through the outbox written with the lapse.
    const sms = await env.db.query(
      `SELECT d.channel, d.recipient_masked FROM deliveries d JOIN outbox_events e ON e.id = d.event_id
        WHERE e.case_id = $1 AND e.type = 'mediation.deadline_lapsed'`,
      [c.id],
    );
    expect(sms.rows).toEqual([{ channel: 'sms', recipient_masked: expect.stringMatching(/^1\d{2}\*{4}\d{4}$/) }]);
  });

  it('is moved by an extension with its reminders, and the case is no longer overdue', async () => {
    // A case whose 15 days ended a few days ago, so that a 30-day extension reaches into the future.
    const cal = await env.app.get(CalendarService).current();
    const today = localDay();
    let received = '';
    for (let back = 16; back < 60 && !received; back++) {
      const r = addCalendarDays(today, -back);
      const last = addDaysPeriod(r, 15, cal);
      if (last < today && addDaysPeriod(last, 30, cal) > addCalendarDays(today, 7)) received = r;
    }
    const c = await caseInMediation(w, { applicationReceivedAt: `${received}T10:00:00+08:00` });
    await waitFor('mediationOverdue', async () => (await getCase(c.id)).mediationOverdue);
    const [lapsed] = (await deadlinesOf(env, w.coordinator, c.id)).filter((x) => x.kind === 'mediation');

    const ext = await client(env.url, w.coordinator).post(`/api/v1/cases/${c.id}/extensions`, {
      days: 30,
      reason: '双方同意延长调解期限',
      bothPartiesConsented: true,
    });
    expect(ext.status).toBe(201);
    expect((await getCase(c.id)).mediationOverdue).toBe(false);

    const all = (await deadlinesOf(env, w.coordinator, c.id)).filter((x) => x.kind === 'mediation');
    const old = all.find((x) => x.id === lapsed.id);
    const now = all.find((x) => x.id !== lapsed.id);
    const lastDay = addDaysPeriod(lapsed.lastDay, 30, cal);
    expect(old).toMatchObject({ status: 'superseded', supersededBy: now.id });
    expect(now).toMatchObject({ status: 'pending', lastDay, dueAt: endOfDayInstant(lastDay).toISOString() });
    expect(Object.fromEntries(now.reminders.map((r: any) => [r.kind, [r.status, r.fireAt]]))).toEqual({
      warn_3wd: ['pending', localInstant(workingDaysBefore(lastDay, 3, cal), '09:00').toISOString()],
      lapse: ['pending', endOfDayInstant(lastDay).toISOString()],
    });
    // Nothing of the new period is due within the hour, so nothing more happens.
    await new Promise((r) => setTimeout(r, 500));
    expect((await getCase(c.id)).mediationOverdue).toBe(false);
  });
});

describe('an instalment due yesterday', () => {
  it('makes the case defaulted within seconds, one event, one inbox entry per recipient', async () => {
    const c = await caseInMediation(w);
    const yesterday = localDay(-1);
    const agreed = await client(env.url, w.mediator).post(`/api/v1/cases/${c.id}/agreement`, {
      signedAt: new Date(Date.now() - 2 * 86_400_000).toISOString(),
      items: [{ claimType: 'wage_arrears', amountFen: 1000000 }],
      instalments: [
        { dueOn: yesterday, amountFen: 400000 },
        { dueOn: addCalendarDays(localDay(), 40), amountFen: 600000 },
      ],
    });
    expect(agreed.status).toBe(201);

    await waitFor('defaulted', async () => (await getCase(c.id)).status === 'defaulted', 10_000);
    const events = await env.db.query(
      `SELECT actor_kind, from_status, to_status, payload FROM case_events WHERE case_id = $1 AND action = 'instalment_overdue'`,
      [c.id],
    );
    expect(events.rows).toEqual([
      expect.objectContaining({
        actor_kind: 'scheduler',
        from_status: 'performing',
        to_status: 'defaulted',
        payload: expect.objectContaining({ dueOn: yesterday, unpaidFen: 400000 }),
      }),
    ]);
    for (const token of [w.mediator, w.coordinator]) {
      const entries = await waitFor('inbox', async () => {
        const e = await inbox(token, c.id, 'instalment.lapse');
        return e.length ? e : null;
      });
      expect(entries).toHaveLength(1);
      expect(entries[0].title).toBe(`分期款逾期未付：${c.caseNo}`);
    }
    const ds = await deadlinesOf(env, w.mediator, c.id);
    const instalments = ds.filter((d) => d.kind === 'instalment');
    expect(instalments.map((d) => [d.lastDay, d.status])).toEqual([
      [yesterday, 'fired'],
      [addCalendarDays(localDay(), 40), 'pending'],
    ]);
    expect(instalments[0].reminders.find((r: any) => r.kind === 'due_soon_3d').status).toBe('skipped');
    // The limitation restarts from the unpaid instalment's due date (LDMAL art. 27).
    const cal = await env.app.get(CalendarService).current();
    const restarted = ds.filter((d) => d.kind === 'limitation' && d.status === 'pending');
    expect(restarted.map((d) => d.lastDay)).toEqual([addYearsPeriod(yesterday, 1, cal)]);
    // The agreement is effective: the judicial confirmation window is open.
    expect(ds.filter((d) => d.kind === 'judicial_confirmation_window').map((d) => d.status)).toEqual([
      'pending',
    ]);
  });
});

describe('two workers', () => {
  it('fire every reminder once', async () => {
    const cases = [];
    for (let i = 0; i < 6; i++) cases.push(await caseInMediation(w));
    // Both workers pass over the horizon at the same time, repeatedly.
    const schedulers = workers.map((x) => x.get(DeadlineScheduler));
    await Promise.all([1, 2, 3].flatMap(() => schedulers.map((s) => s.pass())));
    for (const c of cases) {
      await waitFor('lapse fired', async () =>
        (await reminderRows(c.id)).some((r) => r.deadline_kind === 'mediation' && r.status === 'fired'),
      );
    }
    const q = inspectQueue(env.config);
    try {
      const ids = new Set((await Promise.all(cases.map((c) => reminderRows(c.id)))).flat().map((r) => r.id));
      const jobs = await q.queue.getJobs(['completed']);
      const fired = new Map<string, number>();
      for (const j of jobs) {
        if (j.name !== 'fire-reminder' || !ids.has(j.data.reminderId)) continue;
        if (j.returnvalue?.result === 'fired')
          fired.set(j.data.reminderId, (fired.get(j.data.reminderId) ?? 0) + 1);
      }
      expect([...fired.values()].every((n) => n === 1)).toBe(true);
      expect(fired.size).toBeGreaterThanOrEqual(cases.length);
    } finally {
      await q.close();
    }
    for (const c of cases) expect(await inbox(w.coordinator, c.id, 'mediation.lapse')).toHaveLength(1);
  });
});

describe('a Redis that lost its data', () => {
  it('is repaired by the next scheduler pass, and nothing fires twice', async () => {
    const fired = await caseInMediation(w); // its lapse fires at once
    await waitFor(
      'first lapse',
      async () => (await inbox(w.coordinator, fired.id, 'mediation.lapse')).length > 0,
    );
    const later = await caseInMediation(w, { applicationReceivedAt: new Date().toISOString() });
    // Its warning made due in three seconds, and put into Redis by a pass.
    await env.db.query(
      `UPDATE deadline_reminders r SET fire_at = now() + interval '3 seconds' FROM deadlines d
        WHERE r.deadline_id = d.id AND d.case_id = $1 AND d.kind = 'mediation' AND r.kind = 'warn_3wd'`,
      [later.id],
    );
    const scheduler = env.app.get(DeadlineScheduler);
    await scheduler.pass();

    expect(await deletePrefixKeys(env.config)).toBeGreaterThan(0);
    const q = inspectQueue(env.config);
    try {
      expect(await reminderJobs(q.queue)).toEqual([]);
      const { enqueued } = await scheduler.pass();
      expect(enqueued).toBeGreaterThanOrEqual(1);
      const jobs = await reminderJobs(q.queue);
      const firedIds = new Set((await reminderRows(fired.id)).map((r) => r.id));
      expect(jobs.filter((j) => firedIds.has(j.reminderId))).toEqual([]);
    } finally {
      await q.close();
    }
    const [warning] = await waitFor('warning', async () => {
      const e = await inbox(w.coordinator, later.id, 'mediation.warn_3wd');
      return e.length ? e : null;
    });
    expect(warning.title).toBe(`调解期限将至：${later.caseNo}`);
    await scheduler.pass();
    await new Promise((r) => setTimeout(r, 500));
    expect(await inbox(w.coordinator, later.id, 'mediation.warn_3wd')).toHaveLength(1);
    expect(await inbox(w.mediator, later.id, 'mediation.warn_3wd')).toHaveLength(1);
    expect(await inbox(w.coordinator, fired.id, 'mediation.lapse')).toHaveLength(1);
  });
});

describe('session reminders', () => {
  it('are planned 24 h and 2 h before, moved on reschedule, cancelled on cancel, skipped after the fact', async () => {
    const c = await caseInMediation(w, {
      applicationReceivedAt: new Date(Date.now() - 86_400_000).toISOString(),
    });
    const med = client(env.url, w.mediator);
    const startsAt = new Date(Date.now() + 3 * 86_400_000);
    const s = await med.post(`/api/v1/cases/${c.id}/sessions`, {
      startsAt: startsAt.toISOString(),
      durationMinutes: 90,
      mode: 'in_person',
      location: '第一调解室',
    });
    expect(s.status).toBe(201);
    const sessionOf = async () =>
      (await deadlinesOf(env, w.mediator, c.id)).filter((d) => d.kind === 'session');
    let [d] = await sessionOf();
    expect(d).toMatchObject({ subjectId: s.body.id, status: 'pending', dueAt: startsAt.toISOString() });
    expect(d.reminders.map((r: any) => [r.kind, r.status, r.fireAt])).toEqual([
      ['before_24h', 'pending', new Date(startsAt.getTime() - 86_400_000).toISOString()],
      ['before_2h', 'pending', new Date(startsAt.getTime() - 7_200_000).toISOString()],
    ]);

    const moved = new Date(startsAt.getTime() + 86_400_000);
    expect(
      (await med.patch(`/api/v1/cases/${c.id}/sessions/${s.body.id}`, { startsAt: moved.toISOString() }))
        .status,
    ).toBe(200);
    const afterMove = await sessionOf();
    expect(afterMove.map((x) => x.status)).toEqual(['superseded', 'pending']);
    expect(afterMove[0].reminders.map((r: any) => r.status)).toEqual(['cancelled', 'cancelled']);
    expect(afterMove[1].reminders[1].fireAt).toBe(new Date(moved.getTime() - 7_200_000).toISOString());

    expect(
      (await med.post(`/api/v1/cases/${c.id}/sessions/${s.body.id}/cancel`, { reason: '当事人请假' })).status,
    ).toBe(200);
    [, d] = await sessionOf();
    expect(d.status).toBe('cancelled');
    expect(d.reminders.map((r: any) => r.status)).toEqual(['cancelled', 'cancelled']);

    const past = await med.post(`/api/v1/cases/${c.id}/sessions`, {
      startsAt: new Date(Date.now() - 3_600_000).toISOString(),
      durationMinutes: 60,
      mode: 'phone',
    });
    expect(past.status).toBe(201);
    const logged = (await sessionOf()).find((x) => x.subjectId === past.body.id);
    expect(logged.reminders.map((r: any) => r.status)).toEqual(['skipped', 'skipped']);
  });
});

describe('closing a case', () => {
  it('cancels everything pending, and meets what the closing action was awaited for', async () => {
    const c = await caseInMediation(w, { applicationReceivedAt: new Date().toISOString() });
    const r = await client(env.url, w.coordinator).post(`/api/v1/cases/${c.id}/withdrawal`, {
      reason: '劳动者撤回申请',
    });
    expect(r.status).toBe(200);
    const ds = await deadlinesOf(env, w.coordinator, c.id);
    expect(ds.filter((d) => d.status === 'pending')).toEqual([]);
    expect(ds.find((d) => d.kind === 'mediation').status).toBe('met');
    expect(ds.find((d) => d.kind === 'acceptance_decision').status).toBe('met');
    expect(ds.flatMap((d) => d.reminders).filter((x: any) => x.status === 'pending')).toEqual([]);
  });

  it('restarts the limitation when mediation fails', async () => {
    const c = await caseInMediation(w, { applicationReceivedAt: new Date().toISOString() });
    const r = await client(env.url, w.coordinator).post(`/api/v1/cases/${c.id}/failure`, {
      reason: '双方差距过大',
      referTo: 'arbitration',
    });
    expect(r.status).toBe(200);
    const cal = await env.app.get(CalendarService).current();
    const ds = await deadlinesOf(env, w.coordinator, c.id);
    expect(ds.find((d) => d.kind === 'mediation').status).toBe('met');
    const pending = ds.filter((d) => d.status === 'pending');
    expect(pending.map((d) => [d.kind, d.lastDay])).toEqual([
      ['limitation', addYearsPeriod(localDay(), 1, cal)],
    ]);
  });
});

describe('the inbox', () => {
  it('lists one’s own entries newest first, filters unread, pages, and marks read', async () => {
    const mine = await client(env.url, w.coordinator).get('/api/v1/notifications?limit=1');
    expect(mine.status).toBe(200);
    expect(mine.body.items).toHaveLength(1);
    expect(mine.body.nextCursor).toEqual(expect.any(String));
    const next = await client(env.url, w.coordinator).get(
      `/api/v1/notifications?limit=1&cursor=${mine.body.nextCursor}`,
    );
    expect(next.body.items[0].id).not.toBe(mine.body.items[0].id);
    expect(next.body.items[0].createdAt <= mine.body.items[0].createdAt).toBe(true);

    const id = mine.body.items[0].id;
    expect((await client(env.url, w.mediator).post(`/api/v1/notifications/${id}/read`, {})).status).toBe(404);
    const read = await client(env.url, w.coordinator).post(`/api/v1/notifications/${id}/read`, {});
    expect(read.status).toBe(200);
    expect(read.body.read).toBe(true);
    const unread = await client(env.url, w.coordinator).get('/api/v1/notifications?unread=true&limit=200');
    expect(unread.body.items.some((n: any) => n.id === id)).toBe(false);
    expect(unread.body.items.every((n: any) => n.read === false)).toBe(true);
    expect((await client(env.url, w.liaison).get('/api/v1/notifications')).body.items).toEqual([]);
    expect((await client(env.url, w.coordinator).get('/api/v1/notifications?unread=maybe')).status).toBe(400);
  });
});
