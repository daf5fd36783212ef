/**
 * The deadlines feature's parts, listed once for the two processes (SPEC §14): the API plans and moves
 * deadlines as cases change and enqueues the near ones; the worker also runs the horizon scheduler and fires
 * reminders. They are providers of the application modules rather than a module of their own because the
 * instalment kind acts on cases through CasesService, which those modules provide.
 */
import { CalendarEditor } from './calendar-editor';
import { CalendarController } from './calendar.controller';
import { CaseDeadlinesController } from './case-deadlines.controller';
import { DeadlineKinds } from './deadline-kinds';
import { DeadlineProcessor } from './deadline.processor';
import { DeadlineQueue } from './deadline-queue';
import { DeadlineScheduler, DeadlineSchedulerBootstrap } from './deadline-scheduler';
import { DeadlinesListener } from './deadlines.listener';
import { DeadlinesService } from './deadlines.service';
import { AcceptanceDecisionDeadline } from './kinds/acceptance';
import { CourtWindowDeadlines } from './kinds/court-windows';
import { InstalmentDeadlines } from './kinds/instalment';
import { JudicialConfirmationDeadline } from './kinds/judicial-confirmation';
import { LimitationDeadlines } from './kinds/limitation';
import { MediationDeadline } from './kinds/mediation';
import { SessionReminders } from './kinds/session';
import { ReminderFiring } from './reminder-firing';

/** The kinds of SPEC §6 that exist so far; each registers itself with DeadlineKinds. */
export const DEADLINE_KIND_PROVIDERS = [
  AcceptanceDecisionDeadline,
  MediationDeadline,
  SessionReminders,
  InstalmentDeadlines,
  JudicialConfirmationDeadline,
  LimitationDeadlines,
  CourtWindowDeadlines,
];

/** Both processes. */
export const DEADLINE_PROVIDERS = [
  DeadlineKinds,
  ...DEADLINE_KIND_PROVIDERS,
  DeadlinesService,
  DeadlineQueue,
  DeadlineScheduler,
  DeadlinesListener,
];

export const DEADLINE_API_PROVIDERS = [...DEADLINE_PROVIDERS, CalendarEditor];
export const DEADLINE_CONTROLLERS = [CalendarController, CaseDeadlinesController];

/** The worker only. */
export const DEADLINE_WORKER_PROVIDERS = [
  ...DEADLINE_PROVIDERS,
  ReminderFiring,
  DeadlineProcessor,
  DeadlineSchedulerBootstrap,
];
