/** `npm run demo` against the test API, so that CI proves the demo still walks a case to the end. */
import { runDemo } from '../../scripts/demo';
import { ADMIN, startApi, TestEnv } from '../support/app';

let env: TestEnv;

beforeAll(async () => {
  env = await startApi();
});
afterAll(() => env?.close());

it('drives a courier’s case from intake to closed/settled and prints its timeline', async () => {
  const lines: string[] = [];
  const result = await runDemo(env.url, ADMIN, (line) => lines.push(line));
  expect(result).toMatchObject({ status: 'closed', closureReason: 'settled' });
  expect(result.caseNo).toMatch(/^DEMO[A-Z]{6}-\d{4}-00001$/);
  expect(result.agreementPdfBytes).toBeGreaterThan(1000);
  expect(result.timeline).toHaveLength(8);
  const timeline = result.timeline.join('\n');
  for (const words of [
    'took the application in (walk-in)',
    'accepted the case',
    'assigned the case to mediator 李建国（调解员）',
    'logged a session held in person',
    'recorded the session',
    'the parties reached an agreement',
    'recorded the agreement',
    '¥14,200.00 in 2 instalments',
    'recorded a payment of ¥8,000.00',
    'nothing is outstanding → closed (settled)',
  ]) {
    expect(timeline).toContain(words);
  }
  expect(lines.join('\n')).toContain('The case is closed (settled).');

  // A second run makes its own committee and users: the demo can be run again and again.
  const again = await runDemo(env.url, ADMIN, () => undefined);
  expect(again.status).toBe('closed');
  expect(again.caseNo).not.toBe(result.caseNo);
});

it('stops at the first failed step', async () => {
  await expect(
    runDemo(env.url, { username: ADMIN.username, password: 'wrong-password-1' }, () => undefined),
  ).rejects.toThrow(/admin login failed: HTTP 401/);
});
