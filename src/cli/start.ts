import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { explainStartFailure } from '../common/start-failure';
import { ConfigError, loadConfig } from '../config/config';
import { ensureDatabase, runMigrations } from '../database/migrate';

/**
 * `npm start` (SPEC §14): create the database when missing, apply pending migrations under a lock, then run
 * one API and one worker process. Either exiting stops the other, so a supervisor sees one failure.
 */
async function main() {
  const config = loadConfig();
  await ensureDatabase(config.databaseUrl);
  const applied = await runMigrations(config.databaseUrl);
  process.stdout.write(JSON.stringify({ msg: 'migrations applied', applied }) + '\n');
  const children: ChildProcess[] = ['main.js', 'worker.js'].map((f) =>
    fork(join(__dirname, '..', f), { stdio: 'inherit' }),
  );
  let stopping = false;
  const stop = (code: number) => {
    if (stopping) return;
    stopping = true;
    for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
    setTimeout(() => process.exit(code), 10_000).unref();
  };
  for (const c of children) c.on('exit', (code) => stop(code ?? 1));
  process.on('SIGINT', () => stop(0));
  process.on('SIGTERM', () => stop(0));
  await Promise.all(children.map((c) => new Promise((r) => c.on('exit', r))));
  process.exit(0);
}

main().catch((e: unknown) => {
  console.error(e instanceof ConfigError ? `Configuration error: ${e.message}` : explainStartFailure(e));
  process.exit(1);
});
