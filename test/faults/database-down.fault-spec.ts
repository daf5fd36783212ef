import { startApi, TestEnv } from '../support/app';
import { caseBody, counts, seedWorld, World } from '../support/fixtures';
import { client } from '../support/http';
import { TcpProxy } from '../support/tcp-proxy';

// PostgreSQL is reached through a proxy this test cuts: the API must answer 503 quickly, write nothing
// half-way, and recover by itself when the database is back (SPEC §12).
const proxy = new TcpProxy('127.0.0.1', 5432);
let env: TestEnv;
let w: World;

beforeAll(async () => {
  const port = await proxy.start();
  env = await startApi({}, { databaseUrl: (db) => `postgres://postgres@127.0.0.1:${port}/${db}` });
  w = await seedWorld(env);
});
afterAll(async () => {
  await proxy.restore().catch(() => undefined);
  await env?.close();
  await proxy.cut();
});

it('answers 503 DEPENDENCY_UNAVAILABLE while PostgreSQL is unreachable, then recovers without a restart', async () => {
  const coord = client(env.url, w.coordinator);
  const before = await counts(env);

  await proxy.cut();
  const started = Date.now();
  const down = await coord.post('/api/v1/cases', caseBody());
  expect(down.status).toBe(503);
  expect(down.body.code).toBe('DEPENDENCY_UNAVAILABLE');
  expect(down.headers.get('content-type')).toContain('application/problem+json');
  expect(Date.now() - started).toBeLessThan(10_000);
  const list = await coord.get('/api/v1/cases');
  expect(list.status).toBe(503);
  const health = await client(env.url).get('/health');
  expect(health.status).toBe(503);
  expect(health.body.checks.database.ok).toBe(false);

  await proxy.restore();
  let recovered = 0;
  for (let i = 0; i < 20 && recovered !== 201; i++) {
    const r = await coord.post('/api/v1/cases', caseBody());
    recovered = r.status;
    if (recovered !== 201) await new Promise((res) => setTimeout(res, 250));
  }
  expect(recovered).toBe(201);
  // Exactly the one case written after recovery: the refused attempt left nothing behind.
  const after = await counts(env);
  expect(after.cases).toBe(before.cases + 1);
  expect((await client(env.url).get('/health')).status).toBe(200);
});
