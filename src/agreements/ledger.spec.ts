import {
  allocatePayment,
  applyAllocations,
  type InstalmentBalance,
  itemBalances,
  overdueFen,
  totalOutstanding,
} from './ledger';

const schedule = (): InstalmentBalance[] => [
  { id: 'b', seq: 2, dueOn: '2026-04-30', amountFen: 300000, paidFen: 0 },
  { id: 'a', seq: 1, dueOn: '2026-03-31', amountFen: 500000, paidFen: 0 },
  { id: 'c', seq: 3, dueOn: '2026-05-31', amountFen: 200000, paidFen: 0 },
];

describe('allocatePayment', () => {
  it('fills the oldest unpaid instalment first and spills over in due order', () => {
    expect(allocatePayment(schedule(), 600000)).toEqual([
      { instalmentId: 'a', seq: 1, amountFen: 500000 },
      { instalmentId: 'b', seq: 2, amountFen: 100000 },
    ]);
  });

  it('skips instalments already paid', () => {
    const paid = applyAllocations(schedule(), [{ instalmentId: 'a', seq: 1, amountFen: 500000 }]);
    expect(allocatePayment(paid, 1000)).toEqual([{ instalmentId: 'b', seq: 2, amountFen: 1000 }]);
  });

  it('gives a named instalment its remainder first, then the oldest unpaid', () => {
    expect(allocatePayment(schedule(), 250000, 'c')).toEqual([
      { instalmentId: 'c', seq: 3, amountFen: 200000 },
      { instalmentId: 'a', seq: 1, amountFen: 50000 },
    ]);
  });

  it('takes exactly what is outstanding, and refuses a fen more', () => {
    expect(totalOutstanding(schedule())).toBe(1000000);
    expect(allocatePayment(schedule(), 1000000)).toHaveLength(3);
    expect(allocatePayment(schedule(), 1000001)).toBeNull();
  });

  it('refuses amounts that are not positive whole fen', () => {
    expect(() => allocatePayment(schedule(), 0)).toThrow(RangeError);
    expect(() => allocatePayment(schedule(), 1.5)).toThrow(RangeError);
  });
});

describe('overdueFen', () => {
  it('counts the unpaid part of instalments whose due date has passed', () => {
    const s = applyAllocations(schedule(), [{ instalmentId: 'a', seq: 1, amountFen: 200000 }]);
    expect(overdueFen(s, '2026-03-31')).toBe(0);
    expect(overdueFen(s, '2026-04-01')).toBe(300000);
    expect(overdueFen(s, '2026-05-01')).toBe(600000);
  });

  it('waits out the grace days after the due date', () => {
    expect(overdueFen(schedule(), '2026-04-03', 3)).toBe(0);
    expect(overdueFen(schedule(), '2026-04-04', 3)).toBe(500000);
  });
});

describe('itemBalances', () => {
  it('pays the items in the agreement’s order', () => {
    const items = [{ amountFen: 700000 }, { amountFen: 300000 }];
    expect(itemBalances(items, 800000).map((b) => [b.paidFen, b.outstandingFen])).toEqual([
      [700000, 0],
      [100000, 200000],
    ]);
  });
});
