// The queue worker in a child process, for the fault tests that kill it (SIGKILL): it runs on the database,
// queue prefix and further settings (TEST_WORKER_ENV, JSON) the parent names, and writes "ready" once it is
// consuming. Started by `spawnWorkerProcess` (test/support/worker-process.ts).
import 'reflect-metadata';
import { startWorker, testConfig } from '../support/app';

const extra = JSON.parse(process.env.TEST_WORKER_ENV ?? '{}') as Record<string, string>;
startWorker(testConfig(process.env.TEST_DB_NAME!, { QUEUE_PREFIX: process.env.TEST_QUEUE_PREFIX!, ...extra }))
  .then(() => process.stdout.write('ready\n'))
  .catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
