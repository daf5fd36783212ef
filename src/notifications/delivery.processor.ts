import { Processor } from '@nestjs/bullmq';
import { QueueWorker } from '../common/queue-worker';
import type { Job } from 'bullmq';
import { DeliveryAttempts } from './delivery-attempts';
import { DELIVERIES_QUEUE, type DeliverData } from './delivery-queue';

/** The `deliveries` queue's worker: one attempt per job (the attempt number is part of the job id). */
@Processor(DELIVERIES_QUEUE, { concurrency: 8 })
export class DeliveryProcessor extends QueueWorker {
  constructor(private readonly attempts: DeliveryAttempts) {
    super();
  }

  async process(job: Job<DeliverData>): Promise<{ result: string }> {
    return { result: await this.attempts.attempt(job.data.deliveryId, job.data.attempt) };
  }
}
