import { Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { APP_CONFIG, AppConfig } from '../config/config';

export const REDIS = Symbol('REDIS');

/**
 * One shared connection for counters and rate limits. Its offline queue is off so that a missing Redis
 * fails a command at once (503) instead of holding the request (SPEC §12).
 */
export function createRedis(config: AppConfig, extra: Partial<import('ioredis').RedisOptions> = {}): Redis {
  const redis = new Redis(config.redisUrl, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    lazyConnect: false,
    retryStrategy: (times) => Math.min(times * 200, 2000),
    ...extra,
  });
  // Without Redis the API keeps serving what does not need it (SPEC §12); say so once per outage, not per retry.
  let down = false;
  redis.on('error', (e: Error) => {
    if (!down) logger.warn(`Redis unavailable: ${e.message}`);
    down = true;
  });
  redis.on('ready', () => {
    if (down) logger.log('Redis available again');
    down = false;
  });
  return redis;
}

const logger = new Logger('Redis');

@Global()
@Module({
  providers: [
    { provide: REDIS, inject: [APP_CONFIG], useFactory: (config: AppConfig) => createRedis(config) },
  ],
  exports: [REDIS],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    this.redis.disconnect();
  }
}
