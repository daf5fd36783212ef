import { OnWorkerEvent, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';

/**
 * Every queue worker of the service. BullMQ reports trouble outside a job (a lock lost while Redis was away, a job
 * that was moved meanwhile) as an `error` event; without a listener Node treats that as fatal. Here it is a
 * warning: the job's state is in PostgreSQL, and the next scheduler or relay pass picks up what is left.
 */
export abstract class QueueWorker extends WorkerHost {
  private readonly queueLogger = new Logger(this.constructor.name);

  @OnWorkerEvent('error')
  onWorkerError(e: Error): void {
    this.queueLogger.warn(`queue worker: ${e.message}`);
  }
}
