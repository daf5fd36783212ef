/**
 * How a deadline row's period is computed from what is stored with it (SPEC §6). Pure, so that a calendar edit
 * can recompute a pending deadline exactly as it was first computed, only on the new calendar.
 */
import {
  addCalendarDays,
  addDaysPeriod,
  addWorkingDaysPeriod,
  addYearsPeriod,
  endOfDayInstant,
  type WorkingDayCalendar,
} from './period';

/**
 * - `days`: CPL art. 85 days (start not counted, a rest last day moves to the next working day);
 * - `working_days`: the Nth working day after the start;
 * - `years`: the same date N years later, moved off a rest day;
 * - `calendar_days`: start + N days exactly, never moved (an agreed due date plus the configured grace);
 * - `instant`: a fixed instant (a session's start) given at creation; nothing to compute.
 */
export const PERIOD_UNITS = ['days', 'working_days', 'years', 'calendar_days', 'instant'] as const;
export type PeriodUnit = (typeof PERIOD_UNITS)[number];

export interface PeriodRule {
  unit: PeriodUnit;
  length: number;
  /** Extensions in days, each counted from the then current last day (SPEC §5 extend). */
  extensions?: readonly number[];
}

export interface PeriodEnd {
  lastDay: string;
  dueAt: Date;
}

/** The last day and due instant of a period that starts on `startDate`; `instant` periods need `fixedDueAt`. */
export function periodEnd(
  startDate: string,
  rule: PeriodRule,
  cal: WorkingDayCalendar,
  fixedDueAt?: Date,
): PeriodEnd {
  let lastDay: string;
  switch (rule.unit) {
    case 'days':
      lastDay = addDaysPeriod(startDate, rule.length, cal);
      break;
    case 'working_days':
      lastDay = addWorkingDaysPeriod(startDate, rule.length, cal);
      break;
    case 'years':
      lastDay = addYearsPeriod(startDate, rule.length, cal);
      break;
    case 'calendar_days':
      lastDay = addCalendarDays(startDate, rule.length);
      break;
    case 'instant':
      if (!fixedDueAt) throw new RangeError('An instant period needs its due instant');
      return { lastDay: startDate, dueAt: fixedDueAt };
  }
  for (const days of rule.extensions ?? []) lastDay = addDaysPeriod(lastDay, days, cal);
  return { lastDay, dueAt: endOfDayInstant(lastDay) };
}
