import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { ProducerQueue, withTimeout } from '../redis/producer-queue';

export const DEADLINES_QUEUE = 'deadlines';
export const FIRE_REMINDER_JOB = 'fire-reminder';
export const HORIZON_PASS_JOB = 'horizon-pass';

export interface FireReminderData {
  reminderId: string;
  /** The reminder's fire_at when it was enqueued (ms since the epoch): a moved reminder makes the job stale. */
  fireAt: number;
}

/** How long a caller waits for Redis before leaving the job to the next scheduler pass. */
export const ENQUEUE_TIMEOUT_MS = 2_000;

/** The `deadlines` queue as a producer (see ProducerQueue): PostgreSQL holds every reminder. */
@Injectable()
export class DeadlineQueue extends ProducerQueue {
  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    super(DEADLINES_QUEUE, config);
  }

  /**
   * Deterministic, so that adding one reminder twice is a no-op: the reminder and its time (a moved reminder is
   * a new job; the old one finds the time changed and does nothing). BullMQ refuses ':' and bare integers.
   */
  static jobId(reminderId: string, fireAt: Date | number): string {
    return `rem-${reminderId}-${typeof fireAt === 'number' ? fireAt : fireAt.getTime()}`;
  }

  async addReminders(rows: ReadonlyArray<{ id: string; fire_at: Date }>): Promise<void> {
    if (!rows.length) return;
    // Without Redis a case change must not wait for it (SPEC §12): the next pass enqueues these.
    this.assertReady();
    const now = Date.now();
    await withTimeout(
      this.queue.addBulk(
        rows.map((r) => ({
          name: FIRE_REMINDER_JOB,
          data: { reminderId: r.id, fireAt: r.fire_at.getTime() } satisfies FireReminderData,
          opts: {
            jobId: DeadlineQueue.jobId(r.id, r.fire_at),
            delay: Math.max(0, r.fire_at.getTime() - now),
            attempts: 5,
            backoff: { type: 'exponential', delay: 2_000 },
            // Kept a while, so that the next passes find the id taken and add nothing.
            removeOnComplete: { age: 2 * 60 * 60 },
            // Removed soon: a pass then adds the reminder again (it is still pending in PostgreSQL).
            removeOnFail: { age: 10 * 60 },
          },
        })),
      ),
      ENQUEUE_TIMEOUT_MS * Math.max(1, Math.ceil(rows.length / 500)),
    );
  }
}
