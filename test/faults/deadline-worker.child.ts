// The queue worker in a child process, for the fault tests that kill it (SIGKILL): it runs on the database and
// queue prefix the parent names, and writes "ready" once it is consuming. Started by `spawnWorkerProcess`.
import 'reflect-metadata';
import { startWorker, testConfig } from '../support/app';

startWorker(testConfig(process.env.TEST_DB_NAME!, { QUEUE_PREFIX: process.env.TEST_QUEUE_PREFIX! }))
  .then(() => process.stdout.write('ready\n'))
  .catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
