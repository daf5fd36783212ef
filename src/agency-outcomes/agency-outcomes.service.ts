import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../auth/auth-user';
import { caseScope } from '../cases/case-scope';
import {
  ForbiddenError,
  InvalidTransitionError,
  NotFoundError,
  ValidationFailedError,
  type FieldError,
} from '../common/errors';
import type { CaseStatus } from '../common/domain';
import { localDateOf } from '../deadlines/period';
import { AGENCY_OUTCOME_COLUMNS, agencyOutcomeView, type AgencyOutcomeRow } from './agency-outcome-view';
import { AWARDING_KINDS, type RecordAgencyOutcomeDto } from './agency-outcomes.dto';

/** Statuses in which the case is still the committee's: its origin has not received it back yet. */
const STILL_IN_MEDIATION: readonly CaseStatus[] = ['submitted', 'accepted', 'in_mediation'];

interface ReceivedRow {
  id: string;
  status: CaseStatus;
  application_received_at: Date;
  is_origin: boolean;
  is_referral_court: boolean;
  is_arbitration: boolean;
}

/**
 * Agencies answer back (SPEC §7): a court liaison or agency user of an organisation that received the case
 * records what became of it. An organisation received a case when it is
 * - its origin (the court or arbitration commission that sent it), once the case left mediation (an agreement,
 *   or closed for whatever reason): while it is still submitted, accepted or in mediation the answer is 409;
 * - the court of any referral of the case (payment order, judicial confirmation);
 * - the committee's partner arbitration commission, when the case failed with `referTo: arbitration`.
 * A case the caller can neither see nor has received answers 404; one they see but never received, 403.
 */
@Injectable()
export class AgencyOutcomesService {
  constructor(
    private readonly db: DataSource,
    private readonly audit: AuditService,
  ) {}

  async record(
    user: AuthUser,
    caseId: string,
    dto: RecordAgencyOutcomeDto,
    onCommitInTx?: (m: EntityManager, answer: object) => Promise<void>,
  ) {
    return this.db.transaction(async (m) => {
      const org = user.organisationId;
      const params: unknown[] = [caseId, org];
      const scope = caseScope(user, params);
      const found: ReceivedRow[] = await m.query(
        `SELECT x.* FROM (
           SELECT c.id, c.status, c.application_received_at, ${scope} AS visible,
                  c.origin_organisation_id IS NOT DISTINCT FROM $2::uuid AS is_origin,
                  EXISTS (SELECT 1 FROM referrals r WHERE r.case_id = c.id AND r.court_id = $2::uuid) AS is_referral_court,
                  EXISTS (SELECT 1 FROM organisations k WHERE k.id = c.committee_id
                            AND k.partner_arbitration_commission_id = $2::uuid)
                    AND EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id AND e.action = 'fail'
                            AND e.payload->>'referTo' = 'arbitration') AS is_arbitration
             FROM cases c WHERE c.id = $1) x
          WHERE x.visible OR x.is_origin OR x.is_referral_court OR x.is_arbitration`,
        params,
      );
      const row = found[0];
      if (!row || !org) throw new NotFoundError('Case');
      if (!row.is_origin && !row.is_referral_court && !row.is_arbitration) {
        throw new ForbiddenError('Your organisation did not receive this case.');
      }
      if (
        row.is_origin &&
        !row.is_referral_court &&
        !row.is_arbitration &&
        STILL_IN_MEDIATION.includes(row.status)
      ) {
        // The case has not come back to its origin yet: nothing has become of it elsewhere.
        throw new InvalidTransitionError('record_agency_outcome', row.status);
      }
      this.check(dto, localDateOf(row.application_received_at));

      const inserted: Array<{ id: string }> = await m.query(
        `INSERT INTO agency_outcomes (case_id, organisation_id, kind, decided_on, reference, amount_awarded_fen, note,
                                      recorded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
        [
          row.id,
          org,
          dto.kind,
          dto.decidedOn,
          dto.reference ?? null,
          dto.amountAwardedFen ?? null,
          dto.note ?? null,
          user.id,
        ],
      );
      const [created]: AgencyOutcomeRow[] = await m.query(
        `SELECT ${AGENCY_OUTCOME_COLUMNS} FROM agency_outcomes o JOIN organisations g ON g.id = o.organisation_id
          WHERE o.id = $1`,
        [inserted[0].id],
      );
      // Not a lifecycle action, so no case event; the audit log records who reported what.
      await this.audit.record(
        {
          userId: user.id,
          action: 'agency_outcome_recorded',
          entity: 'case',
          entityId: row.id,
          detail: { outcomeId: created.id, kind: dto.kind, organisationId: org },
        },
        m,
      );
      const answer = agencyOutcomeView(created);
      if (onCommitInTx) await onCommitInTx(m, answer);
      return answer;
    });
  }

  private check(dto: RecordAgencyOutcomeDto, receivedOn: string): void {
    const errors: FieldError[] = [];
    const today = localDateOf(new Date());
    if (dto.decidedOn > today) errors.push({ field: 'decidedOn', message: 'must not be in the future' });
    else if (dto.decidedOn < receivedOn)
      errors.push({
        field: 'decidedOn',
        message: `must not be before the application was received (${receivedOn})`,
      });
    if (dto.amountAwardedFen !== undefined && !AWARDING_KINDS.includes(dto.kind))
      errors.push({ field: 'amountAwardedFen', message: `a ${dto.kind} awards no amount` });
    if (errors.length) throw new ValidationFailedError(errors);
  }
}
