import { chineseCalendarSeed, coveredYears } from './calendar-seed';
import { TableCalendar } from './period';

/**
 * The State Council's arrangements, transcribed here by hand from the notices (independently of the
 * package): rest-day ranges (inclusive, weekends inside the break included) and adjusted working days.
 */
interface Notice {
  source: string;
  rest: [name: string, from: string, to: string][];
  work: [name: string, date: string][];
}

const NOTICES: Record<number, Notice> = {
  2025: {
    source: '国办发明电〔2024〕12号',
    rest: [
      ['元旦', '2025-01-01', '2025-01-01'],
      ['春节', '2025-01-28', '2025-02-04'],
      ['清明节', '2025-04-04', '2025-04-06'],
      ['劳动节', '2025-05-01', '2025-05-05'],
      ['端午节', '2025-05-31', '2025-06-02'],
      // 国庆节、中秋节 merged, 1–8 October; 6 October is the Mid-Autumn day itself (八月十五).
      ['国庆节', '2025-10-01', '2025-10-05'],
      ['中秋节', '2025-10-06', '2025-10-06'],
      ['国庆节', '2025-10-07', '2025-10-08'],
    ],
    work: [
      ['春节', '2025-01-26'], // Sunday
      ['春节', '2025-02-08'], // Saturday
      ['劳动节', '2025-04-27'], // Sunday
      ['国庆节', '2025-09-28'], // Sunday
      ['国庆节', '2025-10-11'], // Saturday
    ],
  },
  2026: {
    source: '国办发明电〔2025〕7号',
    rest: [
      ['元旦', '2026-01-01', '2026-01-03'],
      ['春节', '2026-02-15', '2026-02-23'],
      ['清明节', '2026-04-04', '2026-04-06'],
      ['劳动节', '2026-05-01', '2026-05-05'],
      ['端午节', '2026-06-19', '2026-06-21'],
      ['中秋节', '2026-09-25', '2026-09-27'],
      ['国庆节', '2026-10-01', '2026-10-07'],
    ],
    work: [
      ['元旦', '2026-01-04'], // Sunday
      ['春节', '2026-02-14'], // Saturday
      ['春节', '2026-02-28'], // Saturday
      ['劳动节', '2026-05-09'], // Saturday
      ['国庆节', '2026-09-20'], // Sunday
      ['国庆节', '2026-10-10'], // Saturday
    ],
  },
};

/** Working days per year, counted by hand from the notices: 261 Mon–Fri − weekday holidays + 调休 days. */
const WORKING_DAY_COUNTS: Record<number, number> = {
  2025: 261 - 18 + 5,
  2026: 261 - 19 + 6,
};

// Independent date helpers (UTC getters only: a civil date, no host zone involved).
function utc(date: string): Date {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d));
}
function iso(value: Date): string {
  return value.toISOString().slice(0, 10);
}
function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = utc(from).getTime(); t <= utc(to).getTime(); t += 86_400_000) {
    out.push(iso(new Date(t)));
  }
  return out;
}
function isMonToFri(date: string): boolean {
  const day = utc(date).getUTCDay();
  return day >= 1 && day <= 5;
}

function expectedRows(year: number): { date: string; working: boolean; note: string }[] {
  const notice = NOTICES[year];
  const rows = [
    ...notice.rest.flatMap(([name, from, to]) =>
      daysBetween(from, to).map((date) => ({ date, working: false, note: name })),
    ),
    ...notice.work.map(([name, date]) => ({ date, working: true, note: `${name}调休上班` })),
  ];
  return rows.sort((a, b) => a.date.localeCompare(b.date));
}

describe('chineseCalendarSeed', () => {
  const seed = chineseCalendarSeed();
  const years = coveredYears();
  const calendar = new TableCalendar(seed, years);

  it('covers a contiguous run of years including 2025 and 2026', () => {
    expect(years.length).toBeGreaterThan(0);
    expect(years).toEqual(expect.arrayContaining([2024, 2025, 2026]));
    years.forEach((year, i) => {
      if (i > 0) expect(year).toBe(years[i - 1] + 1);
    });
    for (const year of years) expect(calendar.hasYear(year)).toBe(true);
    expect(calendar.hasYear(years[years.length - 1] + 1)).toBe(false);
    expect(calendar.hasYear(years[0] - 1)).toBe(false);
  });

  it('has well-formed, unique, sorted rows, each in a covered year and differing from or naming a day', () => {
    const dates = seed.map((row) => row.date);
    expect(new Set(dates).size).toBe(dates.length);
    expect([...dates].sort()).toEqual(dates);
    for (const row of seed) {
      expect(row.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(iso(utc(row.date))).toBe(row.date);
      expect(years).toContain(Number(row.date.slice(0, 4)));
      expect(row.note).toMatch(/[\u4e00-\u9fff]/);
      if (row.working) {
        // An adjusted working day only makes sense on a weekend.
        expect(isMonToFri(row.date)).toBe(false);
        expect(row.note).toMatch(/调休上班$/);
      } else {
        expect(row.note).not.toMatch(/调休上班/);
      }
    }
  });

  describe.each([2025, 2026])('%i against the State Council notice', (year) => {
    const notice = NOTICES[year];
    const rest = new Set(notice.rest.flatMap(([, from, to]) => daysBetween(from, to)));
    const work = new Set(notice.work.map(([, date]) => date));
    const allDays = daysBetween(`${year}-01-01`, `${year}-12-31`);

    it(`is covered (${notice.source})`, () => {
      expect(years).toContain(year);
    });

    it('gives every one of the 365 days the status of the notice', () => {
      expect(allDays).toHaveLength(365);
      const mismatches = allDays
        .map((date) => ({
          date,
          expected: (isMonToFri(date) && !rest.has(date)) || work.has(date),
          actual: calendar.isWorkingDay(date),
        }))
        .filter(({ expected, actual }) => expected !== actual);
      expect(mismatches).toEqual([]);
    });

    it('has exactly the rows of the notice, with the holiday names', () => {
      expect(seed.filter((row) => row.date.startsWith(`${year}-`))).toEqual(expectedRows(year));
    });

    it('has the hand-counted number of working days', () => {
      expect(allDays.filter((date) => calendar.isWorkingDay(date))).toHaveLength(WORKING_DAY_COUNTS[year]);
    });
  });
});
