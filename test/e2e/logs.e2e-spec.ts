import { startApi, TestEnv } from '../support/app';
import { caseBody, seedWorld, World, workerId } from '../support/fixtures';
import { client } from '../support/http';

// Logs are JSON with a request id and never carry personal data (SPEC §14): capture what the API writes
// while a case with a known ID number is taken in and searched for.
let env: TestEnv;
let w: World;
const lines: string[] = [];

beforeAll(async () => {
  env = await startApi(
    { LOG_LEVEL: 'info' },
    { logDestination: { write: (line: string) => void lines.push(line) } },
  );
  w = await seedWorld(env);
});
afterAll(() => env?.close());

it('logs requests as JSON with a request id and without names, phones or ID numbers', async () => {
  const id = workerId(4242);
  const coord = client(env.url, w.coordinator);
  const created = await coord.post('/api/v1/cases', caseBody({}, 4242), {
    headers: { 'x-request-id': 'req-test-1' },
  });
  expect(created.status).toBe(201);
  await coord.get(`/api/v1/cases?idNumber=${id}`);
  await new Promise((r) => setTimeout(r, 100));
  const json = lines.flatMap((l) => l.split('\n')).filter((l) => l.startsWith('{'));
  expect(json.length).toBeGreaterThan(0);
  const parsed = json.map((l) => JSON.parse(l));
  expect(parsed.some((l) => l.reqId === 'req-test-1')).toBe(true);
  const all = json.join('\n');
  for (const secret of [id, '王小明', '13800138000', 'Bearer ']) expect(all).not.toContain(secret);
});
