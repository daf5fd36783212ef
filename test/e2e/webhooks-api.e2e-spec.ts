/**
 * SPEC §7, §11: organisations' webhook endpoints through the API — the secret shown once and kept encrypted,
 * rotation, enable/disable, who may manage whose endpoints, and refused input (nothing written).
 */
import { Webhook } from 'standardwebhooks';
import { DataProtector } from '../../src/common/crypto';
import { ADMIN, startApi, TEST_KEY, TestEnv } from '../support/app';
import { counts, login, seedWorld, World } from '../support/fixtures';
import { auditRows, expectProblem, fieldsOf } from '../support/foundation';
import { client } from '../support/http';

// Tests run with WEBHOOK_ALLOW_PRIVATE unset (false), as in production: receivers are public IP literals
// (no DNS, nothing is sent at registration).
const PUBLIC_URL = 'https://93.184.216.34/hooks/mediation';
const SECRET = /^whsec_[A-Za-z0-9+/]{43}=$/;

let env: TestEnv;
let w: World;
const protector = new DataProtector(Buffer.from(TEST_KEY, 'base64'));

beforeAll(async () => {
  env = await startApi();
  w = await seedWorld(env);
});
afterAll(() => env?.close());

const hooks = (orgId: string) => `/api/v1/organisations/${orgId}/webhooks`;

async function stored(id: string) {
  const r = await env.db.query(`SELECT * FROM webhooks WHERE id = $1`, [id]);
  return r.rows[0];
}

async function written() {
  const r = await env.db.query(
    `SELECT (SELECT count(*) FROM webhooks)::int AS webhooks,
            (SELECT count(*) FROM audit_log WHERE entity = 'webhook')::int AS audit`,
  );
  return { ...r.rows[0], ...(await counts(env)) };
}

describe('creating and reading', () => {
  it('creates an endpoint, shows its secret this once, and keeps it encrypted', async () => {
    const r = await client(env.url, w.admin).post(hooks(w.courtId), {
      url: PUBLIC_URL,
      events: ['case.accepted', 'referral.created', 'case.accepted'],
    });
    expect(r.status).toBe(201);
    expect(r.body).toEqual({
      id: expect.any(String),
      organisationId: w.courtId,
      url: PUBLIC_URL,
      events: ['case.accepted', 'referral.created'],
      enabled: true,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      secret: expect.stringMatching(SECRET),
    });
    // A Standard Webhooks library takes it as it is.
    expect(() => new Webhook(r.body.secret)).not.toThrow();

    const row = await stored(r.body.id);
    expect(JSON.stringify(row)).not.toContain(r.body.secret);
    expect(JSON.stringify(row)).not.toContain(r.body.secret.slice(6));
    expect(protector.decrypt(row.secret_cipher)).toBe(r.body.secret);

    const list = await client(env.url, w.admin).get(hooks(w.courtId));
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).not.toHaveProperty('secret');
    expect(JSON.stringify(list.body)).not.toContain(r.body.secret.slice(6));

    const audit = await auditRows(env, 'webhook_created', r.body.id);
    expect(audit).toHaveLength(1);
    expect(audit[0].detail).toEqual({
      organisationId: w.courtId,
      events: ['case.accepted', 'referral.created'],
      host: '93.184.216.34',
    });
  });

  it('lets a liaison manage their own court’s endpoints, and nobody else’s', async () => {
    const own = await client(env.url, w.liaison).post(hooks(w.courtId), {
      url: PUBLIC_URL,
      events: ['referral.created'],
    });
    expect(own.status).toBe(201);
    expect(own.body.secret).toMatch(SECRET);
    const list = await client(env.url, w.liaison).get(hooks(w.courtId));
    expect(list.status).toBe(200);
    expect(list.body.items.map((h: { id: string }) => h.id)).toContain(own.body.id);

    const before = await written();
    // Another court's liaison: as if the organisation did not exist.
    expectProblem(await client(env.url, w.otherLiaison).get(hooks(w.courtId)), 404, 'NOT_FOUND');
    expectProblem(
      await client(env.url, w.otherLiaison).post(hooks(w.courtId), {
        url: PUBLIC_URL,
        events: ['case.accepted'],
      }),
      404,
      'NOT_FOUND',
    );
    expectProblem(
      await client(env.url, w.liaison).post(hooks(w.otherCourtId), {
        url: PUBLIC_URL,
        events: ['case.accepted'],
      }),
      404,
      'NOT_FOUND',
    );
    expectProblem(
      await client(env.url, w.otherLiaison).patch(`${hooks(w.courtId)}/${own.body.id}`, { enabled: false }),
      404,
      'NOT_FOUND',
    );
    expectProblem(
      await client(env.url, w.otherLiaison).post(`${hooks(w.courtId)}/${own.body.id}/rotate-secret`),
      404,
      'NOT_FOUND',
    );
    // Roles that do not manage endpoints at all.
    for (const token of [w.mediator, w.coordinator, w.observer]) {
      expectProblem(await client(env.url, token).get(hooks(w.courtId)), 403, 'FORBIDDEN');
      expectProblem(
        await client(env.url, token).post(hooks(w.committeeId), {
          url: PUBLIC_URL,
          events: ['case.accepted'],
        }),
        403,
        'FORBIDDEN',
      );
    }
    expectProblem(await client(env.url).get(hooks(w.courtId)), 401, 'UNAUTHORIZED');
    // An admin on an organisation that does not exist.
    expectProblem(
      await client(env.url, w.admin).get(hooks('00000000-0000-4000-8000-000000000000')),
      404,
      'NOT_FOUND',
    );
    expectProblem(await client(env.url, w.admin).get(hooks('not-a-uuid')), 404, 'NOT_FOUND');
    expect(await written()).toEqual(before);
  });

  it('answers the same endpoint and secret again for a repeated Idempotency-Key', async () => {
    const body = { url: 'https://93.184.216.35/hooks', events: ['case.failed'] };
    const headers = { 'idempotency-key': 'webhook-create-key-1' };
    const first = await client(env.url, w.admin).post(hooks(w.arbitrationId), body, { headers });
    const again = await client(env.url, w.admin).post(hooks(w.arbitrationId), body, { headers });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    const rows = await env.db.query(`SELECT count(*)::int AS n FROM webhooks WHERE organisation_id = $1`, [
      w.arbitrationId,
    ]);
    expect(rows.rows[0].n).toBe(1);
  });
});

describe('enabling, disabling and rotating', () => {
  let id: string;
  let secret: string;

  beforeAll(async () => {
    const r = await client(env.url, w.liaison).post(hooks(w.courtId), {
      url: PUBLIC_URL,
      events: ['case.settled'],
    });
    id = r.body.id;
    secret = r.body.secret;
  });

  it('disables and enables an endpoint, audited', async () => {
    const off = await client(env.url, w.liaison).patch(`${hooks(w.courtId)}/${id}`, { enabled: false });
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ id, enabled: false, url: PUBLIC_URL, events: ['case.settled'] });
    expect(off.body).not.toHaveProperty('secret');
    expect((await stored(id)).enabled).toBe(false);
    const listed = await client(env.url, w.admin).get(hooks(w.courtId));
    expect(listed.body.items.find((h: { id: string }) => h.id === id).enabled).toBe(false);
    const on = await client(env.url, w.admin).patch(`${hooks(w.courtId)}/${id}`, { enabled: true });
    expect(on.body.enabled).toBe(true);
    expect(await auditRows(env, 'webhook_disabled', id)).toHaveLength(1);
    expect(await auditRows(env, 'webhook_enabled', id)).toHaveLength(1);
  });

  it('refuses other changes and other organisations’ endpoints on PATCH', async () => {
    const before = await written();
    const api = client(env.url, w.admin);
    expectProblem(await api.patch(`${hooks(w.courtId)}/${id}`, { enabled: 'no' }), 400, 'VALIDATION_FAILED');
    const unknown = await api.patch(`${hooks(w.courtId)}/${id}`, { enabled: false, url: PUBLIC_URL });
    expectProblem(unknown, 400, 'VALIDATION_FAILED');
    expect(fieldsOf(unknown)).toEqual(['url']);
    expectProblem(await api.patch(`${hooks(w.courtId)}/${id}`, {}), 400, 'VALIDATION_FAILED');
    // The endpoint exists, but not under that organisation.
    expectProblem(await api.patch(`${hooks(w.otherCourtId)}/${id}`, { enabled: false }), 404, 'NOT_FOUND');
    expectProblem(await api.post(`${hooks(w.otherCourtId)}/${id}/rotate-secret`), 404, 'NOT_FOUND');
    expectProblem(
      await api.patch(`${hooks(w.courtId)}/00000000-0000-4000-8000-000000000000`, { enabled: false }),
      404,
      'NOT_FOUND',
    );
    expect(await written()).toEqual(before);
    expect((await stored(id)).enabled).toBe(true);
  });

  it('rotates the secret: a new one shown once, the old one signing too for a day', async () => {
    const r = await client(env.url, w.liaison).post(`${hooks(w.courtId)}/${id}/rotate-secret`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ id, secret: expect.stringMatching(SECRET) });
    expect(r.body.secret).not.toBe(secret);
    const row = await stored(id);
    expect(protector.decrypt(row.secret_cipher)).toBe(r.body.secret);
    expect(JSON.stringify(row)).not.toContain(r.body.secret.slice(6));
    const overlap = (
      await env.db.query(
        `SELECT previous_secret_cipher, previous_secret_until - now() > interval '23 hours 59 minutes' AS a_day
           FROM webhooks WHERE id = $1`,
        [id],
      )
    ).rows[0];
    expect(protector.decrypt(overlap.previous_secret_cipher)).toBe(secret);
    expect(overlap.a_day).toBe(true);
    expect(await auditRows(env, 'webhook_secret_rotated', id)).toHaveLength(1);
    const list = await client(env.url, w.liaison).get(hooks(w.courtId));
    expect(JSON.stringify(list.body)).not.toContain(r.body.secret.slice(6));
  });
});

describe('refused input: a clear 4xx and nothing written', () => {
  const refused = async (body: unknown) => {
    const before = await written();
    const r = await client(env.url, w.admin).post(hooks(w.courtId), body);
    expect(await written()).toEqual(before);
    return r;
  };

  it.each([
    ['ftp://93.184.216.34/hooks'],
    ['file:///etc/passwd'],
    ['not a url'],
    ['/relative/path'],
    ['https://user:password@93.184.216.34/hooks'],
    [42],
  ])('a URL that is not an absolute http(s) URL: %s', async (url) => {
    const r = await refused({ url, events: ['case.accepted'] });
    expectProblem(r, 400, 'VALIDATION_FAILED');
    expect(fieldsOf(r)).toEqual(['url']);
  });

  it.each([
    ['http://127.0.0.1:8080/hooks'],
    ['http://10.0.0.5/hooks'],
    ['http://192.168.1.20/hooks'],
    ['http://169.254.169.254/latest/meta-data'],
    ['http://100.64.0.10/'],
    ['http://[::1]:3000/'],
    ['http://[fd00::1]/'],
    ['http://localhost:3000/hooks'],
  ])('a private address while WEBHOOK_ALLOW_PRIVATE is off: %s', async (url) => {
    const r = await refused({ url, events: ['case.accepted'] });
    expectProblem(r, 422, 'WEBHOOK_URL_NOT_ALLOWED');
    expect(r.body.reason).toBe('private_address');
    expect(r.body.detail).toMatch(/public/);
  });

  it('unknown event types, each named', async () => {
    const r = await refused({
      url: PUBLIC_URL,
      events: ['case.accepted', 'case.exploded', 'referral.created', 'CASE.ACCEPTED'],
    });
    expectProblem(r, 400, 'VALIDATION_FAILED');
    expect(fieldsOf(r)).toEqual(['events.1', 'events.3']);
  });

  it.each([
    [{ url: PUBLIC_URL, events: [] }, ['events']],
    [{ url: PUBLIC_URL }, ['events']],
    [{ url: PUBLIC_URL, events: 'case.accepted' }, ['events']],
    [{ url: PUBLIC_URL, events: [7] }, ['events']],
    [{ events: ['case.accepted'] }, ['url']],
    [{ url: PUBLIC_URL, events: ['case.accepted'], secret: 'whsec_mine' }, ['secret']],
    [{ url: PUBLIC_URL, events: ['case.accepted'], enabled: false }, ['enabled']],
  ])('malformed body %j', async (body, fields) => {
    const r = await refused(body);
    expectProblem(r, 400, 'VALIDATION_FAILED');
    expect(fieldsOf(r)).toEqual(fields);
  });
});

describe('with WEBHOOK_ALLOW_PRIVATE=true', () => {
  let priv: TestEnv;
  beforeAll(async () => {
    priv = await startApi({ WEBHOOK_ALLOW_PRIVATE: 'true' });
  });
  afterAll(() => priv?.close());

  it('accepts a receiver on the loopback (development and tests), still only http(s)', async () => {
    const admin = client(priv.url, await login(priv, ADMIN.username, ADMIN.password));
    const court = await admin.post('/api/v1/organisations', {
      kind: 'court',
      name: '测试法院',
      jurisdictionDivisionCodes: ['430102'],
    });
    const r = await admin.post(hooks(court.body.id), {
      url: 'http://127.0.0.1:9/hooks',
      events: ['case.accepted'],
    });
    expect(r.status).toBe(201);
    expectProblem(
      await admin.post(hooks(court.body.id), { url: 'ftp://127.0.0.1/', events: ['case.accepted'] }),
      400,
      'VALIDATION_FAILED',
    );
  });
});
