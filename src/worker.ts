import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { createPino, PinoNestLogger } from './common/logger';
import { ConfigError, loadConfig } from './config/config';
import { explainStartFailure } from './common/start-failure';
import { WorkerModule } from './worker.module';

/** The queue worker: its own process (`npm run start:worker`), any number of them beside the API. */
async function main() {
  const config = loadConfig();
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), {
    logger: new PinoNestLogger(createPino(config.logLevel, 'worker')),
  });
  app.enableShutdownHooks();
}

main().catch((e: unknown) => {
  console.error(e instanceof ConfigError ? `Configuration error: ${e.message}` : explainStartFailure(e));
  process.exit(1);
});
