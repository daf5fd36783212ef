/**
 * SPEC §7, §11: the delivery log and the hand retry of dead deliveries. Rows are written straight into the
 * outbox tables (no worker runs here), so every status, count and error is known.
 */
import { Client } from 'pg';
import { startApi, TestEnv } from '../support/app';
import { urlFor } from '../support/db';
import { caseBody, seedWorld, World } from '../support/fixtures';
import { auditRows, expectProblem, fieldsOf } from '../support/foundation';
import { client } from '../support/http';

let env: TestEnv;
let w: World;
let caseId: string;
let caseNo: string;
const HOOK_URL = 'https://93.184.216.34/hooks/court';
const d: Record<string, string> = {};

beforeAll(async () => {
  env = await startApi();
  w = await seedWorld(env);
  const c = await client(env.url, w.coordinator).post('/api/v1/cases', caseBody());
  expect(c.status).toBe(201);
  caseId = c.body.id;
  caseNo = c.body.caseNo;
  // Only the rows written below: whatever the intake itself put in the outbox is not this file's subject.
  await env.db.query(`DELETE FROM deliveries`);

  const q = async (sql: string, params: unknown[]) => (await env.db.query(sql, params)).rows[0].id as string;
  const event = await q(
    `INSERT INTO outbox_events (type, case_id, committee_id, data) VALUES ('case.accepted', $1, $2, '{}') RETURNING id`,
    [caseId, w.committeeId],
  );
  const report = await q(
    `INSERT INTO outbox_events (type, data) VALUES ('report.published', '{}') RETURNING id`,
    [],
  );
  const hook = await q(
    `INSERT INTO webhooks (organisation_id, url, events, secret_cipher) VALUES ($1, $2, '{case.accepted}', 'x') RETURNING id`,
    [w.courtId, HOOK_URL],
  );
  const delivery = (cols: Record<string, unknown>) => {
    const keys = Object.keys(cols);
    return q(
      `INSERT INTO deliveries (${keys.join(', ')}) VALUES (${keys.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id`,
      Object.values(cols),
    );
  };
  const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000);
  // Oldest first: the court's dead webhook, the worker's pending SMS, the other committee's dead e-mail,
  // a dead SMS of this committee, and three delivered e-mails written in one statement (one created_at).
  d.webhookDead = await delivery({
    event_id: event,
    channel: 'webhook',
    owner_organisation_id: w.courtId,
    webhook_id: hook,
    status: 'dead',
    attempts: 8,
    attempt_limit: 8,
    last_status_code: 500,
    last_error: 'HTTP 500',
    last_attempt_at: ago(10),
    created_at: ago(60),
  });
  d.smsPending = await delivery({
    event_id: event,
    channel: 'sms',
    owner_organisation_id: w.committeeId,
    recipient: '13800138000',
    recipient_masked: '138****8000',
    message: { text: '您的申请已受理。' },
    status: 'pending',
    attempts: 1,
    attempt_limit: 8,
    next_attempt_at: ago(-5),
    last_error: 'HTTP 503',
    last_status_code: 503,
    created_at: ago(50),
  });
  d.otherDead = await delivery({
    event_id: report,
    channel: 'email',
    owner_organisation_id: w.otherCommitteeId,
    recipient: 'x@example.com',
    recipient_masked: 'x***@example.com',
    status: 'dead',
    attempts: 8,
    attempt_limit: 8,
    last_error: 'SMTP 550',
    last_status_code: 550,
    created_at: ago(40),
  });
  d.smsDead = await delivery({
    event_id: event,
    channel: 'sms',
    owner_organisation_id: w.committeeId,
    recipient: '13900139000',
    recipient_masked: '139****9000',
    status: 'dead',
    attempts: 3,
    attempt_limit: 3,
    last_error: 'connection failed',
    created_at: ago(30),
  });
  const same = await env.db.query(
    `INSERT INTO deliveries (event_id, channel, owner_organisation_id, recipient, recipient_masked, status, attempts,
                             attempt_limit, delivered_at, created_at)
     SELECT $1, 'email', $2, 'a@example.com', 'a***@example.com', 'delivered', 1, 8, now(), now() - interval '1 minute'
       FROM generate_series(1, 3) RETURNING id`,
    [event, w.courtId],
  );
  d.sameTime = same.rows.map((r) => r.id).join(',');
});
afterAll(() => env?.close());

const ids = (body: { items: Array<{ id: string }> }) => body.items.map((i) => i.id);

describe('the delivery log', () => {
  it('shows admins every delivery, newest first, with its event, case and attempts', async () => {
    const r = await client(env.url, w.admin).get('/api/v1/deliveries');
    expect(r.status).toBe(200);
    expect(r.body.nextCursor).toBeNull();
    expect(ids(r.body).slice(3)).toEqual([d.smsDead, d.otherDead, d.smsPending, d.webhookDead]);
    expect(new Set(ids(r.body).slice(0, 3))).toEqual(new Set(d.sameTime.split(',')));
    const hook = r.body.items.find((i: { id: string }) => i.id === d.webhookDead);
    expect(hook).toEqual({
      id: d.webhookDead,
      eventId: expect.any(String),
      eventType: 'case.accepted',
      caseId,
      caseNo,
      channel: 'webhook',
      ownerOrganisationId: w.courtId,
      webhookId: expect.any(String),
      recipient: HOOK_URL,
      status: 'dead',
      attempts: 8,
      attemptLimit: 8,
      nextAttemptAt: null,
      lastAttemptAt: expect.any(String),
      lastStatusCode: 500,
      lastError: 'HTTP 500',
      deliveredAt: null,
      createdAt: expect.any(String),
    });
    const sms = r.body.items.find((i: { id: string }) => i.id === d.smsPending);
    expect(sms).toMatchObject({
      channel: 'sms',
      recipient: '138****8000',
      status: 'pending',
      attempts: 1,
      lastStatusCode: 503,
    });
    expect(sms.nextAttemptAt).toEqual(expect.any(String));
    const report = r.body.items.find((i: { id: string }) => i.id === d.otherDead);
    expect(report).toMatchObject({ eventType: 'report.published', caseId: null, caseNo: null });
    // Full e-mail addresses and phone numbers never leave the database.
    const text = JSON.stringify(r.body);
    for (const secret of ['13800138000', '13900139000', 'x@example.com', 'a@example.com'])
      expect(text).not.toContain(secret);
  });

  it('filters by channel and status', async () => {
    const api = client(env.url, w.admin);
    expect(ids((await api.get('/api/v1/deliveries?channel=sms')).body)).toEqual([d.smsDead, d.smsPending]);
    expect(ids((await api.get('/api/v1/deliveries?status=dead')).body)).toEqual([
      d.smsDead,
      d.otherDead,
      d.webhookDead,
    ]);
    expect(ids((await api.get('/api/v1/deliveries?channel=sms&status=dead')).body)).toEqual([d.smsDead]);
    expect(ids((await api.get('/api/v1/deliveries?channel=webhook&status=delivered')).body)).toEqual([]);
  });

  it('shows other staff only what their organisation owns', async () => {
    const of = async (token: string, query = '') =>
      ids((await client(env.url, token).get(`/api/v1/deliveries${query}`)).body);
    expect(await of(w.coordinator)).toEqual([d.smsDead, d.smsPending]);
    expect(await of(w.otherCoordinator)).toEqual([d.otherDead]);
    expect(await of(w.liaison, '?status=dead')).toEqual([d.webhookDead]);
    expect(await of(w.otherLiaison)).toEqual([]);
    expect(await of(w.observer)).toEqual([]);
  });

  it('pages with a cursor, without losing or repeating rows that share a creation time', async () => {
    const api = client(env.url, w.admin);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const r: { status: number; body: { items: Array<{ id: string }>; nextCursor: string | null } } =
        await api.get(`/api/v1/deliveries?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(r.status).toBe(200);
      expect(r.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...ids(r.body));
      cursor = r.body.nextCursor;
    } while (cursor);
    const all = ids((await api.get('/api/v1/deliveries')).body);
    expect(seen).toEqual(all);
    expect(all).toHaveLength(7);
  });

  it('refuses bad filters', async () => {
    const api = client(env.url, w.admin);
    for (const [query, field] of [
      ['channel=fax', 'channel'],
      ['status=lost', 'status'],
      ['limit=0', 'limit'],
      ['limit=201', 'limit'],
      ['cursor=bm9wZQ', 'cursor'],
      ['colour=red', 'colour'],
    ]) {
      const r = await api.get(`/api/v1/deliveries?${query}`);
      expectProblem(r, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(r)).toEqual([field]);
    }
    expectProblem(await client(env.url).get('/api/v1/deliveries'), 401, 'UNAUTHORIZED');
  });
});

describe('retrying a dead delivery', () => {
  const row = async (id: string) =>
    (await env.db.query(`SELECT * FROM deliveries WHERE id = $1`, [id])).rows[0];

  it('puts it back to pending for one attempt more, wakes the relay, and audits it', async () => {
    // The relay LISTENs on the outbox channel; a retry must reach it when it commits.
    const listener = new Client({ connectionString: urlFor(env.dbName) });
    await listener.connect();
    const notified = new Promise<string>((resolve) => listener.on('notification', (n) => resolve(n.channel)));
    await listener.query('LISTEN outbox');
    try {
      const r = await client(env.url, w.liaison).post(`/api/v1/deliveries/${d.webhookDead}/retry`);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({
        id: d.webhookDead,
        status: 'pending',
        attempts: 8,
        attemptLimit: 9,
        lastError: 'HTTP 500',
      });
      expect(Math.abs(Date.parse(r.body.nextAttemptAt) - Date.now())).toBeLessThan(10_000);
      const stored = await row(d.webhookDead);
      expect(stored).toMatchObject({
        status: 'pending',
        attempts: 8,
        attempt_limit: 9,
        enqueued_attempt: null,
      });
      expect(await notified).toBe('outbox');
    } finally {
      await listener.end();
    }
    const audit = await auditRows(env, 'delivery_retried', d.webhookDead);
    expect(audit).toHaveLength(1);
  });

  it('refuses a delivery that is not dead', async () => {
    const before = await row(d.smsPending);
    const r = await client(env.url, w.coordinator).post(`/api/v1/deliveries/${d.smsPending}/retry`);
    expectProblem(r, 409, 'DELIVERY_NOT_RETRYABLE');
    expect(r.body.currentStatus).toBe('pending');
    expect(await row(d.smsPending)).toEqual(before);
    // The one just retried is pending now: a second click is refused too.
    expectProblem(
      await client(env.url, w.admin).post(`/api/v1/deliveries/${d.webhookDead}/retry`),
      409,
      'DELIVERY_NOT_RETRYABLE',
    );
    const delivered = d.sameTime.split(',')[0];
    expectProblem(
      await client(env.url, w.admin).post(`/api/v1/deliveries/${delivered}/retry`),
      409,
      'DELIVERY_NOT_RETRYABLE',
    );
  });

  it('is for admins and the owning organisation’s coordinators and liaisons only', async () => {
    const before = await row(d.otherDead);
    const auditBefore = await env.db.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'delivery_retried'`,
    );
    // Another organisation's delivery is not there for them.
    expectProblem(
      await client(env.url, w.coordinator).post(`/api/v1/deliveries/${d.otherDead}/retry`),
      404,
      'NOT_FOUND',
    );
    expectProblem(
      await client(env.url, w.liaison).post(`/api/v1/deliveries/${d.smsDead}/retry`),
      404,
      'NOT_FOUND',
    );
    expectProblem(
      await client(env.url, w.otherLiaison).post(`/api/v1/deliveries/${d.otherDead}/retry`),
      404,
      'NOT_FOUND',
    );
    // Roles that never retry, even their own organisation's.
    expectProblem(
      await client(env.url, w.mediator).post(`/api/v1/deliveries/${d.smsDead}/retry`),
      403,
      'FORBIDDEN',
    );
    expectProblem(
      await client(env.url, w.observer).post(`/api/v1/deliveries/${d.otherDead}/retry`),
      403,
      'FORBIDDEN',
    );
    expectProblem(
      await client(env.url, w.admin).post('/api/v1/deliveries/00000000-0000-4000-8000-000000000000/retry'),
      404,
      'NOT_FOUND',
    );
    expectProblem(await client(env.url, w.admin).post('/api/v1/deliveries/nope/retry'), 404, 'NOT_FOUND');
    expect(await row(d.otherDead)).toEqual(before);
    const auditAfter = await env.db.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'delivery_retried'`,
    );
    expect(auditAfter.rows[0].n).toBe(auditBefore.rows[0].n);

    const own = await client(env.url, w.coordinator).post(`/api/v1/deliveries/${d.smsDead}/retry`);
    expect(own.body).toMatchObject({
      status: 'pending',
      attempts: 3,
      attemptLimit: 4,
      recipient: '139****9000',
    });
    const byAdmin = await client(env.url, w.admin).post(`/api/v1/deliveries/${d.otherDead}/retry`);
    expect(byAdmin.body).toMatchObject({ status: 'pending', attemptLimit: 9 });
  });
});
