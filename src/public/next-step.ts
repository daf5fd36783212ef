import { DateTime } from 'luxon';
import type { CaseSource, CaseStatus, ClaimType, ClosureReason } from '../common/domain';
import { ORIGIN_SOURCES } from '../common/domain';
import { fill, formatFen, type Lang, MESSAGES } from '../i18n/messages';

const ZONE = 'Asia/Shanghai';

/** An organisation as a worker may see it: a public office, never a party. */
export interface PublicPlace {
  name: string;
  address: string | null;
  phone: string | null;
  hours: string | null;
}

/** What the next step of a case depends on (all read by PublicStatusReader). */
export interface NextStepFacts {
  status: CaseStatus;
  closureReason: ClosureReason | null;
  source: CaseSource;
  claimTypes: ClaimType[];
  committee: PublicPlace;
  arbitration: PublicPlace | null;
  origin: PublicPlace | null;
  litigationCourt: PublicPlace | null;
  nextSession: { startsAt: Date; mode: string; location: string | null } | null;
  decisionLastDay: string | null;
  mediationLastDay: string | null;
  limitationLastDay: string | null;
  nextInstalment: { dueOn: string; amountFen: number } | null;
  /** The open referral of a referred case: where it stands, its court, and the enforcement window's last day. */
  referral?: { status: string; court: PublicPlace | null; enforcementLastDay: string | null } | null;
}

export interface NextStep {
  text: string;
  /** The local date (Asia/Shanghai) by which the worker should act, when there is one. */
  by: string | null;
  /** Where to go: the committee, the arbitration commission, or the court or commission that sent the case. */
  where: PublicPlace | null;
}

/** Claims for which arbitration may order advance execution (LDMAL art. 44). */
const ADVANCE_EXECUTION_CLAIMS: readonly ClaimType[] = [
  'wage_arrears',
  'work_injury_medical',
  'economic_compensation',
  'damages',
];

export function formatLocalDate(lang: Lang, date: string): string {
  const f = MESSAGES[lang].format;
  return DateTime.fromISO(date, { zone: ZONE }).setLocale(f.locale).toFormat(f.date);
}

export function formatInstant(lang: Lang, at: Date): string {
  const f = MESSAGES[lang].format;
  return DateTime.fromJSDate(at, { zone: ZONE }).setLocale(f.locale).toFormat(f.dateTime);
}

/** SPEC §10 "next step for the worker": what to do, where, and by when, in the worker's language. */
export function nextStep(lang: Lang, f: NextStepFacts): NextStep {
  const m = MESSAGES[lang];
  const s = m.step;
  const parts: string[] = [];
  let by: string | null = null;
  let where: PublicPlace | null = f.committee;
  const date = (d: string) => formatLocalDate(lang, d);
  const originSent = ORIGIN_SOURCES.includes(f.source);

  const arbitration = () => {
    where = f.arbitration;
    parts.push(f.arbitration ? fill(s.arbitrationAt, { name: f.arbitration.name }) : s.arbitrationGeneric);
    // SPEC §6: after failure the worker sees the arbitration deadline; never for court-sent cases.
    if (f.limitationLastDay) {
      by = f.limitationLastDay;
      parts.push(fill(s.arbitrationBy, { date: date(f.limitationLastDay) }));
    } else parts.push(s.arbitrationWithinYear);
    if (f.claimTypes.some((t) => ADVANCE_EXECUTION_CLAIMS.includes(t))) parts.push(s.advanceExecution);
  };
  const backToOrigin = () => {
    where = f.origin;
    parts.push(f.origin ? fill(s.returnedTo, { name: f.origin.name }) : s.returnedGeneric);
  };

  switch (f.status) {
    case 'submitted':
      // The committee acts next; the worker only waits, so the date is told, not set as the worker's `by`.
      parts.push(s.submitted);
      if (f.decisionLastDay) parts.push(fill(s.decisionBy, { date: date(f.decisionLastDay) }));
      break;
    case 'accepted':
    case 'in_mediation':
      if (f.status === 'accepted') parts.push(s.accepted);
      if (f.nextSession) {
        const when = formatInstant(lang, f.nextSession.startsAt);
        const place = f.nextSession.location ?? m.sessionMode[f.nextSession.mode] ?? null;
        parts.push(place ? fill(s.session, { when, place }) : fill(s.sessionNoPlace, { when }));
      } else if (f.status === 'in_mediation') parts.push(s.waitForSession);
      if (f.mediationLastDay) parts.push(fill(s.mediationBy, { date: date(f.mediationLastDay) }));
      break;
    case 'performing':
      if (f.nextInstalment) {
        by = f.nextInstalment.dueOn;
        parts.push(
          fill(s.instalmentDue, {
            amount: formatFen(f.nextInstalment.amountFen),
            date: date(f.nextInstalment.dueOn),
          }),
        );
      } else parts.push(s.awaitPayment);
      break;
    case 'defaulted':
      parts.push(s.defaulted);
      break;
    case 'referred': {
      const r = f.referral;
      if (!r?.court) {
        parts.push(s.referred);
        break;
      }
      where = r.court;
      const name = r.court.name;
      if (r.status === 'enforceable' && r.enforcementLastDay) {
        by = r.enforcementLastDay;
        parts.push(fill(s.referralEnforceable, { name, date: date(r.enforcementLastDay) }));
      } else if (r.status === 'enforcement') parts.push(fill(s.referralEnforcement, { name }));
      else if (['order_issued', 'order_served', 'objection_filed'].includes(r.status))
        parts.push(fill(s.referralOrder, { name }));
      else parts.push(fill(s.referralWithCourt, { name }));
      break;
    }
    case 'closed':
      switch (f.closureReason) {
        case 'settled':
          where = null;
          parts.push(s.settled);
          break;
        case 'withdrawn':
          where = null;
          parts.push(s.withdrawn);
          break;
        case 'returned_to_origin':
          backToOrigin();
          break;
        case 'rejected':
        case 'respondent_refused':
        case 'mediation_failed':
          if (originSent) backToOrigin();
          else arbitration();
          break;
        case 'litigation':
          where = f.litigationCourt;
          parts.push(fill(s.litigation, { name: f.litigationCourt?.name ?? s.court }));
          break;
        case 'enforcement_concluded':
          parts.push(s.enforcementConcluded);
          break;
      }
      break;
  }
  if (f.committee.phone && f.closureReason !== 'settled' && f.closureReason !== 'withdrawn') {
    parts.push(fill(s.contact, { phone: f.committee.phone }));
  }
  return { text: parts.join(m.format.separator), by, where };
}
