import { Injectable, OnModuleInit } from '@nestjs/common';
import type { ClaimType } from '../../common/domain';
import type { CaseRow } from '../../cases/case-view';
import { DeadlineKinds, LAPSE, type DeadlineKind, type DeadlineWriter } from '../deadline-kinds';
import { claimLimitations, LIMITATION_LEGAL_BASIS, limitationApplies } from '../limitation';
import { localDateOf } from '../period';

async function claimsOf(w: DeadlineWriter, caseId: string) {
  const rows: Array<{ id: string; type: ClaimType }> = await w.m.query(
    `SELECT id, type FROM case_claims WHERE case_id = $1 ORDER BY position`,
    [caseId],
  );
  return rows;
}

function input(row: CaseRow, claims: Array<{ id: string; type: ClaimType }>) {
  return {
    source: row.source,
    claims,
    employmentEndDate: row.employment_end_date,
    knewOfInfringementOn: row.knew_of_infringement_on,
  };
}

/**
 * SPEC §6 `limitation` (LDMAL art. 27), per claim, never for court-sent cases:
 * - at intake (and again when a coordinator corrects the dates or claims), the year counted from the day the worker knew (wage arrears: from the end of employment; none
 *   while it lasts). The application interrupts it, so it is recorded decided: `met` when the application came
 *   in time, `fired` when the year had already run out (the employer's defence; intake goes on regardless);
 * - when mediation fails it restarts: one year from the failure, per claim;
 * - when an instalment goes unpaid, one year from its due date.
 * Pending limitations are only shown (the worker's arbitration deadline); their lapse tells nobody.
 */
export const limitation: DeadlineKind = {
  kind: 'limitation',
  legalBasis: LIMITATION_LEGAL_BASIS,
  reminders: [{ kind: LAPSE, at: (d) => d.dueAt, recipients: [] }],
  async onTransition({ t, w }) {
    if (!limitationApplies(t.row.source)) return;
    const corrected =
      t.action === 'correct' &&
      Array.isArray(t.payload.changed) &&
      t.payload.changed.some((c) => ['employment', 'knewOfInfringementOn', 'claims'].includes(String(c)));
    if (t.action === 'intake' || corrected) {
      // A correction of the dates or claims (before any agreement) recomputes what the intake recorded.
      const recorded = await w.find(t.row.id, 'limitation', { statuses: ['met', 'fired'] });
      for (const d of recorded)
        if (d.data.phase === 'interrupted_by_application') await w.close(d, 'superseded');
      const receivedOn = localDateOf(t.row.application_received_at);
      for (const c of claimLimitations(input(t.row, await claimsOf(w, t.row.id)), w.cal)) {
        if (!c.startsOn || !c.expiresOn) continue;
        await w.create({
          caseId: t.row.id,
          kind: 'limitation',
          subjectId: c.claimId,
          startDate: c.startsOn,
          period: { unit: 'years', length: 1 },
          status: c.expiresOn >= receivedOn ? 'met' : 'fired',
          data: { claimType: c.type, phase: 'interrupted_by_application', interruptedOn: receivedOn },
        });
      }
    } else if (t.action === 'fail' && t.closureReason === 'mediation_failed') {
      const failedOn = localDateOf(t.at);
      const current = await w.find(t.row.id, 'limitation');
      const claims = claimLimitations(input(t.row, await claimsOf(w, t.row.id)), w.cal, failedOn);
      for (const c of claims) {
        if (!c.startsOn) continue;
        const spec = {
          caseId: t.row.id,
          kind: 'limitation',
          subjectId: c.claimId,
          startDate: c.startsOn,
          period: { unit: 'years' as const, length: 1 },
          data: { claimType: c.type, phase: 'restarted_after_failure' },
        };
        const old = current.find((d) => d.subject_id === c.claimId);
        if (old) await w.supersede(old, spec);
        else await w.create(spec);
      }
    } else if (t.action === 'instalment_overdue') {
      const { instalmentId, dueOn, seq } = t.payload;
      if (typeof instalmentId !== 'string' || typeof dueOn !== 'string') return;
      await w.create({
        caseId: t.row.id,
        kind: 'limitation',
        subjectId: instalmentId,
        startDate: dueOn,
        period: { unit: 'years', length: 1 },
        data: { phase: 'restarted_from_unpaid_instalment', instalmentSeq: seq ?? null },
      });
    } else if (t.action === 'record_payment') {
      const pending = (await w.find(t.row.id, 'limitation')).filter(
        (d) => d.data.phase === 'restarted_from_unpaid_instalment',
      );
      if (!pending.length) return;
      const paid: Array<{ id: string }> = await w.m.query(
        `SELECT id FROM instalments WHERE case_id = $1 AND paid_fen >= amount_fen`,
        [t.row.id],
      );
      const paidIds = new Set(paid.map((p) => p.id));
      for (const d of pending) if (d.subject_id && paidIds.has(d.subject_id)) await w.close(d, 'met');
    }
  },
};

@Injectable()
export class LimitationDeadlines implements OnModuleInit {
  constructor(private readonly kinds: DeadlineKinds) {}

  onModuleInit(): void {
    this.kinds.register(limitation);
  }
}
