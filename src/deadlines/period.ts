/**
 * Working-day calendar and period arithmetic (SPEC §6). Pure functions, no I/O.
 *
 * Every legal date is a local calendar date in Asia/Shanghai written 'YYYY-MM-DD'. Civil dates are
 * computed with luxon in UTC (a calendar date has no zone, and UTC has no DST gaps), instants are built
 * and read with luxon in Asia/Shanghai. Nothing here reads the host time zone: no Date local-time
 * getters or setters and no luxon call without an explicit zone.
 */
import { DateTime } from 'luxon';

/** The zone every legal date of the service lives in. */
export const LEGAL_ZONE = 'Asia/Shanghai';

/** Civil date arithmetic: a 'YYYY-MM-DD' date carries no zone; UTC is merely a DST-free frame for it. */
const DATE_FRAME = 'UTC';

const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
const TIME_PATTERN = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Longest run of consecutive rest days tolerated before the calendar is deemed broken (no working day). */
const MAX_REST_RUN = 366;

export interface WorkingDayCalendar {
  /** Whether the local date 'YYYY-MM-DD' is a working day. */
  isWorkingDay(date: string): boolean;
  /** Whether the calendar has the official arrangement for this year (otherwise it falls back to Mon–Fri). */
  hasYear(year: number): boolean;
}

/** One row of the calendar table: a date whose status is set explicitly. */
export interface CalendarOverride {
  date: string;
  working: boolean;
}

function parseDate(date: string): DateTime {
  if (typeof date !== 'string' || !DATE_PATTERN.test(date)) {
    throw new RangeError(`Invalid date '${String(date)}': expected YYYY-MM-DD`);
  }
  const parsed = DateTime.fromISO(date, { zone: DATE_FRAME });
  if (!parsed.isValid) {
    throw new RangeError(
      `Invalid date '${date}': ${parsed.invalidExplanation ?? parsed.invalidReason ?? ''}`,
    );
  }
  return parsed;
}

function formatDate(value: DateTime): string {
  const iso = value.toISODate();
  if (iso === null) {
    throw new RangeError('Date out of range');
  }
  return iso;
}

function assertInteger(name: string, value: number, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new RangeError(`${name} must be an integer >= ${min}, got ${value}`);
  }
}

/** Monday–Friday, the default for every date without an override. */
function isMondayToFriday(date: string): boolean {
  return parseDate(date).weekday <= 5; // luxon: 1 = Monday … 7 = Sunday
}

/**
 * The calendar as data: explicit rows (public holidays, adjusted working weekend days, optionally weekend
 * holidays for display) over a Monday–Friday default. An override always wins, whichever year it is in;
 * a date without an override is working iff Monday–Friday, which is also the whole rule for a year not in
 * `coveredYears` (the fallback SPEC §6 reports on /health).
 */
export class TableCalendar implements WorkingDayCalendar {
  private readonly overrides = new Map<string, boolean>();
  private readonly years: ReadonlySet<number>;

  constructor(overrides: Iterable<CalendarOverride>, coveredYears: Iterable<number>) {
    for (const { date, working } of overrides) {
      this.overrides.set(formatDate(parseDate(date)), working);
    }
    this.years = new Set(coveredYears);
  }

  isWorkingDay(date: string): boolean {
    const override = this.overrides.get(date);
    if (override !== undefined) {
      return override;
    }
    return isMondayToFriday(date);
  }

  hasYear(year: number): boolean {
    return this.years.has(year);
  }
}

/** Plain calendar arithmetic on a 'YYYY-MM-DD' date; `days` may be negative. */
export function addCalendarDays(date: string, days: number): string {
  assertInteger('days', days, Number.MIN_SAFE_INTEGER);
  return formatDate(parseDate(date).plus({ days }));
}

/** `date` itself when it is a working day, else the first working day after it. */
function onOrNextWorkingDay(date: string, cal: WorkingDayCalendar): string {
  let day = date;
  for (let i = 0; !cal.isWorkingDay(day); i += 1) {
    if (i >= MAX_REST_RUN) {
      throw new RangeError(`No working day within ${MAX_REST_RUN} days after ${date}`);
    }
    day = addCalendarDays(day, 1);
  }
  return day;
}

/** Walks `n` working days from `date` (not counting `date`) in direction `step` (+1 or -1). */
function walkWorkingDays(date: string, n: number, step: 1 | -1, cal: WorkingDayCalendar): string {
  let day = date;
  let counted = 0;
  let restRun = 0;
  while (counted < n) {
    day = addCalendarDays(day, step);
    if (cal.isWorkingDay(day)) {
      counted += 1;
      restRun = 0;
    } else if (++restRun > MAX_REST_RUN) {
      throw new RangeError(`No working day within ${MAX_REST_RUN} days of ${day}`);
    }
  }
  return day;
}

/**
 * A period of `days` days (CPL art. 85): the start day is not counted, so the last day is
 * start + days; a last day that is a rest day moves to the next working day. Returns the last day.
 */
export function addDaysPeriod(startDate: string, days: number, cal: WorkingDayCalendar): string {
  assertInteger('days', days, 0);
  return onOrNextWorkingDay(addCalendarDays(startDate, days), cal);
}

/** A period of `workingDays` working days: the Nth working day after the start day is the last day. */
export function addWorkingDaysPeriod(
  startDate: string,
  workingDays: number,
  cal: WorkingDayCalendar,
): string {
  assertInteger('workingDays', workingDays, 0);
  parseDate(startDate);
  return walkWorkingDays(startDate, workingDays, 1, cal);
}

/**
 * A period of `years` years: the same calendar date `years` later (29 February → 28 February, the month's
 * last day, Civil Code art. 202), moved to the next working day when that is a rest day (art. 203).
 */
export function addYearsPeriod(startDate: string, years: number, cal: WorkingDayCalendar): string {
  assertInteger('years', years, 0);
  return onOrNextWorkingDay(formatDate(parseDate(startDate).plus({ years })), cal);
}

/** The date `n` working days before `lastDay` (`lastDay` itself not counted), e.g. for 3-working-day warnings. */
export function workingDaysBefore(lastDay: string, n: number, cal: WorkingDayCalendar): string {
  assertInteger('n', n, 0);
  parseDate(lastDay);
  return walkWorkingDays(lastDay, n, -1, cal);
}

function shanghaiInstant(date: string, hour: number, minute: number): DateTime {
  const { year, month, day } = parseDate(date);
  const instant = DateTime.fromObject({ year, month, day, hour, minute }, { zone: LEGAL_ZONE });
  if (!instant.isValid || instant.hour !== hour || instant.minute !== minute) {
    throw new RangeError(`${date} ${hour}:${minute} does not exist in ${LEGAL_ZONE}`);
  }
  return instant;
}

/** 24:00 Asia/Shanghai of `lastDay`, i.e. the next day's 00:00 +08:00 (a period's `dueAt`). */
export function endOfDayInstant(lastDay: string): Date {
  return shanghaiInstant(addCalendarDays(lastDay, 1), 0, 0).toJSDate();
}

/** The instant of local wall time `time` ('HH:mm') on `date` in Asia/Shanghai. */
export function localInstant(date: string, time: string): Date {
  if (typeof time !== 'string' || !TIME_PATTERN.test(time)) {
    throw new RangeError(`Invalid time '${String(time)}': expected HH:mm`);
  }
  return shanghaiInstant(date, Number(time.slice(0, 2)), Number(time.slice(3, 5))).toJSDate();
}

/** The Asia/Shanghai calendar date of an instant. */
export function localDateOf(instant: Date): string {
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) {
    throw new RangeError('Invalid instant');
  }
  return formatDate(DateTime.fromMillis(instant.getTime(), { zone: LEGAL_ZONE }));
}
