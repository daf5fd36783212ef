/** The queue worker as a child process, for the fault tests that kill it (SIGKILL) mid-job. */
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { TestEnv } from './app';

/** Compiles TypeScript on the fly with the project's .swcrc (the settings Jest uses), then runs the child. */
const BOOT = `
const { readFileSync } = require('node:fs');
const swc = require('@swc/core');
require.extensions['.ts'] = (module, filename) => {
  const { code } = swc.transformSync(readFileSync(filename, 'utf8'), { filename, swcrc: true });
  module._compile(code, filename);
};
require(${JSON.stringify(join(__dirname, '..', 'faults', 'deadline-worker.child.ts'))});
`;

/**
 * Starts a worker on the test's database and queue prefix (and, when given, its Redis and further settings),
 * resolving once it consumes.
 */
export function spawnWorkerProcess(
  env: TestEnv,
  options: { redisUrl?: string; settings?: Record<string, string> } = {},
): Promise<ChildProcess> {
  const proc = spawn(process.execPath, ['-e', BOOT], {
    cwd: join(__dirname, '..', '..'),
    env: {
      ...process.env,
      TEST_DB_NAME: env.dbName,
      TEST_QUEUE_PREFIX: env.config.queuePrefix,
      ...(options.redisUrl ? { TEST_REDIS_URL: options.redisUrl } : {}),
      TEST_WORKER_ENV: JSON.stringify(options.settings ?? {}),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    proc.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) resolve(proc);
    });
    proc.once('exit', (code) => reject(new Error(`worker exited with ${code}`)));
  });
}
