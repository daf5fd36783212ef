import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { CaseRow } from '../cases/case-view';
import { APP_CONFIG, type AppConfig } from '../config/config';
import type { EventType } from '../notifications/event-types';
import { workerSentence } from '../notifications/event-texts';
import { Notifier } from '../notifications/notifier';
import {
  DeadlineKinds,
  LAPSE,
  type DeadlineRow,
  type LapseOutcome,
  type ReminderRow,
} from './deadline-kinds';
import { DeadlinesService } from './deadlines.service';

export type FireResult = 'fired' | 'skipped' | 'stale';

/** Reminders that are SPEC §7 event types (`<deadline kind>.warn` for any warning, `.lapse` for the lapse). */
const REMINDER_EVENTS: Record<string, EventType> = {
  'mediation.warn': 'mediation.deadline_approaching',
  'mediation.lapse': 'mediation.deadline_lapsed',
  'instalment.warn': 'instalment.due_soon',
  'referral_acknowledgement.lapse': 'referral.ack_overdue',
};

/**
 * Fires one reminder (SPEC §6): loads the current state first and does nothing when the job is stale (the
 * reminder was moved, cancelled or already fired); otherwise marks it fired and applies its effect — inbox
 * entries, and for a lapse the kind's handler — in ONE transaction. A worker killed half-way leaves nothing
 * done, and the job (retried, or enqueued again by the next pass) finds the reminder still pending.
 */
@Injectable()
export class ReminderFiring {
  private readonly logger = new Logger('ReminderFiring');

  constructor(
    private readonly db: DataSource,
    private readonly kinds: DeadlineKinds,
    private readonly deadlines: DeadlinesService,
    private readonly notifier: Notifier,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The court of the referral a court window's deadline belongs to, when the reminder is addressed to it. */
  private async referralCourt(
    m: EntityManager,
    roles: readonly string[],
    d: DeadlineRow,
  ): Promise<string | null> {
    if (!roles.includes('referral_court') || !d.subject_id) return null;
    const [r]: Array<{ court_id: string }> = await m.query(`SELECT court_id FROM referrals WHERE id = $1`, [
      d.subject_id,
    ]);
    return r?.court_id ?? null;
  }

  async fire(reminderId: string, fireAtMs: number): Promise<FireResult> {
    const after: Array<() => Promise<void>> = [];
    const result = await this.db.transaction(async (m): Promise<FireResult> => {
      const owner: Array<{ case_id: string }> = await m.query(
        `SELECT d.case_id FROM deadline_reminders r JOIN deadlines d ON d.id = r.deadline_id WHERE r.id = $1`,
        [reminderId],
      );
      if (!owner[0]) return 'stale';
      // The case first, then the reminder: the order every case change takes, so firing never deadlocks with one.
      const [caseRow]: CaseRow[] = await m.query(`SELECT * FROM cases WHERE id = $1 FOR UPDATE`, [
        owner[0].case_id,
      ]);
      const [reminder]: ReminderRow[] = await m.query(
        `SELECT * FROM deadline_reminders WHERE id = $1 FOR UPDATE`,
        [reminderId],
      );
      if (!reminder || reminder.status !== 'pending' || reminder.fire_at.getTime() !== fireAtMs)
        return 'stale';
      const [deadline]: DeadlineRow[] = await m.query(`SELECT * FROM deadlines WHERE id = $1 FOR UPDATE`, [
        reminder.deadline_id,
      ]);
      const kind = this.kinds.get(deadline.kind);
      const rule = kind?.reminders.find((r) => r.kind === reminder.kind);
      const now = new Date();
      const isLapse = reminder.kind === LAPSE;
      // A deadline that is no longer pending, or a warning whose deadline has passed, says nothing any more.
      if (!kind || !rule || deadline.status !== 'pending' || (!isLapse && now >= deadline.due_at)) {
        await m.query(`UPDATE deadline_reminders SET status = $2, updated_at = now() WHERE id = $1`, [
          reminder.id,
          deadline.status === 'pending' ? 'skipped' : 'cancelled',
        ]);
        return 'skipped';
      }
      await m.query(
        `UPDATE deadline_reminders SET status = 'fired', fired_at = now(), updated_at = now() WHERE id = $1`,
        [reminder.id],
      );
      let outcome: LapseOutcome = {};
      if (isLapse) {
        await m.query(`UPDATE deadlines SET status = 'fired', updated_at = now() WHERE id = $1`, [
          deadline.id,
        ]);
        const w = await this.deadlines.writer(m, now);
        outcome =
          (await kind.onLapse?.({
            m,
            now,
            deadline,
            caseRow,
            w,
            config: this.config,
            afterCommit: (fn) => after.push(fn),
          })) ?? {};
        if (outcome.status === 'met') {
          await m.query(`UPDATE deadlines SET status = 'met', updated_at = now() WHERE id = $1`, [
            deadline.id,
          ]);
        }
      }
      // Who was planned when the reminder was written; who that is now is resolved here.
      const roles = Array.isArray(reminder.recipients) ? reminder.recipients : rule.recipients;
      if (outcome.notify !== false && rule.message && roles.length) {
        const payload = outcome.payload ?? {};
        const text = rule.message({ caseRow, deadline, payload });
        // The reminders SPEC §7 names are events agencies may subscribe to; the others are reminders of their own.
        const type =
          REMINDER_EVENTS[`${deadline.kind}.${isLapse ? LAPSE : 'warn'}`] ?? `reminder.${deadline.kind}`;
        await this.notifier.publish(m, {
          type,
          caseRow,
          staff: roles,
          text,
          inboxKind: `${deadline.kind}.${reminder.kind}`,
          data: {
            deadlineId: deadline.id,
            deadlineKind: deadline.kind,
            reminderId: reminder.id,
            reminderKind: reminder.kind,
            lastDay: deadline.last_day,
            dueAt: deadline.due_at.toISOString(),
            ...payload,
          },
          // The worker hears, by SMS, the reminders addressed to them; the employer's contact, by e-mail.
          workerSms: roles.includes('worker')
            ? (workerSentence(type, { caseNo: caseRow.case_no }) ?? text.title)
            : false,
          emailEmployerContact: roles.includes('employer_contact'),
          referralCourtId:
            typeof payload.referralCourtId === 'string'
              ? payload.referralCourtId
              : await this.referralCourt(m, roles, deadline),
          sourceKey: `reminder:${reminder.id}`,
        });
      }
      return 'fired';
    });
    for (const fn of after) {
      await fn().catch((e: Error) => this.logger.warn(`after firing ${reminderId}: ${e.message}`));
    }
    return result;
  }
}
