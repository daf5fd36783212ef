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
      // Old templates of earlier migration sets are left for a later clean-up; drop them here when unused.
      const old = await c.query(
        `SELECT datname FROM pg_database WHERE datname LIKE 'mediation_test_tpl_%' AND datname <> $1 AND datname NOT LIKE '%_building'`,
        [template],
      );
      for (const r of old.rows as Array<{ datname: string }>) {
        await c.query(`DROP DATABASE IF EXISTS ${r.datname} WITH (FORCE)`).catch(() => undefined);
      }
    } finally {
      await c.query('SELECT pg_advisory_unlock(4242)');
    }
  });
}
