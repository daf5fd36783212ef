/**
 * SPEC §5 through HTTP: the foundation actions (accept, reject, assign, fail, withdraw), refusals that name the
 * current status, serialised concurrent actions, If-Match, versions, append-only events, and corrections (§4).
 */
import { startApi, TestEnv } from '../support/app';
import { caseBody, counts, seedWorld, World } from '../support/fixtures';
import { auditRows, caseEvents, expectProblem, fieldsOf, userIdOf } from '../support/foundation';
import { client } from '../support/http';

let env: TestEnv;
let w: World;
let coordinatorId: string;

beforeAll(async () => {
  env = await startApi();
  w = await seedWorld(env);
  coordinatorId = await userIdOf(env, w.coordinator);
});
afterAll(() => env?.close());

const coord = () => client(env.url, w.coordinator);
const mediator = () => client(env.url, w.mediator);

async function newCase(over: Record<string, any> = {}) {
  const r = await coord().post('/api/v1/cases', caseBody(over));
  expect(r.status).toBe(201);
  return r.body as { id: string; caseNo: string; version: number };
}

async function courtSent() {
  const r = await client(env.url, w.liaison).post(
    '/api/v1/cases',
    caseBody({
      source: 'court_delegated',
      committeeId: w.committeeId,
      originReference: '(2026)湘0102民诉前调88号',
    }),
  );
  expect(r.status).toBe(201);
  return r.body as { id: string; caseNo: string };
}

async function act(id: string, action: string, body: object = {}, token = w.coordinator) {
  return client(env.url, token).post(`/api/v1/cases/${id}/${action}`, body);
}

async function inMediation(id: string, mediatorId = w.mediatorId) {
  expect((await act(id, 'accept')).status).toBe(200);
  expect((await act(id, 'assign', { mediatorId })).status).toBe(200);
}

describe('the foundation paths of §5', () => {
  it('intake → accept → assign: one event each, version growing by one, who and from/to recorded', async () => {
    const c = await newCase();
    expect(c).toMatchObject({ version: 1 });
    const a = await act(c.id, 'accept');
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({ status: 'accepted', version: 2, closureReason: null });
    const s = await act(c.id, 'assign', { mediatorId: w.mediatorId });
    expect(s.status).toBe(200);
    expect(s.body).toMatchObject({ status: 'in_mediation', version: 3, mediatorId: w.mediatorId });
    expect((await coord().get(`/api/v1/cases/${c.id}`)).body).toMatchObject({
      version: 3,
      status: 'in_mediation',
    });
    const events = await caseEvents(env, c.id);
    expect(events.map((e) => [e.action, e.from_status, e.to_status])).toEqual([
      ['intake', null, 'submitted'],
      ['accept', 'submitted', 'accepted'],
      ['assign', 'accepted', 'in_mediation'],
    ]);
    expect(events[2].payload).toMatchObject({ mediatorId: w.mediatorId });
    const api = await coord().get(`/api/v1/cases/${c.id}/events`);
    expect(api.body.items.map((e: { action: string }) => e.action)).toEqual(['intake', 'accept', 'assign']);
    expect(api.body.items[1]).toMatchObject({ actorUserId: coordinatorId, fromStatus: 'submitted' });
    // Reassigning an in_mediation case is an assign too.
    const again = await act(c.id, 'assign', { mediatorId: w.unrosteredMediatorId });
    expect(again.body).toMatchObject({
      status: 'in_mediation',
      version: 4,
      mediatorId: w.unrosteredMediatorId,
    });
  });

  it('reject closes the case as rejected, with the reason on the event', async () => {
    const c = await newCase();
    const r = await act(c.id, 'reject', { reason: '不属于劳动争议受理范围' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'closed', closureReason: 'rejected', version: 2 });
    expect(r.body.closedAt).toEqual(expect.any(String));
    const [, e] = await caseEvents(env, c.id);
    expect(e).toMatchObject({
      action: 'reject',
      to_status: 'closed',
      closure_reason: 'rejected',
      reason: '不属于劳动争议受理范围',
    });
  });

  it('reject with respondentRefused closes it as respondent_refused', async () => {
    const c = await newCase();
    const r = await act(c.id, 'reject', { reason: '用人单位不同意调解', respondentRefused: true });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'closed', closureReason: 'respondent_refused' });
    expect((await caseEvents(env, c.id))[1].payload).toMatchObject({ respondentRefused: true });
  });

  it('fails a walk-in case as mediation_failed (assigned mediator), and an accepted one (coordinator)', async () => {
    const c = await newCase();
    await inMediation(c.id);
    const f = await act(c.id, 'failure', { reason: '双方分歧较大', referTo: 'arbitration' }, w.mediator);
    expect(f.status).toBe(200);
    expect(f.body).toMatchObject({ status: 'closed', closureReason: 'mediation_failed', version: 4 });

    const c2 = await newCase();
    await act(c2.id, 'accept');
    const f2 = await act(c2.id, 'failure', { reason: '用人单位下落不明', referTo: 'none' });
    expect(f2.body).toMatchObject({ status: 'closed', closureReason: 'mediation_failed' });
  });

  it('refuses referTo origin for a walk-in case, writing nothing', async () => {
    const c = await newCase();
    await act(c.id, 'accept');
    const before = await counts(env);
    const r = await act(c.id, 'failure', { reason: '未达成协议', referTo: 'origin' });
    expectProblem(r, 400, 'VALIDATION_FAILED');
    expect(fieldsOf(r)).toEqual(['referTo']);
    expect(await counts(env)).toEqual(before);
  });

  it('fails a court-sent case as returned_to_origin, and its court’s liaison sees it', async () => {
    const c = await courtSent();
    await inMediation(c.id);
    const f = await act(c.id, 'failure', { reason: '未达成协议', referTo: 'origin' }, w.mediator);
    expect(f.status).toBe(200);
    expect(f.body).toMatchObject({ status: 'closed', closureReason: 'returned_to_origin' });
    const seen = await client(env.url, w.liaison).get(`/api/v1/cases/${c.id}`);
    expect(seen.body).toMatchObject({ status: 'closed', closureReason: 'returned_to_origin' });
  });

  it.each(['submitted', 'accepted', 'in_mediation'])(
    'withdraws a %s case at the worker’s request',
    async (at) => {
      const c = await newCase();
      if (at !== 'submitted') await act(c.id, 'accept');
      if (at === 'in_mediation') await act(c.id, 'assign', { mediatorId: w.mediatorId });
      const r = await act(c.id, 'withdrawal', { reason: '劳动者撤回申请' });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ status: 'closed', closureReason: 'withdrawn' });
      const last = (await caseEvents(env, c.id)).pop();
      expect(last).toMatchObject({ action: 'withdraw', from_status: at, reason: '劳动者撤回申请' });
    },
  );

  it('requires a reason to reject, fail and withdraw', async () => {
    const c = await newCase();
    const before = await counts(env);
    for (const [action, body] of [
      ['reject', {}],
      ['reject', { reason: '' }],
      ['withdrawal', {}],
      ['failure', { referTo: 'none' }],
    ] as const) {
      const r = await act(c.id, action, body);
      expectProblem(r, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(r)).toEqual(['reason']);
    }
    expect(await counts(env)).toEqual(before);
  });
});

describe('409 INVALID_TRANSITION naming the current status, nothing written', () => {
  async function refusedFrom(id: string, action: string, body: object, status: string) {
    const before = await counts(env);
    const r = await act(id, action, body);
    expectProblem(r, 409, 'INVALID_TRANSITION');
    expect(r.body.currentStatus).toBe(status);
    expect(r.body.detail).toContain(`'${status}'`);
    expect(await counts(env)).toEqual(before);
  }

  it('accept twice', async () => {
    const c = await newCase();
    await act(c.id, 'accept');
    await refusedFrom(c.id, 'accept', {}, 'accepted');
  });

  it('assign a submitted case', async () => {
    const c = await newCase();
    await refusedFrom(c.id, 'assign', { mediatorId: w.mediatorId }, 'submitted');
  });

  it('reject an accepted case', async () => {
    const c = await newCase();
    await act(c.id, 'accept');
    await refusedFrom(c.id, 'reject', { reason: '不予受理' }, 'accepted');
  });

  it('fail a submitted case', async () => {
    const c = await newCase();
    await refusedFrom(c.id, 'failure', { reason: '未达成协议', referTo: 'none' }, 'submitted');
  });

  it('anything on a closed case, a correction included', async () => {
    const c = await newCase();
    await act(c.id, 'withdrawal', { reason: '劳动者撤回申请' });
    for (const [action, body] of [
      ['accept', {}],
      ['reject', { reason: '不予受理' }],
      ['assign', { mediatorId: w.mediatorId }],
      ['failure', { reason: '未达成协议', referTo: 'none' }],
      ['withdrawal', { reason: '再次撤回' }],
    ] as const) {
      await refusedFrom(c.id, action, body, 'closed');
    }
    const before = await counts(env);
    const patch = await coord().patch(`/api/v1/cases/${c.id}`, { reason: '更正电话', facts: '新的事实' });
    expectProblem(patch, 409, 'INVALID_TRANSITION');
    expect(patch.body.currentStatus).toBe('closed');
    expect(await counts(env)).toEqual(before);
  });
});

describe('concurrency and versions', () => {
  it('serialises 20 simultaneous accepts: one 200, nineteen INVALID_TRANSITION, one accept event', async () => {
    const c = await newCase();
    const results = await Promise.all(Array.from({ length: 20 }, () => act(c.id, 'accept')));
    const ok = results.filter((r) => r.status === 200);
    const refused = results.filter((r) => r.status === 409);
    expect(ok).toHaveLength(1);
    expect(refused).toHaveLength(19);
    for (const r of refused)
      expect(r.body).toMatchObject({ code: 'INVALID_TRANSITION', currentStatus: 'accepted' });
    expect(ok[0].body).toMatchObject({ status: 'accepted', version: 2 });
    expect((await caseEvents(env, c.id)).filter((e) => e.action === 'accept')).toHaveLength(1);
    const row = await env.db.query(`SELECT version, status FROM cases WHERE id = $1`, [c.id]);
    expect(row.rows[0]).toEqual({ version: 2, status: 'accepted' });
  });

  it('serialises different simultaneous actions: each sees what the previous left', async () => {
    const c = await newCase();
    const results = await Promise.all([
      act(c.id, 'accept'),
      act(c.id, 'reject', { reason: '不予受理' }),
      act(c.id, 'withdrawal', { reason: '劳动者撤回' }),
      act(c.id, 'accept'),
    ]);
    const events = await caseEvents(env, c.id);
    expect(events).toHaveLength(1 + results.filter((r) => r.status === 200).length);
    const final = await env.db.query(`SELECT version FROM cases WHERE id = $1`, [c.id]);
    expect(final.rows[0].version).toBe(events.length);
    for (const r of results) expect([200, 409]).toContain(r.status);
  });

  it('answers 409 STALE_VERSION for an old If-Match, and succeeds with the current one', async () => {
    const c = await newCase();
    expect((await act(c.id, 'accept')).body.version).toBe(2);
    const before = await counts(env);
    const old = await coord().post(
      `/api/v1/cases/${c.id}/assign`,
      { mediatorId: w.mediatorId },
      { headers: { 'if-match': '1' } },
    );
    expectProblem(old, 409, 'STALE_VERSION');
    expect(old.body.currentVersion).toBe(2);
    expect(await counts(env)).toEqual(before);
    const quoted = await coord().post(
      `/api/v1/cases/${c.id}/assign`,
      { mediatorId: w.mediatorId },
      { headers: { 'if-match': '"2"' } },
    );
    expect(quoted.status).toBe(200);
    expect(quoted.body.version).toBe(3);
    const weak = await coord().post(
      `/api/v1/cases/${c.id}/withdrawal`,
      { reason: '劳动者撤回' },
      { headers: { 'if-match': 'W/"3"' } },
    );
    expect(weak.status).toBe(200);
    expect(weak.body.version).toBe(4);
  });

  it('checks If-Match on corrections too', async () => {
    const c = await newCase();
    const before = await counts(env);
    const stale = await coord().patch(
      `/api/v1/cases/${c.id}`,
      { reason: '更正事实', facts: '新的事实' },
      { headers: { 'if-match': '5' } },
    );
    expectProblem(stale, 409, 'STALE_VERSION');
    expect(await counts(env)).toEqual(before);
    const ok = await coord().patch(
      `/api/v1/cases/${c.id}`,
      { reason: '更正事实', facts: '新的事实' },
      { headers: { 'if-match': '1' } },
    );
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ version: 2, facts: '新的事实' });
  });

  it('keeps case events append-only in the database itself', async () => {
    const c = await newCase();
    await act(c.id, 'accept');
    await expect(
      env.db.query(`UPDATE case_events SET reason = 'x' WHERE case_id = $1`, [c.id]),
    ).rejects.toThrow(/append-only/);
    await expect(env.db.query(`DELETE FROM case_events WHERE case_id = $1`, [c.id])).rejects.toThrow(
      /append-only/,
    );
    await expect(env.db.query(`TRUNCATE case_events CASCADE`)).rejects.toThrow(/append-only/);
    await expect(env.db.query(`DELETE FROM audit_log WHERE entity_id = $1`, [c.id])).rejects.toThrow(
      /append-only/,
    );
    expect((await caseEvents(env, c.id)).map((e) => e.action)).toEqual(['intake', 'accept']);
  });
});

describe('assign: who may be assigned', () => {
  let otherMediatorId: string;
  let inactiveMediatorId: string;

  beforeAll(async () => {
    const admin = client(env.url, w.admin);
    const mk = async (username: string, organisationId: string, active = true) => {
      const r = await admin.post('/api/v1/users', {
        username,
        password: 'password-12345',
        displayName: username,
        role: 'mediator',
        organisationId,
        courtRostered: true,
      });
      expect(r.status).toBe(201);
      if (!active)
        expect((await admin.patch(`/api/v1/users/${r.body.id}`, { active: false })).status).toBe(200);
      return r.body.id as string;
    };
    otherMediatorId = await mk('med-other-committee', w.otherCommitteeId);
    inactiveMediatorId = await mk('med-inactive', w.committeeId, false);
  });

  it('refuses anyone but an active mediator of the case’s committee, naming mediatorId', async () => {
    const c = await newCase();
    await act(c.id, 'accept');
    const before = await counts(env);
    for (const mediatorId of [
      coordinatorId,
      otherMediatorId,
      inactiveMediatorId,
      '00000000-0000-4000-8000-000000000000',
    ]) {
      const r = await act(c.id, 'assign', { mediatorId });
      expectProblem(r, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(r)).toEqual(['mediatorId']);
    }
    expect(await counts(env)).toEqual(before);
    expect((await coord().get(`/api/v1/cases/${c.id}`)).body).toMatchObject({
      status: 'accepted',
      mediatorId: null,
    });
  });

  it('gives a court-sent case only to a court-rostered mediator', async () => {
    const c = await courtSent();
    await act(c.id, 'accept');
    const before = await counts(env);
    const r = await act(c.id, 'assign', { mediatorId: w.unrosteredMediatorId });
    expectProblem(r, 400, 'VALIDATION_FAILED');
    expect(fieldsOf(r)).toEqual(['mediatorId']);
    expect(await counts(env)).toEqual(before);
    expect((await act(c.id, 'assign', { mediatorId: w.mediatorId })).status).toBe(200);
  });

  it('refuses a mediator who declared a conflict with the employer: 409 CONFLICT_OF_INTEREST', async () => {
    const c = await newCase();
    await act(c.id, 'accept');
    const employer = (await coord().get(`/api/v1/cases/${c.id}`)).body.employer.creditCode;
    const declared = await mediator().post(`/api/v1/users/${w.mediatorId}/conflicts`, {
      creditCode: employer,
      note: '近亲属在该公司任职',
    });
    expect(declared.status).toBe(201);
    const before = await counts(env);
    expectProblem(await act(c.id, 'assign', { mediatorId: w.mediatorId }), 409, 'CONFLICT_OF_INTEREST');
    expect(await counts(env)).toEqual(before);
    // Another mediator without the conflict takes it; once withdrawn, the declaration no longer blocks.
    expect((await act(c.id, 'assign', { mediatorId: w.unrosteredMediatorId })).status).toBe(200);
    expect((await mediator().del(`/api/v1/users/${w.mediatorId}/conflicts/${declared.body.id}`)).status).toBe(
      204,
    );
    expect((await act(c.id, 'assign', { mediatorId: w.mediatorId })).status).toBe(200);
  });
});

describe('corrections before an agreement (§4)', () => {
  it('a coordinator corrects parties and claims with a reason: audited, an event, version + 1', async () => {
    const c = await newCase();
    const body = caseBody();
    const r = await coord().patch(`/api/v1/cases/${c.id}`, {
      reason: '申请人电话记录有误',
      worker: { ...body.worker, phone: '13912345678' },
      claims: [
        { type: 'wage_arrears', amountFen: 1000000, description: '工资' },
        { type: 'economic_compensation', amountFen: 500050 },
      ],
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ version: 2, status: 'submitted', claimedTotalFen: 1500050 });
    expect(r.body.worker.phone).toBe('13912345678');
    expect(r.body.claims.map((cl: { amountFen: number }) => cl.amountFen)).toEqual([1000000, 500050]);
    const audit = await auditRows(env, 'case_corrected', c.id);
    expect(audit).toHaveLength(1);
    expect(audit[0].user_id).toBe(coordinatorId);
    expect(audit[0].detail).toMatchObject({ reason: '申请人电话记录有误', changed: ['worker', 'claims'] });
    const last = (await caseEvents(env, c.id)).pop();
    expect(last).toMatchObject({ action: 'correct', reason: '申请人电话记录有误', from_status: 'submitted' });
    const listed = await coord().get(`/api/v1/cases?q=${c.caseNo}`);
    expect(listed.body.items[0].claimedTotalFen).toBe(1500050);
  });

  it('refuses a correction that makes the case a duplicate of another open one, writing nothing', async () => {
    const first = await newCase();
    const firstBody = (await coord().get(`/api/v1/cases/${first.id}?reveal=idNumber`)).body;
    const second = await newCase();
    const before = (await coord().get(`/api/v1/cases/${second.id}`)).body;
    const r = await coord().patch(`/api/v1/cases/${second.id}`, {
      reason: '申请人身份证号码录入有误',
      worker: { ...caseBody().worker, idNumber: firstBody.worker.idNumber },
    });
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ code: 'DUPLICATE_OPEN_CASE', existingCaseNo: first.caseNo });
    const after = (await coord().get(`/api/v1/cases/${second.id}`)).body;
    expect(after.version).toBe(before.version);
    expect(after.worker.idNumber).toBe(before.worker.idNumber);
  });

  it('tells the features that follow case changes: a corrected date recomputes the recorded limitation', async () => {
    const c = await newCase();
    const limitations = async () =>
      (
        await env.db.query(
          `SELECT status FROM deadlines WHERE case_id = $1 AND kind = 'limitation' ORDER BY status`,
          [c.id],
        )
      ).rows.map((r) => r.status);
    const before = await limitations();
    expect(before.length).toBeGreaterThan(0);
    const r = await coord().patch(`/api/v1/cases/${c.id}`, {
      reason: '更正知道权利受侵害之日',
      knewOfInfringementOn: '2025-12-01',
    });
    expect(r.status).toBe(200);
    const after = await limitations();
    expect(after).toContain('superseded');
    expect(after.length).toBe(before.length * 2);
  });

  it('refuses a correction without a reason, with nothing to correct, or with bad data; nothing written', async () => {
    const c = await newCase();
    const before = await counts(env);
    const noReason = await coord().patch(`/api/v1/cases/${c.id}`, { facts: '新的事实' });
    expectProblem(noReason, 400, 'VALIDATION_FAILED');
    expect(fieldsOf(noReason)).toEqual(['reason']);
    const nothing = await coord().patch(`/api/v1/cases/${c.id}`, { reason: '没有内容' });
    expectProblem(nothing, 400, 'VALIDATION_FAILED');
    const badClaim = await coord().patch(`/api/v1/cases/${c.id}`, {
      reason: '更正金额',
      claims: [{ type: 'wage_arrears', amountFen: -5 }],
    });
    expectProblem(badClaim, 400, 'VALIDATION_FAILED');
    expect(fieldsOf(badClaim)).toEqual(['claims.0.amountFen']);
    const badDates = await coord().patch(`/api/v1/cases/${c.id}`, {
      reason: '更正日期',
      employment: { startDate: '2025-01-01', endDate: '2024-01-01' },
    });
    expectProblem(badDates, 400, 'VALIDATION_FAILED');
    expect(fieldsOf(badDates)).toEqual(['employment.endDate']);
    const arrayWorker = await coord().patch(`/api/v1/cases/${c.id}`, { reason: '更正', worker: [] });
    expectProblem(arrayWorker, 400, 'VALIDATION_FAILED');
    expect(await counts(env)).toEqual(before);
    expect(await auditRows(env, 'case_corrected', c.id)).toHaveLength(0);
  });

  it('only coordinators correct', async () => {
    const c = await newCase();
    const before = await counts(env);
    expectProblem(
      await mediator().patch(`/api/v1/cases/${c.id}`, { reason: '更正', facts: 'x' }),
      403,
      'FORBIDDEN',
    );
    expect(await counts(env)).toEqual(before);
  });
});
