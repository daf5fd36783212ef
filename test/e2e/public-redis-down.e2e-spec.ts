import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { startApi, TestEnv } from '../support/app';
import { counts } from '../support/fixtures';
import { request } from '../support/http';

// SPEC §12: routes that need Redis answer 503 quickly rather than hang or go unlimited. Here the API runs
// against a Redis address nobody listens on (no shared server is stopped, so this runs with the e2e specs).
let env: TestEnv;

async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

beforeAll(async () => {
  env = await startApi({ REDIS_URL: `redis://127.0.0.1:${await closedPort()}` });
});
afterAll(() => env?.close());

it('answers the status check and applications 503 quickly, writes nothing, and still serves the page', async () => {
  const before = await counts(env);
  let started = Date.now();
  const status = await request(env.url, 'POST', '/api/v1/public/case-status', {
    body: { caseNo: 'CSZGH-2026-00001', accessCode: 'ABCDEFGH' },
  });
  expect(status.status).toBe(503);
  expect(status.body.code).toBe('DEPENDENCY_UNAVAILABLE');
  expect(Date.now() - started).toBeLessThan(3000);

  started = Date.now();
  const apply = await request(env.url, 'POST', '/api/v1/public/applications', {
    body: { committeeId: '00000000-0000-4000-8000-000000000000' },
    headers: { 'idempotency-key': 'redis-down-key-1' },
  });
  expect(apply.status).toBe(503);
  expect(apply.body.code).toBe('DEPENDENCY_UNAVAILABLE');
  expect(Date.now() - started).toBeLessThan(3000);
  expect(await counts(env)).toEqual(before);
  const keys = await env.db.query(`SELECT count(*)::int AS n FROM idempotency_keys`);
  expect(keys.rows[0].n).toBe(0);

  expect((await request(env.url, 'GET', '/api/v1/public/committees')).status).toBe(200);
  expect((await request(env.url, 'GET', '/')).status).toBe(200);
});
