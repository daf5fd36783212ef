import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { withTimeout } from '../redis/producer-queue';
import { DeadlineQueue, HORIZON_PASS_JOB } from './deadline-queue';

const PAGE = 500;

/**
 * The horizon scheduler (SPEC §6): PostgreSQL holds every reminder, Redis only those due within the horizon
 * (DEADLINE_HORIZON_MINUTES, default 60), as delayed jobs with deterministic ids. A pass is idempotent, so it
 * may run as often as anyone likes, in as many processes as there are: it is what repairs a Redis that lost
 * its data or a worker that was down.
 */
@Injectable()
export class DeadlineScheduler {
  private readonly logger = new Logger('DeadlineScheduler');

  constructor(
    private readonly db: DataSource,
    private readonly queue: DeadlineQueue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private horizonEnd(now: Date): Date {
    return new Date(now.getTime() + this.config.deadlineHorizonMinutes * 60_000);
  }

  /** Enqueues every pending reminder due before now + horizon (overdue ones too: they fire at once). */
  async pass(now: Date = new Date()): Promise<{ enqueued: number }> {
    const until = this.horizonEnd(now);
    let enqueued = 0;
    let after: { fireAt: Date; id: string } | null = null;
    for (;;) {
      const rows: Array<{ id: string; fire_at: Date }> = await this.db.query(
        `SELECT id, fire_at FROM deadline_reminders
          WHERE status = 'pending' AND fire_at < $1 AND ($2::timestamptz IS NULL OR (fire_at, id) > ($2, $3::uuid))
          ORDER BY fire_at, id LIMIT ${PAGE}`,
        [until, after?.fireAt ?? null, after?.id ?? null],
      );
      if (!rows.length) break;
      await this.queue.addReminders(rows);
      enqueued += rows.length;
      if (rows.length < PAGE) break;
      const last = rows[rows.length - 1];
      after = { fireAt: last.fire_at, id: last.id };
    }
    return { enqueued };
  }

  /**
   * After a case change commits: its reminders within the horizon go to Redis now rather than at the next
   * pass, so one already due fires within seconds. Never throws: the pass catches up on failure.
   */
  async enqueueCase(caseId: string, now: Date = new Date()): Promise<void> {
    try {
      const rows: Array<{ id: string; fire_at: Date }> = await this.db.query(
        `SELECT r.id, r.fire_at FROM deadline_reminders r JOIN deadlines d ON d.id = r.deadline_id
          WHERE d.case_id = $1 AND r.status = 'pending' AND r.fire_at < $2`,
        [caseId, this.horizonEnd(now)],
      );
      await this.queue.addReminders(rows);
    } catch (e) {
      this.logger.warn(`reminders of case ${caseId} left to the next pass: ${(e as Error).message}`);
    }
  }

  /** After a calendar edit: the moved reminders of these cases. */
  async enqueueCases(caseIds: readonly string[]): Promise<void> {
    for (const id of caseIds) await this.enqueueCase(id);
  }
}

export const HORIZON_SCHEDULER_ID = 'deadline-horizon-pass';
/** How often the job scheduler runs a pass, and how often each worker checks the job scheduler still exists. */
export const PASS_EVERY_MS = 60_000;

/**
 * Worker side: a BullMQ job scheduler runs a pass every minute (an upsert, so every worker may declare it and
 * one schedule results), and each worker runs one pass when it starts. A Redis that lost its data loses the
 * job scheduler too, so each worker checks every minute that it still exists and declares it again if not.
 */
@Injectable()
export class DeadlineSchedulerBootstrap implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('DeadlineScheduler');
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly queue: DeadlineQueue,
    private readonly scheduler: DeadlineScheduler,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.ensure(true);
    this.timer = setInterval(() => void this.ensure(false), PASS_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Declares the job scheduler when it is missing (or at start), then runs a pass. */
  async ensure(atStart: boolean): Promise<void> {
    try {
      const existing = atStart
        ? null
        : await withTimeout(this.queue.queue.getJobScheduler(HORIZON_SCHEDULER_ID), 2_000);
      if (existing) return;
      await withTimeout(
        this.queue.queue.upsertJobScheduler(
          HORIZON_SCHEDULER_ID,
          { every: PASS_EVERY_MS },
          { name: HORIZON_PASS_JOB, opts: { removeOnComplete: true, removeOnFail: 100 } },
        ),
        2_000,
      );
      const { enqueued } = await this.scheduler.pass();
      if (enqueued) this.logger.log(`${enqueued} reminders within the horizon enqueued`);
    } catch (e) {
      this.logger.warn(`horizon scheduler not (re)declared, retrying in a minute: ${(e as Error).message}`);
    }
  }
}
