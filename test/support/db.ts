import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';

export const ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export function urlFor(db: string): string {
  const u = new URL(ADMIN_URL);
  u.pathname = '/' + db;
  return u.toString();
}

/** The template is named by a hash of migrations/: a changed migration makes a new template. */
export function templateName(): string {
  const dir = join(__dirname, '..', '..', 'migrations');
  const h = createHash('sha256');
  for (const f of readdirSync(dir).sort()) h.update(f).update(readFileSync(join(dir, f)));
  return `mediation_test_tpl_${h.digest('hex').slice(0, 12)}`;
}

function assertTestName(name: string): void {
  // Never create or drop anything that is not plainly a test database.
  if (!/^mediation_test_[a-z0-9_]+$/.test(name))
    throw new Error(`refusing to touch database ${name}: not a test database`);
}

export async function withAdmin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: ADMIN_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export async function createTestDatabase(): Promise<string> {
  const name = `mediation_test_${randomBytes(6).toString('hex')}`;
  assertTestName(name);
  const template = templateName();
  await withAdmin((c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${template}`));
  return name;
}

export async function dropTestDatabase(name: string): Promise<void> {
  assertTestName(name);
  await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}
