import { ADMIN, startApi, TestEnv } from '../support/app';
import { caseBody, seedWorld, World } from '../support/fixtures';
import { client } from '../support/http';
import { PrivateRedis } from '../support/private-redis';

// SPEC §12: without Redis, case changes still succeed (PostgreSQL holds them); routes that need Redis, such
// as login with its shared failure counter, answer 503 quickly instead of hanging; Redis coming back is
// picked up without a restart.
const redis = new PrivateRedis();
let env: TestEnv;
let w: World;

beforeAll(async () => {
  await redis.start();
  env = await startApi({ REDIS_URL: redis.url });
  w = await seedWorld(env);
});
afterAll(async () => {
  await env?.close();
  await redis.stop();
});

it('keeps case changes working and answers login 503 quickly while Redis is down', async () => {
  const coord = client(env.url, w.coordinator);
  await redis.stop();

  const created = await coord.post('/api/v1/cases', caseBody());
  expect(created.status).toBe(201);
  expect((await coord.post(`/api/v1/cases/${created.body.id}/accept`, {})).status).toBe(200);

  const started = Date.now();
  const login = await client(env.url).post('/api/v1/auth/login', ADMIN);
  expect(login.status).toBe(503);
  expect(login.body.code).toBe('DEPENDENCY_UNAVAILABLE');
  expect(Date.now() - started).toBeLessThan(3000);
  expect((await client(env.url).get('/health')).status).toBe(503);

  await redis.start();
  let status = 0;
  for (let i = 0; i < 40 && status !== 200; i++) {
    status = (await client(env.url).post('/api/v1/auth/login', ADMIN)).status;
    if (status !== 200) await new Promise((r) => setTimeout(r, 250));
  }
  expect(status).toBe(200);
});
