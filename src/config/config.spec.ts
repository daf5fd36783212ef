import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('has the SPEC §14 defaults', () => {
    const c = loadConfig({});
    expect(c.databaseUrl).toBe('postgres://postgres@127.0.0.1:5432/mediation');
    expect(c.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(c.port).toBe(3000);
    expect(c.trustProxy).toBe(false);
    expect(c.mediationDays).toMatchObject({
      walk_in: 15,
      court_delegated: 30,
      court_entrusted: 15,
      simplified: 7,
    });
  });

  it('takes mediation periods from MEDIATION_DAYS', () => {
    const c = loadConfig({ MEDIATION_DAYS: 'court_delegated=20, simplified=5' });
    expect(c.mediationDays).toMatchObject({ court_delegated: 20, simplified: 5, walk_in: 15 });
  });

  it.each([
    [{ PORT: 'abc' }, /PORT/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL/],
    [{ DATA_ENCRYPTION_KEY: 'c2hvcnQ=' }, /DATA_ENCRYPTION_KEY/],
    [{ MEDIATION_DAYS: 'court_delegated=0' }, /MEDIATION_DAYS/],
    [{ MEDIATION_DAYS: 'bogus=10' }, /MEDIATION_DAYS/],
    [{ TRUST_PROXY: 'everyone' }, /TRUST_PROXY/],
    [{ ADMIN_USERNAME: 'admin' }, /ADMIN_PASSWORD/],
    [{ NODE_ENV: 'production' }, /JWT_SECRET|DATA_ENCRYPTION_KEY/],
  ])('refuses %j with one clear line', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
