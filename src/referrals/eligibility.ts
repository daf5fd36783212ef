/**
 * Payment-order eligibility (SPEC §9; LDMAL art. 16; CPL arts. 225–227; SPC CPL interpretation arts. 23, 429) as
 * a pure function over the case, its agreement and ledger, the employer's details and the courts of the service.
 * No I/O: the service loads the facts, this decides.
 */
import type { CaseSource, ClaimType } from '../common/domain';
import { isOverdue, itemBalances, outstandingOf, type InstalmentBalance } from '../agreements/ledger';

/** The claim types a payment order may be sought for (LDMAL art. 16). */
export const PAYMENT_ORDER_CLAIM_TYPES: readonly ClaimType[] = [
  'wage_arrears',
  'work_injury_medical',
  'economic_compensation',
  'damages',
];

export const INELIGIBILITY_CODES = [
  'NO_AGREEMENT',
  'COURT_ENTRUSTED',
  'NO_ELIGIBLE_ITEMS',
  'NOTHING_OVERDUE',
  'NOTHING_DUE_ON_ELIGIBLE_ITEMS',
  'EMPLOYER_ADDRESS_UNKNOWN',
  'EMPLOYER_ADDRESS_OUTSIDE_MAINLAND',
  'EMPLOYER_WHEREABOUTS_UNKNOWN',
  'WORKER_OWES_IN_RETURN',
] as const;
export type IneligibilityCode = (typeof INELIGIBILITY_CODES)[number];

const REASON_TEXT: Record<IneligibilityCode, string> = {
  NO_AGREEMENT: '案件尚无调解协议',
  COURT_ENTRUSTED: '本案系人民法院诉中委托调解的案件，应退回委托法院处理，不适用支付令',
  NO_ELIGIBLE_ITEMS: '调解协议没有支付拖欠劳动报酬、工伤医疗费、经济补偿或者赔偿金的事项',
  NOTHING_OVERDUE: '调解协议约定的款项尚无逾期未付的',
  NOTHING_DUE_ON_ELIGIBLE_ITEMS: '已到期未付的款项不属于劳动报酬、工伤医疗费、经济补偿或者赔偿金',
  EMPLOYER_ADDRESS_UNKNOWN: '用人单位没有可供送达的地址',
  EMPLOYER_ADDRESS_OUTSIDE_MAINLAND: '用人单位住所不在中国内地，支付令无法送达',
  EMPLOYER_WHEREABOUTS_UNKNOWN: '用人单位下落不明，支付令无法送达',
  WORKER_OWES_IN_RETURN: '依调解协议，劳动者尚负有对待给付义务',
};

export interface Court {
  id: string;
  name: string;
  jurisdictionDivisionCodes: readonly string[];
}

export interface EligibilityInput {
  case: {
    source: CaseSource;
    employerAddress: string | null;
    employerWhereaboutsUnknown: boolean;
    employerDomicileDivisionCode: string | null;
  };
  /** null: no agreement yet. */
  agreement: {
    items: ReadonlyArray<{ claimType: ClaimType; amountFen: number }>;
    instalments: readonly InstalmentBalance[];
    accelerationOnDefault: boolean;
    /**
     * What the worker must still do or give in return under the agreement (SPC CPL interpretation art. 429: no
     * counter-performance owed). The agreement does not model it yet: null means nothing is owed.
     */
    workerObligations: string | null;
    /** A court confirmed the agreement (a judicial-confirmation referral `confirmed`). */
    judiciallyConfirmed: boolean;
  } | null;
  /** Local date, Asia/Shanghai. */
  today: string;
  graceDays: number;
  courts: readonly Court[];
}

export interface EligibilityReason {
  code: IneligibilityCode;
  text: string;
}

export interface PaymentOrderEligibility {
  eligible: boolean;
  /** Due and unpaid on the eligible items (0 when nothing is). */
  amountClaimedFen: number;
  /** The basic court whose jurisdiction holds the employer's domicile, or null. */
  court: { id: string; name: string } | null;
  /** Every reason it is not eligible, in words (empty when eligible). */
  reasons: string[];
  reasonCodes: IneligibilityCode[];
  /** What the worker can do instead, in words; null when eligible. */
  alternative: string | null;
  alternativeCode: 'arbitration' | 'enforcement_application' | 'origin_court' | null;
  /** Set when no court of the service is competent: the referral must name one, which may decline. */
  warning: string | null;
}

/** Hong Kong (81), Macao (82) and Taiwan (71) division codes: outside the mainland's service of process. */
const OUTSIDE_MAINLAND = /^(71|81|82)/;

export const NO_COMPETENT_COURT_WARNING =
  '本系统中没有管辖用人单位住所地的基层人民法院（最高人民法院关于适用《民事诉讼法》的解释第二十三条）；' +
  '移送时须指定法院，该法院可能不予受理。';

/** The court whose jurisdiction holds the division code (the first, if several claim it). */
export function competentCourt(divisionCode: string | null, courts: readonly Court[]): Court | null {
  if (!divisionCode) return null;
  return courts.find((c) => c.jurisdictionDivisionCodes.includes(divisionCode)) ?? null;
}

/**
 * What is due and unpaid on each item. Items have no instalments of their own, so both what was paid and what has
 * fallen due are spread over the items in the agreement's order (the ledger's rule for payments): the amount due
 * so far is everything paid plus the overdue remainder (with `accelerationOnDefault` and an overdue instalment,
 * the whole agreement), and each item's due-and-unpaid part is its share of that minus its share of the payments.
 */
export function dueAndUnpaidByItem(
  items: ReadonlyArray<{ claimType: ClaimType; amountFen: number }>,
  instalments: readonly InstalmentBalance[],
  accelerationOnDefault: boolean,
  today: string,
  graceDays: number,
): Array<{ claimType: ClaimType; amountFen: number; dueUnpaidFen: number }> {
  const paid = instalments.reduce((s, i) => s + i.paidFen, 0);
  const overdue = instalments.filter((i) => isOverdue(i, today, graceDays));
  const total = items.reduce((s, i) => s + i.amountFen, 0);
  const due =
    overdue.length && accelerationOnDefault
      ? total
      : paid + overdue.reduce((s, i) => s + outstandingOf(i), 0);
  const dueShares = itemBalances(items, due);
  const paidShares = itemBalances(items, paid);
  return items.map((item, n) => ({
    claimType: item.claimType,
    amountFen: item.amountFen,
    dueUnpaidFen: Math.max(0, dueShares[n].paidFen - paidShares[n].paidFen),
  }));
}

export function paymentOrderEligibility(input: EligibilityInput): PaymentOrderEligibility {
  const reasons: IneligibilityCode[] = [];
  const c = input.case;
  const a = input.agreement;
  if (c.source === 'court_entrusted') reasons.push('COURT_ENTRUSTED');
  let amountClaimedFen = 0;
  if (!a) {
    reasons.push('NO_AGREEMENT');
  } else {
    const eligibleItems = a.items.filter((i) => PAYMENT_ORDER_CLAIM_TYPES.includes(i.claimType));
    const anyOverdue = a.instalments.some((i) => isOverdue(i, input.today, input.graceDays));
    if (!eligibleItems.length) reasons.push('NO_ELIGIBLE_ITEMS');
    if (!anyOverdue) reasons.push('NOTHING_OVERDUE');
    amountClaimedFen = dueAndUnpaidByItem(
      a.items,
      a.instalments,
      a.accelerationOnDefault,
      input.today,
      input.graceDays,
    )
      .filter((i) => PAYMENT_ORDER_CLAIM_TYPES.includes(i.claimType))
      .reduce((s, i) => s + i.dueUnpaidFen, 0);
    if (eligibleItems.length && anyOverdue && amountClaimedFen === 0)
      reasons.push('NOTHING_DUE_ON_ELIGIBLE_ITEMS');
    if (a.workerObligations?.trim()) reasons.push('WORKER_OWES_IN_RETURN');
  }
  if (!c.employerAddress?.trim()) reasons.push('EMPLOYER_ADDRESS_UNKNOWN');
  else if (c.employerDomicileDivisionCode && OUTSIDE_MAINLAND.test(c.employerDomicileDivisionCode))
    reasons.push('EMPLOYER_ADDRESS_OUTSIDE_MAINLAND');
  if (c.employerWhereaboutsUnknown) reasons.push('EMPLOYER_WHEREABOUTS_UNKNOWN');

  const court = competentCourt(c.employerDomicileDivisionCode, input.courts);
  const eligible = reasons.length === 0;
  const alternativeCode = eligible
    ? null
    : c.source === 'court_entrusted'
      ? 'origin_court'
      : a?.judiciallyConfirmed
        ? 'enforcement_application'
        : 'arbitration';
  return {
    eligible,
    amountClaimedFen,
    court: court ? { id: court.id, name: court.name } : null,
    reasons: reasons.map((r) => REASON_TEXT[r]),
    reasonCodes: reasons,
    alternative: alternativeCode ? ALTERNATIVE_TEXT[alternativeCode] : null,
    alternativeCode,
    warning: court ? null : NO_COMPETENT_COURT_WARNING,
  };
}

const ALTERNATIVE_TEXT = {
  arbitration:
    '劳动者可以就调解协议约定的事项向劳动人事争议仲裁委员会申请仲裁（《劳动争议调解仲裁法》第十五条）；' +
    '追索劳动报酬等案件可以在仲裁中申请先予执行（同法第四十四条）。',
  enforcement_application:
    '调解协议已经人民法院司法确认，劳动者可以向作出确认裁定的人民法院申请强制执行（《民事诉讼法》第二百零六条）。',
  origin_court: '本案系人民法院委托调解的案件，应退回委托法院依法处理。',
} as const;
