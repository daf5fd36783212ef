import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import type Redis from 'ioredis';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { withTimeout } from '../deadlines/deadline-queue';
import { createRedis } from '../redis/redis.module';

export const DELIVERIES_QUEUE = 'deliveries';
export const DELIVER_JOB = 'deliver';

export interface DeliverData {
  deliveryId: string;
  /** The delivery's attempt count when enqueued: a job for an attempt already made finds it changed and stops. */
  attempt: number;
}

export interface DueDelivery {
  id: string;
  attempts: number;
  next_attempt_at: Date;
}

/**
 * The `deliveries` queue as a producer. Job ids are the delivery and its attempt number, so adding one twice
 * is a no-op and the relay may re-add whatever it likes after Redis lost its data.
 */
@Injectable()
export class DeliveryQueue implements OnApplicationShutdown {
  private readonly logger = new Logger('DeliveryQueue');
  private readonly connection: Redis;
  readonly queue: Queue;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.connection = createRedis(config, { maxRetriesPerRequest: 1 });
    this.queue = new Queue(DELIVERIES_QUEUE, { connection: this.connection, prefix: config.queuePrefix });
    this.queue.on('error', () => undefined); // the connection logs outages once (createRedis)
  }

  static jobId(deliveryId: string, attempt: number): string {
    return `dlv-${deliveryId}-${attempt}`;
  }

  /** Calls `fn` each time the connection becomes ready again (a Redis back from an outage may have lost its jobs). */
  onReady(fn: () => void): void {
    this.connection.on('ready', fn);
  }

  get ready(): boolean {
    return this.connection.status === 'ready';
  }

  async add(rows: readonly DueDelivery[]): Promise<void> {
    if (!rows.length) return;
    if (!this.ready) throw new Error(`Redis is ${this.connection.status}`);
    const now = Date.now();
    await withTimeout(
      this.queue.addBulk(
        rows.map((r) => ({
          name: DELIVER_JOB,
          data: { deliveryId: r.id, attempt: r.attempts } satisfies DeliverData,
          opts: {
            jobId: DeliveryQueue.jobId(r.id, r.attempts),
            delay: Math.max(0, r.next_attempt_at.getTime() - now),
            // The attempt itself is recorded in PostgreSQL; BullMQ retries only a handler that could not record it.
            attempts: 5,
            backoff: { type: 'exponential', delay: 2_000 },
            removeOnComplete: { age: 2 * 60 * 60 },
            removeOnFail: { age: 10 * 60 },
          },
        })),
      ),
      2_000 * Math.max(1, Math.ceil(rows.length / 500)),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await withTimeout(this.queue.close(), 2_000).catch((e: Error) => this.logger.warn(e.message));
    this.connection.disconnect();
  }
}
