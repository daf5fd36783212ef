/** The payment ledger (SPEC §5 record payment row): allocation, overpayment, default cleared, settlement. */
import { DateTime } from 'luxon';
import { startApi, TestEnv } from '../support/app';
import { caseBody, seedWorld, World } from '../support/fixtures';
import { client } from '../support/http';

let env: TestEnv;
let w: World;

beforeAll(async () => {
  env = await startApi();
  w = await seedWorld(env);
});
afterAll(() => env?.close());

const today = DateTime.now().setZone('Asia/Shanghai');
const date = (days: number) => today.plus({ days }).toISODate()!;

const CLAIMS = [
  { type: 'wage_arrears', amountFen: 900000, description: '工资' },
  { type: 'economic_compensation', amountFen: 600000, description: '经济补偿' },
];

/**
 * A performing case: an agreement of 9,000 wages + 6,000 compensation in three instalments (6,000 / 5,000 /
 * 4,000). The first two fall due in the past; the last is still ahead.
 */
async function performingCase(): Promise<{ id: string; instalments: Array<{ id: string; seq: number }> }> {
  const coord = client(env.url, w.coordinator);
  const created = await coord.post('/api/v1/cases', caseBody({ claims: CLAIMS }));
  const id = created.body.id;
  await coord.post(`/api/v1/cases/${id}/accept`, {});
  await coord.post(`/api/v1/cases/${id}/assign`, { mediatorId: w.mediatorId });
  const a = await client(env.url, w.mediator).post(`/api/v1/cases/${id}/agreement`, {
    signedAt: '2026-03-10T15:00:00+08:00',
    items: [
      { claimType: 'wage_arrears', amountFen: 900000 },
      { claimType: 'economic_compensation', amountFen: 600000 },
    ],
    instalments: [
      { dueOn: '2026-03-31', amountFen: 600000 },
      { dueOn: '2026-04-30', amountFen: 500000 },
      { dueOn: date(60), amountFen: 400000 },
    ],
  });
  expect(a.status).toBe(201);
  return { id, instalments: a.body.instalments };
}

async function tally(caseId: string) {
  const r = await env.db.query(
    `SELECT (SELECT count(*) FROM payments WHERE case_id = $1)::int AS payments,
            (SELECT count(*) FROM payment_allocations pa JOIN payments p ON p.id = pa.payment_id
              WHERE p.case_id = $1)::int AS allocations,
            (SELECT string_agg(paid_fen::text, ',' ORDER BY seq) FROM instalments WHERE case_id = $1) AS paid,
            (SELECT count(*) FROM case_events WHERE case_id = $1)::int AS events,
            (SELECT version FROM cases WHERE id = $1) AS version,
            (SELECT status::text FROM cases WHERE id = $1) AS status`,
    [caseId],
  );
  return r.rows[0];
}

const pay = (caseId: string, body: Record<string, unknown>, token = w.coordinator, headers = {}) =>
  client(env.url, token).post(`/api/v1/cases/${caseId}/payments`, body, { headers });

describe('allocation', () => {
  it('fills the oldest unpaid instalments first, spilling over in due order, and items in agreement order', async () => {
    const { id, instalments } = await performingCase();
    const r = await pay(id, { amountFen: 700000, paidOn: '2026-04-01', note: '银行转账' });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      amountFen: 700000,
      paidOn: '2026-04-01',
      instalmentId: null,
      note: '银行转账',
      source: 'ledger',
      allocations: [
        { instalmentId: instalments[0].id, seq: 1, amountFen: 600000 },
        { instalmentId: instalments[1].id, seq: 2, amountFen: 100000 },
      ],
      totals: { agreedFen: 1500000, paidFen: 700000, outstandingFen: 800000 },
      case: { status: 'performing' },
    });

    // A named instalment takes its remainder first; the rest goes to the oldest unpaid.
    const named = await pay(id, { amountFen: 450000, paidOn: '2026-05-02', instalmentId: instalments[2].id });
    expect(named.status).toBe(201);
    expect(named.body.allocations).toEqual([
      { instalmentId: instalments[2].id, seq: 3, amountFen: 400000 },
      { instalmentId: instalments[1].id, seq: 2, amountFen: 50000 },
    ]);

    const ledger = await client(env.url, w.mediator).get(`/api/v1/cases/${id}/agreement`);
    expect(ledger.status).toBe(200);
    expect(
      ledger.body.instalments.map((i: any) => [i.seq, i.paidFen, i.outstandingFen, i.status, i.overdue]),
    ).toEqual([
      [1, 600000, 0, 'paid', false],
      [2, 150000, 350000, 'part_paid', true],
      [3, 400000, 0, 'paid', false],
    ]);
    expect(ledger.body.items.map((i: any) => [i.claimType, i.paidFen, i.outstandingFen])).toEqual([
      ['wage_arrears', 900000, 0],
      ['economic_compensation', 250000, 350000],
    ]);
    expect(ledger.body.totals).toEqual({
      agreedFen: 1500000,
      paidFen: 1150000,
      outstandingFen: 350000,
      overdueFen: 350000,
    });
    expect(ledger.body.nextInstalment).toMatchObject({ seq: 2, outstandingFen: 350000 });
    expect(ledger.body.payments.map((p: any) => [p.amountFen, p.paidOn, p.recordedByName])).toEqual([
      [700000, '2026-04-01', 'coord1'],
      [450000, '2026-05-02', 'coord1'],
    ]);

    const settled = await pay(id, { amountFen: 350000, paidOn: date(0) }, w.mediator);
    expect(settled.status).toBe(201);
    expect(settled.body.case).toMatchObject({ status: 'closed', closureReason: 'settled' });
    expect(settled.body.totals).toMatchObject({ paidFen: 1500000, outstandingFen: 0, overdueFen: 0 });
  });
});

describe('overpayment and bad input', () => {
  it('answers 422 OVERPAYMENT beyond what is outstanding, and writes nothing', async () => {
    const { id, instalments } = await performingCase();
    expect((await pay(id, { amountFen: 1000000, paidOn: '2026-04-01' })).status).toBe(201);
    const before = await tally(id);
    for (const body of [
      { amountFen: 500001, paidOn: '2026-05-01' },
      { amountFen: 500001, paidOn: '2026-05-01', instalmentId: instalments[2].id },
    ]) {
      const r = await pay(id, body);
      expect(r.status).toBe(422);
      expect(r.headers.get('content-type')).toContain('application/problem+json');
      expect(r.body).toMatchObject({ code: 'OVERPAYMENT', outstandingFen: 500000, amountFen: 500001 });
    }
    expect(await tally(id)).toEqual(before);
    expect((await pay(id, { amountFen: 500000, paidOn: '2026-05-01' })).body.case.closureReason).toBe(
      'settled',
    );
  });

  it('answers 400 naming each bad field, and writes nothing', async () => {
    const { id } = await performingCase();
    const before = await tally(id);
    const bad: Array<[Record<string, unknown>, string[]]> = [
      [{ amountFen: 0, paidOn: '2026-04-01' }, ['amountFen']],
      [{ amountFen: -5, paidOn: '2026-04-01' }, ['amountFen']],
      [{ amountFen: 10.5, paidOn: '2026-04-01' }, ['amountFen']],
      [{ amountFen: '100', paidOn: '2026-04-01' }, ['amountFen']],
      [{ amountFen: 100, paidOn: '2026/04/01' }, ['paidOn']],
      [{ amountFen: 100, paidOn: '2026-02-30' }, ['paidOn']],
      [{ amountFen: 100, paidOn: date(1) }, ['paidOn']],
      // Before the agreement was signed (2026-03-10).
      [{ amountFen: 100, paidOn: '2026-03-09' }, ['paidOn']],
      [{ amountFen: 100, paidOn: '2026-04-01', instalmentId: 'nope' }, ['instalmentId']],
      [
        { amountFen: 100, paidOn: '2026-04-01', instalmentId: '00000000-0000-4000-8000-000000000000' },
        ['instalmentId'],
      ],
      [{ amountFen: 100, paidOn: '2026-04-01', currency: 'CNY' }, ['currency']],
      [{}, ['amountFen', 'paidOn']],
    ];
    for (const [body, fields] of bad) {
      const r = await pay(id, body);
      expect({ body, status: r.status }).toEqual({ body, status: 400 });
      expect([...new Set(r.body.errors.map((e: any) => e.field))].sort()).toEqual([...fields].sort());
    }
    expect(await tally(id)).toEqual(before);
  });

  it('refuses an instalment of another case’s agreement', async () => {
    const a = await performingCase();
    const b = await performingCase();
    const r = await pay(a.id, { amountFen: 100, paidOn: '2026-04-01', instalmentId: b.instalments[0].id });
    expect(r.status).toBe(400);
    expect(r.body.errors).toEqual([
      { field: 'instalmentId', message: 'must be an instalment of this case’s agreement' },
    ]);
  });

  it('is for the assigned mediator and coordinators, on a case with an agreement', async () => {
    const { id } = await performingCase();
    const before = await tally(id);
    expect((await pay(id, { amountFen: 100, paidOn: '2026-04-01' }, w.liaison)).status).toBe(403);
    expect((await pay(id, { amountFen: 100, paidOn: '2026-04-01' }, w.unrosteredMediator)).status).toBe(404);
    expect((await pay(id, { amountFen: 100, paidOn: '2026-04-01' }, w.otherCoordinator)).status).toBe(404);
    expect(await tally(id)).toEqual(before);

    const coord = client(env.url, w.coordinator);
    const inMediation = await coord.post('/api/v1/cases', caseBody());
    await coord.post(`/api/v1/cases/${inMediation.body.id}/accept`, {});
    const r = await pay(inMediation.body.id, { amountFen: 100, paidOn: '2026-04-01' });
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ code: 'INVALID_TRANSITION', currentStatus: 'accepted' });
  });
});

describe('default and referral', () => {
  /**
   * Overdue detection (performing → defaulted) is the deadlines feature's scheduler; here the case is put into
   * `defaulted` (or `referred`) directly in SQL, as that scheduler (or a referral) would leave it.
   */
  const setStatus = (id: string, status: string) =>
    env.db.query(`UPDATE cases SET status = $2::case_status WHERE id = $1`, [id, status]);

  it('keeps a defaulted case defaulted while an overdue instalment is unpaid, then returns it to performing', async () => {
    const { id } = await performingCase();
    await setStatus(id, 'defaulted');
    const part = await pay(id, { amountFen: 800000, paidOn: date(0) });
    expect(part.status).toBe(201);
    expect(part.body.case.status).toBe('defaulted');
    expect(part.body.totals.overdueFen).toBe(300000);

    const cleared = await pay(id, { amountFen: 300000, paidOn: date(0) });
    expect(cleared.status).toBe(201);
    expect(cleared.body.case).toMatchObject({ status: 'performing', closureReason: null });
    expect(cleared.body.totals).toMatchObject({ outstandingFen: 400000, overdueFen: 0 });
    const events = await client(env.url, w.coordinator).get(`/api/v1/cases/${id}/events`);
    expect(events.body.items.at(-1)).toMatchObject({
      action: 'record_payment',
      fromStatus: 'defaulted',
      toStatus: 'performing',
    });

    const rest = await pay(id, { amountFen: 400000, paidOn: date(0) });
    expect(rest.body.case).toMatchObject({ status: 'closed', closureReason: 'settled' });
  });

  it('settles a defaulted case paid in full at once', async () => {
    const { id } = await performingCase();
    await setStatus(id, 'defaulted');
    const r = await pay(id, { amountFen: 1500000, paidOn: date(0) });
    expect(r.body.case).toMatchObject({ status: 'closed', closureReason: 'settled' });
  });

  it('records payments on a referred case, which stays referred until nothing is outstanding', async () => {
    const { id } = await performingCase();
    await setStatus(id, 'referred');
    expect((await pay(id, { amountFen: 1100000, paidOn: date(0) })).body.case.status).toBe('referred');
    const r = await pay(id, { amountFen: 400000, paidOn: date(0) });
    expect(r.body.case).toMatchObject({ status: 'closed', closureReason: 'settled' });
  });
});

describe('concurrency and retries', () => {
  it('serialises simultaneous payments: together more than outstanding, one is refused', async () => {
    const { id } = await performingCase();
    const results = await Promise.all(
      Array.from({ length: 4 }, () => pay(id, { amountFen: 600000, paidOn: date(0) })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 201, 422, 422]);
    const t = await tally(id);
    expect(t).toMatchObject({ payments: 2, paid: '600000,500000,100000' });
  });

  it('records a payment once for one Idempotency-Key', async () => {
    const { id } = await performingCase();
    const headers = { 'idempotency-key': 'payment-2026-04-01-a' };
    const first = await pay(id, { amountFen: 1000, paidOn: '2026-04-01' }, w.coordinator, headers);
    const again = await pay(id, { amountFen: 1000, paidOn: '2026-04-01' }, w.coordinator, headers);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.id).toBe(first.body.id);
    expect((await tally(id)).payments).toBe(1);
  });
});
