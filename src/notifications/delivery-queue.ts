import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { ProducerQueue, withTimeout } from '../redis/producer-queue';

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
 * The `deliveries` queue as a producer (see ProducerQueue). Job ids are the delivery and its attempt number, so
 * adding one twice is a no-op and the relay may re-add whatever it likes after Redis lost its data.
 */
@Injectable()
export class DeliveryQueue extends ProducerQueue {
  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    super(DELIVERIES_QUEUE, config);
  }

  static jobId(deliveryId: string, attempt: number): string {
    return `dlv-${deliveryId}-${attempt}`;
  }

  async add(rows: readonly DueDelivery[]): Promise<void> {
    if (!rows.length) return;
    this.assertReady();
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
}
