import { addCalendarDays, endOfDayInstant } from '../../src/deadlines/period';
import { startApi, TestEnv } from '../support/app';
import {
  caseInMediation,
  deadlineCaseBody,
  deadlinesOf,
  deletePrefixKeys,
  intake,
  localDay,
} from '../support/deadlines';
import { seedWorld, World } from '../support/fixtures';
import { client } from '../support/http';

// SPEC §6: the working-day calendar as data, its edits (admins, audited, recomputing what they touch), the
// limitation at intake, and /health's coverage warning.
let env: TestEnv;
let w: World;

beforeAll(async () => {
  env = await startApi();
  w = await seedWorld(env);
});
afterAll(async () => {
  // This file's keys only (the job scheduler, kept completed jobs): the Redis server is shared.
  if (env) await deletePrefixKeys(env.config);
  await env?.close();
});

const days = (token: string, from: string, to: string) =>
  client(env.url, token).get(`/api/v1/calendar/days?from=${from}&to=${to}`);

describe('GET /calendar/days', () => {
  it('shows the 2025 National Day break as rest days and the adjusted Sunday before it as working', async () => {
    const r = await days(w.mediator, '2025-09-27', '2025-10-12');
    expect(r.status).toBe(200);
    const byDate = Object.fromEntries(r.body.items.map((d: any) => [d.date, d]));
    expect(r.body.items).toHaveLength(16);
    for (const d of [
      '2025-10-01',
      '2025-10-02',
      '2025-10-03',
      '2025-10-04',
      '2025-10-05',
      '2025-10-06',
      '2025-10-07',
      '2025-10-08',
    ]) {
      expect(byDate[d]).toMatchObject({ working: false, source: 'data' });
    }
    expect(byDate['2025-10-01'].note).toBe('国庆节');
    expect(byDate['2025-09-28']).toMatchObject({ working: true, weekday: 7, source: 'data' });
    expect(byDate['2025-09-28'].note).toMatch(/调休上班/);
    expect(byDate['2025-10-11']).toMatchObject({ working: true, weekday: 6 }); // also an adjusted Saturday
    expect(byDate['2025-10-09']).toMatchObject({ working: true, note: null, source: 'data' });
    expect(r.body.coveredYears).toEqual(expect.arrayContaining([2004, 2025, 2026]));
  });

  it('marks a year without data as the Monday–Friday fallback', async () => {
    const r = await days(w.coordinator, '2099-01-01', '2099-01-07');
    expect(r.status).toBe(200);
    expect(r.body.items.every((d: any) => d.source === 'fallback')).toBe(true);
    expect(r.body.items.map((d: any) => d.working)).toEqual([true, true, false, false, true, true, true]);
  });

  it('answers 400 for a range over 366 days or a bad date, 401 without a token', async () => {
    expect((await days(w.mediator, '2025-01-01', '2026-01-01')).status).toBe(200);
    const long = await days(w.mediator, '2025-01-01', '2026-01-02');
    expect(long.status).toBe(400);
    expect(long.body.errors).toEqual([expect.objectContaining({ field: 'to' })]);
    expect((await days(w.mediator, '2025-02-30', '2025-03-01')).status).toBe(400);
    expect((await days(w.mediator, '2025-03-02', '2025-03-01')).status).toBe(400);
    expect((await client(env.url).get('/api/v1/calendar/days?from=2025-01-01&to=2025-01-02')).status).toBe(
      401,
    );
  });
});

describe('PUT /calendar/days/{date}', () => {
  const snapshot = async () =>
    (
      await env.db.query(
        `SELECT (SELECT count(*) FROM calendar_days WHERE source = 'admin')::int AS admin_days,
                (SELECT version FROM calendar_state)::int AS version,
                (SELECT count(*) FROM audit_log WHERE action = 'calendar_day_set')::int AS audit`,
      )
    ).rows[0];

  it('refuses a bad date (400) and a non-admin (403), changing nothing', async () => {
    const before = await snapshot();
    const bad = await client(env.url, w.admin).put('/api/v1/calendar/days/2025-02-30', { working: false });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'date' })]);
    expect(
      (await client(env.url, w.admin).put('/api/v1/calendar/days/tomorrow', { working: false })).status,
    ).toBe(400);
    const body = await client(env.url, w.admin).put('/api/v1/calendar/days/2025-03-03', { working: 'no' });
    expect(body.status).toBe(400);
    for (const token of [w.coordinator, w.mediator, w.liaison]) {
      const r = await client(env.url, token).put('/api/v1/calendar/days/2025-03-03', {
        working: false,
        note: 'x',
      });
      expect(r.status).toBe(403);
      expect(r.body.code).toBe('FORBIDDEN');
    }
    expect(await snapshot()).toEqual(before);
    expect((await days(w.admin, '2025-03-03', '2025-03-03')).body.items[0].working).toBe(true);
  });

  it('moves a pending deadline whose last day becomes a rest day, with its reminders, audited', async () => {
    const c = await caseInMediation(w, { applicationReceivedAt: new Date().toISOString() });
    const [mediation] = (await deadlinesOf(env, w.coordinator, c.id)).filter((d) => d.kind === 'mediation');
    expect(mediation.status).toBe('pending');
    const lastDay: string = mediation.lastDay;

    const put = await client(env.url, w.admin).put(`/api/v1/calendar/days/${lastDay}`, {
      working: false,
      note: '临时停工',
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ date: lastDay, working: false, note: '临时停工', source: 'data' });
    expect(put.body.recomputedDeadlines).toBeGreaterThanOrEqual(1);

    const [moved] = (await deadlinesOf(env, w.coordinator, c.id)).filter((d) => d.kind === 'mediation');
    expect(moved.id).toBe(mediation.id);
    expect(moved.lastDay > lastDay).toBe(true);
    const check = await days(w.admin, addCalendarDays(lastDay, 1), moved.lastDay);
    // The new last day is the first working day after the old one.
    expect(check.body.items.map((d: any) => d.working)).toEqual([
      ...check.body.items.slice(0, -1).map(() => false),
      true,
    ]);
    expect(moved.dueAt).toBe(endOfDayInstant(moved.lastDay).toISOString());
    const lapse = moved.reminders.find((r: any) => r.kind === 'lapse');
    expect(lapse).toMatchObject({ status: 'pending', fireAt: moved.dueAt });

    const audit = await env.db.query(
      `SELECT user_id, detail FROM audit_log WHERE action = 'calendar_day_set' AND entity_id = $1`,
      [lastDay],
    );
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0].detail).toMatchObject({ date: lastDay, working: false });

    // Undone, the deadline comes back to its day.
    expect(
      (await client(env.url, w.admin).put(`/api/v1/calendar/days/${lastDay}`, { working: true })).status,
    ).toBe(200);
    const [back] = (await deadlinesOf(env, w.coordinator, c.id)).filter((d) => d.kind === 'mediation');
    expect(back.lastDay).toBe(lastDay);
  });
});

describe('limitation at intake (LDMAL art. 27)', () => {
  it('warns when under 30 days are left, and computes each claim', async () => {
    const knew = addCalendarDays(localDay(), -355); // the year ends in about ten days
    const c = await intake(w, {
      applicationReceivedAt: new Date().toISOString(),
      knewOfInfringementOn: knew,
      claims: [
        { type: 'economic_compensation', amountFen: 100000, description: '经济补偿' },
        { type: 'wage_arrears', amountFen: 200000, description: '工资' },
      ],
    });
    expect(c.limitation.claims[0].type).toBe('economic_compensation');
    expect(c.limitation.claims[0].expiresOn >= addCalendarDays(knew, 365)).toBe(true);
    expect(c.limitation.claims[0].expiresOn < addCalendarDays(localDay(), 30)).toBe(true);
    // Wage arrears after employment ended (2026-01-31): one year from the end date.
    expect(c.limitation.claims[1].expiresOn >= '2027-01-31').toBe(true);
    expect(c.limitation.earliestExpiresOn).toBe(c.limitation.claims[0].expiresOn);
    expect(c.limitation.warning).toMatch(/不足30日/);

    const rows = (await deadlinesOf(env, w.coordinator, c.id)).filter((d) => d.kind === 'limitation');
    expect(rows.map((d) => d.status)).toEqual(['met', 'met']);
    expect(rows.map((d) => d.lastDay).sort()).toEqual(
      c.limitation.claims.map((x: any) => x.expiresOn).sort(),
    );
  });

  it('has no limitation for wage arrears during employment, and none at all for a court-sent case', async () => {
    const ongoing = await intake(w, {
      applicationReceivedAt: new Date().toISOString(),
      employment: { startDate: '2024-03-01', position: '快递员' },
      claims: [{ type: 'wage_arrears', amountFen: 100000, description: '工资' }],
    });
    expect(ongoing.limitation).toEqual({
      claims: [{ type: 'wage_arrears', expiresOn: null }],
      earliestExpiresOn: null,
      warning: null,
    });

    const court = await client(env.url, w.liaison).post(
      '/api/v1/cases',
      deadlineCaseBody({
        source: 'court_delegated',
        committeeId: w.committeeId,
        originReference: '(2026)湘0102民诉前调1号',
      }),
    );
    expect(court.status).toBe(201);
    expect(court.body.limitation).toBeNull();
  });

  it('warns, without refusing, when the year had already run out', async () => {
    const c = await intake(w, {
      knewOfInfringementOn: '2024-06-01',
      claims: [{ type: 'damages', amountFen: 100000, description: '赔偿金' }],
    });
    expect(c.status).toBe('submitted');
    expect(c.limitation.claims[0].expiresOn).toBe('2025-06-03'); // 2025-06-01 is a Sunday, 06-02 the 端午 holiday
    expect(c.limitation.warning).toMatch(/已于2025-06-03届满/);
    const [row] = (await deadlinesOf(env, w.coordinator, c.id)).filter((d) => d.kind === 'limitation');
    expect(row.status).toBe('fired');
  });
});

describe('/health', () => {
  it('reports the covered years and warns for the current or next year without data', async () => {
    const r = await client(env.url).get('/health');
    expect(r.status).toBe(200);
    const year = Number(localDay().slice(0, 4));
    expect(r.body.checks.calendar.coveredYears).toEqual(expect.arrayContaining([2025, 2026]));
    const missing = [year, year + 1].filter((y) => !r.body.checks.calendar.coveredYears.includes(y));
    expect(r.body.checks.calendar.missing).toEqual(missing);
    // (No worker runs in this file: /health also warns about the reminders left waiting.)
    const calendarWarnings = r.body.warnings.filter((x: string) => x.startsWith('working-day calendar'));
    expect(calendarWarnings).toHaveLength(missing.length);
    for (const y of missing) expect(calendarWarnings.join(' ')).toContain(String(y));
  });
});
