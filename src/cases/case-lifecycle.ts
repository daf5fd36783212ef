/**
 * The case state machine of SPEC §5, as one table. Services ask `planTransition` before changing a case:
 * it answers the target status (and closure reason), or refuses with 403 `FORBIDDEN` (the actor may not
 * take this action) or 409 `INVALID_TRANSITION` (not from the current status).
 */
import { CASE_STATUSES, type CaseStatus, type ClosureReason, type Role } from '../common/domain';
import { ForbiddenError, InvalidTransitionError } from '../common/errors';

export const CASE_ACTIONS = [
  'intake',
  'accept',
  'reject',
  'assign',
  'schedule_session',
  'reschedule_session',
  'cancel_session',
  'record_session',
  'extend',
  'record_agreement',
  'record_payment',
  'instalment_overdue',
  'refer_payment_order',
  'refer_judicial_confirmation',
  'court_step',
  'fail',
  'withdraw',
] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

/** Who is acting. 'scheduler' is the system's deadline worker; 'worker' a worker applying online. */
export type Actor =
  { kind: 'user'; role: Role; isAssignedMediator: boolean } | { kind: 'scheduler' } | { kind: 'worker' };

/**
 * Who a row lets act. `assigned_mediator` is a mediator assigned to this case; any other mediator, and
 * admins and agency observers, appear in no row (admins read case contents only through an audited read).
 */
export type ActorSpec = 'coordinator' | 'assigned_mediator' | 'court_liaison' | 'scheduler' | 'worker';

/** Facts about the action that pick its target, supplied by the calling service. */
export interface TransitionFacts {
  /** reject: the employer declined mediation. */
  respondentRefused?: boolean;
  /** fail: a court- or arbitration-sent case → returned_to_origin. */
  originSent?: boolean;
  /** record_agreement: paid in full at signing → closed/settled. */
  paidAtSigning?: boolean;
  /** record_payment: nothing is outstanding any more → closed/settled. */
  nothingOutstanding?: boolean;
  /** record_payment on a defaulted case: its overdue instalments are paid → performing. */
  overdueCleared?: boolean;
  /** court_step: the referrals module decides the target per §9; the lifecycle checks it is one §9 allows. */
  courtStepTarget?: { status: CaseStatus; closureReason?: ClosureReason | null };
}

export interface Target {
  status: CaseStatus;
  closureReason: ClosureReason | null;
}

export interface TransitionRule {
  action: CaseAction;
  /** null = creation (intake). */
  from: readonly CaseStatus[] | null;
  who: readonly ActorSpec[];
  to: (from: CaseStatus | null, facts: TransitionFacts, actor: Actor) => Target;
  /** The §5 rules column in a few words. */
  note: string;
}

/** Every status except 'closed'. */
export const OPEN_STATUSES: readonly CaseStatus[] = CASE_STATUSES.filter((s) => s !== 'closed');

const open = (status: CaseStatus): Target => ({ status, closureReason: null });
const closed = (closureReason: ClosureReason): Target => ({ status: 'closed', closureReason });
const same = (from: CaseStatus | null): Target => open(from as CaseStatus);

const MEDIATOR_OR_COORDINATOR: readonly ActorSpec[] = ['assigned_mediator', 'coordinator'];

/** The case targets a court step may lead to (§9 "effect on the case"). */
const COURT_STEP_TARGETS: readonly Target[] = [
  open('defaulted'),
  open('referred'),
  open('performing'),
  closed('litigation'),
  closed('enforcement_concluded'),
  closed('settled'),
];

/** SPEC §5, row by row. */
export const CASE_LIFECYCLE: readonly TransitionRule[] = [
  {
    action: 'intake',
    from: null,
    who: ['coordinator', 'court_liaison', 'worker'],
    to: () => open('submitted'),
    note: 'number and access code issued; limitation computed; acceptance decision due in 3 working days',
  },
  {
    action: 'accept',
    from: ['submitted'],
    who: ['coordinator'],
    to: () => open('accepted'),
    note: 'employer agreed to mediation; mediation deadline created; origin told',
  },
  {
    action: 'reject',
    from: ['submitted'],
    who: ['coordinator'],
    to: (_from, f) => closed(f.respondentRefused ? 'respondent_refused' : 'rejected'),
    note: 'reason required; respondentRefused when the employer declined; worker told where to go',
  },
  {
    action: 'assign',
    from: ['accepted', 'in_mediation'],
    who: ['coordinator'],
    to: () => open('in_mediation'),
    note: 'active mediator of the committee; court-sent cases to court-rostered mediators; conflict of interest',
  },
  {
    action: 'schedule_session',
    from: ['in_mediation'],
    who: MEDIATOR_OR_COORDINATOR,
    to: () => open('in_mediation'),
    note: 'reminders queued',
  },
  {
    action: 'reschedule_session',
    from: ['in_mediation'],
    who: MEDIATOR_OR_COORDINATOR,
    to: () => open('in_mediation'),
    note: 'reminders moved',
  },
  {
    action: 'cancel_session',
    from: ['in_mediation'],
    who: MEDIATOR_OR_COORDINATOR,
    to: () => open('in_mediation'),
    note: 'reminders cancelled',
  },
  {
    action: 'record_session',
    from: ['in_mediation'],
    who: ['assigned_mediator'],
    to: () => open('in_mediation'),
    note: 'once its start has passed, once; outcome is information only',
  },
  {
    action: 'extend',
    from: ['in_mediation'],
    who: ['coordinator'],
    to: () => open('in_mediation'),
    note: '1–30 days from the current last day, repeatable, both parties consent',
  },
  {
    action: 'record_agreement',
    from: ['in_mediation'],
    who: ['assigned_mediator'],
    to: (_from, f) => (f.paidAtSigning ? closed('settled') : open('performing')),
    note: 'items by claim type; instalments sum to the total; closed/settled if paid at signing',
  },
  {
    action: 'record_payment',
    from: ['performing', 'defaulted', 'referred'],
    who: MEDIATOR_OR_COORDINATOR,
    to: (from, f) => {
      if (f.nothingOutstanding) return closed('settled');
      if (from === 'defaulted' && f.overdueCleared) return open('performing');
      return same(from);
    },
    note: 'nothing outstanding → settled; defaulted with overdue paid → performing; OVERPAYMENT 422',
  },
  {
    action: 'instalment_overdue',
    from: ['performing'],
    who: ['scheduler'],
    to: () => open('defaulted'),
    note: 'day after dueOn plus grace, Asia/Shanghai; payment-order eligibility evaluated',
  },
  {
    action: 'refer_payment_order',
    from: ['defaulted'],
    who: MEDIATOR_OR_COORDINATOR,
    to: () => open('referred'),
    note: 'only if eligible (422 PAYMENT_ORDER_NOT_ELIGIBLE)',
  },
  {
    action: 'refer_judicial_confirmation',
    from: ['performing'],
    who: ['assigned_mediator'],
    to: () => open('performing'),
    note: 'joint application; within 30 days of the agreement taking effect',
  },
  {
    action: 'court_step',
    from: ['referred', 'performing', 'defaulted'],
    who: ['court_liaison'],
    to: (_from, f) => courtStepTarget(f),
    note: 'liaison of the addressed court; target as §9 table says',
  },
  {
    action: 'fail',
    from: ['in_mediation'],
    who: MEDIATOR_OR_COORDINATOR,
    to: (_from, f) => closed(f.originSent ? 'returned_to_origin' : 'mediation_failed'),
    note: 'referTo arbitration/origin/none; court- and arbitration-sent cases return to origin',
  },
  {
    action: 'fail',
    from: ['accepted'],
    who: ['coordinator'],
    to: (_from, f) => closed(f.originSent ? 'returned_to_origin' : 'mediation_failed'),
    note: 'before any mediator is assigned: coordinator only',
  },
  {
    action: 'withdraw',
    from: OPEN_STATUSES,
    who: ['coordinator'],
    to: () => closed('withdrawn'),
    note: "on the worker's request; reason required",
  },
];

function courtStepTarget(facts: TransitionFacts): Target {
  const t = facts.courtStepTarget;
  if (!t) throw new Error('court_step needs facts.courtStepTarget (the referrals module decides it per §9).');
  const target = { status: t.status, closureReason: t.closureReason ?? null };
  if (
    !COURT_STEP_TARGETS.some((a) => a.status === target.status && a.closureReason === target.closureReason)
  ) {
    throw new Error(`court_step may not lead to ${target.status}/${target.closureReason ?? '-'} (§9).`);
  }
  return target;
}

function matches(spec: ActorSpec, actor: Actor): boolean {
  switch (spec) {
    case 'scheduler':
    case 'worker':
      return actor.kind === spec;
    case 'coordinator':
    case 'court_liaison':
      return actor.kind === 'user' && actor.role === spec;
    case 'assigned_mediator':
      return actor.kind === 'user' && actor.role === 'mediator' && actor.isAssignedMediator;
  }
}

const mayAct = (rule: TransitionRule, actor: Actor) => rule.who.some((spec) => matches(spec, actor));
const allowsFrom = (rule: TransitionRule, current: CaseStatus | null) =>
  rule.from === null ? current === null : current !== null && rule.from.includes(current);

/**
 * The target of `action` on a case at `current` (null = not yet created), or the refusal:
 * 1. the actor appears in no row of the action → 403 FORBIDDEN;
 * 2. no row of the action starts at `current` → 409 INVALID_TRANSITION naming the current status;
 * 3. rows start at `current` but none lets this actor act → 403 FORBIDDEN.
 * Rule 3 is what an assigned mediator meets failing an `accepted` case (coordinator only): the action is
 * possible from that status, just not for their role, which §3 answers with 403, not 409.
 */
export function planTransition(
  action: CaseAction,
  current: CaseStatus | null,
  actor: Actor,
  facts: TransitionFacts = {},
): Target {
  const rules = CASE_LIFECYCLE.filter((r) => r.action === action);
  if (!rules.some((r) => mayAct(r, actor))) {
    throw new ForbiddenError(`Your role may not take the action '${action}'.`);
  }
  const fromHere = rules.filter((r) => allowsFrom(r, current));
  if (fromHere.length === 0) throw new InvalidTransitionError(action, current ?? 'none');
  const rule = fromHere.find((r) => mayAct(r, actor));
  if (!rule) {
    throw new ForbiddenError(`Your role may not take the action '${action}' while the case is '${current}'.`);
  }
  return rule.to(current, facts, actor);
}

/** For UIs: the actions this actor may take on a case at `current` now (in CASE_ACTIONS order). */
export function allowedActions(current: CaseStatus, actor: Actor): CaseAction[] {
  return CASE_ACTIONS.filter((action) =>
    CASE_LIFECYCLE.some((r) => r.action === action && allowsFrom(r, current) && mayAct(r, actor)),
  );
}
