import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ValidationFailedError } from '../common/errors';
import { addCalendarDays, localDateOf, TableCalendar } from './period';

/** How long a process trusts its cached calendar before asking whether another process changed it. */
export const CALENDAR_CHECK_MS = 5_000;
/** GET /calendar/days answers at most this many days at once. */
export const MAX_CALENDAR_RANGE_DAYS = 366;

export interface CalendarDayView {
  date: string;
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: number;
  working: boolean;
  note: string | null;
  /** `data`: the year's official arrangement (or an admin's entry) decides; `fallback`: Monday–Friday. */
  source: 'data' | 'fallback';
}

interface Loaded {
  cal: TableCalendar;
  years: number[];
  version: string;
  checkedAt: number;
}

/**
 * The working-day calendar as data (SPEC §6): the `calendar_days` table over a Monday–Friday default, cached
 * in memory per process. An edit bumps `calendar_state.version`; the editing process reloads at once, every
 * other process notices within CALENDAR_CHECK_MS (one indexed one-row read), so there is no message bus to
 * lose and nothing to configure.
 */
@Injectable()
export class CalendarService {
  private loaded: Loaded | null = null;
  private inflight: Promise<Loaded> | null = null;

  constructor(private readonly db: DataSource) {}

  /** The calendar to compute with now. */
  async current(): Promise<TableCalendar> {
    return (await this.fresh()).cal;
  }

  async coveredYears(): Promise<number[]> {
    return (await this.fresh()).years;
  }

  /** The calendar as a transaction sees it (used by an edit to recompute with what it just wrote). */
  async load(
    m: EntityManager = this.db.manager,
  ): Promise<{ cal: TableCalendar; years: number[]; version: string }> {
    // The version first: an edit committed between these reads leaves newer rows under an older version, which
    // the next check reloads, never the reverse.
    const state: Array<{ version: string }> = await m.query(
      `SELECT version::text AS version FROM calendar_state`,
    );
    const rows: Array<{ date: string; working: boolean }> = await m.query(
      `SELECT date, working FROM calendar_days`,
    );
    const years: Array<{ year: number }> = await m.query(`SELECT year FROM calendar_years ORDER BY year`);
    const list = years.map((y) => y.year);
    return { cal: new TableCalendar(rows, list), years: list, version: state[0]?.version ?? '0' };
  }

  /** Drops the cache (after this process changed the calendar). */
  invalidate(): void {
    this.loaded = null;
  }

  /** Every day of [from, to] with its status and where the status comes from. */
  async days(from: string, to: string): Promise<{ items: CalendarDayView[]; coveredYears: number[] }> {
    if (to < from) throw new ValidationFailedError([{ field: 'to', message: 'must not be before from' }]);
    if (to >= addCalendarDays(from, MAX_CALENDAR_RANGE_DAYS)) {
      throw new ValidationFailedError([
        { field: 'to', message: `the range may cover at most ${MAX_CALENDAR_RANGE_DAYS} days` },
      ]);
    }
    const rows: Array<{ date: string; working: boolean; note: string | null }> = await this.db.query(
      `SELECT date, working, note FROM calendar_days WHERE date BETWEEN $1 AND $2`,
      [from, to],
    );
    const byDate = new Map(rows.map((r) => [r.date, r]));
    const { cal, years } = await this.fresh();
    const items: CalendarDayView[] = [];
    for (let day = from; day <= to; day = addCalendarDays(day, 1)) {
      const row = byDate.get(day);
      const weekday = ((new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
      items.push({
        date: day,
        weekday,
        working: cal.isWorkingDay(day),
        note: row?.note ?? null,
        source: row || cal.hasYear(Number(day.slice(0, 4))) ? 'data' : 'fallback',
      });
    }
    return { items, coveredYears: years };
  }

  /** SPEC §6 /health: the current and next year (Asia/Shanghai) need the official arrangement. */
  async coverage(now = new Date()): Promise<{ coveredYears: number[]; missing: number[] }> {
    const years = await this.coveredYears();
    const thisYear = Number(localDateOf(now).slice(0, 4));
    return { coveredYears: years, missing: [thisYear, thisYear + 1].filter((y) => !years.includes(y)) };
  }

  private async fresh(): Promise<Loaded> {
    const now = Date.now();
    if (this.loaded && now - this.loaded.checkedAt < CALENDAR_CHECK_MS) return this.loaded;
    this.inflight ??= this.refresh().finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  private async refresh(): Promise<Loaded> {
    const previous = this.loaded;
    if (previous) {
      const state: Array<{ version: string }> = await this.db.query(
        `SELECT version::text AS version FROM calendar_state`,
      );
      if (state[0]?.version === previous.version) {
        this.loaded = { ...previous, checkedAt: Date.now() };
        return this.loaded;
      }
    }
    const { cal, years, version } = await this.load();
    this.loaded = { cal, years, version, checkedAt: Date.now() };
    return this.loaded;
  }
}
