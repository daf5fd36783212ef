import { explainStartFailure } from '../common/start-failure';
import { loadConfig } from '../config/config';
import { ensureDatabase, runMigrations } from '../database/migrate';

async function main() {
  const config = loadConfig();
  await ensureDatabase(config.databaseUrl);
  const applied = await runMigrations(config.databaseUrl);
  process.stdout.write(JSON.stringify({ msg: 'migrations applied', applied }) + '\n');
}

main().catch((e: unknown) => {
  console.error(explainStartFailure(e));
  process.exit(1);
});
