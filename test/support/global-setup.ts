import { runMigrations } from '../../src/database/migrate';
import { templateName, urlFor, withAdmin } from './db';

/** Migrates a template database once; every test file copies it (CREATE DATABASE … TEMPLATE), which is fast. */
export default async function globalSetup(): Promise<void> {
  const template = templateName();
  await withAdmin(async (c) => {
    await c.query('SELECT pg_advisory_lock(4242)');
    try {
      const exists = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
      if (exists.rowCount) return;
      const building = `${template}_building`;
      await c.query(`DROP DATABASE IF EXISTS ${building} WITH (FORCE)`);
      await c.query(`CREATE DATABASE ${building}`);
      await runMigrations(urlFor(building));
      await c.query(`ALTER DATABASE ${building} RENAME TO ${template}`);
    } finally {
      await c.query('SELECT pg_advisory_unlock(4242)');
    }
  });
}
