import { Processor } from '@nestjs/bullmq';
import { QueueWorker } from '../common/queue-worker';
import type { Job } from 'bullmq';
import {
  DEADLINES_QUEUE,
  FIRE_REMINDER_JOB,
  type FireReminderData,
  HORIZON_PASS_JOB,
} from './deadline-queue';
import { DeadlineScheduler } from './deadline-scheduler';
import { ReminderFiring } from './reminder-firing';

/** The `deadlines` queue's worker: horizon passes (from the job scheduler) and reminders coming due. */
@Processor(DEADLINES_QUEUE, { concurrency: 4 })
export class DeadlineProcessor extends QueueWorker {
  constructor(
    private readonly scheduler: DeadlineScheduler,
    private readonly firing: ReminderFiring,
  ) {
    super();
  }

  async process(job: Job): Promise<unknown> {
    switch (job.name) {
      case HORIZON_PASS_JOB:
        return this.scheduler.pass();
      case FIRE_REMINDER_JOB: {
        const data = job.data as FireReminderData;
        return { result: await this.firing.fire(data.reminderId, data.fireAt) };
      }
      default:
        return { result: 'unknown job' };
    }
  }
}
