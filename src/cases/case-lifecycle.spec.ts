import { CASE_STATUSES, type CaseStatus, type ClosureReason } from '../common/domain';
import { ForbiddenError, InvalidTransitionError } from '../common/errors';
import {
  type Actor,
  CASE_ACTIONS,
  CASE_LIFECYCLE,
  type CaseAction,
  OPEN_STATUSES,
  type TransitionFacts,
  allowedActions,
  planTransition,
} from './case-lifecycle';

// ------------------------------------------------------------------ actors

const ACTORS = {
  admin: { kind: 'user', role: 'admin', isAssignedMediator: false },
  coordinator: { kind: 'user', role: 'coordinator', isAssignedMediator: false },
  assigned_mediator: { kind: 'user', role: 'mediator', isAssignedMediator: true },
  other_mediator: { kind: 'user', role: 'mediator', isAssignedMediator: false },
  court_liaison: { kind: 'user', role: 'court_liaison', isAssignedMediator: false },
  agency_observer: { kind: 'user', role: 'agency_observer', isAssignedMediator: false },
  scheduler: { kind: 'scheduler' },
  worker: { kind: 'worker' },
} satisfies Record<string, Actor>;
type ActorName = keyof typeof ACTORS;
const ACTOR_NAMES = Object.keys(ACTORS) as ActorName[];

// ------------------------------------------------------------------ SPEC §5, written out independently

type From = CaseStatus | 'none';
type Target = { status: CaseStatus; closureReason: ClosureReason | null };
const to = (status: CaseStatus, closureReason: ClosureReason | null = null): Target => ({
  status,
  closureReason,
});

const MED_COORD: ActorName[] = ['assigned_mediator', 'coordinator'];
const IN_MEDIATION = { in_mediation: { who: MED_COORD, to: to('in_mediation') } };

/** For each action: the statuses it may start from, who may act there, and the target with DEFAULT_FACTS. */
const EXPECTED: Record<CaseAction, Partial<Record<From, { who: ActorName[]; to: Target }>>> = {
  intake: { none: { who: ['coordinator', 'court_liaison', 'worker'], to: to('submitted') } },
  accept: { submitted: { who: ['coordinator'], to: to('accepted') } },
  reject: { submitted: { who: ['coordinator'], to: to('closed', 'rejected') } },
  assign: {
    accepted: { who: ['coordinator'], to: to('in_mediation') },
    in_mediation: { who: ['coordinator'], to: to('in_mediation') },
  },
  schedule_session: IN_MEDIATION,
  reschedule_session: IN_MEDIATION,
  cancel_session: IN_MEDIATION,
  record_session: { in_mediation: { who: ['assigned_mediator'], to: to('in_mediation') } },
  extend: { in_mediation: { who: ['coordinator'], to: to('in_mediation') } },
  record_agreement: { in_mediation: { who: ['assigned_mediator'], to: to('performing') } },
  record_payment: {
    performing: { who: MED_COORD, to: to('performing') },
    defaulted: { who: MED_COORD, to: to('defaulted') },
    referred: { who: MED_COORD, to: to('referred') },
  },
  instalment_overdue: { performing: { who: ['scheduler'], to: to('defaulted') } },
  refer_payment_order: { defaulted: { who: MED_COORD, to: to('referred') } },
  refer_judicial_confirmation: { performing: { who: ['assigned_mediator'], to: to('performing') } },
  court_step: {
    referred: { who: ['court_liaison'], to: to('closed', 'litigation') },
    performing: { who: ['court_liaison'], to: to('closed', 'litigation') },
    defaulted: { who: ['court_liaison'], to: to('closed', 'litigation') },
  },
  fail: {
    accepted: { who: ['coordinator'], to: to('closed', 'mediation_failed') },
    in_mediation: { who: MED_COORD, to: to('closed', 'mediation_failed') },
  },
  withdraw: {
    submitted: { who: ['coordinator'], to: to('closed', 'withdrawn') },
    accepted: { who: ['coordinator'], to: to('closed', 'withdrawn') },
    in_mediation: { who: ['coordinator'], to: to('closed', 'withdrawn') },
    performing: { who: ['coordinator'], to: to('closed', 'withdrawn') },
    defaulted: { who: ['coordinator'], to: to('closed', 'withdrawn') },
    referred: { who: ['coordinator'], to: to('closed', 'withdrawn') },
  },
};

/** court_step needs its target from the caller; every other action runs without facts in the matrix. */
const DEFAULT_FACTS: Partial<Record<CaseAction, TransitionFacts>> = {
  court_step: { courtStepTarget: { status: 'closed', closureReason: 'litigation' } },
};

const FROMS: From[] = ['none', ...CASE_STATUSES];
const status = (f: From): CaseStatus | null => (f === 'none' ? null : f);

type Outcome = { ok: Target } | { forbidden: true } | { invalid: true };

function expectedOutcome(action: CaseAction, from: From, actor: ActorName): Outcome {
  const rows = EXPECTED[action];
  const mayEver = Object.values(rows).some((r) => r.who.includes(actor));
  if (!mayEver) return { forbidden: true };
  const row = rows[from];
  if (!row) return { invalid: true };
  if (!row.who.includes(actor)) return { forbidden: true };
  return { ok: row.to };
}

function attempt(action: CaseAction, from: CaseStatus | null, actor: Actor, facts?: TransitionFacts) {
  try {
    return { result: planTransition(action, from, actor, facts) };
  } catch (error) {
    return { error };
  }
}

// ------------------------------------------------------------------ the matrix

describe('case lifecycle: every action × every status × every actor', () => {
  const cells = CASE_ACTIONS.flatMap((action) =>
    FROMS.flatMap((from) => ACTOR_NAMES.map((actor) => [action, from, actor] as const)),
  );

  it.each(cells)('%s from %s by %s', (action, from, actor) => {
    const expected = expectedOutcome(action, from, actor);
    const got = attempt(action, status(from), ACTORS[actor], DEFAULT_FACTS[action]);

    if ('ok' in expected) {
      expect(got.error).toBeUndefined();
      expect(got.result).toEqual(expected.ok);
    } else if ('forbidden' in expected) {
      expect(got.error).toBeInstanceOf(ForbiddenError);
      expect((got.error as ForbiddenError).status).toBe(403);
      expect((got.error as Error).message).toContain(`'${action}'`);
    } else {
      expect(got.error).toBeInstanceOf(InvalidTransitionError);
      const error = got.error as InvalidTransitionError;
      expect(error.status).toBe(409);
      expect(error.code).toBe('INVALID_TRANSITION');
      expect(error.message).toContain(`'${from}'`);
      expect(error.extra).toEqual({ currentStatus: from, action });
    }
  });

  it('has at least one rule for every action, and no rule for an unknown action', () => {
    expect(new Set(CASE_LIFECYCLE.map((r) => r.action))).toEqual(new Set(CASE_ACTIONS));
  });
});

// ------------------------------------------------------------------ roles

describe('roles', () => {
  it.each(CASE_ACTIONS)('admin and agency_observer may not %s from any status', (action) => {
    for (const from of FROMS) {
      for (const actor of [ACTORS.admin, ACTORS.agency_observer]) {
        expect(() => planTransition(action, status(from), actor, DEFAULT_FACTS[action])).toThrow(
          ForbiddenError,
        );
      }
    }
  });

  it('names the action in the refusal', () => {
    expect(() => planTransition('accept', 'submitted', ACTORS.assigned_mediator)).toThrow(
      "Your role may not take the action 'accept'.",
    );
  });

  it('refuses the role before looking at the status', () => {
    // A mediator may never accept: 403 even where no one could (closed).
    expect(() => planTransition('accept', 'closed', ACTORS.assigned_mediator)).toThrow(ForbiddenError);
  });

  it('treats a mediator who is not assigned to the case as lacking the role', () => {
    for (const action of ['record_session', 'record_agreement', 'record_payment', 'fail'] as const) {
      const from = action === 'record_payment' ? 'performing' : 'in_mediation';
      expect(() => planTransition(action, from, ACTORS.other_mediator)).toThrow(ForbiddenError);
      expect(() => planTransition(action, from, ACTORS.assigned_mediator)).not.toThrow();
    }
  });

  it('does not let a coordinator act as the assigned mediator', () => {
    const coordinatorFlagged: Actor = { kind: 'user', role: 'coordinator', isAssignedMediator: true };
    expect(() => planTransition('record_agreement', 'in_mediation', coordinatorFlagged)).toThrow(
      ForbiddenError,
    );
  });

  it('answers 403 (not 409) to an assigned mediator failing an accepted case: coordinator only', () => {
    expect(() => planTransition('fail', 'accepted', ACTORS.assigned_mediator)).toThrow(ForbiddenError);
    expect(() => planTransition('fail', 'accepted', ACTORS.assigned_mediator)).toThrow(
      "Your role may not take the action 'fail' while the case is 'accepted'.",
    );
    expect(planTransition('fail', 'accepted', ACTORS.coordinator)).toEqual(to('closed', 'mediation_failed'));
    // From a status no fail row starts at, the same mediator gets 409.
    expect(() => planTransition('fail', 'performing', ACTORS.assigned_mediator)).toThrow(
      InvalidTransitionError,
    );
  });
});

// ------------------------------------------------------------------ facts that pick the target

describe('targets chosen by facts', () => {
  const c = ACTORS.coordinator;
  const m = ACTORS.assigned_mediator;

  it('intake answers submitted, with "none" as the status in a refusal from an existing case', () => {
    expect(planTransition('intake', null, ACTORS.worker)).toEqual(to('submitted'));
    expect(() => planTransition('intake', 'submitted', c)).toThrow(
      "The action 'intake' is not allowed while the case is 'submitted'.",
    );
    expect(() => planTransition('accept', null, c)).toThrow(
      "The action 'accept' is not allowed while the case is 'none'.",
    );
  });

  it('reject: rejected, or respondent_refused when the employer declined', () => {
    expect(planTransition('reject', 'submitted', c, { respondentRefused: false })).toEqual(
      to('closed', 'rejected'),
    );
    expect(planTransition('reject', 'submitted', c, { respondentRefused: true })).toEqual(
      to('closed', 'respondent_refused'),
    );
  });

  it('fail: mediation_failed, or returned_to_origin for court- and arbitration-sent cases', () => {
    expect(planTransition('fail', 'in_mediation', m, { originSent: true })).toEqual(
      to('closed', 'returned_to_origin'),
    );
    expect(planTransition('fail', 'accepted', c, { originSent: true })).toEqual(
      to('closed', 'returned_to_origin'),
    );
    expect(planTransition('fail', 'in_mediation', c, { originSent: false })).toEqual(
      to('closed', 'mediation_failed'),
    );
  });

  it('record_agreement: performing, or closed/settled when paid at signing', () => {
    expect(planTransition('record_agreement', 'in_mediation', m, { paidAtSigning: false })).toEqual(
      to('performing'),
    );
    expect(planTransition('record_agreement', 'in_mediation', m, { paidAtSigning: true })).toEqual(
      to('closed', 'settled'),
    );
  });

  it.each<[CaseStatus, TransitionFacts, Target]>([
    ['performing', {}, to('performing')],
    ['performing', { overdueCleared: true }, to('performing')],
    ['performing', { nothingOutstanding: true }, to('closed', 'settled')],
    ['defaulted', {}, to('defaulted')],
    ['defaulted', { overdueCleared: true }, to('performing')],
    ['defaulted', { nothingOutstanding: true }, to('closed', 'settled')],
    ['defaulted', { nothingOutstanding: true, overdueCleared: true }, to('closed', 'settled')],
    ['referred', {}, to('referred')],
    ['referred', { overdueCleared: true }, to('referred')],
    ['referred', { nothingOutstanding: true }, to('closed', 'settled')],
  ])('record_payment from %s with %j → %j', (from, facts, target) => {
    expect(planTransition('record_payment', from, m, facts)).toEqual(target);
    expect(planTransition('record_payment', from, c, facts)).toEqual(target);
  });

  describe('court_step', () => {
    const liaison = ACTORS.court_liaison;
    const allowed: Target[] = [
      to('defaulted'),
      to('referred'),
      to('performing'),
      to('closed', 'litigation'),
      to('closed', 'enforcement_concluded'),
      to('closed', 'settled'),
    ];

    it.each(['referred', 'performing', 'defaulted'] as const)('from %s accepts every §9 target', (from) => {
      for (const target of allowed) {
        expect(planTransition('court_step', from, liaison, { courtStepTarget: target })).toEqual(target);
      }
    });

    it('treats an omitted closure reason as none', () => {
      expect(
        planTransition('court_step', 'referred', liaison, { courtStepTarget: { status: 'defaulted' } }),
      ).toEqual(to('defaulted'));
    });

    it.each<[CaseStatus, ClosureReason | null]>([
      ['submitted', null],
      ['accepted', null],
      ['in_mediation', null],
      ['closed', null],
      ['closed', 'withdrawn'],
      ['closed', 'mediation_failed'],
      ['defaulted', 'settled'],
    ])('refuses a target §9 does not allow: %s/%s (a programming error)', (s, reason) => {
      const { error } = attempt('court_step', 'referred', liaison, { courtStepTarget: to(s, reason) });
      expect(error).toBeInstanceOf(Error);
      expect(error).not.toBeInstanceOf(ForbiddenError);
      expect(error).not.toBeInstanceOf(InvalidTransitionError);
    });

    it('throws a programming error when the target is missing', () => {
      expect(() => planTransition('court_step', 'referred', liaison)).toThrow(/courtStepTarget/);
    });

    it('checks role and status before the target', () => {
      expect(() => planTransition('court_step', 'referred', c)).toThrow(ForbiddenError);
      expect(() => planTransition('court_step', 'in_mediation', liaison)).toThrow(InvalidTransitionError);
    });
  });
});

// ------------------------------------------------------------------ allowedActions

describe('allowedActions', () => {
  it.each<[CaseStatus, ActorName, CaseAction[]]>([
    ['submitted', 'coordinator', ['accept', 'reject', 'withdraw']],
    ['accepted', 'coordinator', ['assign', 'fail', 'withdraw']],
    ['accepted', 'assigned_mediator', []],
    [
      'in_mediation',
      'coordinator',
      ['assign', 'schedule_session', 'reschedule_session', 'cancel_session', 'extend', 'fail', 'withdraw'],
    ],
    [
      'in_mediation',
      'assigned_mediator',
      [
        'schedule_session',
        'reschedule_session',
        'cancel_session',
        'record_session',
        'record_agreement',
        'fail',
      ],
    ],
    ['in_mediation', 'other_mediator', []],
    ['performing', 'assigned_mediator', ['record_payment', 'refer_judicial_confirmation']],
    ['performing', 'scheduler', ['instalment_overdue']],
    ['performing', 'court_liaison', ['court_step']],
    ['defaulted', 'coordinator', ['record_payment', 'refer_payment_order', 'withdraw']],
    ['referred', 'court_liaison', ['court_step']],
    ['referred', 'admin', []],
    ['closed', 'coordinator', []],
  ])('at %s, %s may take %j', (current, actor, actions) => {
    expect(allowedActions(current, ACTORS[actor])).toEqual(actions);
  });

  it('matches the expectation table for every status and actor', () => {
    for (const current of CASE_STATUSES) {
      for (const actor of ACTOR_NAMES) {
        const expected = CASE_ACTIONS.filter((a) => EXPECTED[a][current]?.who.includes(actor));
        expect(allowedActions(current, ACTORS[actor])).toEqual(expected);
      }
    }
  });

  it('offers nothing to admins, agency observers or workers on an existing case', () => {
    for (const current of CASE_STATUSES) {
      expect(allowedActions(current, ACTORS.admin)).toEqual([]);
      expect(allowedActions(current, ACTORS.agency_observer)).toEqual([]);
      expect(allowedActions(current, ACTORS.worker)).toEqual([]);
    }
  });
});

describe('OPEN_STATUSES', () => {
  it('is every status except closed', () => {
    expect([...OPEN_STATUSES]).toEqual([
      'submitted',
      'accepted',
      'in_mediation',
      'performing',
      'defaulted',
      'referred',
    ]);
  });
});
