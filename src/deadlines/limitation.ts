/**
 * The limitation period for arbitration (仲裁时效), Labour Dispute Mediation and Arbitration Law art. 27
 * (SPEC §6). Pure.
 *
 * - One year from the day the worker knew or should have known of the infringement (`knewOfInfringementOn`).
 * - Wage arrears during employment: no limitation while the employment lasts; once it has ended, one year
 *   from its end date (art. 27 para. 4).
 * - The application interrupts it (art. 27 para. 2); it restarts in full when mediation fails, and from an
 *   unpaid instalment's due date.
 * - It never blocks intake: it is the employer's defence. Court-sent cases do not show it (the court decides).
 */
import type { CaseSource, ClaimType } from '../common/domain';
import { addCalendarDays, addYearsPeriod, type WorkingDayCalendar } from './period';

export const LIMITATION_LEGAL_BASIS = '《劳动争议调解仲裁法》第二十七条';
/** Under this many days left at the application, the intake answer warns. */
export const LIMITATION_WARNING_DAYS = 30;

const COURT_SENT: readonly CaseSource[] = ['court_delegated', 'court_entrusted'];

export interface LimitationClaim {
  id?: string;
  type: ClaimType;
}

export interface LimitationInput {
  source: CaseSource;
  claims: readonly LimitationClaim[];
  employmentEndDate: string | null;
  knewOfInfringementOn: string | null;
}

export interface ClaimLimitation {
  claimId?: string;
  type: ClaimType;
  /** The day the year starts from (not counted), or null when none runs. */
  startsOn: string | null;
  /** The period's last day, or null: wage arrears during employment, or no date to count from. */
  expiresOn: string | null;
  /** Why expiresOn is null. */
  none?: 'wage_arrears_during_employment' | 'knew_of_infringement_unknown';
}

export interface LimitationAnswer {
  claims: Array<{ type: ClaimType; expiresOn: string | null }>;
  earliestExpiresOn: string | null;
  warning: string | null;
}

/** Whether a case shows the limitation at all (SPEC §6: not for court-sent cases). */
export function limitationApplies(source: CaseSource): boolean {
  return !COURT_SENT.includes(source);
}

/**
 * The limitation of each claim. `restartOn` is the day an interruption ended (mediation failed): every claim
 * that has a running limitation counts one year from it instead.
 */
export function claimLimitations(
  input: LimitationInput,
  cal: WorkingDayCalendar,
  restartOn?: string,
): ClaimLimitation[] {
  return input.claims.map((claim) => {
    const base = { ...(claim.id ? { claimId: claim.id } : {}), type: claim.type };
    if (claim.type === 'wage_arrears' && !input.employmentEndDate) {
      return { ...base, startsOn: null, expiresOn: null, none: 'wage_arrears_during_employment' as const };
    }
    const startsOn =
      restartOn ??
      (claim.type === 'wage_arrears' ? input.employmentEndDate : input.knewOfInfringementOn) ??
      null;
    if (!startsOn) {
      return { ...base, startsOn: null, expiresOn: null, none: 'knew_of_infringement_unknown' as const };
    }
    return { ...base, startsOn, expiresOn: addYearsPeriod(startsOn, 1, cal) };
  });
}

/** The intake answer's `limitation` (SPEC §15), or null for a court-sent case. `receivedOn` is the local date. */
export function limitationAtIntake(
  input: LimitationInput,
  receivedOn: string,
  cal: WorkingDayCalendar,
): LimitationAnswer | null {
  if (!limitationApplies(input.source)) return null;
  const claims = claimLimitations(input, cal);
  const dates = claims.map((c) => c.expiresOn).filter((d): d is string => d !== null);
  const earliest = dates.length ? dates.reduce((a, b) => (a < b ? a : b)) : null;
  const warnings: string[] = [];
  if (earliest !== null && earliest < receivedOn) {
    warnings.push(
      `仲裁时效已于${earliest}届满（申请时已超过一年）。时效抗辩由用人单位提出，不影响受理，请告知劳动者。`,
    );
  } else if (earliest !== null && earliest < addCalendarDays(receivedOn, LIMITATION_WARNING_DAYS)) {
    warnings.push(`仲裁时效将于${earliest}届满，距申请之日不足${LIMITATION_WARNING_DAYS}日。`);
  }
  if (claims.some((c) => c.none === 'knew_of_infringement_unknown')) {
    warnings.push('未填写知道或者应当知道权利被侵害之日，部分请求的仲裁时效无法计算。');
  }
  return {
    claims: claims.map((c) => ({ type: c.type, expiresOn: c.expiresOn })),
    earliestExpiresOn: earliest,
    warning: warnings.length ? warnings.join('') : null,
  };
}
