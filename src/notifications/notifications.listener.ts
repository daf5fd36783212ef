import { Injectable, OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { CaseTransition, CaseTransitionListener } from '../cases/case-transitions';
import { CaseTransitions } from '../cases/case-transitions';
import { ORIGIN_SOURCES } from '../common/domain';
import type { EventType } from './event-types';
import { Notifier } from './notifier';

/**
 * The case changes of SPEC §5 as the events of §7, written in the change's own transaction. Referral steps are
 * published by the referrals feature (they carry the referral), so `refer_*` and `court_step` publish here only
 * what they do to the case itself: a settlement.
 */
const BY_ACTION: Partial<Record<CaseTransition['action'], EventType>> = {
  intake: 'case.submitted',
  accept: 'case.accepted',
  reject: 'case.rejected',
  assign: 'case.assigned',
  schedule_session: 'session.scheduled',
  reschedule_session: 'session.scheduled',
  record_session: 'session.recorded',
  record_agreement: 'agreement.recorded',
  record_payment: 'payment.recorded',
  instalment_overdue: 'instalment.overdue',
  fail: 'case.failed',
  withdraw: 'case.withdrawn',
};

@Injectable()
export class NotificationsListener implements CaseTransitionListener, OnModuleInit {
  constructor(
    private readonly transitions: CaseTransitions,
    private readonly notifier: Notifier,
  ) {}

  onModuleInit(): void {
    this.transitions.register(this);
  }

  async onTransition(m: EntityManager, t: CaseTransition): Promise<void> {
    const type = BY_ACTION[t.action];
    const data = {
      ...t.payload,
      action: t.action,
      from: t.from,
      reason: t.reason ?? null,
      at: t.at.toISOString(),
    };
    if (type) {
      const extra = type === 'case.failed' ? await this.failure(m, t) : {};
      await this.notifier.publish(m, {
        type,
        caseRow: t.row,
        data: { ...data, ...extra.data },
        // Coordinators hear of cases they did not take in themselves: online applications and sent cases.
        ...(t.action === 'intake' && t.row.source !== 'online' && !ORIGIN_SOURCES.includes(t.row.source)
          ? { staff: [] }
          : {}),
        ...extra.route,
      });
    }
    if (t.to === 'closed' && t.closureReason === 'settled' && type !== 'case.withdrawn') {
      await this.notifier.publish(m, { type: 'case.settled', caseRow: t.row, data });
    }
  }

  /**
   * A failure referred to arbitration: the committee's arbitration commission hears it with a transfer summary
   * (parties by name, claims, the mediation's course) — never an ID number, never session notes.
   */
  private async failure(
    m: EntityManager,
    t: CaseTransition,
  ): Promise<{ data?: Record<string, unknown>; route?: { organisationIds: string[] } }> {
    if (t.payload.referTo !== 'arbitration') return {};
    const [facts]: Array<{
      commission: string | null;
      committee: string;
      claims: Array<{ type: string; amountFen: number }>;
      sessions: number;
    }> = await m.query(
      `SELECT o.partner_arbitration_commission_id AS commission, o.name AS committee,
              (SELECT coalesce(json_agg(json_build_object('type', cl.type, 'amountFen', cl.amount_fen) ORDER BY cl.position), '[]')
                 FROM case_claims cl WHERE cl.case_id = $1) AS claims,
              (SELECT count(*)::int FROM sessions s WHERE s.case_id = $1 AND s.recorded_at IS NOT NULL) AS sessions
         FROM organisations o WHERE o.id = $2`,
      [t.row.id, t.row.committee_id],
    );
    if (!facts) return {};
    const transferSummary = {
      committee: facts.committee,
      worker: { name: t.row.worker_name },
      employer: { name: t.row.employer_name, creditCode: t.row.employer_credit_code },
      claims: facts.claims.map((c) => ({ type: c.type, amountFen: Number(c.amountFen) })),
      applicationReceivedAt: t.row.application_received_at.toISOString(),
      sessionsHeld: facts.sessions,
      failedAt: t.at.toISOString(),
      reason: t.reason ?? null,
    };
    return {
      data: { transferSummary },
      route: facts.commission ? { organisationIds: [facts.commission] } : undefined,
    };
  }
}
