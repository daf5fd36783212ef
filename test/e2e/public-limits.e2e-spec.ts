import { startApi, startSecondApi, TestEnv } from '../support/app';
import { caseBody, seedWorld, World } from '../support/fixtures';
import { client, request } from '../support/http';

// SPEC §10: failures are limited per case number and client (the sixth within 15 minutes answers 429 with
// Retry-After) and per case number over all clients (50 an hour: 429 for everyone, and the coordinators are
// told). The limits live in Redis, so two API processes share them. A coordinator's reset ends the old code.
let env: TestEnv;
let second: { url: string; close(): Promise<void> };
let w: World;
let ip = 0;

beforeAll(async () => {
  env = await startApi();
  second = await startSecondApi(env);
  w = await seedWorld(env);
});
afterAll(async () => {
  await second?.close();
  await env?.close();
});

/** A client of its own: trustProxy is on, so the left-most X-Forwarded-For address is the client. */
function newClient() {
  const address = `203.0.113.${++ip}`;
  return (body: unknown, base = env.url) =>
    request(base, 'POST', '/api/v1/public/case-status', {
      body,
      headers: { 'x-forwarded-for': address },
    });
}

async function newCase() {
  const r = await client(env.url, w.coordinator).post('/api/v1/cases', caseBody());
  expect(r.status).toBe(201);
  return r.body as { id: string; caseNo: string; accessCode: string };
}

/** A well-formed code that is not the case's. */
function wrong(code: string, n = 0): string {
  const other = 'Z0123456789ABCDEFGHJKMNPQRSTVWXY'.replace(code[0], '')[n % 31];
  return other + code.slice(1);
}

describe('per case number and client', () => {
  it('answers the sixth failure within 15 minutes with 429 and Retry-After; another client still gets in', async () => {
    const c = await newCase();
    const mallory = newClient();
    for (let i = 0; i < 5; i++) {
      const r = await mallory({ caseNo: c.caseNo, accessCode: wrong(c.accessCode, i) });
      expect(r.status).toBe(404);
    }
    const sixth = await mallory({ caseNo: c.caseNo, accessCode: wrong(c.accessCode, 5) });
    expect(sixth.status).toBe(429);
    expect(sixth.body.code).toBe('RATE_LIMITED');
    const retryAfter = Number(sixth.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    // Blocked means blocked: the right code is no way to tell right from wrong while the block lasts.
    expect((await mallory({ caseNo: c.caseNo, accessCode: c.accessCode })).status).toBe(429);

    const worker = newClient();
    const ok = await worker({ caseNo: c.caseNo, accessCode: c.accessCode });
    expect(ok.status).toBe(200);
    // The same client may still check another case.
    const other = await newCase();
    expect((await mallory({ caseNo: other.caseNo, accessCode: other.accessCode })).status).toBe(200);
  });

  it('counts failures across two API processes sharing Redis', async () => {
    const c = await newCase();
    const mallory = newClient();
    for (let i = 0; i < 5; i++) {
      const base = i % 2 === 0 ? env.url : second.url;
      expect((await mallory({ caseNo: c.caseNo, accessCode: wrong(c.accessCode, i) }, base)).status).toBe(
        404,
      );
    }
    const onSecond = await mallory({ caseNo: c.caseNo, accessCode: wrong(c.accessCode, 5) }, second.url);
    expect(onSecond.status).toBe(429);
    expect(Number(onSecond.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await mallory({ caseNo: c.caseNo, accessCode: wrong(c.accessCode, 6) }, env.url)).status).toBe(
      429,
    );
    // Both processes read the case and answer it the same.
    const worker = newClient();
    const a = await worker({ caseNo: c.caseNo, accessCode: c.accessCode }, env.url);
    const b = await worker({ caseNo: c.caseNo, accessCode: c.accessCode }, second.url);
    expect(a.status).toBe(200);
    expect(b.body).toEqual(a.body);
  });

  it('does not count a right code as a failure', async () => {
    const c = await newCase();
    const me = newClient();
    for (let i = 0; i < 4; i++) {
      expect((await me({ caseNo: c.caseNo, accessCode: wrong(c.accessCode, i) })).status).toBe(404);
    }
    expect((await me({ caseNo: c.caseNo, accessCode: c.accessCode })).status).toBe(200);
    expect((await me({ caseNo: c.caseNo, accessCode: wrong(c.accessCode, 4) })).status).toBe(404);
    expect((await me({ caseNo: c.caseNo, accessCode: wrong(c.accessCode, 5) })).status).toBe(429);
  });

  it('limits an unknown case number the same way (nothing tells it from a known one)', async () => {
    const me = newClient();
    for (let i = 0; i < 5; i++) {
      expect((await me({ caseNo: 'CSZGH-2026-88888', accessCode: `ABCDEFG${i}` })).status).toBe(404);
    }
    expect((await me({ caseNo: 'CSZGH-2026-88888', accessCode: 'ABCDEFG9' })).status).toBe(429);
  });

  it('lets through only five of many simultaneous guesses', async () => {
    const c = await newCase();
    const me = newClient();
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        me({ caseNo: c.caseNo, accessCode: wrong(c.accessCode, i) }, i % 2 ? second.url : env.url),
      ),
    );
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 404)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(7);
  });
});

describe('per case number over all clients', () => {
  it('locks the case number for everyone after 50 failures in an hour and tells its coordinators once', async () => {
    const c = await newCase();
    for (let n = 0; n < 10; n++) {
      const guesser = newClient();
      for (let i = 0; i < 5; i++) {
        const r = await guesser(
          { caseNo: c.caseNo, accessCode: wrong(c.accessCode, i) },
          n % 2 ? second.url : env.url,
        );
        expect(r.status).toBe(404);
      }
    }
    const fresh = newClient();
    const locked = await fresh({ caseNo: c.caseNo, accessCode: c.accessCode });
    expect(locked.status).toBe(429);
    expect(locked.body.code).toBe('RATE_LIMITED');
    const retryAfter = Number(locked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(15 * 60);
    expect(retryAfter).toBeLessThanOrEqual(60 * 60);
    expect((await newClient()({ caseNo: c.caseNo, accessCode: c.accessCode }, second.url)).status).toBe(429);

    const inbox = await env.db.query(
      `SELECT n.user_id, n.kind, n.title, n.payload FROM notifications n WHERE n.case_id = $1`,
      [c.id],
    );
    const coordinators = await env.db.query(
      `SELECT id FROM users WHERE role = 'coordinator' AND organisation_id = $1`,
      [w.committeeId],
    );
    expect(inbox.rows).toHaveLength(coordinators.rows.length);
    expect(inbox.rows[0]).toMatchObject({
      kind: 'status_check_locked',
      title: `案件${c.caseNo}的进度查询已被暂停`,
      payload: { caseId: c.id, caseNo: c.caseNo },
    });
    const audit = await env.db.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'status_check_locked' AND entity_id = $1`,
      [c.id],
    );
    expect(audit.rows[0].n).toBe(1);
    // The coordinator reads it in the inbox, where the deadlines feature lists notifications.
    const list = await client(env.url, w.coordinator).get('/api/v1/notifications');
    if (list.status === 200) {
      expect(JSON.stringify(list.body)).toContain('status_check_locked');
    }
    // Other cases are untouched.
    const other = await newCase();
    expect((await newClient()({ caseNo: other.caseNo, accessCode: other.accessCode })).status).toBe(200);
  });
});

describe('access code reset', () => {
  it('ends the old code and starts the new one', async () => {
    const c = await newCase();
    const me = newClient();
    expect((await me({ caseNo: c.caseNo, accessCode: c.accessCode })).status).toBe(200);
    const reset = await client(env.url, w.coordinator).post(`/api/v1/cases/${c.id}/access-code`, {});
    expect(reset.status).toBe(200);
    expect(reset.body.caseNo).toBe(c.caseNo);
    expect(reset.body.accessCode).toMatch(/^[0-9A-HJKMNP-TV-Z]{8}$/);
    expect(reset.body.accessCode).not.toBe(c.accessCode);
    const old = await me({ caseNo: c.caseNo, accessCode: c.accessCode });
    expect(old.status).toBe(404);
    expect(old.body.code).toBe('NOT_FOUND');
    expect((await me({ caseNo: c.caseNo, accessCode: reset.body.accessCode }, second.url)).status).toBe(200);
    // Only the case's coordinators reset codes.
    const mediator = await client(env.url, w.mediator).post(`/api/v1/cases/${c.id}/access-code`, {});
    expect(mediator.status).toBe(403);
    const other = await client(env.url, w.otherCoordinator).post(`/api/v1/cases/${c.id}/access-code`, {});
    expect(other.status).toBe(404);
  });
});

describe('online applications', () => {
  it('limits applications per client to 20 an hour; a 429 is not kept as the answer of its key', async () => {
    const headers = { 'x-forwarded-for': '192.0.2.77' };
    const apply = (key?: string) =>
      request(env.url, 'POST', '/api/v1/public/applications', {
        body: { committeeId: w.committeeId },
        headers: key ? { ...headers, 'idempotency-key': key } : headers,
      });
    for (let i = 0; i < 20; i++) expect((await apply(`limit-key-${i}`)).status).toBe(400);
    const over = await apply('limit-key-final');
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another client is not affected.
    const other = await request(env.url, 'POST', '/api/v1/public/applications', {
      body: { committeeId: w.committeeId },
      headers: { 'x-forwarded-for': '192.0.2.78', 'idempotency-key': 'limit-key-final' },
    });
    expect(other.status).toBe(400);
    const stored = await env.db.query(
      `SELECT count(*)::int AS n FROM idempotency_keys WHERE response_status = 429`,
    );
    expect(stored.rows[0].n).toBe(0);
  });
});
