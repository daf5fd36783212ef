/**
 * SPEC §4–§5 intake: gapless case numbers under concurrency, duplicate open cases, court-sent intake by a
 * court liaison, and what an intake writes.
 */
import { startApi, TestEnv } from '../support/app';
import { caseBody, counts, creditCode, seedWorld, World } from '../support/fixtures';
import { auditRows, caseEvents, expectProblem, fieldsOf, freshWorkerId } from '../support/foundation';
import { client } from '../support/http';

let env: TestEnv;
let w: World;

beforeAll(async () => {
  env = await startApi();
  w = await seedWorld(env);
});
afterAll(() => env?.close());

const coord = () => client(env.url, w.coordinator);
const liaison = () => client(env.url, w.liaison);
function courtSent(over: Record<string, any> = {}) {
  return caseBody({
    source: 'court_delegated',
    committeeId: w.committeeId,
    originReference: '(2026)湘0102民诉前调5号',
    ...over,
  });
}

describe('case numbers', () => {
  it('numbers ten simultaneous intakes 1..10, each exactly once, with nothing skipped after refusals', async () => {
    // Committee B's first cases this year: all ten at once, distinct workers.
    const other = client(env.url, w.otherCoordinator);
    const results = await Promise.all(
      Array.from({ length: 10 }, () => other.post('/api/v1/cases', caseBody())),
    );
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(201));
    const numbers = results.map((r) => r.body.caseNo as string).sort();
    expect(numbers).toEqual(
      Array.from({ length: 10 }, (_, i) => `ZZZGH-2026-${String(i + 1).padStart(5, '0')}`),
    );
    // Refused intakes (bad input, a duplicate) use no number: the next one is 11.
    const dupBody = caseBody();
    expect((await other.post('/api/v1/cases', dupBody)).body.caseNo).toBe('ZZZGH-2026-00011');
    expectProblem(await other.post('/api/v1/cases', dupBody), 409, 'DUPLICATE_OPEN_CASE');
    expectProblem(await other.post('/api/v1/cases', { ...caseBody(), foo: 1 }), 400, 'VALIDATION_FAILED');
    expect((await other.post('/api/v1/cases', caseBody())).body.caseNo).toBe('ZZZGH-2026-00012');
    const counter = await env.db.query(
      `SELECT year, last_seq FROM case_number_counters WHERE committee_id = $1`,
      [w.otherCommitteeId],
    );
    expect(counter.rows).toEqual([{ year: 2026, last_seq: 12 }]);
  });

  it('numbers by the year the application was received (Asia/Shanghai), per committee', async () => {
    const newYear = await coord().post(
      '/api/v1/cases',
      caseBody({ applicationReceivedAt: '2025-12-31T16:30:00Z' /* 2026-01-01 00:30 in Beijing */ }),
    );
    expect(newYear.body.caseNo).toMatch(/^CSZGH-2026-\d{5}$/);
    const lastYear = await coord().post(
      '/api/v1/cases',
      caseBody({ applicationReceivedAt: '2025-12-31T15:30:00Z' }),
    );
    expect(lastYear.body.caseNo).toBe('CSZGH-2025-00001');
  });
});

describe('what an intake writes', () => {
  it('a case, its claims, an intake event, an audit row; the answer carries number, access code and version 1', async () => {
    const body = caseBody({
      claims: [
        { type: 'wage_arrears', amountFen: 1250000, description: '工资' },
        { type: 'economic_compensation', amountFen: 0 },
      ],
    });
    const before = await counts(env);
    const r = await coord().post('/api/v1/cases', body);
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      status: 'submitted',
      version: 1,
      source: 'walk_in',
      committeeId: w.committeeId,
      claimedTotalFen: 1250000,
      applicationReceivedAt: '2026-03-02T02:00:00.000Z',
      accessCode: expect.stringMatching(/^[0-9A-HJKMNP-TV-Z]{8}$/),
    });
    const after = await counts(env);
    expect(after).toMatchObject({
      cases: before.cases + 1,
      claims: before.claims + 2,
      events: before.events + 1,
      numbers: before.numbers + 1,
    });
    expect(await caseEvents(env, r.body.id)).toEqual([
      expect.objectContaining({ action: 'intake', from_status: null, to_status: 'submitted' }),
    ]);
    expect(await auditRows(env, 'case_intake', r.body.id)).toHaveLength(1);
    // The access code is kept only as a keyed hash.
    const stored = await env.db.query(`SELECT row_to_json(c)::text AS t FROM cases c WHERE id = $1`, [
      r.body.id,
    ]);
    expect(stored.rows[0].t).not.toContain(r.body.accessCode);
    // Its GET answer does not carry the access code again.
    expect((await coord().get(`/api/v1/cases/${r.body.id}`)).body.accessCode).toBeUndefined();
  });

  it('defaults applicationReceivedAt to now', async () => {
    const body = caseBody();
    delete body.applicationReceivedAt;
    const r = await coord().post('/api/v1/cases', body);
    expect(r.status).toBe(201);
    expect(Math.abs(Date.parse(r.body.applicationReceivedAt) - Date.now())).toBeLessThan(60_000);
  });
});

describe('court-sent intake by a court liaison', () => {
  it('sends a case to a partner committee with its origin reference', async () => {
    const r = await liaison().post('/api/v1/cases', courtSent());
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      source: 'court_delegated',
      committeeId: w.committeeId,
      originOrganisationId: w.courtId,
      originReference: '(2026)湘0102民诉前调5号',
      caseNo: expect.stringMatching(/^CSZGH-2026-/),
    });
    const entrusted = await liaison().post(
      '/api/v1/cases',
      courtSent({
        source: 'court_entrusted',
        procedure: 'simplified',
        originReference: '(2026)湘0102民初9号',
      }),
    );
    expect(entrusted.status).toBe(201);
    expect(entrusted.body).toMatchObject({ source: 'court_entrusted', procedure: 'simplified' });
  });

  it.each([
    ['a committee that does not work with the court', { committeeId: 'OTHER' }, ['committeeId']],
    ['no committee', { committeeId: undefined }, ['committeeId']],
    ['a walk-in source', { source: 'walk_in', originReference: undefined }, ['source']],
    ['no origin reference', { originReference: undefined }, ['originReference']],
    ['another court as origin', { originOrganisationId: 'OTHER_COURT' }, ['originOrganisationId']],
    ['an entrusted case without its procedure', { source: 'court_entrusted' }, ['procedure']],
  ])('refuses %s, naming the field and writing nothing', async (_name, over, fields) => {
    const body = courtSent();
    for (const [k, v] of Object.entries(over)) {
      if (v === undefined) delete body[k];
      else body[k] = v === 'OTHER' ? w.otherCommitteeId : v === 'OTHER_COURT' ? w.otherCourtId : v;
    }
    const before = await counts(env);
    const r = await liaison().post('/api/v1/cases', body);
    expectProblem(r, 400, 'VALIDATION_FAILED');
    expect(fieldsOf(r)).toEqual(expect.arrayContaining(fields));
    expect(await counts(env)).toEqual(before);
  });

  it('refuses intake by roles that take no cases in', async () => {
    const before = await counts(env);
    for (const token of [w.mediator, w.observer, w.admin]) {
      expectProblem(await client(env.url, token).post('/api/v1/cases', caseBody()), 403, 'FORBIDDEN');
    }
    expect(await counts(env)).toEqual(before);
  });
});

describe('duplicate open cases', () => {
  it('409 DUPLICATE_OPEN_CASE with the case number for the coordinator, without it for a liaison who cannot see it', async () => {
    const body = caseBody();
    const first = await coord().post('/api/v1/cases', body);
    expect(first.status).toBe(201);
    const before = await counts(env);
    const dup = await coord().post('/api/v1/cases', {
      ...caseBody(),
      worker: body.worker,
      employer: body.employer,
    });
    expectProblem(dup, 409, 'DUPLICATE_OPEN_CASE');
    expect(dup.body.existingCaseNo).toBe(first.body.caseNo);

    const sent = await liaison().post(
      '/api/v1/cases',
      courtSent({ worker: body.worker, employer: body.employer }),
    );
    expectProblem(sent, 409, 'DUPLICATE_OPEN_CASE');
    expect(sent.body.existingCaseNo).toBeUndefined();
    expect(sent.body.existingCaseId).toBeUndefined();
    expect(JSON.stringify(sent.body)).not.toContain(first.body.caseNo);
    expect(JSON.stringify(sent.body)).not.toContain(first.body.id);
    // A liaison may not confirm a separate dispute.
    const liaisonSeparate = await liaison().post(
      '/api/v1/cases',
      courtSent({ worker: body.worker, employer: body.employer, separateDispute: true }),
    );
    expectProblem(liaisonSeparate, 409, 'DUPLICATE_OPEN_CASE');
    expect(await counts(env)).toEqual(before);
  });

  it('names the existing case to a liaison whose court sent it', async () => {
    const body = courtSent();
    const first = await liaison().post('/api/v1/cases', body);
    const dup = await liaison().post('/api/v1/cases', courtSent({ worker: body.worker }));
    expectProblem(dup, 409, 'DUPLICATE_OPEN_CASE');
    expect(dup.body.existingCaseNo).toBe(first.body.caseNo);
  });

  it('takes a separate dispute confirmed by the coordinator', async () => {
    const body = caseBody();
    const first = await coord().post('/api/v1/cases', body);
    const second = await coord().post('/api/v1/cases', { ...body, separateDispute: true });
    expect(second.status).toBe(201);
    expect(second.body.separateDispute).toBe(true);
    expect(second.body.caseNo).not.toBe(first.body.caseNo);
    const [intake] = await caseEvents(env, second.body.id);
    expect(intake.payload).toMatchObject({ separateDisputeFrom: first.body.caseNo });
  });

  it('matches the same person whatever the letter case or spacing of the ID', async () => {
    let id = freshWorkerId();
    while (!id.endsWith('X')) id = freshWorkerId();
    const body = caseBody({ worker: { ...caseBody().worker, idNumber: id } });
    expect((await coord().post('/api/v1/cases', body)).status).toBe(201);
    const variant = { ...body, worker: { ...body.worker, idNumber: ` ${id.slice(0, 17)}x ` } };
    expectProblem(await coord().post('/api/v1/cases', variant), 409, 'DUPLICATE_OPEN_CASE');
  });

  it('another employer is another dispute', async () => {
    const body = caseBody();
    expect((await coord().post('/api/v1/cases', body)).status).toBe(201);
    const other = { ...body, employer: { ...body.employer, creditCode: creditCode('430102', 4242) } };
    expect((await coord().post('/api/v1/cases', other)).status).toBe(201);
  });

  it('takes a new intake once the first case is closed', async () => {
    const body = caseBody();
    const first = await coord().post('/api/v1/cases', body);
    await coord().post(`/api/v1/cases/${first.body.id}/reject`, { reason: '不属于受理范围' });
    const again = await coord().post('/api/v1/cases', body);
    expect(again.status).toBe(201);
    expect(again.body.separateDispute).toBe(false);
  });

  it('lets only one of two simultaneous intakes of one dispute through', async () => {
    const body = caseBody();
    const results = await Promise.all([
      coord().post('/api/v1/cases', body),
      coord().post('/api/v1/cases', body),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    const rows = await env.db.query(
      `SELECT count(*)::int AS n FROM cases WHERE worker_id_index = (
      SELECT worker_id_index FROM cases WHERE id = $1)`,
      [results.find((r) => r.status === 201)!.body.id],
    );
    expect(rows.rows[0].n).toBe(1);
  });
});
