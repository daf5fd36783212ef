import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AGENCY_OUTCOME_KINDS } from '../agency-outcomes/agency-outcomes.dto';
import { CASE_SOURCES, CLAIM_TYPES, type CaseSource, type ClaimType } from '../common/domain';
import { REFERRAL_KINDS, REFERRAL_STATUSES_BY_KIND, type ReferralKind } from '../referrals/referral-steps';

/** The referral statuses of SPEC §9, by kind, so that every report lists the same rows. */
export const REFERRAL_STATUSES = REFERRAL_STATUSES_BY_KIND;
export { REFERRAL_KINDS, type ReferralKind };

export interface Committee {
  id: string;
  name: string;
  code: string;
}

/**
 * The periodic two-way report of one committee over an inclusive range of local dates (SPEC §7). Every figure
 * is defined in README "Reports"; in short: cases by when they came in, actions by when they happened, money
 * by its own date, each in Asia/Shanghai.
 */
export interface Report {
  committee: Committee;
  from: string;
  to: string;
  timeZone: 'Asia/Shanghai';
  generatedAt: string;
  cases: {
    received: number;
    receivedBySource: Record<CaseSource, number>;
    accepted: number;
    rejected: number;
    respondentRefused: number;
    agreementsSigned: number;
    settled: number;
    failed: number;
    failedReferredToArbitration: number;
    returnedToOrigin: number;
    withdrawn: number;
    referred: number;
    referredByKind: Record<ReferralKind, number>;
  };
  amounts: { claimedFen: number; agreedFen: number; paidFen: number };
  mediationDeadline: { concluded: number; withinDeadline: number; share: number | null };
  medianDaysToAgreement: number | null;
  referralOutcomes: Record<ReferralKind, { total: number; byStatus: Record<string, number> }>;
  agencyOutcomes: { total: number; byKind: Record<string, number>; amountAwardedFen: number };
  byClaimType: Record<ClaimType, { cases: number; claimedFen: number; agreedFen: number }>;
}

const ZONE = 'Asia/Shanghai';
// The range as instants: local midnight of `from` up to (not including) local midnight after `to`.
const LO = `($2::date::timestamp AT TIME ZONE '${ZONE}')`;
const HI = `(($3::date + 1)::timestamp AT TIME ZONE '${ZONE}')`;

type Num = string | number | null;
const n = (v: Num): number => (v === null ? 0 : Number(v));

/** The report's figures, computed in SQL: a handful of aggregate queries, none per case (SPEC §7). */
@Injectable()
export class ReportService {
  constructor(private readonly db: DataSource) {}

  /** All figures from one snapshot (REPEATABLE READ), or inside the caller's transaction. */
  async compute(committee: Committee, from: string, to: string, m?: EntityManager): Promise<Report> {
    if (m) return this.computeIn(m, committee, from, to);
    return this.db.transaction('REPEATABLE READ', (tx) => this.computeIn(tx, committee, from, to));
  }

  private async computeIn(m: EntityManager, committee: Committee, from: string, to: string): Promise<Report> {
    const p = [committee.id, from, to];

    // Cases received (application_received_at in range), by source, with what they claimed.
    const received: Array<{ source: CaseSource; cases: Num; claimed: Num }> = await m.query(
      `SELECT c.source, count(*) AS cases, sum(c.claimed_total_fen) AS claimed FROM cases c
        WHERE c.committee_id = $1 AND c.application_received_at >= ${LO} AND c.application_received_at < ${HI}
        GROUP BY c.source`,
      p,
    );

    // Actions: the case event of each action whose time falls in the range.
    const [ev]: Array<Record<string, Num>> = await m.query(
      `SELECT count(*) FILTER (WHERE e.action = 'accept') AS accepted,
              count(*) FILTER (WHERE e.action = 'reject') AS rejected,
              count(*) FILTER (WHERE e.action = 'reject' AND e.closure_reason = 'respondent_refused') AS respondent_refused,
              count(*) FILTER (WHERE e.to_status = 'closed' AND e.closure_reason = 'settled'
                                 AND e.from_status IS DISTINCT FROM 'closed') AS settled,
              count(*) FILTER (WHERE e.action = 'fail') AS failed,
              count(*) FILTER (WHERE e.action = 'fail' AND e.payload->>'referTo' = 'arbitration') AS failed_arbitration,
              count(*) FILTER (WHERE e.action = 'fail' AND e.closure_reason = 'returned_to_origin') AS returned,
              count(*) FILTER (WHERE e.action = 'withdraw') AS withdrawn,
              count(*) FILTER (WHERE e.action = 'refer_payment_order') AS referred_payment_order,
              count(*) FILTER (WHERE e.action = 'refer_judicial_confirmation') AS referred_judicial_confirmation
         FROM case_events e JOIN cases c ON c.id = e.case_id
        WHERE c.committee_id = $1 AND e.at >= ${LO} AND e.at < ${HI}`,
      p,
    );

    // Agreements signed in range (their local signing date): how many, how much, and how long after the
    // application (local dates) they were reached.
    const [ag]: Array<{ agreements: Num; agreed: Num; median_days: Num }> = await m.query(
      `SELECT count(*) AS agreements, sum(a.total_fen) AS agreed,
              percentile_cont(0.5) WITHIN GROUP (
                ORDER BY a.signed_on - (c.application_received_at AT TIME ZONE '${ZONE}')::date) AS median_days
         FROM agreements a JOIN cases c ON c.id = a.case_id
        WHERE c.committee_id = $1 AND a.signed_on BETWEEN $2::date AND $3::date`,
      p,
    );

    // Money actually paid: payments (ledger, at signing, through the court) whose paid_on is in range.
    const [paid]: Array<{ paid: Num }> = await m.query(
      `SELECT sum(pm.amount_fen) AS paid FROM payments pm JOIN cases c ON c.id = pm.case_id
        WHERE c.committee_id = $1 AND pm.paid_on BETWEEN $2::date AND $3::date`,
      p,
    );

    // Mediation concluded in range (an agreement signed, a failure, or a withdrawal during mediation) on a case
    // with a mediation deadline, and whether it was concluded before that deadline's end (its current period,
    // extensions included).
    const [dl]: Array<{ concluded: Num; within: Num }> = await m.query(
      `SELECT count(*) AS concluded, count(*) FILTER (WHERE x.concluded_at < x.due_at) AS within
         FROM (SELECT CASE WHEN e.action = 'record_agreement' THEN coalesce(a.signed_at, e.at) ELSE e.at END
                        AS concluded_at, d.due_at
                 FROM case_events e
                 JOIN cases c ON c.id = e.case_id
                 LEFT JOIN agreements a ON a.case_id = e.case_id AND e.action = 'record_agreement'
                 JOIN LATERAL (SELECT due_at FROM deadlines d WHERE d.case_id = e.case_id AND d.kind = 'mediation'
                                  AND d.status NOT IN ('superseded', 'cancelled')
                                ORDER BY d.created_at DESC LIMIT 1) d ON true
                WHERE c.committee_id = $1
                  AND (e.action IN ('record_agreement', 'fail')
                       OR (e.action = 'withdraw' AND e.from_status IN ('accepted', 'in_mediation')))) x
        WHERE x.concluded_at >= ${LO} AND x.concluded_at < ${HI}`,
      p,
    );

    // Referrals sent in range (created_at), by kind and their status as it is now.
    const referrals: Array<{ kind: string; status: string; referrals: Num }> = await m.query(
      `SELECT r.kind, r.status, count(*) AS referrals FROM referrals r JOIN cases c ON c.id = r.case_id
        WHERE c.committee_id = $1 AND r.created_at >= ${LO} AND r.created_at < ${HI}
        GROUP BY r.kind, r.status`,
      p,
    );

    // Outcomes agencies reported back in range (when they recorded them), by kind.
    const outcomes: Array<{ kind: string; outcomes: Num; awarded: Num }> = await m.query(
      `SELECT o.kind, count(*) AS outcomes, sum(o.amount_awarded_fen) AS awarded
         FROM agency_outcomes o JOIN cases c ON c.id = o.case_id
        WHERE c.committee_id = $1 AND o.created_at >= ${LO} AND o.created_at < ${HI}
        GROUP BY o.kind`,
      p,
    );

    // By claim type: claims of the cases received in range; agreed items of the agreements signed in range.
    const claims: Array<{ type: ClaimType; cases: Num; claimed: Num; agreed: Num }> = await m.query(
      `SELECT t.type, sum(t.cases) AS cases, sum(t.claimed) AS claimed, sum(t.agreed) AS agreed FROM (
         SELECT cl.type, count(DISTINCT cl.case_id) AS cases, sum(cl.amount_fen) AS claimed, 0 AS agreed
           FROM case_claims cl JOIN cases c ON c.id = cl.case_id
          WHERE c.committee_id = $1 AND c.application_received_at >= ${LO} AND c.application_received_at < ${HI}
          GROUP BY cl.type
         UNION ALL
         SELECT i.claim_type, 0, 0, sum(i.amount_fen)
           FROM agreement_items i JOIN agreements a ON a.id = i.agreement_id JOIN cases c ON c.id = a.case_id
          WHERE c.committee_id = $1 AND a.signed_on BETWEEN $2::date AND $3::date
          GROUP BY i.claim_type) t
        GROUP BY t.type`,
      p,
    );

    const bySource = Object.fromEntries(CASE_SOURCES.map((s) => [s, 0])) as Record<CaseSource, number>;
    for (const r of received) bySource[r.source] = n(r.cases);
    const concluded = n(dl.concluded);
    const within = n(dl.within);

    const referralOutcomes = Object.fromEntries(
      REFERRAL_KINDS.map((k) => [
        k,
        {
          total: 0,
          byStatus: Object.fromEntries(REFERRAL_STATUSES[k].map((s) => [s, 0])) as Record<string, number>,
        },
      ]),
    ) as Report['referralOutcomes'];
    for (const r of referrals) {
      const bucket = referralOutcomes[r.kind as ReferralKind];
      if (!bucket) continue;
      bucket.total += n(r.referrals);
      bucket.byStatus[r.status] = (bucket.byStatus[r.status] ?? 0) + n(r.referrals);
    }

    const byKind = Object.fromEntries(AGENCY_OUTCOME_KINDS.map((k) => [k, 0])) as Record<string, number>;
    for (const o of outcomes) byKind[o.kind] = n(o.outcomes);

    const byClaimType = Object.fromEntries(
      CLAIM_TYPES.map((t) => [t, { cases: 0, claimedFen: 0, agreedFen: 0 }]),
    ) as Report['byClaimType'];
    for (const c of claims)
      byClaimType[c.type] = { cases: n(c.cases), claimedFen: n(c.claimed), agreedFen: n(c.agreed) };

    return {
      committee,
      from,
      to,
      timeZone: ZONE,
      generatedAt: new Date().toISOString(),
      cases: {
        received: received.reduce((s, r) => s + n(r.cases), 0),
        receivedBySource: bySource,
        accepted: n(ev.accepted),
        rejected: n(ev.rejected),
        respondentRefused: n(ev.respondent_refused),
        agreementsSigned: n(ag.agreements),
        settled: n(ev.settled),
        failed: n(ev.failed),
        failedReferredToArbitration: n(ev.failed_arbitration),
        returnedToOrigin: n(ev.returned),
        withdrawn: n(ev.withdrawn),
        referred: n(ev.referred_payment_order) + n(ev.referred_judicial_confirmation),
        referredByKind: {
          payment_order: n(ev.referred_payment_order),
          judicial_confirmation: n(ev.referred_judicial_confirmation),
        },
      },
      amounts: {
        claimedFen: received.reduce((s, r) => s + n(r.claimed), 0),
        agreedFen: n(ag.agreed),
        paidFen: n(paid.paid),
      },
      mediationDeadline: {
        concluded,
        withinDeadline: within,
        share: concluded ? Math.round((within / concluded) * 10000) / 10000 : null,
      },
      medianDaysToAgreement: ag.median_days === null ? null : Number(ag.median_days),
      referralOutcomes,
      agencyOutcomes: {
        total: outcomes.reduce((s, o) => s + n(o.outcomes), 0),
        byKind,
        amountAwardedFen: outcomes.reduce((s, o) => s + n(o.awarded), 0),
      },
      byClaimType,
    };
  }
}
