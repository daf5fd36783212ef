/** Sessions and extensions (SPEC §5 schedule/record/extend rows, §8). */
import { startApi, TestEnv } from '../support/app';
import { caseBody, seedWorld, World } from '../support/fixtures';
import { client } from '../support/http';

let env: TestEnv;
let w: World;

beforeAll(async () => {
  env = await startApi();
  w = await seedWorld(env);
});
afterAll(() => env?.close());

const HOUR = 3600_000;
/** An instant `ms` from now, written with the +08:00 offset. */
function at(ms: number): string {
  const d = new Date(Date.now() + ms + 8 * HOUR);
  return d.toISOString().slice(0, 19) + '+08:00';
}

/** A walk-in case taken in, accepted and assigned to the rostered mediator. */
async function caseInMediation(over: Record<string, any> = {}): Promise<string> {
  const coord = client(env.url, w.coordinator);
  const created = await coord.post('/api/v1/cases', caseBody(over));
  expect(created.status).toBe(201);
  expect((await coord.post(`/api/v1/cases/${created.body.id}/accept`, {})).status).toBe(200);
  const assigned = await coord.post(`/api/v1/cases/${created.body.id}/assign`, { mediatorId: w.mediatorId });
  expect(assigned.status).toBe(200);
  return created.body.id;
}

async function tally(caseId: string) {
  const r = await env.db.query(
    `SELECT (SELECT count(*) FROM sessions WHERE case_id = $1)::int AS sessions,
            (SELECT count(*) FROM case_extensions WHERE case_id = $1)::int AS extensions,
            (SELECT count(*) FROM case_events WHERE case_id = $1)::int AS events,
            (SELECT version FROM cases WHERE id = $1) AS version,
            (SELECT md5(string_agg(s::text, ',' ORDER BY s.id)) FROM sessions s WHERE case_id = $1) AS digest`,
    [caseId],
  );
  return r.rows[0];
}

const session = {
  startsAt: at(48 * HOUR),
  durationMinutes: 90,
  mode: 'in_person',
  location: '芙蓉区调解室一',
};
const record = {
  attendees: ['worker', 'employer'],
  notes: '双方就工资数额达成一致意见。',
  outcome: 'continued',
};

describe('scheduling ahead', () => {
  let caseId: string;
  beforeAll(async () => {
    caseId = await caseInMediation();
  });

  it('schedules, lists, reschedules and cancels a session before it starts, each a versioned case event', async () => {
    const med = client(env.url, w.mediator);
    const coord = client(env.url, w.coordinator);
    const created = await med.post(`/api/v1/cases/${caseId}/sessions`, session);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      status: 'scheduled',
      durationMinutes: 90,
      mode: 'in_person',
      location: '芙蓉区调解室一',
      mediatorId: w.mediatorId,
      startsAt: new Date(session.startsAt).toISOString(),
      case: { id: caseId, status: 'in_mediation', version: 4 },
    });
    const sid = created.body.id;

    const list = await coord.get(`/api/v1/cases/${caseId}/sessions`);
    expect(list.status).toBe(200);
    expect(list.body.items.map((s: any) => s.id)).toEqual([sid]);

    const tooEarly = await med.post(`/api/v1/cases/${caseId}/sessions/${sid}/record`, {
      ...record,
      endedAt: at(50 * HOUR),
    });
    expect(tooEarly.status).toBe(409);
    expect(tooEarly.body.code).toBe('SESSION_NOT_STARTED');

    const moved = await coord.patch(
      `/api/v1/cases/${caseId}/sessions/${sid}`,
      { startsAt: at(72 * HOUR), mode: 'online', location: null },
      { headers: { 'if-match': '4' } },
    );
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ mode: 'online', location: null, durationMinutes: 90 });
    expect(moved.body.case.version).toBe(5);

    const stale = await med.patch(
      `/api/v1/cases/${caseId}/sessions/${sid}`,
      { durationMinutes: 60 },
      { headers: { 'if-match': '4' } },
    );
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('STALE_VERSION');

    const cancelled = await med.post(`/api/v1/cases/${caseId}/sessions/${sid}/cancel`, {
      reason: '用人单位代理人临时出差',
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelReason: '用人单位代理人临时出差' });
    expect(cancelled.body.case).toMatchObject({ status: 'in_mediation', version: 6 });

    for (const [method, path, body] of [
      ['post', `/sessions/${sid}/cancel`, {}],
      ['patch', `/sessions/${sid}`, { durationMinutes: 60 }],
      ['post', `/sessions/${sid}/record`, { ...record, endedAt: at(-HOUR) }],
    ] as const) {
      const r = await (med as any)[method](`/api/v1/cases/${caseId}${path}`, body);
      expect(r.status).toBe(409);
      expect(r.body.code).toBe('SESSION_CANCELLED');
    }

    const events = await coord.get(`/api/v1/cases/${caseId}/events`);
    const mine = events.body.items.filter((e: any) => e.action.endsWith('_session'));
    expect(mine.map((e: any) => [e.action, e.fromStatus, e.toStatus])).toEqual([
      ['schedule_session', 'in_mediation', 'in_mediation'],
      ['reschedule_session', 'in_mediation', 'in_mediation'],
      ['cancel_session', 'in_mediation', 'in_mediation'],
    ]);
    expect(mine[0].payload).toMatchObject({ sessionId: sid, durationMinutes: 90, loggedAfterTheFact: false });
    expect(mine[1].payload.previousStartsAt).toBe(new Date(session.startsAt).toISOString());
  });

  it('refuses a reschedule into the past and an empty reschedule, writing nothing', async () => {
    const med = client(env.url, w.mediator);
    const sid = (await med.post(`/api/v1/cases/${caseId}/sessions`, session)).body.id;
    const before = await tally(caseId);
    const past = await med.patch(`/api/v1/cases/${caseId}/sessions/${sid}`, { startsAt: at(-HOUR) });
    expect(past.status).toBe(400);
    expect(past.body.errors).toEqual([{ field: 'startsAt', message: 'must be in the future' }]);
    const empty = await med.patch(`/api/v1/cases/${caseId}/sessions/${sid}`, {});
    expect(empty.status).toBe(400);
    expect(await tally(caseId)).toEqual(before);
  });

  it('answers 404 for a session of another case', async () => {
    const other = await caseInMediation();
    const med = client(env.url, w.mediator);
    const sid = (await med.post(`/api/v1/cases/${other}/sessions`, session)).body.id;
    const r = await med.post(`/api/v1/cases/${caseId}/sessions/${sid}/cancel`, {});
    expect(r.status).toBe(404);
  });
});

describe('a session logged after the fact', () => {
  let caseId: string;
  let sid: string;
  beforeAll(async () => {
    caseId = await caseInMediation();
    const r = await client(env.url, w.coordinator).post(`/api/v1/cases/${caseId}/sessions`, {
      startsAt: '2026-03-05T14:00:00+08:00',
      durationMinutes: 120,
      mode: 'phone',
    });
    expect(r.status).toBe(201);
    expect(r.body.location).toBeNull();
    sid = r.body.id;
  });

  it('may be recorded only by the assigned mediator', async () => {
    const before = await tally(caseId);
    const body = { ...record, endedAt: '2026-03-05T15:30:00+08:00' };
    const byCoordinator = await client(env.url, w.coordinator).post(
      `/api/v1/cases/${caseId}/sessions/${sid}/record`,
      body,
    );
    expect(byCoordinator.status).toBe(403);
    expect(byCoordinator.body.code).toBe('FORBIDDEN');
    // Another mediator of the committee does not see a case assigned to someone else (SPEC §3): 404.
    const byOther = await client(env.url, w.unrosteredMediator).post(
      `/api/v1/cases/${caseId}/sessions/${sid}/record`,
      body,
    );
    expect(byOther.status).toBe(404);
    const byLiaison = await client(env.url, w.liaison).post(
      `/api/v1/cases/${caseId}/sessions/${sid}/record`,
      body,
    );
    expect(byLiaison.status).toBe(403);
    expect(await tally(caseId)).toEqual(before);
  });

  it('refuses an end before the start, then records once, and is not moved or cancelled afterwards', async () => {
    const med = client(env.url, w.mediator);
    const before = await tally(caseId);
    const backwards = await med.post(`/api/v1/cases/${caseId}/sessions/${sid}/record`, {
      ...record,
      endedAt: '2026-03-05T13:00:00+08:00',
    });
    expect(backwards.status).toBe(400);
    expect(backwards.body.errors).toEqual([
      { field: 'endedAt', message: 'must be after the session’s start' },
    ]);
    expect(await tally(caseId)).toEqual(before);

    const done = await med.post(`/api/v1/cases/${caseId}/sessions/${sid}/record`, {
      ...record,
      outcome: 'postponed',
      endedAt: '2026-03-05T15:30:00+08:00',
    });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({
      status: 'recorded',
      outcome: 'postponed',
      attendees: ['worker', 'employer'],
      notes: record.notes,
      endedAt: '2026-03-05T07:30:00.000Z',
      case: { status: 'in_mediation' },
    });

    const twice = await med.post(`/api/v1/cases/${caseId}/sessions/${sid}/record`, {
      ...record,
      endedAt: '2026-03-05T15:30:00+08:00',
    });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('SESSION_ALREADY_RECORDED');
    const move = await med.patch(`/api/v1/cases/${caseId}/sessions/${sid}`, { startsAt: at(24 * HOUR) });
    expect(move.status).toBe(409);
    expect(move.body.code).toBe('SESSION_ALREADY_RECORDED');
  });

  it('cannot be rescheduled or cancelled once its start has passed, recorded or not', async () => {
    const med = client(env.url, w.mediator);
    const past = await med.post(`/api/v1/cases/${caseId}/sessions`, {
      startsAt: at(-2 * HOUR),
      durationMinutes: 60,
      mode: 'online',
    });
    expect(past.status).toBe(201);
    const before = await tally(caseId);
    const cancel = await med.post(`/api/v1/cases/${caseId}/sessions/${past.body.id}/cancel`, {});
    expect(cancel.status).toBe(409);
    expect(cancel.body.code).toBe('SESSION_ALREADY_STARTED');
    const move = await med.patch(`/api/v1/cases/${caseId}/sessions/${past.body.id}`, { startsAt: at(HOUR) });
    expect(move.status).toBe(409);
    expect(move.body.code).toBe('SESSION_ALREADY_STARTED');
    expect(await tally(caseId)).toEqual(before);
  });
});

describe('bad input', () => {
  it('answers 400 naming each bad field, and writes nothing', async () => {
    const caseId = await caseInMediation();
    const med = client(env.url, w.mediator);
    const before = await tally(caseId);
    const cases: Array<[Record<string, unknown>, string[]]> = [
      [{ ...session, durationMinutes: 14 }, ['durationMinutes']],
      [{ ...session, durationMinutes: 481 }, ['durationMinutes']],
      [{ ...session, durationMinutes: 90.5 }, ['durationMinutes']],
      [{ ...session, mode: 'video' }, ['mode']],
      [{ ...session, startsAt: '2026-12-01T10:00:00' }, ['startsAt']],
      [{ ...session, startsAt: '2026-02-30T10:00:00+08:00' }, ['startsAt']],
      [{ ...session, roomId: 'x' }, ['roomId']],
      [{ durationMinutes: 90 }, ['startsAt', 'mode']],
      // Before the application was received (2026-03-02 10:00 +08:00).
      [{ ...session, startsAt: '2026-03-01T10:00:00+08:00' }, ['startsAt']],
      [{ ...session, startsAt: at(400 * 24 * HOUR) }, ['startsAt']],
    ];
    for (const [body, fields] of cases) {
      const r = await med.post(`/api/v1/cases/${caseId}/sessions`, body);
      expect(r.status).toBe(400);
      expect(r.headers.get('content-type')).toContain('application/problem+json');
      expect([...new Set(r.body.errors.map((e: any) => e.field))].sort()).toEqual([...fields].sort());
    }
    const sid = (await med.post(`/api/v1/cases/${caseId}/sessions`, { ...session, startsAt: at(-HOUR) })).body
      .id;
    const mid = await tally(caseId);
    const recordCases: Array<[Record<string, unknown>, string[]]> = [
      [{ ...record, endedAt: at(0), attendees: [] }, ['attendees']],
      [{ ...record, endedAt: at(0), attendees: [''] }, ['attendees']],
      [{ ...record, endedAt: at(0), outcome: 'settled' }, ['outcome']],
      [{ ...record, endedAt: at(0), notes: '' }, ['notes']],
      [{ attendees: ['worker'], outcome: 'continued' }, ['notes', 'endedAt']],
      [{ ...record, endedAt: at(2 * HOUR) }, ['endedAt']],
    ];
    for (const [body, fields] of recordCases) {
      const r = await med.post(`/api/v1/cases/${caseId}/sessions/${sid}/record`, body);
      expect(r.status).toBe(400);
      expect([...new Set(r.body.errors.map((e: any) => e.field))].sort()).toEqual([...fields].sort());
    }
    expect(await tally(caseId)).toEqual(mid);
    expect(mid.sessions).toBe(before.sessions + 1);
  });

  it('refuses session actions outside mediation', async () => {
    const coord = client(env.url, w.coordinator);
    const created = await coord.post('/api/v1/cases', caseBody());
    const r = await coord.post(`/api/v1/cases/${created.body.id}/sessions`, session);
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ code: 'INVALID_TRANSITION', currentStatus: 'submitted' });
  });
});

describe('when mediation ends', () => {
  it('cancels the sessions still scheduled, and their reminders, in the same change', async () => {
    const caseId = await caseInMediation();
    const med = client(env.url, w.mediator);
    const ahead = await med.post(`/api/v1/cases/${caseId}/sessions`, session);
    expect(ahead.status).toBe(201);
    const agreement = await med.post(`/api/v1/cases/${caseId}/agreement`, {
      signedAt: at(-HOUR),
      items: [{ claimType: 'wage_arrears', amountFen: 1000000 }],
      instalments: [{ dueOn: at(30 * 24 * HOUR).slice(0, 10), amountFen: 1000000 }],
    });
    expect(agreement.status).toBe(201);
    const listed = await med.get(`/api/v1/cases/${caseId}/sessions`);
    expect(listed.body.items).toEqual([
      expect.objectContaining({
        id: ahead.body.id,
        status: 'cancelled',
        cancelReason: '调解已结束，未举行的调解会议自动取消',
      }),
    ]);
    const reminders = await env.db.query(
      `SELECT d.status AS deadline, array_agg(r.status::text ORDER BY r.kind) AS reminders
         FROM deadlines d JOIN deadline_reminders r ON r.deadline_id = d.id
        WHERE d.case_id = $1 AND d.kind = 'session' GROUP BY d.status`,
      [caseId],
    );
    expect(reminders.rows).toEqual([{ deadline: 'cancelled', reminders: ['cancelled', 'cancelled'] }]);
  });
});

describe('confidential notes', () => {
  it('are shown to the committee’s staff, never to the origin court’s liaison', async () => {
    const liaison = client(env.url, w.liaison);
    const sent = await liaison.post(
      '/api/v1/cases',
      caseBody({
        source: 'court_delegated',
        committeeId: w.committeeId,
        originReference: '(2026)湘0102民诉前调88号',
      }),
    );
    expect(sent.status).toBe(201);
    const caseId = sent.body.id;
    const coord = client(env.url, w.coordinator);
    expect((await coord.post(`/api/v1/cases/${caseId}/accept`, {})).status).toBe(200);
    expect((await coord.post(`/api/v1/cases/${caseId}/assign`, { mediatorId: w.mediatorId })).status).toBe(
      200,
    );
    const med = client(env.url, w.mediator);
    const sid = (
      await med.post(`/api/v1/cases/${caseId}/sessions`, {
        startsAt: '2026-03-06T09:30:00+08:00',
        durationMinutes: 60,
        mode: 'in_person',
      })
    ).body.id;
    const secret = '用人单位私下表示最多可付八成，勿告知申请人。';
    const recorded = await med.post(`/api/v1/cases/${caseId}/sessions/${sid}/record`, {
      attendees: ['worker', 'employer'],
      notes: secret,
      outcome: 'continued',
      endedAt: '2026-03-06T10:30:00+08:00',
    });
    expect(recorded.status).toBe(200);

    for (const token of [w.coordinator, w.mediator]) {
      const list = await client(env.url, token).get(`/api/v1/cases/${caseId}/sessions`);
      expect(list.body.items[0].notes).toBe(secret);
    }
    const seen = await liaison.get(`/api/v1/cases/${caseId}/sessions`);
    expect(seen.status).toBe(200);
    expect(seen.body.items).toHaveLength(1);
    expect(seen.body.items[0]).toMatchObject({ id: sid, status: 'recorded', outcome: 'continued' });
    expect(seen.body.items[0]).not.toHaveProperty('notes');
    const one = await liaison.get(`/api/v1/cases/${caseId}/sessions/${sid}`);
    expect(one.status).toBe(200);
    expect(one.body).not.toHaveProperty('notes');
    const events = await liaison.get(`/api/v1/cases/${caseId}/events`);
    expect(events.status).toBe(200);
    for (const r of [seen, one, events]) expect(JSON.stringify(r.body)).not.toContain('勿告知');

    expect((await client(env.url, w.otherLiaison).get(`/api/v1/cases/${caseId}/sessions`)).status).toBe(404);
    expect((await client(env.url, w.otherCoordinator).get(`/api/v1/cases/${caseId}/sessions`)).status).toBe(
      404,
    );
    expect((await client(env.url, w.observer).get(`/api/v1/cases/${caseId}/sessions`)).status).toBe(403);
  });
});

describe('extensions', () => {
  let caseId: string;
  beforeAll(async () => {
    caseId = await caseInMediation();
  });

  it('need both parties’ consent and 1–30 days; a bad request writes nothing', async () => {
    const coord = client(env.url, w.coordinator);
    const before = await tally(caseId);
    const ok = { days: 10, reason: '双方同意继续协商', bothPartiesConsented: true };
    const bad: Array<[Record<string, unknown>, string[]]> = [
      [{ ...ok, bothPartiesConsented: false }, ['bothPartiesConsented']],
      [{ days: 10, reason: '双方同意继续协商' }, ['bothPartiesConsented']],
      [{ ...ok, bothPartiesConsented: 'yes' }, ['bothPartiesConsented']],
      [{ ...ok, days: 0 }, ['days']],
      [{ ...ok, days: 31 }, ['days']],
      [{ ...ok, days: 2.5 }, ['days']],
      [{ ...ok, days: '10' }, ['days']],
      [{ ...ok, reason: '' }, ['reason']],
      [{ ...ok, until: '2026-04-01' }, ['until']],
    ];
    for (const [body, fields] of bad) {
      const r = await coord.post(`/api/v1/cases/${caseId}/extensions`, body);
      expect(r.status).toBe(400);
      expect([...new Set(r.body.errors.map((e: any) => e.field))]).toEqual(fields);
    }
    expect(await tally(caseId)).toEqual(before);
  });

  it('are the coordinator’s, repeatable, and carry days and reason in the event', async () => {
    const body = { days: 10, reason: '双方同意继续协商', bothPartiesConsented: true };
    const byMediator = await client(env.url, w.mediator).post(`/api/v1/cases/${caseId}/extensions`, body);
    expect(byMediator.status).toBe(403);
    const coord = client(env.url, w.coordinator);
    const first = await coord.post(`/api/v1/cases/${caseId}/extensions`, body);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ days: 10, reason: body.reason, bothPartiesConsented: true });
    expect(first.body.case.status).toBe('in_mediation');
    const second = await coord.post(`/api/v1/cases/${caseId}/extensions`, { ...body, days: 30 });
    expect(second.status).toBe(201);
    expect(second.body.case.version).toBe(first.body.case.version + 1);

    const list = await client(env.url, w.mediator).get(`/api/v1/cases/${caseId}/extensions`);
    expect(list.body.items.map((e: any) => e.days)).toEqual([10, 30]);
    const events = await coord.get(`/api/v1/cases/${caseId}/events`);
    const extends_ = events.body.items.filter((e: any) => e.action === 'extend');
    expect(extends_.map((e: any) => e.payload)).toEqual([
      expect.objectContaining({ days: 10, reason: body.reason }),
      expect.objectContaining({ days: 30, reason: body.reason }),
    ]);
    expect(extends_[0]).toMatchObject({
      fromStatus: 'in_mediation',
      toStatus: 'in_mediation',
      reason: body.reason,
    });
  });

  it('answer 409 outside mediation', async () => {
    const coord = client(env.url, w.coordinator);
    const created = await coord.post('/api/v1/cases', caseBody());
    await coord.post(`/api/v1/cases/${created.body.id}/accept`, {});
    const r = await coord.post(`/api/v1/cases/${created.body.id}/extensions`, {
      days: 5,
      reason: '双方同意',
      bothPartiesConsented: true,
    });
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ code: 'INVALID_TRANSITION', currentStatus: 'accepted' });
  });
});
