/**
 * The registry of deadline kinds (SPEC §6). `deadlines/` knows *when*; each kind says *what*: its legal basis,
 * its reminders (when, to whom, what they say), which case actions meet it, how case changes create or move
 * it, and what its lapse does. A feature registers its kinds at start (`DeadlineKinds.register`), so there is
 * no switch over kinds anywhere, and adding a kind touches no existing file but the module's provider list.
 */
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { CaseAction } from '../cases/case-lifecycle';
import type { CaseTransition } from '../cases/case-transitions';
import type { CaseRow } from '../cases/case-view';
import type { AppConfig } from '../config/config';
import type { RecipientRole } from '../notifications/recipients';
import type { PeriodRule } from './deadline-period';
import type { WorkingDayCalendar } from './period';

export const DEADLINE_STATUSES = ['pending', 'fired', 'met', 'cancelled', 'superseded', 'skipped'] as const;
export type DeadlineStatus = (typeof DEADLINE_STATUSES)[number];
export type ReminderStatus = 'pending' | 'fired' | 'skipped' | 'cancelled';

/** The reminder kind that is the deadline's own end: firing it marks the deadline `fired` and runs `onLapse`. */
export const LAPSE = 'lapse';

export interface DeadlineRow {
  id: string;
  case_id: string;
  kind: string;
  subject_id: string | null;
  start_date: string;
  period_unit: PeriodRule['unit'];
  period_length: number;
  extensions: number[];
  last_day: string;
  due_at: Date;
  legal_basis: string;
  status: DeadlineStatus;
  data: Record<string, unknown>;
  superseded_by: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface ReminderRow {
  id: string;
  deadline_id: string;
  kind: string;
  fire_at: Date;
  status: ReminderStatus;
  recipients: RecipientRole[];
  fired_at: Date | null;
}

/** What a reminder's time and text are computed from. */
export interface DeadlineDates {
  startDate: string;
  lastDay: string;
  dueAt: Date;
  data: Record<string, unknown>;
}

export interface MessageContext {
  caseRow: CaseRow;
  deadline: DeadlineRow;
  /** What the lapse handler added (e.g. the worker's next step). */
  payload: Record<string, unknown>;
}

export interface ReminderRule {
  kind: string;
  /** When it fires; recomputed when its deadline moves (a calendar edit). */
  at(d: DeadlineDates, cal: WorkingDayCalendar): Date;
  /** Resolved when it fires (the case's mediator then, the committee's coordinators then). */
  recipients: readonly RecipientRole[];
  /** The inbox entry, in Chinese. Without it the reminder notifies nobody. */
  message?(c: MessageContext): { title: string; body: string };
}

/** What a kind gets to create, move and close its deadlines inside a case change's transaction. */
export interface DeadlineWriter {
  readonly m: EntityManager;
  readonly now: Date;
  readonly cal: WorkingDayCalendar;
  create(spec: NewDeadline): Promise<DeadlineRow>;
  /** Pending (and optionally fired) deadlines of a kind on the case, newest first. */
  find(
    caseId: string,
    kind: string,
    opts?: { subjectId?: string; statuses?: DeadlineStatus[] },
  ): Promise<DeadlineRow[]>;
  /** Ends a deadline: its pending reminders are cancelled. */
  close(d: DeadlineRow, status: 'met' | 'cancelled' | 'superseded', supersededBy?: string): Promise<void>;
  /** Replaces a deadline by a new one (a moved deadline): the old one is `superseded`, with its reminders. */
  supersede(old: DeadlineRow, spec: NewDeadline): Promise<DeadlineRow>;
}

export interface NewDeadline {
  caseId: string;
  kind: string;
  subjectId?: string | null;
  startDate: string;
  period: PeriodRule;
  /** For `instant` periods: the due instant itself. */
  dueAt?: Date;
  data?: Record<string, unknown>;
  /** A deadline recorded as already decided (e.g. the limitation the application interrupted): no reminders. */
  status?: Exclude<DeadlineStatus, 'pending'>;
  legalBasis?: string;
}

export interface KindTransitionContext {
  t: CaseTransition;
  w: DeadlineWriter;
  config: AppConfig;
}

export interface LapseContext {
  m: EntityManager;
  now: Date;
  deadline: DeadlineRow;
  /** The case row, locked for this transaction. */
  caseRow: CaseRow;
  w: DeadlineWriter;
  config: AppConfig;
  /** Work to do once the firing transaction has committed (e.g. the after-commit part of a case change). */
  afterCommit(fn: () => Promise<void>): void;
}

export interface LapseOutcome {
  /** Default true: the lapse reminder's recipients hear of it. */
  notify?: boolean;
  /** The deadline's status after the lapse: `fired` by default, `met` when the awaited step was found done. */
  status?: 'fired' | 'met';
  /** Added to the inbox entries' payload and to the message context. */
  payload?: Record<string, unknown>;
}

export interface DeadlineKind {
  kind: string;
  legalBasis: string;
  reminders: readonly ReminderRule[];
  /** Case actions that mean the awaited step happened: the case's pending deadlines of this kind become `met`. */
  metBy?: readonly CaseAction[];
  /** Creates, moves, meets or cancels deadlines of this kind when a case changes (inside its transaction). */
  onTransition?(ctx: KindTransitionContext): Promise<void>;
  /** The lapse's effect, in the firing transaction (after the deadline is marked fired). */
  onLapse?(ctx: LapseContext): Promise<LapseOutcome | void>;
}

@Injectable()
export class DeadlineKinds {
  private readonly kinds = new Map<string, DeadlineKind>();

  register(kind: DeadlineKind): void {
    if (this.kinds.has(kind.kind)) throw new Error(`Deadline kind '${kind.kind}' is registered twice.`);
    if (new Set(kind.reminders.map((r) => r.kind)).size !== kind.reminders.length) {
      throw new Error(`Deadline kind '${kind.kind}' names a reminder twice.`);
    }
    this.kinds.set(kind.kind, kind);
  }

  get(kind: string): DeadlineKind | undefined {
    return this.kinds.get(kind);
  }

  /** In registration order. */
  all(): DeadlineKind[] {
    return [...this.kinds.values()];
  }
}
