import { startApi, TestEnv } from '../support/app';
import { caseBody, counts, residentId, seedWorld, World } from '../support/fixtures';
import { client } from '../support/http';

let env: TestEnv;
let w: World;

beforeAll(async () => {
  env = await startApi();
  w = await seedWorld(env);
});
afterAll(() => env?.close());

const coord = () => client(env.url, w.coordinator);

async function newCase(over: Record<string, unknown> = {}) {
  const r = await coord().post('/api/v1/cases', caseBody(over));
  expect(r.status).toBe(201);
  return r.body as { id: string; caseNo: string; version: number };
}

async function courtSentCase() {
  const r = await client(env.url, w.liaison).post(
    '/api/v1/cases',
    caseBody({
      source: 'court_delegated',
      committeeId: w.committeeId,
      originReference: '(2026)湘0102民诉前调1号',
    }),
  );
  expect(r.status).toBe(201);
  return r.body as { id: string; caseNo: string };
}

async function events(id: string) {
  const r = await env.db.query(
    `SELECT action, from_status, to_status, closure_reason FROM case_events WHERE case_id = $1 ORDER BY id`,
    [id],
  );
  return r.rows;
}

describe('the SPEC §5 paths', () => {
  it('intake → accept → assign, one event each, version growing by one', async () => {
    const c = await newCase();
    expect(c.version).toBe(1);
    const a = await coord().post(`/api/v1/cases/${c.id}/accept`, {});
    expect(a.body).toMatchObject({ status: 'accepted', version: 2 });
    const s = await coord().post(`/api/v1/cases/${c.id}/assign`, { mediatorId: w.mediatorId });
    expect(s.body).toMatchObject({ status: 'in_mediation', version: 3, mediatorId: w.mediatorId });
    expect((await events(c.id)).map((e) => e.action)).toEqual(['intake', 'accept', 'assign']);
  });

  it('reject, and reject because the employer refused mediation', async () => {
    const c1 = await newCase();
    const r1 = await coord().post(`/api/v1/cases/${c1.id}/reject`, { reason: '不属于受理范围' });
    expect(r1.body).toMatchObject({ status: 'closed', closureReason: 'rejected' });
    const c2 = await newCase();
    const r2 = await coord().post(`/api/v1/cases/${c2.id}/reject`, {
      reason: '用人单位不同意调解',
      respondentRefused: true,
    });
    expect(r2.body).toMatchObject({ status: 'closed', closureReason: 'respondent_refused' });
  });

  it('fails a walk-in case as mediation_failed and a court-sent one as returned_to_origin', async () => {
    const walkIn = await newCase();
    await coord().post(`/api/v1/cases/${walkIn.id}/accept`, {});
    await coord().post(`/api/v1/cases/${walkIn.id}/assign`, { mediatorId: w.mediatorId });
    const f1 = await client(env.url, w.mediator).post(`/api/v1/cases/${walkIn.id}/failure`, {
      reason: '双方分歧较大',
      referTo: 'arbitration',
    });
    expect(f1.status).toBe(200);
    expect(f1.body).toMatchObject({ status: 'closed', closureReason: 'mediation_failed' });

    const sent = await courtSentCase();
    await coord().post(`/api/v1/cases/${sent.id}/accept`, {});
    await coord().post(`/api/v1/cases/${sent.id}/assign`, { mediatorId: w.mediatorId });
    const f2 = await coord().post(`/api/v1/cases/${sent.id}/failure`, {
      reason: '未达成协议',
      referTo: 'origin',
    });
    expect(f2.body).toMatchObject({ status: 'closed', closureReason: 'returned_to_origin' });
    // The origin court's liaison sees the outcome of the case it sent.
    const seen = await client(env.url, w.liaison).get(`/api/v1/cases/${sent.id}`);
    expect(seen.body.closureReason).toBe('returned_to_origin');
  });

  it('withdraws an open case at the worker’s request', async () => {
    const c = await newCase();
    const r = await coord().post(`/api/v1/cases/${c.id}/withdrawal`, { reason: '劳动者撤回申请' });
    expect(r.body).toMatchObject({ status: 'closed', closureReason: 'withdrawn' });
  });

  it.each([
    ['accept twice', async (id: string) => coord().post(`/api/v1/cases/${id}/accept`, {}), 'accepted'],
    [
      'reject an accepted case',
      async (id: string) => coord().post(`/api/v1/cases/${id}/reject`, { reason: '理由理由' }),
      'accepted',
    ],
  ])('%s → 409 INVALID_TRANSITION naming the status', async (_name, act, status) => {
    const c = await newCase();
    await coord().post(`/api/v1/cases/${c.id}/accept`, {});
    const before = await counts(env);
    const r = await act(c.id);
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ code: 'INVALID_TRANSITION', currentStatus: status });
    expect(r.body.detail).toContain(status);
    expect(await counts(env)).toEqual(before);
  });

  it('refuses every action on a closed case and assigning a submitted one', async () => {
    const c = await newCase();
    const assign = await coord().post(`/api/v1/cases/${c.id}/assign`, { mediatorId: w.mediatorId });
    expect(assign.body).toMatchObject({ code: 'INVALID_TRANSITION', currentStatus: 'submitted' });
    await coord().post(`/api/v1/cases/${c.id}/withdrawal`, { reason: '撤回申请' });
    for (const [path, body] of [
      ['accept', {}],
      ['reject', { reason: '理由理由' }],
      ['withdrawal', { reason: '理由理由' }],
      ['failure', { reason: '理由理由', referTo: 'none' }],
    ] as const) {
      const r = await coord().post(`/api/v1/cases/${c.id}/${path}`, body);
      expect(r.status).toBe(409);
      expect(r.body).toMatchObject({ code: 'INVALID_TRANSITION', currentStatus: 'closed' });
    }
  });
});

describe('concurrency and versions', () => {
  it('serialises 20 simultaneous accepts: one succeeds, 19 answer INVALID_TRANSITION, one event', async () => {
    const c = await newCase();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => coord().post(`/api/v1/cases/${c.id}/accept`, {})),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.code === 'INVALID_TRANSITION')).toBe(
      true,
    );
    expect((await events(c.id)).filter((e) => e.action === 'accept')).toHaveLength(1);
  });

  it('answers 409 STALE_VERSION for an old If-Match and accepts the current one', async () => {
    const c = await newCase();
    const stale = await coord().post(`/api/v1/cases/${c.id}/accept`, {}, { headers: { 'if-match': '7' } });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: 'STALE_VERSION', currentVersion: 1 });
    const ok = await coord().post(`/api/v1/cases/${c.id}/accept`, {}, { headers: { 'if-match': '"1"' } });
    expect(ok.status).toBe(200);
    expect(ok.body.version).toBe(2);
  });

  it('numbers ten simultaneous intakes 1..10 without a gap or a repeat', async () => {
    const other = client(env.url, w.otherCoordinator);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => other.post('/api/v1/cases', caseBody({}, 5000 + i))),
    );
    expect(results.map((r) => [r.status, r.body.code])).toEqual(
      Array.from({ length: 10 }, () => [201, undefined]),
    );
    const numbers = results.map((r) => r.body.caseNo as string).sort();
    expect(numbers).toEqual(
      Array.from({ length: 10 }, (_, i) => `ZZZGH-2026-${String(i + 1).padStart(5, '0')}`),
    );
  });

  it('keeps events append-only in the database itself', async () => {
    const c = await newCase();
    await expect(
      env.db.query(`UPDATE case_events SET reason = 'x' WHERE case_id = $1`, [c.id]),
    ).rejects.toThrow(/append-only/);
    await expect(env.db.query(`DELETE FROM case_events WHERE case_id = $1`, [c.id])).rejects.toThrow(
      /append-only/,
    );
    expect(await events(c.id)).toHaveLength(1);
  });
});

describe('scope and roles', () => {
  it('403 for an action the role may not take, 404 for another committee’s case', async () => {
    const c = await newCase();
    const byMediator = await client(env.url, w.mediator).post(`/api/v1/cases/${c.id}/accept`, {});
    expect(byMediator.status).toBe(403);
    expect(byMediator.body.code).toBe('FORBIDDEN');
    const other = client(env.url, w.otherCoordinator);
    expect((await other.get(`/api/v1/cases/${c.id}`)).status).toBe(404);
    const act = await other.post(`/api/v1/cases/${c.id}/accept`, {});
    expect(act.status).toBe(404);
    expect(act.body.code).toBe('NOT_FOUND');
    expect((await client(env.url, w.otherLiaison).get(`/api/v1/cases/${c.id}`)).status).toBe(404);
    expect((await client(env.url, w.observer).get(`/api/v1/cases/${c.id}`)).status).toBe(404);
  });

  it('lets a court liaison see its own court’s cases but not reject them', async () => {
    const sent = await courtSentCase();
    const liaison = client(env.url, w.liaison);
    expect((await liaison.get(`/api/v1/cases/${sent.id}`)).status).toBe(200);
    const r = await liaison.post(`/api/v1/cases/${sent.id}/reject`, { reason: '理由理由' });
    expect(r.status).toBe(403);
  });

  it('assigns court-sent cases only to rostered mediators, and never across a declared conflict', async () => {
    const sent = await courtSentCase();
    await coord().post(`/api/v1/cases/${sent.id}/accept`, {});
    const r = await coord().post(`/api/v1/cases/${sent.id}/assign`, { mediatorId: w.unrosteredMediatorId });
    expect(r.status).toBe(400);
    expect(r.body.errors).toEqual([expect.objectContaining({ field: 'mediatorId' })]);

    const c = await newCase({ employer: { ...caseBody().employer, creditCode: '91350100M000100Y43' } });
    await coord().post(`/api/v1/cases/${c.id}/accept`, {});
    const declared = await client(env.url, w.unrosteredMediator).post(
      `/api/v1/users/${w.unrosteredMediatorId}/conflicts`,
      {
        creditCode: '91350100M000100Y43',
        note: '曾在该公司任职',
      },
    );
    expect(declared.status).toBe(201);
    const conflict = await coord().post(`/api/v1/cases/${c.id}/assign`, {
      mediatorId: w.unrosteredMediatorId,
    });
    expect(conflict.status).toBe(409);
    expect(conflict.body.code).toBe('CONFLICT_OF_INTEREST');
  });

  it('shows ID numbers masked, reveals them to a coordinator with an audit entry, and finds cases by ID', async () => {
    const id = residentId('430102', '19850615', 777);
    const c = await newCase({ worker: { ...caseBody().worker, idNumber: id } });
    const read = await coord().get(`/api/v1/cases/${c.id}`);
    expect(read.body.worker.idNumber).toBe(`${id.slice(0, 6)}********${id.slice(-4)}`);
    expect(JSON.stringify(read.body)).not.toContain(id);
    const revealed = await coord().get(`/api/v1/cases/${c.id}?reveal=idNumber`);
    expect(revealed.body.worker.idNumber).toBe(id);
    const audit = await env.db.query(
      `SELECT 1 FROM audit_log WHERE action = 'reveal_id_number' AND entity_id = $1`,
      [c.id],
    );
    expect(audit.rowCount).toBe(1);
    expect((await client(env.url, w.mediator).get(`/api/v1/cases/${c.id}?reveal=idNumber`)).status).toBe(403);
    const found = await coord().get(`/api/v1/cases?idNumber=${id}`);
    expect(found.body.items.map((i: { id: string }) => i.id)).toEqual([c.id]);
    const stored = await env.db.query(`SELECT worker_id_cipher FROM cases WHERE id = $1`, [c.id]);
    expect(stored.rows[0].worker_id_cipher).not.toContain(id);
  });

  it('pages newest first with a cursor, without repeats', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: Array<{ id: string; createdAt: string }>; nextCursor: string | null } } =
        await coord().get(`/api/v1/cases?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.body.items.map((i) => i.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    const total = await env.db.query(`SELECT count(*)::int AS n FROM cases WHERE committee_id = $1`, [
      w.committeeId,
    ]);
    expect(seen).toHaveLength(total.rows[0].n);
    const all = await coord().get('/api/v1/cases?limit=200');
    expect(all.body.items.map((i: { id: string }) => i.id)).toEqual(seen);
  });
});

describe('duplicates', () => {
  it('answers DUPLICATE_OPEN_CASE while the first case is open, unless the coordinator confirms a separate dispute', async () => {
    const body = caseBody({}, 9001);
    const first = await newCase(body);
    const dup = await coord().post('/api/v1/cases', body);
    expect(dup.status).toBe(409);
    expect(dup.body).toMatchObject({ code: 'DUPLICATE_OPEN_CASE', existingCaseNo: first.caseNo });
    const viaLiaison = await client(env.url, w.liaison).post('/api/v1/cases', {
      ...body,
      source: 'court_delegated',
      committeeId: w.committeeId,
      originReference: '(2026)湘0102民诉前调9号',
    });
    expect(viaLiaison.status).toBe(409);
    expect(viaLiaison.body.existingCaseNo).toBeUndefined();
    expect((await coord().post('/api/v1/cases', { ...body, separateDispute: true })).status).toBe(201);
  });
});
