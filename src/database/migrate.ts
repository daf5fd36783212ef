import { Client } from 'pg';
import { createDataSource } from './database';

/** Creates the database named in the URL when it is missing (and the user may), SPEC §14. */
export async function ensureDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString(), connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!found.rowCount) {
      await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`).catch((e: { code?: string }) => {
        if (e.code !== '42P04') throw e; // another process created it meanwhile
      });
    }
  } finally {
    await client.end();
  }
}

/** Applies pending migrations under an advisory lock, so that several starting processes are safe. */
export async function runMigrations(databaseUrl: string): Promise<string[]> {
  const ds = createDataSource({ databaseUrl }, 2);
  await ds.initialize();
  try {
    const runner = ds.createQueryRunner();
    await runner.connect();
    try {
      await runner.query('SELECT pg_advisory_lock(727274)');
      const applied = await ds.runMigrations({ transaction: 'each' });
      return applied.map((m) => m.name);
    } finally {
      await runner.query('SELECT pg_advisory_unlock(727274)').catch(() => undefined);
      await runner.release();
    }
  } finally {
    await ds.destroy();
  }
}
