/**
 * SPEC §4 last line and §12: every bad input answers 400 problem+json naming each bad field by its dotted
 * path, and nothing is written; bodies over 1 MB 413, other content types 415, malformed JSON 400.
 */
import { startApi, TestEnv } from '../support/app';
import { caseBody, counts, creditCode, residentId, seedWorld, World } from '../support/fixtures';
import { expectProblem, fieldsOf } from '../support/foundation';
import { client, request } from '../support/http';

let env: TestEnv;
let w: World;

beforeAll(async () => {
  env = await startApi();
  w = await seedWorld(env);
  // One case exists, so that "nothing written" is checked against a non-empty database and counter.
  const r = await client(env.url, w.coordinator).post('/api/v1/cases', caseBody());
  expect(r.status).toBe(201);
});
afterAll(() => env?.close());

const coord = () => client(env.url, w.coordinator);
const valid = () => caseBody();

/** Posts the body, expects 400 VALIDATION_FAILED naming `fields`, and that nothing at all was written. */
async function refused(body: unknown, fields: string[], exact = true) {
  const before = await counts(env);
  const r = await coord().post('/api/v1/cases', body);
  expectProblem(r, 400, 'VALIDATION_FAILED');
  if (exact) expect(fieldsOf(r)).toEqual([...new Set(fields)].sort());
  else expect(fieldsOf(r)).toEqual(expect.arrayContaining(fields));
  for (const e of r.body.errors) expect(e.message).toEqual(expect.any(String));
  expect(await counts(env)).toEqual(before);
  return r;
}

function change(path: string, value: unknown): Record<string, any> {
  const body = valid();
  const keys = path.split('.');
  let at: any = body;
  for (const k of keys.slice(0, -1)) at = at[k];
  if (value === undefined) delete at[keys[keys.length - 1]];
  else at[keys[keys.length - 1]] = value;
  return body;
}

describe('400 VALIDATION_FAILED with dotted field paths, nothing written', () => {
  it('names every missing top-level part', async () => {
    const r = await refused({}, ['worker', 'employer', 'employment', 'claims'], false);
    expect(r.body.detail).toEqual(expect.any(String));
  });

  it('names missing nested fields', async () => {
    await refused(change('worker', { name: '王小明' }), ['worker.idNumber', 'worker.phone']);
    await refused(change('employment.startDate', undefined), ['employment.startDate']);
    await refused(change('claims', [{ type: 'wage_arrears' }]), ['claims.0.amountFen']);
  });

  it.each([
    ['worker.name', 123],
    ['worker', 'not an object'],
    ['claims', { type: 'wage_arrears', amountFen: 1 }],
    ['claims.0.amountFen', '1250000'],
    ['separateDispute', 'yes'],
    ['employment.startDate', 20240301],
    ['applicationReceivedAt', '2026-03-02 10:00'],
    ['committeeId', 'not-a-uuid'],
    ['source', 'email'],
    ['claims.0.type', 'bonus'],
  ])('refuses a wrong type or value at %s', async (path, value) => {
    await refused(change(path, value), [path]);
  });

  it.each([
    ['worker', []],
    ['employer', []],
    ['employment', [{ startDate: '2024-03-01' }]],
    ['claims', [[]]],
    ['worker', null],
  ])('refuses %s given as %j (an array is not an object) without a 500', async (path, value) => {
    const r = await refused(change(path, value), [path], false);
    expect(fieldsOf(r).every((f) => f.startsWith(path))).toBe(true);
  });

  it('refuses NUL characters, which PostgreSQL cannot store, in bodies and queries', async () => {
    await refused(change('worker.name', '王\u0000小明'), ['worker.name']);
    await refused(change('claims.0.description', 'a\u0000'), ['claims.0.description']);
    for (const qs of ['q=ab%00c', 'idNumber=43010219%00900101']) {
      const r = await coord().get(`/api/v1/cases?${qs}`);
      expectProblem(r, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(r)).toEqual([qs.split('=')[0]]);
    }
  });

  it('refuses an empty claims list', async () => {
    await refused(change('claims', []), ['claims']);
  });

  it('refuses a resident ID with a wrong check digit', async () => {
    const id = residentId('430102', '19900101', 321);
    const wrong = id.slice(0, 17) + (id[17] === '1' ? '2' : '1');
    const r = await refused(change('worker.idNumber', wrong), ['worker.idNumber']);
    expect(r.body.errors[0].message).toMatch(/check digit/);
  });

  it('refuses a resident ID with an impossible or future birth date (check digit right)', async () => {
    await refused(change('worker.idNumber', residentId('430102', '19900230', 5)), ['worker.idNumber']);
    await refused(change('worker.idNumber', residentId('430102', '20990101', 5)), ['worker.idNumber']);
  });

  it.each([-1, 12.5, 2 ** 53])('refuses amountFen %p', async (amountFen) => {
    const body = valid();
    body.claims = [body.claims[0], { type: 'damages', amountFen, description: '赔偿金' }];
    await refused(body, ['claims.1.amountFen']);
  });

  it('refuses unknown fields at the top level and nested, by path', async () => {
    await refused({ ...valid(), foo: 1 }, ['foo']);
    const body = valid();
    body.worker.foo = 'x';
    body.claims[0].bar = 'y';
    await refused(body, ['worker.foo', 'claims.0.bar']);
  });

  it('refuses an application received in the future', async () => {
    const future = new Date(Date.now() + 2 * 86400_000).toISOString();
    await refused(change('applicationReceivedAt', future), ['applicationReceivedAt']);
  });

  it('refuses an employment that ends before it starts, and impossible dates', async () => {
    await refused(change('employment.endDate', '2024-02-29'), ['employment.endDate']);
    await refused(change('employment.startDate', '2023-02-29'), ['employment.startDate']);
  });

  it('refuses a credit code with a wrong check character or a forbidden letter', async () => {
    const good = creditCode('430102', 77);
    const wrong = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    await refused(change('employer.creditCode', wrong), ['employer.creditCode']);
    await refused(change('employer.creditCode', 'I1350100M000100Y43'), ['employer.creditCode']);
  });

  it('refuses an employer with neither a credit code nor an ID', async () => {
    const body = valid();
    delete body.employer.creditCode;
    const r = await refused(body, ['employer.creditCode', 'employer.idNumber'], false);
    expect(fieldsOf(r).every((f) => f.startsWith('employer.'))).toBe(true);
  });

  it('accepts an individual contractor employer with a valid ID and no credit code', async () => {
    const body = valid();
    const contractorId = residentId('430103', '19750505', 42);
    body.employer = {
      name: '张包工',
      idNumber: contractorId,
      address: '长沙市天心区',
      contactPhone: '13900139000',
    };
    const r = await coord().post('/api/v1/cases', body);
    expect(r.status).toBe(201);
    expect(r.body.employer).toMatchObject({
      name: '张包工',
      creditCode: null,
      idType: 'resident_id',
      idNumber: `430103********${contractorId.slice(-4)}`,
      domicileDivisionCode: '430103',
    });
    const stored = await env.db.query(`SELECT employer_person_id_cipher FROM cases WHERE id = $1`, [
      r.body.id,
    ]);
    expect(stored.rows[0].employer_person_id_cipher).not.toContain(contractorId);
    // …but not with a bad contractor ID.
    await refused({ ...valid(), employer: { ...body.employer, idNumber: contractorId.slice(0, 17) + 'Z' } }, [
      'employer.idNumber',
    ]);
  });

  it('reads null like an absent credit code or contractor ID (the shape case answers have)', async () => {
    const company = valid();
    company.employer = { ...company.employer, idType: null, idNumber: null };
    expect((await coord().post('/api/v1/cases', company)).status).toBe(201);
    const contractor = valid();
    contractor.employer = { name: '李包工', creditCode: null, idNumber: residentId('430104', '19800808', 8) };
    const r = await coord().post('/api/v1/cases', contractor);
    expect(r.status).toBe(201);
    expect(r.body.employer).toMatchObject({
      creditCode: null,
      idType: 'resident_id',
      domicileDivisionCode: '430104',
    });
    await refused(
      { ...valid(), employer: { name: '无名', creditCode: null, idNumber: null } },
      ['employer.creditCode', 'employer.idNumber'],
      false,
    );
  });

  it('refuses bad query parameters of the list', async () => {
    for (const [qs, field] of [
      ['limit=0', 'limit'],
      ['limit=201', 'limit'],
      ['status=open', 'status'],
      ['cursor=%21%21', 'cursor'],
      ['cursor=bm90LWEtY3Vyc29yLWF0LWFsbA', 'cursor'],
      [`cursor=${Buffer.from('99999|00000000-0000-4000-8000-000000000000').toString('base64url')}`, 'cursor'],
      [
        `cursor=${Buffer.from('2026-02-30T00:00:00Z|00000000-0000-4000-8000-000000000000').toString('base64url')}`,
        'cursor',
      ],
      [`cursor=${Buffer.from(`2026-01-01T00:00:00Z|${'-'.repeat(36)}`).toString('base64url')}`, 'cursor'],
      ['foo=1', 'foo'],
    ]) {
      const r = await coord().get(`/api/v1/cases?${qs}`);
      expectProblem(r, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(r)).toContain(field);
    }
  });

  it('refuses fields on an action that takes none, and an action without its reason', async () => {
    const c = await coord().post('/api/v1/cases', caseBody());
    const before = await counts(env);
    const accept = await coord().post(`/api/v1/cases/${c.body.id}/accept`, { force: true });
    expectProblem(accept, 400, 'VALIDATION_FAILED');
    expect(fieldsOf(accept)).toEqual(['force']);
    const reject = await coord().post(`/api/v1/cases/${c.body.id}/reject`, { respondentRefused: 'yes' });
    expectProblem(reject, 400, 'VALIDATION_FAILED');
    expect(fieldsOf(reject)).toEqual(['reason', 'respondentRefused']);
    const ifMatch = await coord().post(
      `/api/v1/cases/${c.body.id}/accept`,
      {},
      { headers: { 'if-match': 'abc' } },
    );
    expectProblem(ifMatch, 400, 'VALIDATION_FAILED');
    expect(fieldsOf(ifMatch)).toEqual(['If-Match']);
    expect(await counts(env)).toEqual(before);
  });
});

describe('bodies that are not JSON objects', () => {
  const post = (rawBody: string | Buffer, contentType: string) =>
    request(env.url, 'POST', '/api/v1/cases', {
      token: w.coordinator,
      rawBody,
      headers: { 'content-type': contentType },
    });

  it('413 PAYLOAD_TOO_LARGE above 1 MB, nothing written', async () => {
    const before = await counts(env);
    const body = JSON.stringify({ ...valid(), facts: 'x'.repeat(1024 * 1024 + 10) });
    const r = await post(body, 'application/json');
    expectProblem(r, 413, 'PAYLOAD_TOO_LARGE');
    expect(await counts(env)).toEqual(before);
  });

  it('413 for a chunked body (no Content-Length) that grows past 1 MB', async () => {
    const before = await counts(env);
    const chunk = new TextEncoder().encode(' '.repeat(64 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === 0) controller.enqueue(new TextEncoder().encode('{"facts":"'));
        if (sent > 1.5 * 1024 * 1024) return controller.close();
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const res = await fetch(`${env.url}/api/v1/cases`, {
      method: 'POST',
      headers: { authorization: `Bearer ${w.coordinator}`, 'content-type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(((await res.json()) as { code: string }).code).toBe('PAYLOAD_TOO_LARGE');
    expect(await counts(env)).toEqual(before);
  });

  it('accepts a body just under 1 MB as far as the size goes (then the bounded facts field refuses it)', async () => {
    const r = await post(JSON.stringify({ ...valid(), facts: 'x'.repeat(900 * 1024) }), 'application/json');
    expectProblem(r, 400, 'VALIDATION_FAILED');
    expect(fieldsOf(r)).toEqual(['facts']);
  });

  it.each(['text/plain', 'application/x-www-form-urlencoded', 'application/xml'])(
    '415 UNSUPPORTED_MEDIA_TYPE for %s, nothing written',
    async (type) => {
      const before = await counts(env);
      const r = await post(
        type === 'application/x-www-form-urlencoded' ? 'worker=1&employer=2' : JSON.stringify(valid()),
        type,
      );
      expectProblem(r, 415, 'UNSUPPORTED_MEDIA_TYPE');
      expect(await counts(env)).toEqual(before);
    },
  );

  it.each([
    ['malformed JSON', '{"worker": {'],
    ['trailing garbage', '{"a":1}}'],
    ['an array', '[]'],
    ['a string', '"case"'],
    ['a number', '42'],
    ['null', 'null'],
  ])('400 VALIDATION_FAILED for %s, nothing written', async (_name, raw) => {
    const before = await counts(env);
    const r = await post(raw, 'application/json');
    expectProblem(r, 400, 'VALIDATION_FAILED');
    expect(await counts(env)).toEqual(before);
  });

  it('takes application/json with a charset', async () => {
    const r = await post(JSON.stringify(valid()), 'application/json; charset=utf-8');
    expect(r.status).toBe(201);
  });
});

describe('other problem answers', () => {
  it('unknown routes and non-UUID ids are 404 problem+json', async () => {
    expectProblem(await coord().get('/api/v1/nothing-here'), 404, 'NOT_FOUND');
    expectProblem(await coord().get('/api/v1/cases/123'), 404, 'NOT_FOUND');
    expectProblem(await coord().get('/api/v1/cases/00000000-0000-4000-8000-000000000000'), 404, 'NOT_FOUND');
  });

  it('a case answer for a valid walk-in body is a 201 with the SPEC fields', async () => {
    const r = await coord().post('/api/v1/cases', caseBody());
    expect(r.status).toBe(201);
    expect(r.headers.get('content-type')).toMatch(/^application\/json/);
    expect(r.body).toMatchObject({
      status: 'submitted',
      version: 1,
      caseNo: expect.stringMatching(/^CSZGH-2026-\d{5}$/),
      accessCode: expect.any(String),
      claims: [{ type: 'wage_arrears', amountFen: 1250000 }],
    });
  });
});
