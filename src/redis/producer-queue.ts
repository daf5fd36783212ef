import { Logger, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import type Redis from 'ioredis';
import type { AppConfig } from '../config/config';
import { createRedis } from './redis.module';

/**
 * A BullMQ queue as a producer, in the API and the worker alike. Its connection has the offline queue off, so with
 * Redis away an add fails at once instead of holding a request (SPEC §12): PostgreSQL holds the work, and the next
 * scheduler or relay pass puts back what could not be added.
 */
export abstract class ProducerQueue implements OnApplicationShutdown {
  private readonly logger: Logger;
  private readonly connection: Redis;
  readonly queue: Queue;

  protected constructor(name: string, config: AppConfig) {
    this.logger = new Logger(this.constructor.name);
    this.connection = createRedis(config, { maxRetriesPerRequest: 1 });
    this.queue = new Queue(name, { connection: this.connection, prefix: config.queuePrefix });
    this.queue.on('error', () => undefined); // the connection logs outages once (createRedis)
  }

  get ready(): boolean {
    return this.connection.status === 'ready';
  }

  /** Refuses at once when Redis is not there: the caller leaves the work to the next pass. */
  protected assertReady(): void {
    if (!this.ready) throw new Error(`Redis is ${this.connection.status}`);
  }

  /** Calls `fn` each time the connection becomes ready again (a Redis back from an outage may have lost its jobs). */
  onReady(fn: () => void): void {
    this.connection.on('ready', fn);
  }

  async onApplicationShutdown(): Promise<void> {
    await withTimeout(this.queue.close(), 2_000).catch((e: Error) => this.logger.warn(e.message));
    this.connection.disconnect();
  }
}

export function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
