import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Settings } from 'luxon';
import { chineseCalendarSeed, coveredYears } from './calendar-seed';
import {
  addCalendarDays,
  addDaysPeriod,
  addWorkingDaysPeriod,
  addYearsPeriod,
  endOfDayInstant,
  localDateOf,
  localInstant,
  TableCalendar,
  workingDaysBefore,
} from './period';

const cal = new TableCalendar(chineseCalendarSeed(), coveredYears());

describe('SPEC §6 example', () => {
  it('an application received on Saturday 2025-09-20 with 15 days ends on Thursday 2025-10-09', () => {
    expect(addDaysPeriod('2025-09-20', 15, cal)).toBe('2025-10-09');
    expect(endOfDayInstant('2025-10-09').toISOString()).toBe('2025-10-09T16:00:00.000Z');
  });

  it.each([
    ['2025-09-20T23:30:00+08:00'], // late evening, UTC date also 09-20
    ['2025-09-20T00:30:00+08:00'], // just after midnight, UTC date still 09-19
    ['2025-09-19T16:00:00.000Z'], // 00:00 +08:00 exactly
  ])('received at %s: the start day is 2025-09-20 (Shanghai), last day 2025-10-09', (received) => {
    const start = localDateOf(new Date(received));
    expect(start).toBe('2025-09-20');
    expect(addDaysPeriod(start, 15, cal)).toBe('2025-10-09');
  });
});

describe('addDaysPeriod: a last day on a rest day moves to the next working day', () => {
  it.each([
    // [start, days, last day, why]
    // 2025
    ['2024-12-17', 15, '2025-01-02', '元旦 2025-01-01 (Wed)'],
    ['2025-01-13', 15, '2025-02-05', '春节 first day 2025-01-28'],
    ['2025-01-16', 15, '2025-02-05', '春节 2025-01-31'],
    ['2025-01-20', 15, '2025-02-05', '春节 last day 2025-02-04 (in lieu)'],
    ['2025-03-20', 15, '2025-04-07', '清明 2025-04-04 (Fri)'],
    ['2025-03-22', 15, '2025-04-07', '清明 2025-04-06 (Sun)'],
    ['2025-04-16', 15, '2025-05-06', '劳动节 2025-05-01'],
    ['2025-04-20', 15, '2025-05-06', '劳动节 2025-05-05 (Mon, in lieu)'],
    ['2025-05-17', 15, '2025-06-03', '端午 2025-06-01 (Sun)'],
    ['2025-05-18', 15, '2025-06-03', '端午 2025-06-02 (Mon)'],
    ['2025-09-16', 15, '2025-10-09', '国庆 2025-10-01'],
    ['2025-09-21', 15, '2025-10-09', '中秋 2025-10-06'],
    ['2025-09-23', 15, '2025-10-09', '国庆 2025-10-08 (in lieu)'],
    ['2025-09-01', 30, '2025-10-09', '30 days to 2025-10-01'],
    ['2025-09-28', 7, '2025-10-09', '7 days to 2025-10-05'],
    // 2026
    ['2025-12-17', 15, '2026-01-04', '元旦 2026-01-01 → Sunday 01-04 is an adjusted working day'],
    ['2025-12-19', 15, '2026-01-04', '元旦 2026-01-03 (Sat)'],
    ['2026-01-31', 15, '2026-02-24', '春节 first day 2026-02-15'],
    ['2026-02-04', 15, '2026-02-24', '春节 2026-02-19'],
    ['2026-02-08', 15, '2026-02-24', '春节 last day 2026-02-23 (Mon)'],
    ['2026-03-20', 15, '2026-04-07', '清明 2026-04-04 (Sat)'],
    ['2026-03-22', 15, '2026-04-07', '清明 2026-04-06 (Mon)'],
    ['2026-04-16', 15, '2026-05-06', '劳动节 2026-05-01'],
    ['2026-04-20', 15, '2026-05-06', '劳动节 2026-05-05 (Tue, in lieu)'],
    ['2026-06-04', 15, '2026-06-22', '端午 2026-06-19 (Fri)'],
    ['2026-09-10', 15, '2026-09-28', '中秋 2026-09-25 (Fri)'],
    ['2026-09-16', 15, '2026-10-08', '国庆 2026-10-01'],
    ['2026-09-22', 15, '2026-10-08', '国庆 2026-10-07 (in lieu)'],
    // ordinary weekends
    ['2025-10-03', 15, '2025-10-20', 'Saturday 2025-10-18'],
    ['2026-03-01', 14, '2026-03-16', 'Sunday 2026-03-15'],
  ])('%s + %i days → %s (%s)', (start, days, expected) => {
    expect(addDaysPeriod(start, days, cal)).toBe(expected);
  });

  it.each([
    ['2025-01-11', 15, '2025-01-26', 'Sunday, 春节调休上班'],
    ['2025-01-24', 15, '2025-02-08', 'Saturday, 春节调休上班'],
    ['2025-04-12', 15, '2025-04-27', 'Sunday, 劳动节调休上班'],
    ['2025-09-13', 15, '2025-09-28', 'Sunday, 国庆节调休上班'],
    ['2025-09-26', 15, '2025-10-11', 'Saturday, 国庆节调休上班'],
    ['2025-12-20', 15, '2026-01-04', 'Sunday, 元旦调休上班'],
    ['2026-01-30', 15, '2026-02-14', 'Saturday, 春节调休上班'],
    ['2026-02-13', 15, '2026-02-28', 'Saturday, 春节调休上班'],
    ['2026-04-24', 15, '2026-05-09', 'Saturday, 劳动节调休上班'],
    ['2026-09-05', 15, '2026-09-20', 'Sunday, 国庆节调休上班'],
    ['2026-09-25', 15, '2026-10-10', 'Saturday, 国庆节调休上班'],
  ])('%s + %i days ends on the adjusted working day %s itself (%s)', (start, days, expected) => {
    expect(addDaysPeriod(start, days, cal)).toBe(expected);
  });

  it('always ends on the first working day on or after start + days (every start in 2025–2026)', () => {
    const failures: string[] = [];
    for (let start = '2025-01-01'; start <= '2026-12-31'; start = addCalendarDays(start, 1)) {
      for (const days of [1, 5, 15, 30]) {
        const nominal = addCalendarDays(start, days);
        const last = addDaysPeriod(start, days, cal);
        let ok = last >= nominal && cal.isWorkingDay(last);
        for (let d = nominal; ok && d < last; d = addCalendarDays(d, 1)) ok = !cal.isWorkingDay(d);
        if (!ok) failures.push(`${start}+${days}=${last}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('with 0 days is the start day, or the next working day', () => {
    expect(addDaysPeriod('2025-09-30', 0, cal)).toBe('2025-09-30');
    expect(addDaysPeriod('2025-10-01', 0, cal)).toBe('2025-10-09');
  });

  it('falls back to Monday–Friday in a year without data', () => {
    const last = coveredYears()[coveredYears().length - 1];
    const uncovered = new TableCalendar([], []);
    expect(cal.hasYear(last + 1)).toBe(false);
    // 2099-10-01 is a Thursday: no arrangement known, so an ordinary working day.
    expect(addDaysPeriod('2099-09-16', 15, uncovered)).toBe('2099-10-01');
    // 2099-10-03 is a Saturday → Monday.
    expect(addDaysPeriod('2099-09-18', 15, uncovered)).toBe('2099-10-05');
  });
});

describe('addWorkingDaysPeriod', () => {
  it.each([
    ['2025-09-30', 3, '2025-10-11', 'across National Day: 10-09, 10-10, Saturday 10-11 (调休上班)'],
    ['2025-09-30', 1, '2025-10-09', 'first working day after the break'],
    ['2025-09-26', 3, '2025-09-30', 'Sunday 09-28 counts, Saturday 09-27 does not'],
    ['2025-09-20', 3, '2025-09-24', 'received Saturday: Mon, Tue, Wed'],
    ['2025-09-19', 2, '2025-09-23', 'over an ordinary weekend'],
    ['2025-01-24', 2, '2025-01-27', 'Sunday 01-26 is a working day'],
    ['2025-01-27', 1, '2025-02-05', 'across the Spring Festival 2025'],
    ['2025-12-31', 1, '2026-01-04', 'across New Year 2026 to Sunday 01-04'],
    ['2026-02-13', 2, '2026-02-24', 'Saturday 02-14, then across the Spring Festival 2026'],
    ['2026-09-30', 3, '2026-10-10', 'across National Day 2026 to Saturday 10-10'],
    ['2026-04-30', 2, '2026-05-07', 'across Labour Day 2026'],
    ['2025-10-01', 0, '2025-10-01', 'zero working days'],
  ])('%s + %i working days → %s (%s)', (start, n, expected) => {
    expect(addWorkingDaysPeriod(start, n, cal)).toBe(expected);
  });
});

describe('workingDaysBefore', () => {
  it.each([
    ['2025-10-09', 3, '2025-09-28', 'over National Day 2025 to Sunday 09-28 (调休上班)'],
    ['2025-10-09', 1, '2025-09-30', 'the last working day before the break'],
    ['2025-10-13', 1, '2025-10-11', 'Saturday 10-11 is a working day'],
    ['2025-02-05', 3, '2025-01-24', 'over the Spring Festival 2025 and Sunday 01-26 (2 of 3)'],
    ['2026-02-24', 3, '2026-02-12', 'over the Spring Festival 2026, Saturday 02-14 counts'],
    ['2026-01-05', 2, '2025-12-31', 'Sunday 01-04, then over New Year into 2025'],
    ['2026-10-08', 3, '2026-09-28', 'over National Day 2026'],
    ['2025-09-24', 3, '2025-09-19', 'over an ordinary weekend'],
    ['2025-10-05', 0, '2025-10-05', 'zero working days'],
  ])('%s − %i working days → %s (%s)', (lastDay, n, expected) => {
    expect(workingDaysBefore(lastDay, n, cal)).toBe(expected);
  });

  it('undoes addWorkingDaysPeriod from a working day', () => {
    for (let start = '2025-01-01'; start <= '2026-12-31'; start = addCalendarDays(start, 1)) {
      if (!cal.isWorkingDay(start)) continue;
      for (const n of [1, 2, 3, 5]) {
        expect(workingDaysBefore(addWorkingDaysPeriod(start, n, cal), n, cal)).toBe(start);
      }
    }
  });
});

describe('addYearsPeriod', () => {
  it.each([
    ['2024-02-29', 1, '2025-02-28', '29 February → 28 February (a Friday)'],
    ['2028-02-29', 1, '2029-02-28', '29 February, year without data (Wednesday)'],
    ['2024-02-29', 2, '2026-02-28', '→ Saturday 2026-02-28, an adjusted working day'],
    ['2024-02-29', 4, '2028-02-29', 'leap year to leap year'],
    ['2024-10-01', 1, '2025-10-09', 'lands on National Day 2025'],
    ['2023-10-04', 2, '2025-10-09', 'two years, lands on National Day 2025'],
    ['2025-01-01', 1, '2026-01-04', 'lands on New Year 2026 → Sunday 01-04 (调休上班)'],
    ['2025-02-14', 1, '2026-02-14', 'lands on Saturday 2026-02-14 (调休上班)'],
    ['2024-03-01', 1, '2025-03-03', 'Saturday → Monday'],
    ['2025-06-19', 1, '2026-06-22', 'Dragon Boat 2026'],
    ['2024-09-25', 1, '2025-09-25', 'plain working day (Thursday)'],
  ])('%s + %i year(s) → %s (%s)', (start, years, expected) => {
    expect(addYearsPeriod(start, years, cal)).toBe(expected);
  });
});

describe('instants in Asia/Shanghai', () => {
  it.each([
    ['2025-10-09', '2025-10-09T16:00:00.000Z'],
    ['2025-12-31', '2025-12-31T16:00:00.000Z'],
    ['2024-02-28', '2024-02-28T16:00:00.000Z'],
    ['2024-02-29', '2024-02-29T16:00:00.000Z'],
  ])('endOfDayInstant(%s) = %s (next day 00:00 +08:00)', (lastDay, expected) => {
    expect(endOfDayInstant(lastDay).toISOString()).toBe(expected);
    expect(localDateOf(endOfDayInstant(lastDay))).toBe(addCalendarDays(lastDay, 1));
  });

  it.each([
    ['2025-10-06', '09:00', '2025-10-06T01:00:00.000Z'],
    ['2025-10-06', '00:00', '2025-10-05T16:00:00.000Z'],
    ['2025-10-06', '07:59', '2025-10-05T23:59:00.000Z'],
    ['2025-10-06', '23:59', '2025-10-06T15:59:00.000Z'],
    ['2026-01-01', '08:00', '2026-01-01T00:00:00.000Z'],
  ])('localInstant(%s, %s) = %s', (date, time, expected) => {
    expect(localInstant(date, time).toISOString()).toBe(expected);
    expect(localDateOf(localInstant(date, time))).toBe(date);
  });

  it.each([
    ['2025-10-05T15:59:59.999Z', '2025-10-05'],
    ['2025-10-05T16:00:00.000Z', '2025-10-06'],
    ['2025-12-31T16:00:00.000Z', '2026-01-01'],
    ['2025-09-20T23:30:00+08:00', '2025-09-20'],
  ])('localDateOf(%s) = %s', (instant, expected) => {
    expect(localDateOf(new Date(instant))).toBe(expected);
  });
});

describe('addCalendarDays', () => {
  it.each([
    ['2024-02-28', 1, '2024-02-29'],
    ['2025-02-28', 1, '2025-03-01'],
    ['2025-03-01', -1, '2025-02-28'],
    ['2025-12-31', 1, '2026-01-01'],
    ['2026-01-01', -1, '2025-12-31'],
    ['2025-01-01', -365, '2024-01-02'],
    ['2025-09-20', 15, '2025-10-05'],
    ['2025-09-20', 0, '2025-09-20'],
  ])('%s + (%i) → %s', (date, days, expected) => {
    expect(addCalendarDays(date, days)).toBe(expected);
  });
});

describe('TableCalendar', () => {
  it('lets an override win over the Monday–Friday default and reports covered years', () => {
    const custom = new TableCalendar(
      [
        { date: '2030-10-01', working: false }, // Tuesday made a rest day
        { date: '2030-09-29', working: true }, // Sunday made a working day
      ],
      [2030],
    );
    expect(custom.isWorkingDay('2030-10-01')).toBe(false);
    expect(custom.isWorkingDay('2030-09-29')).toBe(true);
    expect(custom.isWorkingDay('2030-10-02')).toBe(true);
    expect(custom.isWorkingDay('2030-09-28')).toBe(false);
    expect(custom.hasYear(2030)).toBe(true);
    expect(custom.hasYear(2031)).toBe(false);
    // Uncovered year: plain Monday–Friday (2031-01-01 is a Wednesday).
    expect(custom.isWorkingDay('2031-01-01')).toBe(true);
  });
});

describe('invalid input', () => {
  it.each([['2025-02-29'], ['2025-9-1'], ['2025-13-01'], ['20250901'], ['']])(
    'rejects the date %j',
    (date) => {
      expect(() => addDaysPeriod(date, 1, cal)).toThrow(RangeError);
      expect(() => cal.isWorkingDay(date)).toThrow(RangeError);
      expect(() => endOfDayInstant(date)).toThrow(RangeError);
      expect(() => addCalendarDays(date, 1)).toThrow(RangeError);
      expect(() => new TableCalendar([{ date, working: true }], [])).toThrow(RangeError);
    },
  );

  it.each([['24:00'], ['9:00'], ['09:60'], ['09:00:00'], ['']])('rejects the time %j', (time) => {
    expect(() => localInstant('2025-10-06', time)).toThrow(RangeError);
  });

  it('rejects negative or fractional counts and invalid instants', () => {
    expect(() => addDaysPeriod('2025-10-01', -1, cal)).toThrow(RangeError);
    expect(() => addDaysPeriod('2025-10-01', 1.5, cal)).toThrow(RangeError);
    expect(() => addWorkingDaysPeriod('2025-10-01', -1, cal)).toThrow(RangeError);
    expect(() => workingDaysBefore('2025-10-01', Number.NaN, cal)).toThrow(RangeError);
    expect(() => addYearsPeriod('2025-10-01', -1, cal)).toThrow(RangeError);
    expect(() => localDateOf(new Date(Number.NaN))).toThrow(RangeError);
  });

  it('refuses a calendar with no working day instead of looping forever', () => {
    const never = { isWorkingDay: () => false, hasYear: () => false };
    expect(() => addDaysPeriod('2025-10-01', 1, never)).toThrow(RangeError);
    expect(() => addWorkingDaysPeriod('2025-10-01', 1, never)).toThrow(RangeError);
    expect(() => workingDaysBefore('2025-10-01', 1, never)).toThrow(RangeError);
  });
});

describe('independence from the host time zone', () => {
  // process.env.TZ cannot be changed reliably inside a running Node process, so: (1) luxon's own default
  // zone is switched, which any luxon call without an explicit zone would follow; (2) the source is
  // checked for Date local-time accessors and zone-less luxon constructors.
  const original = Settings.defaultZone;
  afterEach(() => {
    Settings.defaultZone = original;
  });

  it.each([['America/New_York'], ['Pacific/Kiritimati'], ['Pacific/Pago_Pago']])(
    'gives the same results with luxon default zone %s',
    (zone) => {
      Settings.defaultZone = zone;
      expect(addDaysPeriod('2025-09-20', 15, cal)).toBe('2025-10-09');
      expect(addWorkingDaysPeriod('2025-09-30', 3, cal)).toBe('2025-10-11');
      expect(workingDaysBefore('2025-10-09', 3, cal)).toBe('2025-09-28');
      expect(addYearsPeriod('2024-02-29', 1, cal)).toBe('2025-02-28');
      expect(addCalendarDays('2025-03-01', -1)).toBe('2025-02-28');
      expect(endOfDayInstant('2025-10-09').toISOString()).toBe('2025-10-09T16:00:00.000Z');
      expect(localInstant('2025-10-06', '09:00').toISOString()).toBe('2025-10-06T01:00:00.000Z');
      expect(localDateOf(new Date('2025-09-20T00:30:00+08:00'))).toBe('2025-09-20');
      expect(cal.isWorkingDay('2025-09-28')).toBe(true);
      expect(cal.isWorkingDay('2025-10-04')).toBe(false);
    },
  );

  it('never uses Date local-time accessors or a zone-less luxon constructor', () => {
    const source = readFileSync(join(__dirname, 'period.ts'), 'utf8');
    expect(source).not.toMatch(
      /\.(get|set)(FullYear|Month|Date|Day|Hours|Minutes|Seconds|Milliseconds|TimezoneOffset)\s*\(/,
    );
    expect(source).not.toMatch(/toLocale|DateTime\.(local|now)\s*\(|Date\.now|Date\.parse/);
    expect(source).not.toMatch(/new Date\s*\(/);
    // Every luxon constructor names its zone.
    const constructors = source.match(/DateTime\.from\w+\([^;]*;/g) ?? [];
    expect(constructors.length).toBeGreaterThan(0);
    for (const call of constructors) expect(call).toMatch(/zone:/);
  });
});
