import { chineseCalendarSeed, coveredYears } from './calendar-seed';
import { periodEnd } from './deadline-period';
import { TableCalendar } from './period';

const cal = new TableCalendar(chineseCalendarSeed(), coveredYears());

describe('periodEnd', () => {
  it('follows SPEC §6’s example: 15 days from Saturday 2025-09-20 end on Thursday 2025-10-09', () => {
    expect(periodEnd('2025-09-20', { unit: 'days', length: 15 }, cal)).toEqual({
      lastDay: '2025-10-09',
      dueAt: new Date('2025-10-09T16:00:00Z'),
    });
  });

  it('counts each extension from the then current last day, moved off rest days', () => {
    // 2025-10-09 + 10 days = 2025-10-19, a Sunday → Monday 2025-10-20; + 5 = 2025-10-25, a Saturday → 10-27.
    expect(periodEnd('2025-09-20', { unit: 'days', length: 15, extensions: [10, 5] }, cal).lastDay).toBe(
      '2025-10-27',
    );
  });

  it('computes working days, years, plain calendar days and fixed instants', () => {
    // Received Tuesday 2025-09-30: three working days are 10-09, 10-10, 10-11 (an adjusted Saturday).
    expect(periodEnd('2025-09-30', { unit: 'working_days', length: 3 }, cal).lastDay).toBe('2025-10-11');
    expect(periodEnd('2024-02-29', { unit: 'years', length: 1 }, cal).lastDay).toBe('2025-02-28');
    // An agreed due date is not moved, whatever day it is; the grace is added as is.
    expect(periodEnd('2025-10-01', { unit: 'calendar_days', length: 0 }, cal)).toEqual({
      lastDay: '2025-10-01',
      dueAt: new Date('2025-10-01T16:00:00Z'),
    });
    const at = new Date('2026-03-06T06:00:00Z');
    expect(periodEnd('2026-03-06', { unit: 'instant', length: 0 }, cal, at)).toEqual({
      lastDay: '2026-03-06',
      dueAt: at,
    });
    expect(() => periodEnd('2026-03-06', { unit: 'instant', length: 0 }, cal)).toThrow(RangeError);
  });
});
