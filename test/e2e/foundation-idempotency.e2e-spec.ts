/**
 * SPEC §12 Idempotency-Key on POST /cases: the same key and body replays the first answer (access code
 * included), another body 422, a request still running 409; scoped to the route and the caller; 24 hours.
 */
import { createHash, randomUUID } from 'node:crypto';
import { stableJson } from '../../src/idempotency/idempotency.interceptor';
import { startApi, TestEnv } from '../support/app';
import { caseBody, counts, seedWorld, World } from '../support/fixtures';
import { expectProblem, fieldsOf, userIdOf } from '../support/foundation';
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
const withKey = (key: string) => ({ headers: { 'idempotency-key': key } });
/** The interceptor's scope of a key: route, caller and key. */
const scopeOf = (key: string) =>
  createHash('sha256').update(`POST /api/v1/cases\nuser:${coordinatorId}\n${key}`).digest('base64url');

async function casesOf(caseNo: string): Promise<number> {
  const r = await env.db.query(`SELECT count(*)::int AS n FROM cases WHERE case_no = $1`, [caseNo]);
  return r.rows[0].n;
}

async function casesOfWorker(name: string): Promise<number> {
  const r = await env.db.query(`SELECT count(*)::int AS n FROM cases WHERE worker_name = $1`, [name]);
  return r.rows[0].n;
}

/** A body whose worker name marks it, so the rows it made can be counted. */
function marked(name: string) {
  const body = caseBody();
  body.worker.name = name;
  return body;
}

it('replays the first answer for the same key and body: same id, number and access code, one case', async () => {
  const key = randomUUID();
  const body = marked('幂等甲');
  const first = await coord().post('/api/v1/cases', body, withKey(key));
  expect(first.status).toBe(201);
  const before = await counts(env);
  // The same body with its keys in another order is the same request.
  const reordered = Object.fromEntries(Object.entries(body).reverse());
  const again = await coord().post('/api/v1/cases', reordered, withKey(key));
  expect(again.status).toBe(201);
  expect(again.headers.get('idempotent-replayed')).toBe('true');
  expect(again.body).toEqual(first.body);
  expect(again.body.accessCode).toBe(first.body.accessCode);
  expect(await counts(env)).toEqual(before);
  expect(await casesOfWorker('幂等甲')).toBe(1);
  // Even after the case moved on, the key still answers what it answered first.
  await coord().post(`/api/v1/cases/${first.body.id}/accept`, {});
  const later = await coord().post('/api/v1/cases', body, withKey(key));
  expect(later.body).toMatchObject({ id: first.body.id, status: 'submitted', version: 1 });
});

it('answers 422 IDEMPOTENCY_KEY_REUSED for the same key with another body, writing nothing', async () => {
  const key = randomUUID();
  const first = await coord().post('/api/v1/cases', marked('幂等乙'), withKey(key));
  expect(first.status).toBe(201);
  const before = await counts(env);
  const other = await coord().post('/api/v1/cases', marked('幂等丙'), withKey(key));
  expectProblem(other, 422, 'IDEMPOTENCY_KEY_REUSED');
  expect(await counts(env)).toEqual(before);
  expect(await casesOfWorker('幂等丙')).toBe(0);
});

it('answers 409 IDEMPOTENCY_IN_PROGRESS while the first request with the key is still running', async () => {
  const key = randomUUID();
  const body = marked('幂等丁');
  // What the interceptor writes when it claims the key (its scope: route, caller and key).
  const scope = scopeOf(key);
  const request = createHash('sha256')
    .update(`/api/v1/cases\n${stableJson(body)}`)
    .digest('base64url');
  await env.db.query(
    `INSERT INTO idempotency_keys (scope_hash, request_hash, state, expires_at)
     VALUES ($1, $2, 'in_progress', now() + interval '1 hour')`,
    [scope, request],
  );
  const before = await counts(env);
  const r = await coord().post('/api/v1/cases', body, withKey(key));
  expectProblem(r, 409, 'IDEMPOTENCY_IN_PROGRESS');
  expect(await counts(env)).toEqual(before);
  // Another body with that key is still a reuse, running or not.
  expectProblem(
    await coord().post('/api/v1/cases', marked('幂等戊'), withKey(key)),
    422,
    'IDEMPOTENCY_KEY_REUSED',
  );
  // Once the first is gone (its process died and the record was released), the key works again.
  await env.db.query(`DELETE FROM idempotency_keys WHERE scope_hash = $1`, [scope]);
  expect((await coord().post('/api/v1/cases', body, withKey(key))).status).toBe(201);
  expect(await casesOfWorker('幂等丁')).toBe(1);
});

it('two simultaneous requests with one key make one case: a 201 and a 409 in progress, or the same answer twice', async () => {
  for (let round = 0; round < 3; round++) {
    const key = randomUUID();
    const name = `幂等并发${round}`;
    const body = marked(name);
    const [a, b] = await Promise.all([
      coord().post('/api/v1/cases', body, withKey(key)),
      coord().post('/api/v1/cases', body, withKey(key)),
    ]);
    const statuses = [a.status, b.status].sort();
    if (statuses[1] === 409) {
      expect(statuses).toEqual([201, 409]);
      expect([a, b].find((r) => r.status === 409)!.body.code).toBe('IDEMPOTENCY_IN_PROGRESS');
    } else {
      expect(statuses).toEqual([201, 201]);
      expect(a.body).toEqual(b.body);
    }
    expect(await casesOfWorker(name)).toBe(1);
  }
});

it('scopes keys to the caller: another coordinator’s same key is a new request', async () => {
  const key = randomUUID();
  const mine = await coord().post('/api/v1/cases', marked('幂等己'), withKey(key));
  const theirs = await client(env.url, w.otherCoordinator).post(
    '/api/v1/cases',
    marked('幂等庚'),
    withKey(key),
  );
  expect(mine.status).toBe(201);
  expect(theirs.status).toBe(201);
  expect(theirs.body.caseNo).toMatch(/^ZZZGH-/);
  expect(await casesOf(theirs.body.caseNo)).toBe(1);
});

it('replays a refusal the same way, and refuses a malformed key', async () => {
  const key = randomUUID();
  const bad = { ...marked('幂等辛'), foo: 1 };
  const first = await coord().post('/api/v1/cases', bad, withKey(key));
  expectProblem(first, 400, 'VALIDATION_FAILED');
  const again = await coord().post('/api/v1/cases', bad, withKey(key));
  expectProblem(again, 400, 'VALIDATION_FAILED');
  expect(again.body.errors).toEqual(first.body.errors);
  const before = await counts(env);
  for (const k of ['short', 'x'.repeat(201), 'has space in it']) {
    const r = await coord().post('/api/v1/cases', marked('幂等壬'), withKey(k));
    expectProblem(r, 400, 'VALIDATION_FAILED');
    expect(fieldsOf(r)).toEqual(['Idempotency-Key']);
  }
  expect(await counts(env)).toEqual(before);
});

it('keeps a key 24 hours, and forgets it once it has expired', async () => {
  const key = randomUUID();
  const scope = scopeOf(key);
  const first = await coord().post('/api/v1/cases', marked('幂等癸'), withKey(key));
  expect(first.status).toBe(201);
  const kept = await env.db.query(
    `SELECT state, response_status, round(extract(epoch FROM expires_at - created_at) / 3600)::int AS hours,
            response_cipher LIKE '%' || $2 || '%' AS plain_code
       FROM idempotency_keys WHERE scope_hash = $1`,
    [scope, first.body.accessCode],
  );
  // The stored answer holds the access code, so it is kept encrypted.
  expect(kept.rows[0]).toMatchObject({ state: 'done', response_status: 201, hours: 24, plain_code: false });
  await env.db.query(
    `UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE scope_hash = $1`,
    [scope],
  );
  const other = await coord().post('/api/v1/cases', marked('幂等子'), withKey(key));
  expect(other.status).toBe(201);
  expect(other.body.id).not.toBe(first.body.id);
});
