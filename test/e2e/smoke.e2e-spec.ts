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

it('exposes Prometheus metrics by route template, with the queues’ backlog and no ids', async () => {
  const coord = client(env.url, w.coordinator);
  const created = await coord.post('/api/v1/cases', caseBody());
  expect((await coord.get(`/api/v1/cases/${created.body.id}`)).status).toBe(200);
  const r = await fetch(`${env.url}/metrics`);
  expect(r.status).toBe(200);
  expect(r.headers.get('content-type')).toContain('text/plain');
  const text = await r.text();
  expect(text).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/cases\/:id",status="200"\} \d+/);
  expect(text).toMatch(/mediation_queue_backlog\{kind="deliveries_dead"\} 0/);
  expect(text).toMatch(/mediation_queue_backlog\{kind="reminders_late"\} \d+/);
  expect(text).toContain('process_cpu_user_seconds_total');
  expect(text).not.toContain(created.body.id);
});
