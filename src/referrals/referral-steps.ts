/**
 * SPEC §9's table of referral statuses and the liaison's steps, as data: which step is allowed from which status,
 * the referral status it leads to and its effect on the case. The service asks `planStep`; anything the table
 * does not allow answers 409 INVALID_TRANSITION naming the referral's current status.
 */
import { ConflictError } from '../common/errors';

export const REFERRAL_KINDS = ['payment_order', 'judicial_confirmation'] as const;
export type ReferralKind = (typeof REFERRAL_KINDS)[number];

export const REFERRAL_STATUSES = [
  'sent',
  'acknowledged',
  'accepted',
  'rejected',
  'dismissed',
  'order_issued',
  'order_served',
  'not_served',
  'objection_filed',
  'terminated',
  'enforceable',
  'enforcement',
  'concluded',
  'withdrawn',
  'paid',
  'confirmed',
  'refused',
] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];

/** The statuses a referral of each kind can reach (a case's withdrawal withdraws either kind). */
export const REFERRAL_STATUSES_BY_KIND: Record<ReferralKind, readonly ReferralStatus[]> = {
  payment_order: REFERRAL_STATUSES.filter((s) => s !== 'confirmed' && s !== 'refused'),
  judicial_confirmation: ['sent', 'acknowledged', 'accepted', 'rejected', 'confirmed', 'refused', 'withdrawn'],
};

/** Statuses in which the court still has something to do. */
export const OPEN_REFERRAL_STATUSES: readonly ReferralStatus[] = [
  'sent',
  'acknowledged',
  'accepted',
  'order_issued',
  'order_served',
  'objection_filed',
  'enforceable',
  'enforcement',
];

export const DECISIONS = ['accepted', 'rejected'] as const;
export type Decision = (typeof DECISIONS)[number];

export const OUTCOMES = [
  'dismissed',
  'order_issued',
  'order_served',
  'not_served',
  'objection_filed',
  'objection_rejected',
  'objection_upheld',
  'enforceable',
  'enforcement_applied',
  'enforcement_concluded',
  'withdrawn',
  'paid',
  'confirmed',
  'refused',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

export type StepName = 'acknowledge' | `decision:${Decision}` | `outcome:${Outcome}`;

/**
 * The case effect of a step (§9 "effect on the case"):
 * - `none`: the case stays where it is (the step is still an event on it);
 * - `back`: the procedure ended without payment: the case returns to `defaulted` (to `performing` when payments
 *   made meanwhile left nothing overdue);
 * - `litigation`, `enforcement_concluded`: closed so;
 * - `payment`: the recovered amount is recorded as a payment; nothing outstanding → closed/settled.
 */
export type CaseEffect = 'none' | 'back' | 'litigation' | 'enforcement_concluded' | 'payment';

export interface StepRule {
  step: StepName;
  kinds: readonly ReferralKind[];
  from: readonly ReferralStatus[];
  to: ReferralStatus;
  /** The case effect per kind (judicial confirmation never moves the case). */
  effect: Partial<Record<ReferralKind, CaseEffect>>;
}

const BOTH: readonly ReferralKind[] = ['payment_order', 'judicial_confirmation'];
const PO: readonly ReferralKind[] = ['payment_order'];
const JC: readonly ReferralKind[] = ['judicial_confirmation'];

export const REFERRAL_STEPS: readonly StepRule[] = [
  { step: 'acknowledge', kinds: BOTH, from: ['sent'], to: 'acknowledged', effect: {} },
  { step: 'decision:accepted', kinds: BOTH, from: ['sent', 'acknowledged'], to: 'accepted', effect: {} },
  {
    step: 'decision:rejected',
    kinds: BOTH,
    from: ['sent', 'acknowledged'],
    to: 'rejected',
    effect: { payment_order: 'back' },
  },
  {
    step: 'outcome:dismissed',
    kinds: PO,
    from: ['accepted'],
    to: 'dismissed',
    effect: { payment_order: 'back' },
  },
  { step: 'outcome:order_issued', kinds: PO, from: ['accepted'], to: 'order_issued', effect: {} },
  { step: 'outcome:order_served', kinds: PO, from: ['order_issued'], to: 'order_served', effect: {} },
  {
    step: 'outcome:not_served',
    kinds: PO,
    from: ['order_issued'],
    to: 'not_served',
    effect: { payment_order: 'back' },
  },
  { step: 'outcome:objection_filed', kinds: PO, from: ['order_served'], to: 'objection_filed', effect: {} },
  {
    step: 'outcome:objection_rejected',
    kinds: PO,
    from: ['objection_filed'],
    to: 'order_served',
    effect: {},
  },
  {
    step: 'outcome:objection_upheld',
    kinds: PO,
    from: ['objection_filed'],
    to: 'terminated',
    effect: { payment_order: 'litigation' },
  },
  { step: 'outcome:enforceable', kinds: PO, from: ['order_served'], to: 'enforceable', effect: {} },
  { step: 'outcome:enforcement_applied', kinds: PO, from: ['enforceable'], to: 'enforcement', effect: {} },
  {
    step: 'outcome:enforcement_concluded',
    kinds: PO,
    from: ['enforcement'],
    to: 'concluded',
    effect: { payment_order: 'enforcement_concluded' },
  },
  {
    step: 'outcome:withdrawn',
    kinds: PO,
    from: OPEN_REFERRAL_STATUSES,
    to: 'withdrawn',
    effect: { payment_order: 'back' },
  },
  {
    step: 'outcome:paid',
    kinds: PO,
    from: ['order_issued', 'order_served', 'enforceable', 'enforcement'],
    to: 'paid',
    effect: { payment_order: 'payment' },
  },
  { step: 'outcome:confirmed', kinds: JC, from: ['accepted'], to: 'confirmed', effect: {} },
  { step: 'outcome:refused', kinds: JC, from: ['accepted'], to: 'refused', effect: {} },
];

export interface PlannedStep {
  rule: StepRule;
  to: ReferralStatus;
  effect: CaseEffect;
}

/** The step's rule from the current status, or 409 INVALID_TRANSITION naming the referral's status. */
export function planStep(kind: ReferralKind, current: ReferralStatus, step: StepName): PlannedStep {
  const rule = REFERRAL_STEPS.find((r) => r.step === step && r.kinds.includes(kind));
  if (!rule || !rule.from.includes(current)) {
    const what = step.replace(':', ' ');
    throw new ConflictError(
      'INVALID_TRANSITION',
      'Invalid transition',
      rule
        ? `The step '${what}' is not allowed while the referral is '${current}'.`
        : `The step '${what}' does not apply to a ${kind.replace('_', ' ')} referral.`,
      { currentStatus: current, referralStatus: current, action: step },
    );
  }
  return { rule, to: rule.to, effect: rule.effect[kind] ?? 'none' };
}

export const isOpen = (s: ReferralStatus): boolean => OPEN_REFERRAL_STATUSES.includes(s);
