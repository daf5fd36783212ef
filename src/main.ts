import 'reflect-metadata';
import { createApi } from './app';
import { explainStartFailure } from './common/start-failure';
import { ConfigError, loadConfig } from './config/config';

async function main() {
  const config = loadConfig();
  const app = await createApi(config);
  await app.listen(config.port, config.host);
}

main().catch((e: unknown) => {
  console.error(e instanceof ConfigError ? `Configuration error: ${e.message}` : explainStartFailure(e));
  process.exit(1);
});
