/**
 * SPEC §11 and §13 for people: login, tokens, password change, deactivation, login rate limit, users and
 * their declared conflicts, organisations; and the service routes (health, OpenAPI document).
 */
import { ADMIN, startApi, TestEnv } from '../support/app';
import { caseBody, creditCode, login, seedWorld, World } from '../support/fixtures';
import { expectProblem, fieldsOf } from '../support/foundation';
import { client } from '../support/http';

let env: TestEnv;
let w: World;

beforeAll(async () => {
  env = await startApi();
  w = await seedWorld(env);
});
afterAll(() => env?.close());

const admin = () => client(env.url, w.admin);

async function newUser(username: string, body: Record<string, unknown>) {
  const r = await admin().post('/api/v1/users', {
    username,
    password: 'password-12345',
    displayName: username,
    ...body,
  });
  expect(r.status).toBe(201);
  return { id: r.body.id as string, token: await login(env, username, 'password-12345') };
}

describe('login and tokens', () => {
  it('answers a good login with a token and the user', async () => {
    const r = await client(env.url).post('/api/v1/auth/login', {
      username: 'coord1',
      password: 'password-12345',
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      accessToken: expect.any(String),
      user: { id: expect.any(String), role: 'coordinator', organisationId: w.committeeId },
    });
    expect(JSON.stringify(r.body)).not.toMatch(/password|hash/i);
    const audit = await env.db.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'login' AND user_id = $1`,
      [r.body.user.id],
    );
    expect(audit.rows[0].n).toBeGreaterThan(0);
  });

  it('401 UNAUTHORIZED for a wrong password, an unknown user, and a bad login body 400', async () => {
    expectProblem(
      await client(env.url).post('/api/v1/auth/login', { username: 'coord1', password: 'wrong-password' }),
      401,
      'UNAUTHORIZED',
    );
    expectProblem(
      await client(env.url).post('/api/v1/auth/login', {
        username: 'nobody-here',
        password: 'wrong-password',
      }),
      401,
      'UNAUTHORIZED',
    );
    const bad = await client(env.url).post('/api/v1/auth/login', { username: 'coord1' });
    expectProblem(bad, 400, 'VALIDATION_FAILED');
    expect(fieldsOf(bad)).toEqual(['password']);
  });

  it('401 without a token, with a malformed one, or a forged one', async () => {
    expectProblem(await client(env.url).get('/api/v1/cases'), 401, 'UNAUTHORIZED');
    expectProblem(await client(env.url, 'not-a-jwt').get('/api/v1/cases'), 401, 'UNAUTHORIZED');
    const [h, p] = w.coordinator.split('.');
    expectProblem(
      await client(env.url, `${h}.${p}.forgedsignature`).get('/api/v1/cases'),
      401,
      'UNAUTHORIZED',
    );
    const basic = await fetch(`${env.url}/api/v1/cases`, { headers: { authorization: 'Basic YTpi' } });
    expect(basic.status).toBe(401);
    expect(basic.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('changes the own password: the old token and the old password stop working at once', async () => {
    const u = await newUser('pwd-user', { role: 'coordinator', organisationId: w.committeeId });
    const me = client(env.url, u.token);
    expect((await me.get('/api/v1/users/me')).status).toBe(200);
    const wrong = await me.post('/api/v1/auth/password', {
      currentPassword: 'not-my-password',
      newPassword: 'a-new-password-1',
    });
    expectProblem(wrong, 400, 'VALIDATION_FAILED');
    expect(fieldsOf(wrong)).toEqual(['currentPassword']);
    const short = await me.post('/api/v1/auth/password', {
      currentPassword: 'password-12345',
      newPassword: 'short',
    });
    expectProblem(short, 400, 'VALIDATION_FAILED');
    expect(fieldsOf(short)).toEqual(['newPassword']);
    expect((await me.get('/api/v1/users/me')).status).toBe(200);

    const ok = await me.post('/api/v1/auth/password', {
      currentPassword: 'password-12345',
      newPassword: 'a-new-password-1',
    });
    expect(ok.status).toBe(204);
    expectProblem(await me.get('/api/v1/users/me'), 401, 'UNAUTHORIZED');
    expectProblem(
      await client(env.url).post('/api/v1/auth/login', { username: 'pwd-user', password: 'password-12345' }),
      401,
      'UNAUTHORIZED',
    );
    const fresh = await login(env, 'pwd-user', 'a-new-password-1');
    expect((await client(env.url, fresh).get('/api/v1/users/me')).status).toBe(200);
    const audit = await env.db.query(
      `SELECT 1 FROM audit_log WHERE action = 'password_changed' AND entity_id = $1`,
      [u.id],
    );
    expect(audit.rowCount).toBe(1);
  });

  it('a deactivated user’s token stops working at once, and they cannot log in', async () => {
    const u = await newUser('soon-gone', { role: 'mediator', organisationId: w.committeeId });
    const me = client(env.url, u.token);
    expect((await me.get('/api/v1/cases')).status).toBe(200);
    const off = await admin().patch(`/api/v1/users/${u.id}`, { active: false });
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ id: u.id, active: false });
    expectProblem(await me.get('/api/v1/cases'), 401, 'UNAUTHORIZED');
    expectProblem(await me.get('/api/v1/users/me'), 401, 'UNAUTHORIZED');
    expectProblem(
      await client(env.url).post('/api/v1/auth/login', { username: 'soon-gone', password: 'password-12345' }),
      401,
      'UNAUTHORIZED',
    );
    // Reactivated, they log in again; the token from before stays dead.
    expect((await admin().patch(`/api/v1/users/${u.id}`, { active: true })).status).toBe(200);
    expectProblem(await me.get('/api/v1/cases'), 401, 'UNAUTHORIZED');
    expect(
      (await client(env.url, await login(env, 'soon-gone', 'password-12345')).get('/api/v1/cases')).status,
    ).toBe(200);
  });

  it('a role change ends the user’s sessions too', async () => {
    const u = await newUser('role-change', { role: 'mediator', organisationId: w.committeeId });
    expect((await admin().patch(`/api/v1/users/${u.id}`, { role: 'coordinator' })).status).toBe(200);
    expectProblem(await client(env.url, u.token).get('/api/v1/cases'), 401, 'UNAUTHORIZED');
  });

  it('the 11th failed login for one username within 15 minutes answers 429 with Retry-After', async () => {
    await newUser('brute-target', { role: 'mediator', organisationId: w.committeeId });
    const attempt = (password: string) =>
      client(env.url).post('/api/v1/auth/login', { username: 'brute-target', password });
    for (let i = 0; i < 10; i++) expectProblem(await attempt(`wrong-${i}`), 401, 'UNAUTHORIZED');
    const limited = await attempt('wrong-10');
    expectProblem(limited, 429, 'RATE_LIMITED');
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    // Even the right password is refused while the limit holds; other users are not affected.
    expectProblem(await attempt('password-12345'), 429, 'RATE_LIMITED');
    expect(
      (await client(env.url).post('/api/v1/auth/login', { username: 'med1', password: 'password-12345' }))
        .status,
    ).toBe(200);
  });

  it('counts failed logins per username, whatever client address the request claims', async () => {
    await newUser('spoof-target', { role: 'mediator', organisationId: w.committeeId });
    const attempt = (password: string, ip: string) =>
      client(env.url).post(
        '/api/v1/auth/login',
        { username: 'spoof-target', password },
        { headers: { 'x-forwarded-for': ip } },
      );
    for (let i = 0; i < 10; i++)
      expectProblem(await attempt(`wrong-${i}`, `203.0.113.${i}`), 401, 'UNAUTHORIZED');
    expectProblem(await attempt('wrong-10', '198.51.100.7'), 429, 'RATE_LIMITED');
    expectProblem(await attempt('password-12345', '198.51.100.8'), 429, 'RATE_LIMITED');
  });
});

describe('users and organisations: admin only, validated', () => {
  it('refuses user and organisation management to other roles', async () => {
    for (const token of [w.coordinator, w.mediator, w.liaison]) {
      const c = client(env.url, token);
      expectProblem(
        await c.post('/api/v1/users', {
          username: 'sneaky',
          password: 'password-12345',
          displayName: 'x',
          role: 'admin',
        }),
        403,
        'FORBIDDEN',
      );
      expectProblem(
        await c.post('/api/v1/organisations', { kind: 'court', name: '某法院' }),
        403,
        'FORBIDDEN',
      );
      expectProblem(await c.patch(`/api/v1/users/${w.mediatorId}`, { active: false }), 403, 'FORBIDDEN');
    }
    const r = await env.db.query(`SELECT count(*)::int AS n FROM users WHERE username = 'sneaky'`);
    expect(r.rows[0].n).toBe(0);
  });

  it('checks a user’s role against their organisation', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ role: 'mediator', organisationId: w.courtId }, 'organisationId'],
      [{ role: 'court_liaison', organisationId: w.committeeId }, 'organisationId'],
      [{ role: 'coordinator' }, 'organisationId'],
      [{ role: 'coordinator', organisationId: w.committeeId, courtRostered: true }, 'courtRostered'],
      [{ role: 'superuser', organisationId: w.committeeId }, 'role'],
    ];
    for (const [body, field] of cases) {
      const r = await admin().post('/api/v1/users', {
        username: 'bad-user',
        password: 'password-12345',
        displayName: 'x',
        ...body,
      });
      expectProblem(r, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(r)).toEqual([field]);
    }
    const dup = await admin().post('/api/v1/users', {
      username: 'COORD1',
      password: 'password-12345',
      displayName: 'x',
      role: 'coordinator',
      organisationId: w.committeeId,
    });
    expect(dup.status).toBe(409);
    const r = await env.db.query(
      `SELECT count(*)::int AS n FROM users WHERE username IN ('bad-user', 'COORD1')`,
    );
    expect(r.rows[0].n).toBe(0);
  });

  it('lets a coordinator list their own committee’s mediators only', async () => {
    const r = await client(env.url, w.coordinator).get('/api/v1/users?role=mediator');
    expect(r.status).toBe(200);
    expect(r.body.items.length).toBeGreaterThan(0);
    expect(r.body.items.every((u: { organisationId: string }) => u.organisationId === w.committeeId)).toBe(
      true,
    );
    expect(JSON.stringify(r.body)).not.toMatch(/password/i);
    expectProblem(await client(env.url, w.mediator).get('/api/v1/users'), 403, 'FORBIDDEN');
  });
});

describe('declared conflicts of interest', () => {
  it('a mediator declares, lists and removes their own; a coordinator of the committee may too', async () => {
    const code = creditCode('430102', 555);
    const me = client(env.url, w.mediator);
    const made = await me.post(`/api/v1/users/${w.mediatorId}/conflicts`, {
      creditCode: code,
      note: '曾任法律顾问',
    });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ userId: w.mediatorId, creditCode: code });
    const list = await me.get(`/api/v1/users/${w.mediatorId}/conflicts`);
    expect(list.body.items.map((c: { creditCode: string }) => c.creditCode)).toContain(code);
    const audit = await env.db.query(
      `SELECT 1 FROM audit_log WHERE action = 'conflict_declared' AND entity_id = $1`,
      [w.mediatorId],
    );
    expect(audit.rowCount).toBeGreaterThan(0);
    expect((await me.del(`/api/v1/users/${w.mediatorId}/conflicts/${made.body.id}`)).status).toBe(204);
    const byCoordinator = await client(env.url, w.coordinator).post(
      `/api/v1/users/${w.mediatorId}/conflicts`,
      {
        creditCode: code,
      },
    );
    expect(byCoordinator.status).toBe(201);
  });

  it('refuses a bad credit code, another mediator’s declaration, and another committee', async () => {
    const before = await env.db.query(`SELECT count(*)::int AS n FROM mediator_conflicts`);
    const bad = await client(env.url, w.mediator).post(`/api/v1/users/${w.mediatorId}/conflicts`, {
      creditCode: '91350100M000100Y44',
    });
    expectProblem(bad, 400, 'VALIDATION_FAILED');
    expect(fieldsOf(bad)).toEqual(['creditCode']);
    expectProblem(
      await client(env.url, w.unrosteredMediator).post(`/api/v1/users/${w.mediatorId}/conflicts`, {
        creditCode: creditCode('430102', 556),
      }),
      403,
      'FORBIDDEN',
    );
    expectProblem(
      await client(env.url, w.otherCoordinator).post(`/api/v1/users/${w.mediatorId}/conflicts`, {
        creditCode: creditCode('430102', 557),
      }),
      404,
      'NOT_FOUND',
    );
    const after = await env.db.query(`SELECT count(*)::int AS n FROM mediator_conflicts`);
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });
});

describe('service routes', () => {
  it('GET /health answers 200 with the database and Redis ok', async () => {
    const r = await fetch(`${env.url}/health`);
    expect(r.status).toBe(200);
    const body = (await r.json()) as any;
    expect(body).toMatchObject({ status: 'ok', checks: { database: { ok: true }, redis: { ok: true } } });
  });

  it('GET /api/docs-json is an OpenAPI document of the case routes, with their problem answers', async () => {
    const r = await fetch(`${env.url}/api/docs-json`);
    expect(r.status).toBe(200);
    const doc = (await r.json()) as any;
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/cases',
        '/api/v1/cases/{id}',
        '/api/v1/cases/{id}/accept',
        '/api/v1/auth/login',
      ]),
    );
    const create = doc.paths['/api/v1/cases'].post;
    for (const status of ['400', '401', '403', '409', '422']) {
      expect(create.responses[status].content['application/problem+json'].schema.$ref).toBe(
        '#/components/schemas/Problem',
      );
    }
    expect(Object.keys(doc.paths['/api/v1/cases/{id}/accept'].post.responses)).toEqual(
      expect.arrayContaining(['400', '401', '403', '404', '409']),
    );
    expect(doc.components.schemas.Problem.properties).toHaveProperty('code');
    expect(doc.components.schemas.Problem.properties).toHaveProperty('errors');
  });

  it('an admin exists from the environment at first start', async () => {
    const r = await client(env.url).post('/api/v1/auth/login', ADMIN);
    expect(r.status).toBe(200);
    expect(r.body.user.role).toBe('admin');
    // The admin may not take cases in (they manage, they do not mediate).
    expectProblem(
      await client(env.url, r.body.accessToken).post('/api/v1/cases', caseBody()),
      403,
      'FORBIDDEN',
    );
  });
});
