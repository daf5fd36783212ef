/**
 * `npm run bench`: the service against a bare Fastify + pg handler doing the same reads, on one database
 * seeded to a province's scale (BENCH_CASES, default 1,000,000 cases over 100 committees), and webhook delivery
 * through the outbox against raw BullMQ (BENCH_DELIVERIES, default 5,000). Figures are written to
 * bench/results/latest.json; nothing here asserts a time.
 */
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Pool } from 'pg';
import { createApi } from '../src/app';
import { loadConfig } from '../src/config/config';
import { ensureDatabase, runMigrations } from '../src/database/migrate';
import { benchDeliveries } from './deliveries';

const CASES = Number(process.env.BENCH_CASES ?? 1_000_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/mediation_bench';
const PASSWORD = 'bench-password-1';
const DELIVERIES = Number(process.env.BENCH_DELIVERIES ?? 5_000);

async function seed(pool: Pool): Promise<void> {
  const have = Number((await pool.query(`SELECT count(*) FROM cases`)).rows[0].count);
  if (have >= CASES) return;
  const started = Date.now();
  process.stdout.write(`seeding ${CASES - have} cases …\n`);
  await pool.query(`INSERT INTO organisations (kind, name, code)
    SELECT 'committee', '第' || g || '调解委员会', 'B' || lpad(g::text, 4, '0') FROM generate_series(1, 100) g
    ON CONFLICT DO NOTHING`);
  const batch = 100_000;
  for (let from = have; from < CASES; from += batch) {
    const to = Math.min(CASES, from + batch);
    await pool.query(
      `WITH c AS (SELECT id, code, row_number() OVER (ORDER BY code) AS n FROM organisations WHERE code LIKE 'B%')
       INSERT INTO cases (case_no, committee_id, status, closure_reason, source, application_received_at, access_code_hash,
         worker_name, worker_id_type, worker_id_cipher, worker_id_index, worker_id_masked, worker_phone,
         employer_name, employer_credit_code, employer_key, employment_start_date, created_at)
       SELECT c.code || '-2025-' || lpad(g::text, 7, '0'), c.id,
              (ARRAY['submitted','accepted','in_mediation','performing','closed'])[1 + g % 5]::case_status,
              CASE WHEN g % 5 = 4 THEN 'settled'::closure_reason END,
              'walk_in', now() - (g || ' seconds')::interval, md5(g::text),
              '工人' || g, 'resident_id', 'x', md5('id' || g), '430102********' || lpad((g % 10000)::text, 4, '0'),
              '13800138000', '公司' || (g % 50000), '91430102MA' || lpad((g % 10000000)::text, 8, '0'),
              'C:' || (g % 50000), date '2024-01-01', now() - (g || ' seconds')::interval
         FROM generate_series($1::int, $2::int) g JOIN c ON c.n = 1 + g % 100`,
      [from + 1, to],
    );
    await pool.query(
      `INSERT INTO case_claims (case_id, position, type, amount_fen)
       SELECT id, 1, 'wage_arrears', 100000 FROM cases c WHERE NOT EXISTS (SELECT 1 FROM case_claims WHERE case_id = c.id)`,
    );
    process.stdout.write(`  ${to} cases\n`);
  }
  await pool.query('ANALYZE');
  process.stdout.write(`seeded in ${Math.round((Date.now() - started) / 1000)} s\n`);
}

/** The baseline: the same two reads as a plain Fastify handler over pg, no framework, no checks. */
async function bareServer(pool: Pool, committeeId: string) {
  const app = Fastify();
  app.get('/cases', async () => {
    const r = await pool.query(
      `SELECT id, case_no, status, worker_name, employer_name, created_at FROM cases WHERE committee_id = $1
        ORDER BY created_at DESC, id DESC LIMIT 50`,
      [committeeId],
    );
    return { items: r.rows };
  });
  app.get<{ Params: { id: string } }>('/cases/:id', async (req) => {
    const r = await pool.query(`SELECT * FROM cases WHERE id = $1 AND committee_id = $2`, [
      req.params.id,
      committeeId,
    ]);
    return r.rows[0];
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` };
}

async function load(title: string, url: string, headers: Record<string, string> = {}) {
  const r = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS, headers });
  const row = {
    title,
    requestsPerSecond: Math.round(r.requests.average),
    latencyP50Ms: r.latency.p50,
    latencyP99Ms: r.latency.p99,
    errors: r.errors + r.non2xx,
  };
  process.stdout.write(
    `${title.padEnd(40)} ${String(row.requestsPerSecond).padStart(7)} req/s  p50 ${row.latencyP50Ms} ms  p99 ${row.latencyP99Ms} ms  errors ${row.errors}\n`,
  );
  return row;
}

async function main() {
  await ensureDatabase(DATABASE_URL);
  await runMigrations(DATABASE_URL);
  const pool = new Pool({ connectionString: DATABASE_URL, max: 20 });
  await seed(pool);
  const committee = (await pool.query(`SELECT id FROM organisations WHERE code = 'B0001'`)).rows[0]
    .id as string;
  const caseId = (
    await pool.query(`SELECT id FROM cases WHERE committee_id = $1 ORDER BY created_at DESC LIMIT 1`, [
      committee,
    ])
  ).rows[0].id as string;

  const config = loadConfig({
    DATABASE_URL,
    LOG_LEVEL: 'silent',
    JWT_SECRET: 'bench-secret-bench-secret-bench-secret',
    ADMIN_USERNAME: 'benchadmin',
    ADMIN_PASSWORD: PASSWORD,
    QUEUE_PREFIX: '{bench}',
  });
  const api = await createApi(config);
  await api.listen(0, '127.0.0.1');
  const apiUrl = `http://127.0.0.1:${(api.getHttpServer().address() as AddressInfo).port}`;
  const login = async (username: string) => {
    const r = await fetch(`${apiUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: PASSWORD }),
    });
    return ((await r.json()) as { accessToken: string }).accessToken;
  };
  const admin = await login('benchadmin');
  await fetch(`${apiUrl}/api/v1/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
    body: JSON.stringify({
      username: 'benchcoord',
      password: PASSWORD,
      displayName: 'bench',
      role: 'coordinator',
      organisationId: committee,
    }),
  });
  const token = await login('benchcoord');
  const auth = { authorization: `Bearer ${token}` };
  const bare = await bareServer(pool, committee);

  const results = [
    await load('bare fastify+pg: list 50 newest', `${bare.url}/cases`),
    await load('service: GET /api/v1/cases', `${apiUrl}/api/v1/cases`, auth),
    await load('bare fastify+pg: case by id', `${bare.url}/cases/${caseId}`),
    await load('service: GET /api/v1/cases/{id}', `${apiUrl}/api/v1/cases/${caseId}`, auth),
  ];
  const deliveries = await benchDeliveries(pool, DATABASE_URL, DELIVERIES);
  const out = {
    at: new Date().toISOString(),
    cases: CASES,
    seconds: SECONDS,
    connections: CONNECTIONS,
    node: process.version,
    results,
    deliveries,
  };
  const dir = join(__dirname, '..', '..', 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'latest.json'), JSON.stringify(out, null, 2));
  process.stdout.write(`written to bench/results/latest.json\n`);
  await bare.app.close();
  await api.close();
  await pool.end();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
