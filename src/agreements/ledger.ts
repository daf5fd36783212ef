import { DateTime } from 'luxon';

/**
 * The agreement's payment ledger as pure arithmetic on integer fen (SPEC §5 record payment row): how a payment
 * is allocated to instalments, what is outstanding or overdue, and how what was paid spreads over the items.
 */

export interface InstalmentBalance {
  id: string;
  seq: number;
  /** Local date (Asia/Shanghai), YYYY-MM-DD. */
  dueOn: string;
  amountFen: number;
  paidFen: number;
}

export interface Allocation {
  instalmentId: string;
  seq: number;
  amountFen: number;
}

export const outstandingOf = (i: InstalmentBalance): number => i.amountFen - i.paidFen;

export function totalOutstanding(instalments: readonly InstalmentBalance[]): number {
  return instalments.reduce((sum, i) => sum + outstandingOf(i), 0);
}

/** Oldest first: by due date, then by the agreement's order. */
export function inDueOrder<T extends Pick<InstalmentBalance, 'dueOn' | 'seq'>>(list: readonly T[]): T[] {
  return [...list].sort((a, b) => (a.dueOn < b.dueOn ? -1 : a.dueOn > b.dueOn ? 1 : a.seq - b.seq));
}

/**
 * Spreads a payment over the instalments: a named instalment takes what it still lacks first, then the rest goes
 * to the oldest unpaid ones in due order, each filled before the next. Answers null when the payment is more
 * than everything outstanding (the caller's 422 OVERPAYMENT); it never allocates more than an instalment lacks.
 */
export function allocatePayment(
  instalments: readonly InstalmentBalance[],
  amountFen: number,
  namedInstalmentId?: string,
): Allocation[] | null {
  if (!Number.isSafeInteger(amountFen) || amountFen <= 0) throw new RangeError('amountFen must be positive');
  if (amountFen > totalOutstanding(instalments)) return null;
  const ordered = inDueOrder(instalments);
  const named = ordered.find((i) => i.id === namedInstalmentId);
  const queue = named ? [named, ...ordered.filter((i) => i !== named)] : ordered;
  const out: Allocation[] = [];
  let left = amountFen;
  for (const i of queue) {
    if (left === 0) break;
    const take = Math.min(left, outstandingOf(i));
    if (take > 0) {
      out.push({ instalmentId: i.id, seq: i.seq, amountFen: take });
      left -= take;
    }
  }
  return out;
}

/** The instalments after the allocations are applied. */
export function applyAllocations(
  instalments: readonly InstalmentBalance[],
  allocations: readonly Allocation[],
): InstalmentBalance[] {
  return instalments.map((i) => {
    const add = allocations.filter((a) => a.instalmentId === i.id).reduce((s, a) => s + a.amountFen, 0);
    return add ? { ...i, paidFen: i.paidFen + add } : i;
  });
}

/**
 * Overdue (SPEC §5 instalment overdue row): not fully paid, and the day after `dueOn` plus `graceDays` has begun
 * in Asia/Shanghai, i.e. `dueOn + graceDays` is before `today` (both local dates).
 */
export function isOverdue(i: InstalmentBalance, today: string, graceDays = 0): boolean {
  return outstandingOf(i) > 0 && addDays(i.dueOn, graceDays) < today;
}

export function overdueFen(instalments: readonly InstalmentBalance[], today: string, graceDays = 0): number {
  return instalments.filter((i) => isOverdue(i, today, graceDays)).reduce((s, i) => s + outstandingOf(i), 0);
}

function addDays(date: string, days: number): string {
  return days === 0 ? date : DateTime.fromISO(date, { zone: 'UTC' }).plus({ days }).toISODate()!;
}

export interface ItemBalance<T> {
  item: T;
  paidFen: number;
  outstandingFen: number;
}

/**
 * What was paid, spread over the items in the agreement's order: the first item is paid in full before the
 * second gets anything (the items carry no instalment of their own, so the agreement's order decides; list
 * wages first).
 */
export function itemBalances<T extends { amountFen: number }>(
  items: readonly T[],
  totalPaidFen: number,
): ItemBalance<T>[] {
  let left = totalPaidFen;
  return items.map((item) => {
    const paidFen = Math.min(item.amountFen, left);
    left -= paidFen;
    return { item, paidFen, outstandingFen: item.amountFen - paidFen };
  });
}
