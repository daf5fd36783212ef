/** Agencies answer back (SPEC §7, §11 POST /cases/{id}/agency-outcomes): who may, what is checked, where it shows. */
import { startApi, TestEnv } from '../support/app';
import { caseBody, counts, seedWorld, World } from '../support/fixtures';
import { auditRows, expectProblem, fieldsOf, userIdOf } from '../support/foundation';
import { client } from '../support/http';

let env: TestEnv;
let w: World;

beforeAll(async () => {
  env = await startApi();
  w = await seedWorld(env);
});
afterAll(() => env?.close());

const RECEIVED = '2026-03-02T10:00:00+08:00';

/** A case the liaison's court sends (court-delegated), accepted by the committee. */
async function courtSentCase(): Promise<string> {
  const sent = await client(env.url, w.liaison).post(
    '/api/v1/cases',
    caseBody({
      source: 'court_delegated',
      committeeId: w.committeeId,
      originReference: '(2026)湘0102民诉前调7号',
      applicationReceivedAt: RECEIVED,
    }),
  );
  expect(sent.status).toBe(201);
  expect((await client(env.url, w.coordinator).post(`/api/v1/cases/${sent.body.id}/accept`, {})).status).toBe(
    200,
  );
  return sent.body.id;
}

/** A walk-in case accepted and then failed by the coordinator with the given referTo. */
async function failedWalkIn(referTo: 'arbitration' | 'none'): Promise<string> {
  const coord = client(env.url, w.coordinator);
  const c = await coord.post('/api/v1/cases', caseBody({ applicationReceivedAt: RECEIVED }));
  expect(c.status).toBe(201);
  expect((await coord.post(`/api/v1/cases/${c.body.id}/accept`, {})).status).toBe(200);
  const f = await coord.post(`/api/v1/cases/${c.body.id}/failure`, { reason: '双方分歧较大', referTo });
  expect(f.status).toBe(200);
  return c.body.id;
}

async function outcomeRows(caseId?: string): Promise<number> {
  const r = await env.db.query(
    `SELECT count(*)::int AS n FROM agency_outcomes WHERE ($1::uuid IS NULL OR case_id = $1)`,
    [caseId ?? null],
  );
  return r.rows[0].n;
}

async function everything() {
  const audit = await env.db.query(
    `SELECT count(*)::int AS n FROM audit_log WHERE action = 'agency_outcome_recorded'`,
  );
  return { ...(await counts(env)), outcomes: await outcomeRows(), outcomeAudit: audit.rows[0].n };
}

const judgment = {
  kind: 'judgment',
  decidedOn: '2026-06-18',
  reference: '(2026)湘0102民初321号',
  amountAwardedFen: 1180000,
  note: '判决用人单位支付拖欠工资',
};

describe('the origin court of a sent case', () => {
  it('records what became of it once it came back, shown on the case to its readers', async () => {
    const id = await courtSentCase();
    const coord = client(env.url, w.coordinator);
    expect(
      (await coord.post(`/api/v1/cases/${id}/failure`, { reason: '调解不成', referTo: 'origin' })).body,
    ).toMatchObject({ status: 'closed', closureReason: 'returned_to_origin' });

    const before = await counts(env);
    const res = await client(env.url, w.liaison).post(`/api/v1/cases/${id}/agency-outcomes`, judgment, {
      headers: { 'idempotency-key': 'outcome-key-0001' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      caseId: id,
      organisationId: w.courtId,
      organisationName: '长沙市芙蓉区人民法院',
      kind: 'judgment',
      decidedOn: '2026-06-18',
      reference: '(2026)湘0102民初321号',
      amountAwardedFen: 1180000,
      note: '判决用人单位支付拖欠工资',
      recordedBy: await userIdOf(env, w.liaison),
      createdAt: expect.any(String),
    });
    // Not a lifecycle action: no case event, no version change; the audit log has it.
    expect(await counts(env)).toEqual(before);
    expect(await auditRows(env, 'agency_outcome_recorded', id)).toEqual([
      expect.objectContaining({
        detail: { outcomeId: res.body.id, kind: 'judgment', organisationId: w.courtId },
      }),
    ]);

    // The same key and body replays the answer; nothing new is written.
    const again = await client(env.url, w.liaison).post(`/api/v1/cases/${id}/agency-outcomes`, judgment, {
      headers: { 'idempotency-key': 'outcome-key-0001' },
    });
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(res.body.id);
    expect(await outcomeRows(id)).toBe(1);

    // A later decision of another kind is a second entry (an appeal, a mediation document after an award…).
    const second = await client(env.url, w.liaison).post(`/api/v1/cases/${id}/agency-outcomes`, {
      kind: 'withdrawal',
      decidedOn: '2026-07-01',
    });
    expect(second.status).toBe(201);
    expect(second.body).toMatchObject({
      kind: 'withdrawal',
      reference: null,
      amountAwardedFen: null,
      note: null,
    });

    for (const token of [w.coordinator, w.liaison]) {
      const c = await client(env.url, token).get(`/api/v1/cases/${id}`);
      expect(c.status).toBe(200);
      expect(c.body.agencyOutcomes.map((o: any) => [o.kind, o.organisationId, o.amountAwardedFen])).toEqual([
        ['judgment', w.courtId, 1180000],
        ['withdrawal', w.courtId, null],
      ]);
    }
  });

  it('is refused while the case is still in mediation (409), writing nothing', async () => {
    const id = await courtSentCase();
    const before = await everything();
    const res = await client(env.url, w.liaison).post(`/api/v1/cases/${id}/agency-outcomes`, judgment);
    expectProblem(res, 409, 'INVALID_TRANSITION');
    expect(await everything()).toEqual(before);
    expect((await client(env.url, w.coordinator).get(`/api/v1/cases/${id}`)).body.agencyOutcomes).toEqual([]);
  });
});

describe('the arbitration commission', () => {
  it('records an award on a failure referred to it (its agency user, the committee’s partner)', async () => {
    const id = await failedWalkIn('arbitration');
    const res = await client(env.url, w.observer).post(`/api/v1/cases/${id}/agency-outcomes`, {
      kind: 'arbitration_award',
      decidedOn: '2026-05-06',
      reference: '长劳人仲案字〔2026〕第88号',
      amountAwardedFen: 1250000,
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ organisationId: w.arbitrationId, kind: 'arbitration_award' });
    const c = await client(env.url, w.coordinator).get(`/api/v1/cases/${id}`);
    expect(c.body.agencyOutcomes).toEqual([
      expect.objectContaining({ id: res.body.id, amountAwardedFen: 1250000 }),
    ]);
  });

  it('answers 404 for a case it never received (failed without referral to arbitration), writing nothing', async () => {
    const id = await failedWalkIn('none');
    const before = await everything();
    expectProblem(
      await client(env.url, w.observer).post(`/api/v1/cases/${id}/agency-outcomes`, judgment),
      404,
      'NOT_FOUND',
    );
    expect(await everything()).toEqual(before);
  });
});

describe('the court of a referral', () => {
  it('records the outcome for the case referred to it', async () => {
    const id = await failedWalkIn('none');
    // A referral addressed to the other court, entered as a past fact.
    await env.db.query(
      `INSERT INTO referrals (case_id, committee_id, kind, status, court_id, court_competent, packet)
       VALUES ($1, $2, 'payment_order', 'order_issued', $3, true, '{}')`,
      [id, w.committeeId, w.otherCourtId],
    );
    const res = await client(env.url, w.otherLiaison).post(`/api/v1/cases/${id}/agency-outcomes`, {
      kind: 'court_mediation',
      decidedOn: '2026-04-01',
      reference: '(2026)湘0103民督9号',
      amountAwardedFen: 900000,
    });
    expect(res.status).toBe(201);
    expect(res.body.organisationId).toBe(w.otherCourtId);
  });
});

describe('refusals', () => {
  let returned: string;
  beforeAll(async () => {
    returned = await courtSentCase();
    await client(env.url, w.coordinator).post(`/api/v1/cases/${returned}/failure`, {
      reason: '调解不成',
      referTo: 'origin',
    });
  });

  it.each([
    ['an unknown kind', { ...judgment, kind: 'verdict' }, ['kind']],
    ['an impossible date', { ...judgment, decidedOn: '2026-02-30' }, ['decidedOn']],
    ['a date in the future', { ...judgment, decidedOn: '2099-01-01' }, ['decidedOn']],
    ['a date before the application', { ...judgment, decidedOn: '2026-03-01' }, ['decidedOn']],
    ['a fractional amount', { ...judgment, amountAwardedFen: 12.5 }, ['amountAwardedFen']],
    [
      'an amount on a withdrawal',
      { kind: 'withdrawal', decidedOn: '2026-06-01', amountAwardedFen: 1 },
      ['amountAwardedFen'],
    ],
    ['an unknown field', { ...judgment, caseStatus: 'closed' }, ['caseStatus']],
    ['no kind and no date', {}, ['decidedOn', 'kind']],
  ])('%s: 400 naming the field, nothing written', async (_what, body, fields) => {
    const before = await everything();
    const res = await client(env.url, w.liaison).post(`/api/v1/cases/${returned}/agency-outcomes`, body);
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(fieldsOf(res)).toEqual(fields);
    expect(await everything()).toEqual(before);
  });

  it('a court that never received the case: 404, like any case out of scope', async () => {
    const before = await everything();
    expectProblem(
      await client(env.url, w.otherLiaison).post(`/api/v1/cases/${returned}/agency-outcomes`, judgment),
      404,
      'NOT_FOUND',
    );
    expect(await everything()).toEqual(before);
  });

  it('committee staff and admins never use the route (403); an unknown or malformed id is 404', async () => {
    for (const token of [w.coordinator, w.mediator, w.admin]) {
      expectProblem(
        await client(env.url, token).post(`/api/v1/cases/${returned}/agency-outcomes`, judgment),
        403,
        'FORBIDDEN',
      );
    }
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      expectProblem(
        await client(env.url, w.liaison).post(`/api/v1/cases/${id}/agency-outcomes`, judgment),
        404,
        'NOT_FOUND',
      );
    }
    expect(await outcomeRows(returned)).toBe(0);
  });
});
