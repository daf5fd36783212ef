import { startApi, TestEnv } from '../support/app';
import { caseBody, counts, creditCode, seedWorld, World } from '../support/fixtures';
import { client, request } from '../support/http';

let env: TestEnv;
let w: World;

beforeAll(async () => {
  env = await startApi();
  w = await seedWorld(env);
});
afterAll(() => env?.close());

const coord = () => client(env.url, w.coordinator);

/** Sends a bad intake and checks the 400 names the fields and that nothing was written. */
async function refused(body: unknown, fields: string[]) {
  const before = await counts(env);
  const r = await coord().post('/api/v1/cases', body);
  expect(r.status).toBe(400);
  expect(r.headers.get('content-type')).toContain('application/problem+json');
  expect(r.body).toMatchObject({
    code: 'VALIDATION_FAILED',
    status: 400,
    type: expect.any(String),
    title: expect.any(String),
  });
  const got = (r.body.errors as Array<{ field: string }>).map((e) => e.field);
  for (const f of fields) expect(got).toContain(f);
  expect(await counts(env)).toEqual(before);
}

describe('bad intake input is refused with field paths and nothing written', () => {
  const base = caseBody();
  it.each<[string, Record<string, unknown>, string[]]>([
    ['missing worker and claims', { ...base, worker: undefined, claims: undefined }, ['worker', 'claims']],
    ['no claims', { ...base, claims: [] }, ['claims']],
    [
      'wrong types',
      { ...base, worker: { ...base.worker, name: 42 }, claims: 'many' },
      ['worker.name', 'claims'],
    ],
    [
      'a resident ID with a wrong check digit',
      { ...base, worker: { ...base.worker, idNumber: '11010519491231002Y' } },
      ['worker.idNumber'],
    ],
    [
      'an impossible birth date',
      { ...base, worker: { ...base.worker, idNumber: '110105194902300026' } },
      ['worker.idNumber'],
    ],
    ['negative fen', { ...base, claims: [{ type: 'wage_arrears', amountFen: -1 }] }, ['claims.0.amountFen']],
    [
      'fractional fen',
      { ...base, claims: [{ type: 'wage_arrears', amountFen: 12.5 }] },
      ['claims.0.amountFen'],
    ],
    [
      'fen as a string',
      { ...base, claims: [{ type: 'wage_arrears', amountFen: '100' }] },
      ['claims.0.amountFen'],
    ],
    ['an unknown claim type', { ...base, claims: [{ type: 'bonus', amountFen: 1 }] }, ['claims.0.type']],
    ['an unknown top-level field', { ...base, priority: 'high' }, ['priority']],
    [
      'an unknown nested field',
      { ...base, worker: { ...base.worker, nickname: '小王' } },
      ['worker.nickname'],
    ],
    [
      'a bad credit code',
      { ...base, employer: { ...base.employer, creditCode: '91350100M000100Y44' } },
      ['employer.creditCode'],
    ],
    ['a bad phone', { ...base, worker: { ...base.worker, phone: '12345' } }, ['worker.phone']],
    ['an impossible date', { ...base, employment: { startDate: '2025-02-30' } }, ['employment.startDate']],
    [
      'employment ending before it starts',
      { ...base, employment: { startDate: '2025-03-01', endDate: '2025-02-01' } },
      ['employment.endDate'],
    ],
    [
      'an application received in the future',
      { ...base, applicationReceivedAt: '2099-01-01T09:00:00+08:00' },
      ['applicationReceivedAt'],
    ],
    [
      'a date-time without offset',
      { ...base, applicationReceivedAt: '2026-03-02T10:00:00' },
      ['applicationReceivedAt'],
    ],
    [
      'a passport in a bad format',
      { ...base, worker: { ...base.worker, idType: 'passport', idNumber: '!!' } },
      ['worker.idNumber'],
    ],
  ])('%s', async (_name, body, fields) => {
    await refused(body, fields);
  });

  it('accepts an individual contractor identified by ID number instead of a credit code', async () => {
    const body = caseBody({
      employer: {
        name: '张包工',
        idType: 'resident_id',
        idNumber: '11010519491231002X',
        address: '长沙市',
        contactPhone: '13900139000',
      },
    });
    const r = await coord().post('/api/v1/cases', body);
    expect(r.status).toBe(201);
    expect(r.body.employer).toMatchObject({
      creditCode: null,
      idNumber: '110105********002X',
      domicileDivisionCode: '110105',
    });
  });

  it('takes the domicile division from the credit code when none is given', async () => {
    const code = creditCode('430103', 42);
    const { domicileDivisionCode: _d, ...employer } = caseBody().employer;
    const r = await coord().post('/api/v1/cases', caseBody({ employer: { ...employer, creditCode: code } }));
    expect(r.status).toBe(201);
    expect(r.body.employer.domicileDivisionCode).toBe('430103');
  });
});

describe('the HTTP envelope', () => {
  it('answers malformed JSON with 400 VALIDATION_FAILED', async () => {
    const before = await counts(env);
    const r = await request(env.url, 'POST', '/api/v1/cases', {
      token: w.coordinator,
      rawBody: '{"worker": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(r.status).toBe(400);
    expect(r.body.code).toBe('VALIDATION_FAILED');
    expect(await counts(env)).toEqual(before);
  });

  it.each(['text/plain', 'application/x-www-form-urlencoded', 'application/xml'])(
    'answers %s with 415',
    async (type) => {
      const r = await request(env.url, 'POST', '/api/v1/cases', {
        token: w.coordinator,
        rawBody: 'worker=x',
        headers: { 'content-type': type },
      });
      expect(r.status).toBe(415);
      expect(r.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    },
  );

  it('answers a body over 1 MB with 413 and writes nothing', async () => {
    const before = await counts(env);
    const r = await coord().post('/api/v1/cases', caseBody({ facts: 'x'.repeat(1_100_000) }));
    expect(r.status).toBe(413);
    expect(r.body.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await counts(env)).toEqual(before);
  });

  it('answers 401 without a token and 404 problem+json for an unknown route or id', async () => {
    const r = await client(env.url).get('/api/v1/cases');
    expect(r.status).toBe(401);
    expect(r.body.code).toBe('UNAUTHORIZED');
    expect((await coord().get('/api/v1/cases/not-a-uuid')).body.code).toBe('NOT_FOUND');
    expect((await coord().get('/api/v1/cases/6f1c1d1e-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await coord().get('/api/v1/nothing-here')).status).toBe(404);
  });

  it('serves the OpenAPI document and health', async () => {
    const doc = await client(env.url).get('/api/docs-json');
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(['/api/v1/cases', '/api/v1/cases/{id}/accept']),
    );
    const intake = doc.body.paths['/api/v1/cases'].post.responses;
    for (const code of ['400', '401', '403', '409', '413', '415', '422']) {
      expect(intake[code].content['application/problem+json'].schema.$ref).toBe(
        '#/components/schemas/Problem',
      );
    }
    const health = await client(env.url).get('/health');
    expect(health.body).toMatchObject({
      status: 'ok',
      checks: { database: { ok: true }, redis: { ok: true } },
    });
  });
});

describe('idempotency', () => {
  it('replays the first answer for the same key and body, with one case written', async () => {
    const body = caseBody();
    const headers = { 'idempotency-key': 'intake-key-0001' };
    const first = await coord().post('/api/v1/cases', body, { headers });
    const again = await coord().post('/api/v1/cases', body, { headers });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const n = await env.db.query(`SELECT count(*)::int AS n FROM cases WHERE case_no = $1`, [
      first.body.caseNo,
    ]);
    expect(n.rows[0].n).toBe(1);
    const stored = await env.db.query(`SELECT response_cipher FROM idempotency_keys`);
    expect(JSON.stringify(stored.rows)).not.toContain(first.body.accessCode);
  });

  it('answers 422 IDEMPOTENCY_KEY_REUSED for the same key with another body', async () => {
    const headers = { 'idempotency-key': 'intake-key-0002' };
    expect((await coord().post('/api/v1/cases', caseBody(), { headers })).status).toBe(201);
    const before = await counts(env);
    const r = await coord().post('/api/v1/cases', caseBody(), { headers });
    expect(r.status).toBe(422);
    expect(r.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await counts(env)).toEqual(before);
  });

  it('answers 409 IDEMPOTENCY_IN_PROGRESS while the first request runs, and scopes keys to the caller', async () => {
    const body = caseBody();
    const headers = { 'idempotency-key': 'intake-key-0003' };
    const results = await Promise.all([
      coord().post('/api/v1/cases', body, { headers }),
      coord().post('/api/v1/cases', body, { headers }),
      coord().post('/api/v1/cases', body, { headers }),
    ]);
    const statuses = results.map((r) => r.status);
    expect(statuses).toContain(201);
    for (const r of results.filter((x) => x.status !== 201))
      expect(r.body.code).toBe('IDEMPOTENCY_IN_PROGRESS');
    const ids = new Set(results.filter((r) => r.status === 201).map((r) => r.body.id));
    expect(ids.size).toBe(1);
    // The same key from another caller is a different request.
    const other = await client(env.url, w.otherCoordinator).post('/api/v1/cases', caseBody(), { headers });
    expect(other.status).toBe(201);
  });
});

describe('people and sign-in', () => {
  it('refuses a wrong password with 401 and limits failures with 429 and Retry-After', async () => {
    const bad = await client(env.url).post('/api/v1/auth/login', {
      username: 'coord2',
      password: 'wrong-password',
    });
    expect(bad.status).toBe(401);
    let last = bad;
    for (let i = 0; i < 10; i++)
      last = await client(env.url).post('/api/v1/auth/login', { username: 'coord2', password: 'wrong' });
    expect(last.status).toBe(429);
    expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('ends a deactivated user’s access at once, and an old token after a password change', async () => {
    const admin = client(env.url, w.admin);
    const made = await admin.post('/api/v1/users', {
      username: 'temp1',
      password: 'password-12345',
      displayName: '临时',
      role: 'coordinator',
      organisationId: w.committeeId,
    });
    const login = await client(env.url).post('/api/v1/auth/login', {
      username: 'temp1',
      password: 'password-12345',
    });
    const token = login.body.accessToken as string;
    expect((await client(env.url, token).get('/api/v1/cases')).status).toBe(200);
    await admin.patch(`/api/v1/users/${made.body.id}`, { active: false });
    expect((await client(env.url, token).get('/api/v1/cases')).status).toBe(401);

    const own = await client(env.url, w.mediator).post('/api/v1/auth/password', {
      currentPassword: 'password-12345',
      newPassword: 'another-password-1',
    });
    expect(own.status).toBe(204);
    expect((await client(env.url, w.mediator).get('/api/v1/cases')).status).toBe(401);
  });

  it('lets only admins manage organisations and users, and shows admins the audit log', async () => {
    const r = await coord().post('/api/v1/organisations', { kind: 'court', name: '某法院' });
    expect(r.status).toBe(403);
    const u = await coord().post('/api/v1/users', {
      username: 'x1x1',
      password: 'password-12345',
      displayName: 'x',
      role: 'mediator',
    });
    expect(u.status).toBe(403);
    const audit = await client(env.url, w.admin).get('/api/v1/audit?limit=5');
    expect(audit.status).toBe(200);
    expect(audit.body.items.length).toBeGreaterThan(0);
    expect((await coord().get('/api/v1/audit')).status).toBe(403);
    const badKind = await client(env.url, w.admin).post('/api/v1/organisations', {
      kind: 'bank',
      name: '某银行',
    });
    expect(badKind.status).toBe(400);
    expect(badKind.body.errors[0].field).toBe('kind');
  });
});
