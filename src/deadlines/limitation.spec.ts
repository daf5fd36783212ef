import { chineseCalendarSeed, coveredYears } from './calendar-seed';
import { claimLimitations, limitationAtIntake } from './limitation';
import { TableCalendar } from './period';

const cal = new TableCalendar(chineseCalendarSeed(), coveredYears());

const base = {
  source: 'walk_in' as const,
  employmentEndDate: '2026-01-31',
  knewOfInfringementOn: '2025-06-10',
  claims: [{ type: 'economic_compensation' as const }],
};

describe('limitation (LDMAL art. 27)', () => {
  it('runs one year from the day the worker knew, moved off a rest day', () => {
    // 2026-06-10 is a Wednesday.
    expect(claimLimitations(base, cal)[0]).toMatchObject({ startsOn: '2025-06-10', expiresOn: '2026-06-10' });
    // 2025-05-31 + 1 year = 2026-05-31, a Sunday: the next working day.
    expect(claimLimitations({ ...base, knewOfInfringementOn: '2025-05-31' }, cal)[0].expiresOn).toBe(
      '2026-06-01',
    );
  });

  it('counts wage arrears from the end of employment, and not at all while it lasts', () => {
    const wage = { ...base, claims: [{ type: 'wage_arrears' as const }] };
    expect(claimLimitations(wage, cal)[0]).toMatchObject({ startsOn: '2026-01-31', expiresOn: '2027-02-01' });
    expect(claimLimitations({ ...wage, employmentEndDate: null }, cal)[0]).toMatchObject({
      expiresOn: null,
      none: 'wage_arrears_during_employment',
    });
  });

  it('restarts every running limitation in full from the day mediation failed', () => {
    const both = {
      ...base,
      employmentEndDate: null,
      claims: [{ type: 'wage_arrears' as const }, { type: 'damages' as const }],
    };
    expect(claimLimitations(both, cal, '2026-04-08').map((c) => c.expiresOn)).toEqual([null, '2027-04-08']);
  });

  it('answers the intake: earliest date, a warning under 30 days or past, null for court-sent cases', () => {
    expect(limitationAtIntake(base, '2026-03-02', cal)).toEqual({
      claims: [{ type: 'economic_compensation', expiresOn: '2026-06-10' }],
      earliestExpiresOn: '2026-06-10',
      warning: null,
    });
    expect(limitationAtIntake(base, '2026-05-20', cal)?.warning).toMatch(
      /2026-06-10届满，距申请之日不足30日/,
    );
    expect(limitationAtIntake(base, '2026-06-11', cal)?.warning).toMatch(/已于2026-06-10届满/);
    expect(limitationAtIntake({ ...base, knewOfInfringementOn: null }, '2026-03-02', cal)).toEqual({
      claims: [{ type: 'economic_compensation', expiresOn: null }],
      earliestExpiresOn: null,
      warning: expect.stringMatching(/无法计算/),
    });
    expect(limitationAtIntake({ ...base, source: 'court_delegated' }, '2026-03-02', cal)).toBeNull();
    expect(limitationAtIntake({ ...base, source: 'court_entrusted' }, '2026-03-02', cal)).toBeNull();
    expect(limitationAtIntake({ ...base, source: 'arbitration_transfer' }, '2026-03-02', cal)).not.toBeNull();
  });
});
