import { startApi, TestEnv } from '../support/app';
import { caseBody, seedWorld, World } from '../support/fixtures';
import { client } from '../support/http';

let env: TestEnv;
let w: World;

beforeAll(async () => {
  env = await startApi();
  w = await seedWorld(env);
});
afterAll(() => env?.close());

it('takes a walk-in case in, accepts it and assigns a mediator', async () => {
  const coord = client(env.url, w.coordinator);
  const created = await coord.post('/api/v1/cases', caseBody());
  expect(created.status).toBe(201);
  expect(created.body.caseNo).toBe('CSZGH-2026-00001');
  expect(created.body.accessCode).toMatch(/^[0-9A-HJKMNP-TV-Z]{8}$/);
  const accepted = await coord.post(`/api/v1/cases/${created.body.id}/accept`, {});
  expect(accepted.status).toBe(200);
  expect(accepted.body.status).toBe('accepted');
  const assigned = await coord.post(`/api/v1/cases/${created.body.id}/assign`, { mediatorId: w.mediatorId });
  expect(assigned.status).toBe(200);
  expect(assigned.body).toMatchObject({ status: 'in_mediation', mediatorId: w.mediatorId, version: 3 });
});
