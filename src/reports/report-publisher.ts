import { InjectQueue, Processor } from '@nestjs/bullmq';
import { QueueWorker } from '../common/queue-worker';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { withTimeout } from '../redis/producer-queue';
import { formatFen } from '../i18n/messages';
import { Notifier } from '../notifications/notifier';
import { reportCsv, reportFilename } from './report-csv';
import { type Report, ReportService } from './report.service';

export const REPORTS_QUEUE = 'reports';
export const MONTHLY_REPORT_JOB = 'publish-monthly-report';
export const MONTHLY_REPORT_SCHEDULER_ID = 'monthly-report';
/** SPEC §7: the 1st of each month, 08:00 Asia/Shanghai. */
export const MONTHLY_REPORT_REPEAT = { pattern: '0 8 1 * *', tz: 'Asia/Shanghai' } as const;

const ZONE = 'Asia/Shanghai';

/** The calendar month before the one `now` falls in, in Asia/Shanghai: `{ month: '2026-03', from, to }`. */
export function previousMonth(now: Date): { month: string; from: string; to: string } {
  const start = DateTime.fromJSDate(now, { zone: ZONE }).startOf('month').minus({ months: 1 });
  return {
    month: start.toFormat('yyyy-MM'),
    from: start.toISODate()!,
    to: start.endOf('month').toISODate()!,
  };
}

interface CommitteeRow {
  id: string;
  name: string;
  code: string;
  partners: string[];
}

/**
 * The monthly publication (SPEC §7 定期双向通报): for every committee with partner agencies, last month's report
 * goes to its partner courts, arbitration commission and justice bureau as `report.published`, with the CSV
 * attached to the e-mail. Each committee's report is written to the outbox in its own transaction with the
 * source key `report:<committeeId>:<YYYY-MM>`, so a repeated or retried job publishes each report once.
 */
@Injectable()
export class ReportPublisher {
  private readonly logger = new Logger('Reports');

  constructor(
    private readonly db: DataSource,
    private readonly reports: ReportService,
    private readonly notifier: Notifier,
  ) {}

  async publishMonth(now: Date = new Date()): Promise<{ month: string; published: number; skipped: number }> {
    const { month, from, to } = previousMonth(now);
    const committees: CommitteeRow[] = await this.db.query(
      `SELECT k.id, k.name, k.code,
              array_remove(k.partner_court_ids || ARRAY[k.partner_arbitration_commission_id, k.partner_justice_bureau_id],
                           NULL) AS partners
         FROM organisations k WHERE k.kind = 'committee' ORDER BY k.code`,
    );
    let published = 0;
    let skipped = 0;
    let failure: Error | null = null;
    for (const k of committees) {
      // Nobody to tell: no report to send (it is still there on demand).
      if (!k.partners.length) {
        skipped += 1;
        continue;
      }
      try {
        if (await this.publishOne(k, month, from, to)) published += 1;
        else skipped += 1;
      } catch (e) {
        // The other committees still get theirs; the job fails afterwards and its retry does only what is left.
        failure = e as Error;
        this.logger.error(`report of committee ${k.id} for ${month} not published: ${failure.message}`);
      }
    }
    if (failure) throw failure;
    if (published) this.logger.log(`${published} reports for ${month} published`);
    return { month, published, skipped };
  }

  private publishOne(k: CommitteeRow, month: string, from: string, to: string): Promise<boolean> {
    const sourceKey = `report:${k.id}:${month}`;
    return this.db.transaction(async (m) => {
      const done: unknown[] = await m.query(`SELECT 1 FROM outbox_events WHERE source_key = $1`, [sourceKey]);
      if (done.length) return false;
      const report = await this.reports.compute({ id: k.id, name: k.name, code: k.code }, from, to, m);
      const name = reportFilename(report);
      const { eventId } = await this.notifier.publish(m, {
        type: 'report.published',
        organisationIds: k.partners,
        data: {
          committeeId: k.id,
          committeeName: k.name,
          from,
          to,
          figures: figuresOf(report),
          summary: summaryText(report),
        },
        attachments: [
          {
            filename: name.utf8,
            contentType: 'text/csv; charset=utf-8',
            content: reportCsv(report).toString('base64'),
          },
        ],
        sourceKey,
      });
      return eventId !== null;
    });
  }
}

/** The figures of the report for the event's data (the CSV carries the same, laid out for a spreadsheet). */
export function figuresOf(r: Report) {
  return {
    cases: r.cases,
    amounts: r.amounts,
    mediationDeadline: r.mediationDeadline,
    medianDaysToAgreement: r.medianDaysToAgreement,
    referralOutcomes: r.referralOutcomes,
    agencyOutcomes: r.agencyOutcomes,
    byClaimType: r.byClaimType,
  };
}

/** A few sentences for the inbox and the e-mail body; the attachment has every figure. */
export function summaryText(r: Report): string {
  const c = r.cases;
  const share = r.mediationDeadline.share === null ? '—' : `${(r.mediationDeadline.share * 100).toFixed(1)}%`;
  return [
    `收到调解申请${c.received}件，受理${c.accepted}件，不予受理${c.rejected}件；达成调解协议${c.agreementsSigned}件，履行完毕结案${c.settled}件，调解不成${c.failed}件，撤回${c.withdrawn}件，移送法院${c.referred}件。`,
    `申请金额${formatFen(r.amounts.claimedFen)}，协议金额${formatFen(r.amounts.agreedFen)}，实际履行${formatFen(r.amounts.paidFen)}；调解期限内结束比例${share}。`,
    `各项数据详见附件（CSV）。`,
  ].join('\n');
}

/** The worker's side: the queue's job runs the month that ended before it was due. */
@Processor(REPORTS_QUEUE)
export class ReportsProcessor extends QueueWorker {
  constructor(private readonly publisher: ReportPublisher) {
    super();
  }

  async process(job: Job): Promise<unknown> {
    if (job.name !== MONTHLY_REPORT_JOB) return { skipped: true };
    // When it was due, not when it runs: a retry the next day still reports the same month.
    const due = job.timestamp + (job.opts.delay ?? 0);
    return this.publisher.publishMonth(new Date(due > 0 ? due : Date.now()));
  }
}

/**
 * Declares the monthly job scheduler (an upsert: every worker may, one schedule results) at start and checks
 * hourly that it still exists (a Redis that lost its data loses it). A run missed while no worker was up is
 * still in Redis as a delayed job and runs when a worker comes back.
 */
@Injectable()
export class ReportsScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Reports');
  private timer: NodeJS.Timeout | null = null;

  constructor(@InjectQueue(REPORTS_QUEUE) private readonly queue: Queue) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.ensure(true);
    this.timer = setInterval(() => void this.ensure(false), 60 * 60 * 1000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  async ensure(atStart: boolean): Promise<void> {
    try {
      if (!atStart && (await withTimeout(this.queue.getJobScheduler(MONTHLY_REPORT_SCHEDULER_ID), 2_000)))
        return;
      await withTimeout(
        this.queue.upsertJobScheduler(MONTHLY_REPORT_SCHEDULER_ID, MONTHLY_REPORT_REPEAT, {
          name: MONTHLY_REPORT_JOB,
          opts: {
            attempts: 8,
            backoff: { type: 'exponential', delay: 60_000 },
            removeOnComplete: 24,
            removeOnFail: 24,
          },
        }),
        2_000,
      );
    } catch (e) {
      this.logger.warn(
        `monthly report scheduler not (re)declared, retrying in an hour: ${(e as Error).message}`,
      );
    }
  }
}
