import { csvField, fenToYuan } from './report-csv';
import { previousMonth } from './report-publisher';

describe('report CSV fields', () => {
  it('shows fen as yuan with two decimals, exactly', () => {
    expect(fenToYuan(0)).toBe('0.00');
    expect(fenToYuan(5)).toBe('0.05');
    expect(fenToYuan(125000050)).toBe('1250000.50');
    expect(fenToYuan(Number.MAX_SAFE_INTEGER)).toBe('90071992547409.91');
  });

  it('quotes what needs quoting and defuses formulas in text', () => {
    expect(csvField('长沙市总工会')).toBe('长沙市总工会');
    expect(csvField(12)).toBe('12');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('说"明"')).toBe('"说""明"""');
    expect(csvField('一\n二')).toBe('"一\n二"');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('+86')).toBe("'+86");
  });
});

describe('the month a monthly report covers', () => {
  it.each([
    ['2026-12-01T08:00:00+08:00', { month: '2026-11', from: '2026-11-01', to: '2026-11-30' }],
    // 1 January 08:00 in Shanghai is still 31 December in UTC: the local month decides.
    ['2026-01-01T08:00:00+08:00', { month: '2025-12', from: '2025-12-01', to: '2025-12-31' }],
    ['2024-03-01T00:30:00+08:00', { month: '2024-02', from: '2024-02-01', to: '2024-02-29' }],
    ['2025-03-31T23:59:59+08:00', { month: '2025-02', from: '2025-02-01', to: '2025-02-28' }],
  ])('due %s: %o', (now, expected) => {
    expect(previousMonth(new Date(now))).toEqual(expected);
  });
});
