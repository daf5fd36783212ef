/**
 * SPEC §3 visibility and §4 personal data: 403 for an action a role may not take on a case it sees, 404 for a
 * case out of scope; the admin's audited read; reveals; masked IDs; search; cursor pagination.
 */
import { startApi, TestEnv } from '../support/app';
import { caseBody, counts, residentId, seedWorld, World } from '../support/fixtures';
import { auditRows, expectProblem, userIdOf } from '../support/foundation';
import { client } from '../support/http';

let env: TestEnv;
let w: World;
let adminId: string;

beforeAll(async () => {
  env = await startApi();
  w = await seedWorld(env);
  adminId = await userIdOf(env, w.admin);
});
afterAll(() => env?.close());

const coord = () => client(env.url, w.coordinator);
const mediator = () => client(env.url, w.mediator);
const liaison = () => client(env.url, w.liaison);

async function newCase(over: Record<string, any> = {}, token = w.coordinator) {
  const r = await client(env.url, token).post('/api/v1/cases', caseBody(over));
  expect(r.status).toBe(201);
  return r.body as { id: string; caseNo: string; worker: { idNumber: string } };
}

async function courtSent(over: Record<string, any> = {}) {
  return newCase(
    {
      source: 'court_delegated',
      committeeId: w.committeeId,
      originReference: '(2026)湘0102民诉前调7号',
      ...over,
    },
    w.liaison,
  );
}

async function accepted(id: string) {
  expect((await coord().post(`/api/v1/cases/${id}/accept`, {})).status).toBe(200);
}

async function assigned(id: string, mediatorId: string) {
  await accepted(id);
  expect((await coord().post(`/api/v1/cases/${id}/assign`, { mediatorId })).status).toBe(200);
}

const ids = (r: { body: { items: Array<{ id: string }> } }) => r.body.items.map((i) => i.id);

describe('403 for the wrong role, 404 out of scope, nothing written', () => {
  it('a mediator may see a submitted case but not accept it', async () => {
    const c = await newCase();
    expect((await mediator().get(`/api/v1/cases/${c.id}`)).status).toBe(200);
    const before = await counts(env);
    expectProblem(await mediator().post(`/api/v1/cases/${c.id}/accept`, {}), 403, 'FORBIDDEN');
    expectProblem(
      await mediator().post(`/api/v1/cases/${c.id}/withdrawal`, { reason: '撤回' }),
      403,
      'FORBIDDEN',
    );
    expect(await counts(env)).toEqual(before);
  });

  it('a court liaison sees the case its court sent but may not reject it', async () => {
    const c = await courtSent();
    const seen = await liaison().get(`/api/v1/cases/${c.id}`);
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({ source: 'court_delegated', originOrganisationId: w.courtId });
    const before = await counts(env);
    expectProblem(
      await liaison().post(`/api/v1/cases/${c.id}/reject`, { reason: '不同意调解' }),
      403,
      'FORBIDDEN',
    );
    expectProblem(await liaison().post(`/api/v1/cases/${c.id}/accept`, {}), 403, 'FORBIDDEN');
    expect(await counts(env)).toEqual(before);
  });

  it('the coordinator of committee B gets 404 reading or acting on committee A’s case', async () => {
    const c = await newCase();
    const other = client(env.url, w.otherCoordinator);
    const before = await counts(env);
    expectProblem(await other.get(`/api/v1/cases/${c.id}`), 404, 'NOT_FOUND');
    expectProblem(await other.get(`/api/v1/cases/${c.id}/events`), 404, 'NOT_FOUND');
    expectProblem(await other.post(`/api/v1/cases/${c.id}/accept`, {}), 404, 'NOT_FOUND');
    expectProblem(
      await other.post(`/api/v1/cases/${c.id}/withdrawal`, { reason: '撤回申请' }),
      404,
      'NOT_FOUND',
    );
    expectProblem(
      await other.patch(`/api/v1/cases/${c.id}`, { reason: '更正', facts: 'x' }),
      404,
      'NOT_FOUND',
    );
    expectProblem(await other.post(`/api/v1/cases/${c.id}/access-code`), 404, 'NOT_FOUND');
    expect(ids(await other.get('/api/v1/cases'))).not.toContain(c.id);
    // A coordinator cannot take a case in for another committee either.
    expectProblem(
      await other.post('/api/v1/cases', caseBody({ committeeId: w.committeeId })),
      403,
      'FORBIDDEN',
    );
    expect(await counts(env)).toEqual(before);
  });

  it('another court’s liaison and an agency observer do not find the case', async () => {
    const c = await courtSent();
    expectProblem(await client(env.url, w.otherLiaison).get(`/api/v1/cases/${c.id}`), 404, 'NOT_FOUND');
    expectProblem(await client(env.url, w.observer).get(`/api/v1/cases/${c.id}`), 404, 'NOT_FOUND');
    expectProblem(await client(env.url, w.observer).get('/api/v1/cases'), 403, 'FORBIDDEN');
  });
});

describe('out of scope is 404 for every action, whatever the role', () => {
  it('corrections and access-code resets by a mediator: 404 for another committee’s case, 403 for one they see', async () => {
    const foreign = await newCase({}, w.otherCoordinator);
    const visible = await newCase();
    const before = await counts(env);
    for (const [id, status, code] of [
      [foreign.id, 404, 'NOT_FOUND'],
      [visible.id, 403, 'FORBIDDEN'],
    ] as const) {
      expectProblem(
        await mediator().patch(`/api/v1/cases/${id}`, { reason: '更正事实', facts: 'x' }),
        status,
        code,
      );
      expectProblem(await mediator().post(`/api/v1/cases/${id}/access-code`), status, code);
      expectProblem(
        await liaison().patch(`/api/v1/cases/${id}`, { reason: '更正事实', facts: 'x' }),
        404,
        'NOT_FOUND',
      );
    }
    expect(await counts(env)).toEqual(before);
    const reset = await env.db.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'access_code_reset'`,
    );
    expect(reset.rows[0].n).toBe(0);
  });
});

describe('the admin’s audited read', () => {
  it('reads one case, with an audit row each time, but may not list or act', async () => {
    const c = await newCase();
    const admin = client(env.url, w.admin);
    const r = await admin.get(`/api/v1/cases/${c.id}`);
    expect(r.status).toBe(200);
    expect(r.body.worker.idNumber).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
    const rows = await auditRows(env, 'admin_case_read', c.id);
    expect(rows).toHaveLength(1);
    expect(rows[0].user_id).toBe(adminId);
    expectProblem(await admin.get('/api/v1/cases'), 403, 'FORBIDDEN');
    expectProblem(await admin.post(`/api/v1/cases/${c.id}/accept`, {}), 403, 'FORBIDDEN');
    // A coordinator's ordinary read is not an audited event.
    await coord().get(`/api/v1/cases/${c.id}`);
    expect(await auditRows(env, 'admin_case_read', c.id)).toHaveLength(1);
    // The case's history is case content too: the admin's read of it is audited.
    const events = await admin.get(`/api/v1/cases/${c.id}/events`);
    expect(events.status).toBe(200);
    const after = await auditRows(env, 'admin_case_read', c.id);
    expect(after).toHaveLength(2);
    expect(after[1]).toMatchObject({ user_id: adminId, detail: { part: 'events' } });
  });
});

describe('ID numbers: masked everywhere, revealed with an audit row, searchable by exact match', () => {
  const id = residentId('430102', '19850615', 777);
  const masked = `430102********${id.slice(-4)}`;
  let caseId: string;

  beforeAll(async () => {
    caseId = (await newCase({ worker: { ...caseBody().worker, name: '赵大海', idNumber: id } })).id;
  });

  it('masks the ID in the case, the list and the intake answer, and stores it only encrypted', async () => {
    const read = await coord().get(`/api/v1/cases/${caseId}`);
    expect(read.body.worker.idNumber).toBe(masked);
    expect(JSON.stringify(read.body)).not.toContain(id);
    const list = await coord().get('/api/v1/cases?limit=200');
    const item = list.body.items.find((i: { id: string }) => i.id === caseId);
    expect(item.workerIdNumber).toBe(masked);
    expect(JSON.stringify(list.body)).not.toContain(id);
    for (const i of list.body.items) expect(i.workerIdNumber).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
    const stored = await env.db.query(`SELECT row_to_json(c)::text AS t FROM cases c WHERE id = $1`, [
      caseId,
    ]);
    expect(stored.rows[0].t).not.toContain(id);
  });

  it('reveals the full ID to a coordinator and to an admin, each with an audit row', async () => {
    const r = await coord().get(`/api/v1/cases/${caseId}?reveal=idNumber`);
    expect(r.status).toBe(200);
    expect(r.body.worker.idNumber).toBe(id);
    expect(await auditRows(env, 'reveal_id_number', caseId)).toHaveLength(1);
    const a = await client(env.url, w.admin).get(`/api/v1/cases/${caseId}?reveal=idNumber`);
    expect(a.body.worker.idNumber).toBe(id);
    expect(await auditRows(env, 'reveal_id_number', caseId)).toHaveLength(2);
  });

  it('refuses a reveal to a mediator and a court liaison, and audits nothing', async () => {
    const before = (await auditRows(env, 'reveal_id_number', caseId)).length;
    expectProblem(await mediator().get(`/api/v1/cases/${caseId}?reveal=idNumber`), 403, 'FORBIDDEN');
    const sent = await courtSent();
    expectProblem(await liaison().get(`/api/v1/cases/${sent.id}?reveal=idNumber`), 403, 'FORBIDDEN');
    expect(await auditRows(env, 'reveal_id_number', caseId)).toHaveLength(before);
    expect(await auditRows(env, 'reveal_id_number', sent.id)).toHaveLength(0);
    expectProblem(await coord().get(`/api/v1/cases/${caseId}?reveal=phone`), 400, 'VALIDATION_FAILED');
  });

  it('finds the case by the exact ID (any letter case, spaces ignored), and nothing by a near miss', async () => {
    expect(ids(await coord().get(`/api/v1/cases?idNumber=${id}`))).toEqual([caseId]);
    expect(ids(await coord().get(`/api/v1/cases?idNumber=${encodeURIComponent(` ${id} `)}`))).toEqual([
      caseId,
    ]);
    expect(ids(await coord().get(`/api/v1/cases?idNumber=${id.slice(0, 17)}`))).toEqual([]);
    expect(ids(await coord().get(`/api/v1/cases?q=${id}`))).toEqual([]);
    // Scope still applies: another committee finds nothing by the same ID.
    expect(ids(await client(env.url, w.otherCoordinator).get(`/api/v1/cases?idNumber=${id}`))).toEqual([]);
  });
});

describe('search and filters', () => {
  it('finds by case number and by worker or employer name', async () => {
    const a = await newCase({ worker: { ...caseBody().worker, name: '欧阳春花' } });
    const b = await newCase({ employer: { ...caseBody().employer, name: '湘江100%建材有限公司' } });
    expect(ids(await coord().get(`/api/v1/cases?q=${a.caseNo}`))).toEqual([a.id]);
    expect(ids(await coord().get(`/api/v1/cases?q=${a.caseNo.toLowerCase()}`))).toEqual([a.id]);
    expect(ids(await coord().get(`/api/v1/cases?q=${encodeURIComponent('欧阳')}`))).toEqual([a.id]);
    expect(ids(await coord().get(`/api/v1/cases?q=${encodeURIComponent('100%建材')}`))).toEqual([b.id]);
    // `%` and `_` are literal, not wildcards.
    expect(ids(await coord().get(`/api/v1/cases?q=${encodeURIComponent('%')}`))).toEqual([b.id]);
    expect(ids(await coord().get(`/api/v1/cases?q=${encodeURIComponent('欧_春')}`))).toEqual([]);
  });

  it('filters by status, source and mediator', async () => {
    const c = await newCase();
    await assigned(c.id, w.mediatorId);
    const byMediator = await coord().get(`/api/v1/cases?mediatorId=${w.mediatorId}`);
    expect(ids(byMediator)).toContain(c.id);
    expect(byMediator.body.items.every((i: { mediatorId: string }) => i.mediatorId === w.mediatorId)).toBe(
      true,
    );
    const inMediation = await coord().get('/api/v1/cases?status=in_mediation');
    expect(inMediation.body.items.every((i: { status: string }) => i.status === 'in_mediation')).toBe(true);
    expect(ids(inMediation)).toContain(c.id);
    const sent = await courtSent();
    const bySource = await coord().get('/api/v1/cases?source=court_delegated');
    expect(ids(bySource)).toContain(sent.id);
    expect(bySource.body.items.every((i: { source: string }) => i.source === 'court_delegated')).toBe(true);
  });
});

describe('cursor pagination', () => {
  it('pages newest first with limit=2, following nextCursor to null, without repeats or gaps', async () => {
    for (let i = 0; i < 5; i++) await newCase();
    const seen: Array<{ id: string; createdAt: string }> = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: {
        status: number;
        body: { items: Array<{ id: string; createdAt: string }>; nextCursor: string | null };
      } = await coord().get(`/api/v1/cases?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items);
      cursor = page.body.nextCursor;
      pages += 1;
    } while (cursor && pages < 500);
    const all = await env.db.query(
      `SELECT id FROM cases WHERE committee_id = $1 ORDER BY created_at DESC, id DESC`,
      [w.committeeId],
    );
    expect(seen.map((i) => i.id)).toEqual(all.rows.map((r) => r.id));
    expect(new Set(seen.map((i) => i.id)).size).toBe(seen.length);
    const times = seen.map((i) => Date.parse(i.createdAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it('does not skip cases created within the same millisecond', async () => {
    const other = client(env.url, w.otherCoordinator);
    const made: string[] = [];
    for (let i = 0; i < 6; i++) made.push((await newCase({}, w.otherCoordinator)).id);
    // Six cases in one millisecond, microseconds apart (as concurrent intakes can be).
    await env.db.query(
      `UPDATE cases SET created_at = '2026-03-02T02:00:00.123Z'::timestamptz + (x.n || ' microseconds')::interval
         FROM unnest($1::uuid[]) WITH ORDINALITY AS x(id, n) WHERE cases.id = x.id`,
      [made],
    );
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { body: { items: Array<{ id: string }>; nextCursor: string | null } } = await other.get(
        `/api/v1/cases?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...page.body.items.map((i) => i.id));
      cursor = page.body.nextCursor;
      pages += 1;
    } while (cursor && pages < 50);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((id) => made.includes(id))).toEqual([...made].reverse());
  });
});

describe('what a mediator and a court liaison see', () => {
  it('a mediator sees their own cases and the committee’s unassigned submitted or accepted ones only', async () => {
    const own = await newCase();
    await assigned(own.id, w.mediatorId);
    const colleagues = await newCase();
    await assigned(colleagues.id, w.unrosteredMediatorId);
    const submitted = await newCase();
    const acceptedOnly = await newCase();
    await accepted(acceptedOnly.id);
    const closedUnassigned = await newCase();
    await coord().post(`/api/v1/cases/${closedUnassigned.id}/withdrawal`, { reason: '劳动者撤回' });
    const otherCommittee = await newCase({}, w.otherCoordinator);

    const list = ids(await mediator().get('/api/v1/cases?limit=200'));
    expect(list).toEqual(expect.arrayContaining([own.id, submitted.id, acceptedOnly.id]));
    for (const hidden of [colleagues.id, closedUnassigned.id, otherCommittee.id]) {
      expect(list).not.toContain(hidden);
      expectProblem(await mediator().get(`/api/v1/cases/${hidden}`), 404, 'NOT_FOUND');
    }
    expect((await mediator().get(`/api/v1/cases/${own.id}`)).status).toBe(200);
    expect((await mediator().get(`/api/v1/cases/${own.id}/events`)).status).toBe(200);
    // Unassigned cases are read-only for them.
    expectProblem(
      await mediator().post(`/api/v1/cases/${acceptedOnly.id}/failure`, {
        reason: '无法调解',
        referTo: 'arbitration',
      }),
      403,
      'FORBIDDEN',
    );
    // Their colleague's assigned case is not even found when they try to act on it.
    expectProblem(
      await mediator().post(`/api/v1/cases/${colleagues.id}/failure`, {
        reason: '无法调解',
        referTo: 'arbitration',
      }),
      404,
      'NOT_FOUND',
    );
  });

  it('a court liaison sees only the cases its court sent', async () => {
    const sent = await courtSent();
    const walkIn = await newCase();
    const list = await liaison().get('/api/v1/cases?limit=200');
    expect(ids(list)).toContain(sent.id);
    expect(list.body.items.every((i: { source: string }) => i.source === 'court_delegated')).toBe(true);
    const originIds = await env.db.query(
      `SELECT DISTINCT origin_organisation_id AS o FROM cases WHERE id = ANY($1)`,
      [ids(list)],
    );
    expect(originIds.rows).toEqual([{ o: w.courtId }]);
    expectProblem(await liaison().get(`/api/v1/cases/${walkIn.id}`), 404, 'NOT_FOUND');
    expect(ids(await client(env.url, w.otherLiaison).get('/api/v1/cases'))).toEqual([]);
  });
});
