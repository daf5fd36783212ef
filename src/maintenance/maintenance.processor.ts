import { InjectQueue, Processor } from '@nestjs/bullmq';
import { QueueWorker } from '../common/queue-worker';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Job, Queue } from 'bullmq';
import { DataSource } from 'typeorm';

export const MAINTENANCE_QUEUE = 'maintenance';

/** Housekeeping: expired idempotency records are removed hourly (they are kept 24 hours, SPEC §12). */
@Processor(MAINTENANCE_QUEUE)
export class MaintenanceProcessor extends QueueWorker {
  private readonly logger = new Logger('Maintenance');

  constructor(private readonly db: DataSource) {
    super();
  }

  async process(job: Job): Promise<{ removed: number }> {
    if (job.name !== 'purge-idempotency-keys') return { removed: 0 };
    const res: [unknown[], number] = await this.db.query(
      `DELETE FROM idempotency_keys WHERE expires_at < now()`,
    );
    if (res[1]) this.logger.log(`removed ${res[1]} expired idempotency records`);
    return { removed: res[1] };
  }
}

@Injectable()
export class MaintenanceScheduler implements OnApplicationBootstrap {
  constructor(@InjectQueue(MAINTENANCE_QUEUE) private readonly queue: Queue) {}

  async onApplicationBootstrap(): Promise<void> {
    // A job scheduler is an upsert: every worker process may call it, and one schedule results.
    await this.queue.upsertJobScheduler(
      'purge-idempotency-keys',
      { every: 60 * 60 * 1000 },
      { name: 'purge-idempotency-keys' },
    );
  }
}
