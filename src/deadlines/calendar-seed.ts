/**
 * Seed of the working-day calendar table (SPEC §6) from the `chinese-days` package, which transcribes the
 * State Council's yearly holiday arrangements (国务院办公厅 部分节假日安排的通知).
 *
 * The package's data file `dist/chinese-days.json` holds three maps keyed by 'YYYY-MM-DD', each valued
 * 'English name,中文名,days':
 * - `holidays`:   every rest day of a holiday break, weekends inside the break included;
 * - `workdays`:   weekend days made working days by the arrangement (调休上班);
 * - `inLieuDays`: the subset of `holidays` that are rest days only because of a 调休 swap (not needed here:
 *                 they are rest days like the others).
 * The JSON is read rather than the package's functions because those parse dates with the host time zone.
 *
 * Decision on weekend holidays: every rest day of a break is seeded, the weekend ones too, with
 * `working: false` and the holiday's name. They do not change the Monday–Friday default, but they let the
 * calendar show the whole break by name (e.g. 2025-10-04 国庆节) and keep each break a contiguous block of
 * rows, which is what an admin compares against the next year's notice. So the seed is every holiday rest
 * day (working: false, note = holiday name) plus every adjusted working day (working: true, note =
 * '<holiday>调休上班'); all weekday holidays and all adjusted weekend working days are among them.
 */
import chineseDaysData from 'chinese-days/dist/chinese-days.json';

export interface CalendarSeedRow {
  /** Local date in Asia/Shanghai, 'YYYY-MM-DD'. */
  date: string;
  working: boolean;
  /** Holiday name in Chinese, or '<holiday>调休上班' for an adjusted working day. */
  note: string;
}

interface ChineseDaysData {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
  inLieuDays: Record<string, string>;
}

const DATA: ChineseDaysData = chineseDaysData;

const DATE_KEY = /^(\d{4})-\d{2}-\d{2}$/;

/** The package's short names, completed to the names the State Council notices use. */
const OFFICIAL_NAMES: Readonly<Record<string, string>> = {
  清明: '清明节',
  端午: '端午节',
  中秋: '中秋节',
};

/** 'National Day,国庆节,3' → '国庆节'. */
function chineseName(value: string): string {
  const parts = value.split(',');
  const name = (parts.length >= 2 ? parts[parts.length - 2] : parts[0]).trim();
  return OFFICIAL_NAMES[name] ?? name;
}

function yearOf(date: string): number {
  const match = DATE_KEY.exec(date);
  if (match === null) {
    throw new Error(`chinese-days: unexpected date key '${date}'`);
  }
  return Number(match[1]);
}

/**
 * The years whose arrangement the package holds, ascending. A year counts as covered when its Spring
 * Festival break is in the data: every yearly notice starts with 元旦 and 春节, and a stray date of a
 * neighbouring year's break (e.g. the 30–31 December of a New Year break) does not make a year covered.
 */
export function coveredYears(): number[] {
  const years = new Set<number>();
  for (const [date, value] of Object.entries(DATA.holidays)) {
    if (chineseName(value) === '春节') {
      years.add(yearOf(date));
    }
  }
  return [...years].sort((a, b) => a - b);
}

/**
 * Calendar rows for every date of the package that differs from, or names a day inside, the
 * Monday–Friday default (see the decision above), sorted by date. An adjusted working day wins over a
 * holiday on the same date (the package's own precedence; the data has no such date).
 */
export function chineseCalendarSeed(): CalendarSeedRow[] {
  const rows = new Map<string, CalendarSeedRow>();
  for (const [date, value] of Object.entries(DATA.holidays)) {
    yearOf(date);
    rows.set(date, { date, working: false, note: chineseName(value) });
  }
  for (const [date, value] of Object.entries(DATA.workdays)) {
    yearOf(date);
    rows.set(date, { date, working: true, note: `${chineseName(value)}调休上班` });
  }
  return [...rows.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}
