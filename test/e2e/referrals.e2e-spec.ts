/**
 * Court referrals (SPEC §5 refer and court-step rows, §6 court windows, §9): eligibility, the referral and its
 * packet, the liaison's steps and their case effects, windows and notifications, and the refusals.
 */
import type { INestApplicationContext } from '@nestjs/common';
import { DeadlineScheduler } from '../../src/deadlines/deadline-scheduler';
import { addCalendarDays } from '../../src/deadlines/period';
import { PublicStatusReader } from '../../src/public/public-status.reader';
import { startApi, startWorker, TestEnv } from '../support/app';
import { deletePrefixKeys, localDay, waitFor } from '../support/deadlines';
import { caseBody, counts, residentId, seedWorld, World } from '../support/fixtures';
import { expectProblem } from '../support/foundation';
import { client } from '../support/http';
import { pdfText } from '../support/pdf-text';

let env: TestEnv;
let w: World;
let worker: INestApplicationContext;

beforeAll(async () => {
  env = await startApi();
  w = await seedWorld(env);
  worker = await startWorker(env.config);
  // The court's webhook endpoint, subscribed to the referral events.
  await env.db.query(
    `INSERT INTO webhooks (organisation_id, url, events, secret_cipher) VALUES ($1, 'https://court.example/hooks', $2, 'x')`,
    [
      w.courtId,
      ['referral.created', 'referral.acknowledged', 'referral.decided', 'referral.outcome_recorded'],
    ],
  );
});
afterAll(async () => {
  await worker?.close();
  if (env) await deletePrefixKeys(env.config);
  await env?.close();
});

let seq = 0;
const body = (over: Record<string, any> = {}): Record<string, any> => {
  seq += 1;
  const b = caseBody({}, 5000 + seq);
  return { ...b, worker: { ...b.worker, idNumber: residentId('430102', '19880808', seq) }, ...over };
};

const getCase = async (id: string, token = w.coordinator) =>
  (await client(env.url, token).get(`/api/v1/cases/${id}`)).body;

/** Intake, accept, assign med1, and an agreement signed `signedDaysAgo` days ago with the given instalments. */
async function agreedCase(
  instalments: Array<{ dueOn: string; amountFen: number }>,
  over: Record<string, any> = {},
  opts: {
    signedDaysAgo?: number;
    items?: Array<{ claimType: string; amountFen: number }>;
    intakeToken?: string;
    workerObligations?: string;
  } = {},
) {
  const created = await client(env.url, opts.intakeToken ?? w.coordinator).post('/api/v1/cases', body(over));
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  const coord = client(env.url, w.coordinator);
  expect((await coord.post(`/api/v1/cases/${id}/accept`, {})).status).toBe(200);
  expect((await coord.post(`/api/v1/cases/${id}/assign`, { mediatorId: w.mediatorId })).status).toBe(200);
  const total = instalments.reduce((s, i) => s + i.amountFen, 0);
  const a = await client(env.url, w.mediator).post(`/api/v1/cases/${id}/agreement`, {
    signedAt: new Date(Date.now() - (opts.signedDaysAgo ?? 2) * 86_400_000).toISOString(),
    items: opts.items ?? [{ claimType: over.claims?.[0]?.type ?? 'wage_arrears', amountFen: total }],
    instalments,
    ...(opts.workerObligations ? { workerObligations: opts.workerObligations } : {}),
  });
  expect(a.status).toBe(201);
  return { id, caseNo: created.body.caseNo as string };
}

/** An instalment of 4,000 due yesterday (unpaid) and 6,000 due in 40 days: the worker makes it defaulted. */
async function defaultedCase(over: Record<string, any> = {}, opts: Parameters<typeof agreedCase>[2] = {}) {
  const c = await agreedCase(
    [
      { dueOn: localDay(-1), amountFen: 400000 },
      { dueOn: addCalendarDays(localDay(), 40), amountFen: 600000 },
    ],
    over,
    opts,
  );
  await waitFor('defaulted', async () => (await getCase(c.id)).status === 'defaulted', 15_000);
  return c;
}

const refer = (caseId: string, b: object = { kind: 'payment_order' }, token = w.mediator) =>
  client(env.url, token).post(`/api/v1/cases/${caseId}/referrals`, b);
const step = (id: string, what: 'acknowledge' | 'decision' | 'outcome', b: object = {}, token = w.liaison) =>
  client(env.url, token).post(`/api/v1/referrals/${id}/${what}`, b);

async function referred(over: Record<string, any> = {}) {
  const c = await defaultedCase(over);
  const r = await refer(c.id);
  expect(r.status).toBe(201);
  return { ...c, referralId: r.body.id as string };
}

async function walk(id: string, steps: Array<['acknowledge' | 'decision' | 'outcome', object]>) {
  for (const [what, b] of steps) {
    const r = await step(id, what, b);
    if (r.status !== 200)
      throw new Error(`${what} ${JSON.stringify(b)}: ${r.status} ${JSON.stringify(r.body)}`);
  }
}

const deadlineStatuses = async (referralId: string) =>
  Object.fromEntries(
    (
      await env.db.query(`SELECT kind, status FROM deadlines WHERE subject_id = $1 ORDER BY created_at`, [
        referralId,
      ])
    ).rows.map((r) => [r.kind, r.status]),
  );

const referralCount = async () =>
  Number((await env.db.query(`SELECT count(*) FROM referrals`)).rows[0].count) +
  Number((await env.db.query(`SELECT count(*) FROM referral_steps`)).rows[0].count);

const ACCEPT = { decision: 'accepted', courtCaseNo: '(2026)湘0102民督45号' };

describe('the payment-order path end to end', () => {
  it('defaulted → eligible → referred → acknowledged, accepted, issued, served, objection rejected → enforceable → paid → settled', async () => {
    const c = await defaultedCase();
    const maskedId = (await env.db.query(`SELECT worker_id_masked FROM cases WHERE id = $1`, [c.id])).rows[0]
      .worker_id_masked as string;

    const e = await client(env.url, w.mediator).get(`/api/v1/cases/${c.id}/payment-order-eligibility`);
    expect(e.status).toBe(200);
    expect(e.body).toMatchObject({
      eligible: true,
      amountClaimedFen: 400000,
      court: { id: w.courtId, name: '长沙市芙蓉区人民法院' },
      reasons: [],
      alternative: null,
    });
    // The defaulted case's detail shows it too.
    expect((await getCase(c.id)).paymentOrderEligibility).toMatchObject({
      eligible: true,
      amountClaimedFen: 400000,
    });
    // Before any referral the court's liaison does not see the case.
    expect((await client(env.url, w.liaison).get(`/api/v1/cases/${c.id}`)).status).toBe(404);

    const r = await refer(c.id);
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      kind: 'payment_order',
      status: 'sent',
      court: { id: w.courtId, competent: true },
      amountClaimedFen: 400000,
      warning: null,
      case: { id: c.id, status: 'referred' },
    });
    const id = r.body.id;

    // The court's webhook receiver gets referral.created, without a full ID number.
    const hook = await env.db.query(
      `SELECT e.data FROM deliveries d JOIN outbox_events e ON e.id = d.event_id
        WHERE d.channel = 'webhook' AND e.type = 'referral.created' AND e.case_id = $1`,
      [c.id],
    );
    expect(hook.rows).toHaveLength(1);
    expect(hook.rows[0].data).toMatchObject({
      referralId: id,
      kind: 'payment_order',
      status: 'sent',
      amountClaimedFen: 400000,
    });
    expect(await deadlineStatuses(id)).toEqual({
      referral_acknowledgement: 'pending',
      payment_order_acceptance: 'pending',
    });

    // Another court sees nothing; a mediator takes no court step.
    expect((await client(env.url, w.otherLiaison).get(`/api/v1/referrals/${id}`)).status).toBe(404);
    expect((await client(env.url, w.otherLiaison).get(`/api/v1/referrals`)).body.items).toEqual([]);
    expectProblem(await step(id, 'acknowledge', {}, w.otherLiaison), 404, 'NOT_FOUND');
    expectProblem(await step(id, 'acknowledge', {}, w.mediator), 403, 'FORBIDDEN');
    expectProblem(await step(id, 'outcome', { outcome: 'order_issued' }, w.coordinator), 403, 'FORBIDDEN');

    // The liaison's desk: the referral, and the case now in its scope.
    const desk = await client(env.url, w.liaison).get('/api/v1/referrals?status=sent&kind=payment_order');
    expect(desk.body.items).toEqual([
      expect.objectContaining({ id, caseNo: c.caseNo, status: 'sent', acknowledgementOverdue: false }),
    ]);
    expect((await client(env.url, w.liaison).get(`/api/v1/cases/${c.id}`)).status).toBe(200);

    // The packet: full ID numbers to the addressed court only, audited.
    const full = await client(env.url, w.liaison).get(`/api/v1/referrals/${id}`);
    expect(full.status).toBe(200);
    expect(full.body.packet.applicant.idNumber).toHaveLength(18);
    expect(full.body.packet.applicant.idNumber).not.toContain('*');
    expect(full.body.packet.respondent.creditCode).toBe('91350100M000100Y43');
    expect(full.body.packet.request).toMatchObject({
      amountClaimedFen: 400000,
      amountCapital: '人民币肆仟元整',
    });
    const audited = await env.db.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'referral_packet_read' AND entity_id = $1`,
      [id],
    );
    expect(audited.rows[0].n).toBe(1);
    const masked = await client(env.url, w.mediator).get(`/api/v1/referrals/${id}`);
    expect(masked.body.packet.applicant.idNumber).toBe(maskedId);

    await walk(id, [
      ['acknowledge', {}],
      ['decision', { ...ACCEPT, on: localDay() }],
      ['outcome', { outcome: 'order_issued' }],
      ['outcome', { outcome: 'order_served' }],
    ]);
    expect(await deadlineStatuses(id)).toMatchObject({
      referral_acknowledgement: 'met',
      payment_order_acceptance: 'met',
      payment_order_issue: 'met',
      payment_order_service: 'met',
      objection_window: 'pending',
    });
    await walk(id, [
      ['outcome', { outcome: 'objection_filed' }],
      ['outcome', { outcome: 'objection_rejected' }],
    ]);
    expect((await client(env.url, w.liaison).get(`/api/v1/referrals/${id}`)).body.status).toBe(
      'order_served',
    );
    await walk(id, [['outcome', { outcome: 'enforceable' }]]);
    expect(await deadlineStatuses(id)).toMatchObject({
      objection_window: 'met',
      enforcement_application: 'pending',
    });
    // The worker's status page (and SMS) now tell them to apply to that court for enforcement, by when.
    const status = await env.app.get(PublicStatusReader).read(c.id, 'zh');
    expect(status.nextStep.text).toContain('支付令已生效');
    expect(status.nextStep.text).toContain('申请强制执行');
    expect(status.nextStep.where?.name).toBe('长沙市芙蓉区人民法院');
    expect(status.nextStep.by).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await walk(id, [['outcome', { outcome: 'enforcement_applied' }]]);

    const paid = await step(id, 'outcome', { outcome: 'paid', amountRecoveredFen: 1000000 });
    expect(paid.status).toBe(200);
    expect(paid.body).toMatchObject({
      status: 'paid',
      amountRecoveredFen: 1000000,
      courtCaseNo: ACCEPT.courtCaseNo,
      case: { status: 'closed', closureReason: 'settled' },
    });
    const pays = await env.db.query(`SELECT amount_fen, source FROM payments WHERE case_id = $1`, [c.id]);
    expect(pays.rows).toEqual([{ amount_fen: '1000000', source: 'court' }]);
    expect(await deadlineStatuses(id)).toMatchObject({ enforcement_application: 'met' });

    const detail = (await client(env.url, w.liaison).get(`/api/v1/referrals/${id}`)).body;
    expect(detail.steps.map((s: any) => s.step)).toEqual([
      'sent',
      'acknowledge',
      'decision:accepted',
      'outcome:order_issued',
      'outcome:order_served',
      'outcome:objection_filed',
      'outcome:objection_rejected',
      'outcome:enforceable',
      'outcome:enforcement_applied',
      'outcome:paid',
    ]);
    expect(detail.steps.every((s: any) => s.on === localDay())).toBe(true);
    const events = await env.db.query(
      `SELECT action, to_status, closure_reason FROM case_events WHERE case_id = $1 AND action IN ('refer_payment_order', 'court_step') ORDER BY id`,
      [c.id],
    );
    expect(events.rows).toHaveLength(10);
    expect(events.rows.at(-1)).toEqual({
      action: 'court_step',
      to_status: 'closed',
      closure_reason: 'settled',
    });
    const types = await env.db.query(
      `SELECT type, count(*)::int AS n FROM outbox_events WHERE case_id = $1 AND type LIKE 'referral.%' GROUP BY type`,
      [c.id],
    );
    expect(Object.fromEntries(types.rows.map((t) => [t.type, t.n]))).toEqual({
      'referral.created': 1,
      'referral.acknowledged': 1,
      'referral.decided': 1,
      'referral.outcome_recorded': 7,
    });
    const webhookData = await env.db.query(
      `SELECT e.data::text AS data FROM deliveries d JOIN outbox_events e ON e.id = d.event_id WHERE e.case_id = $1`,
      [c.id],
    );
    for (const row of webhookData.rows) expect(row.data).not.toContain(full.body.packet.applicant.idNumber);
    // The worker hears the steps by SMS.
    const sms = await env.db.query(
      `SELECT count(*)::int AS n FROM deliveries d JOIN outbox_events e ON e.id = d.event_id
        WHERE d.channel = 'sms' AND e.case_id = $1 AND e.type LIKE 'referral.%'`,
      [c.id],
    );
    expect(sms.rows[0].n).toBeGreaterThanOrEqual(3);

    // The PDF a court clerk reads.
    const pdf = await fetch(`${env.url}/api/v1/referrals/${id}/packet.pdf`, {
      headers: { authorization: `Bearer ${w.liaison}` },
    });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const text = (await pdfText(Buffer.from(await pdf.arrayBuffer()))).replace(/\s/g, '');
    for (const s of [
      '支付令申请书',
      '申请人',
      '王小明',
      full.body.packet.applicant.idNumber,
      '被申请人',
      '某某快递有限公司',
      '91350100M000100Y43',
      '¥4,000.00',
      '人民币肆仟元整',
      c.caseNo,
      ACCEPT.courtCaseNo,
      '长沙市芙蓉区人民法院',
      '事实与理由',
      '请求事项',
    ])
      expect(text).toContain(s);
  });
});

describe('the other payment-order paths', () => {
  it('rejected, dismissed, not served and withdrawn take the case back to defaulted', async () => {
    const [a, b, c, d] = await Promise.all([referred(), referred(), referred(), referred()]);
    await walk(a.referralId, [['decision', { decision: 'rejected', reason: '材料不全' }]]);
    await walk(b.referralId, [
      ['decision', ACCEPT],
      ['outcome', { outcome: 'dismissed', reason: '申请不成立' }],
    ]);
    await walk(c.referralId, [
      ['acknowledge', {}],
      ['decision', ACCEPT],
      ['outcome', { outcome: 'order_issued' }],
      ['outcome', { outcome: 'not_served' }],
    ]);
    await walk(d.referralId, [
      ['acknowledge', {}],
      ['outcome', { outcome: 'withdrawn', note: '劳动者撤回申请' }],
    ]);
    for (const [x, status] of [
      [a, 'rejected'],
      [b, 'dismissed'],
      [c, 'not_served'],
      [d, 'withdrawn'],
    ] as const) {
      expect((await client(env.url, w.liaison).get(`/api/v1/referrals/${x.referralId}`)).body.status).toBe(
        status,
      );
      expect((await getCase(x.id)).status).toBe('defaulted');
      // No court window of an ended referral stays pending.
      expect(Object.values(await deadlineStatuses(x.referralId))).not.toContain('pending');
    }
    // Back to defaulted, the case may be referred again.
    expect((await refer(a.id)).status).toBe(201);
  });

  it('an upheld objection closes the case as litigation with the 7-day opt-out window', async () => {
    const x = await referred();
    await walk(x.referralId, [
      ['decision', ACCEPT],
      ['outcome', { outcome: 'order_issued' }],
      ['outcome', { outcome: 'order_served' }],
      ['outcome', { outcome: 'objection_filed' }],
    ]);
    const r = await step(x.referralId, 'outcome', { outcome: 'objection_upheld' });
    expect(r.body).toMatchObject({
      status: 'terminated',
      case: { status: 'closed', closureReason: 'litigation' },
    });
    expect(await deadlineStatuses(x.referralId)).toMatchObject({
      objection_window: 'met',
      objection_opt_out: 'pending',
    });
    const sms = await env.db.query(
      `SELECT d.message->>'text' AS text FROM deliveries d JOIN outbox_events e ON e.id = d.event_id
        WHERE d.channel = 'sms' AND e.case_id = $1 AND e.type = 'referral.outcome_recorded' ORDER BY e.created_at DESC LIMIT 1`,
      [x.id],
    );
    expect(sms.rows[0].text).toContain('7日内');
  });

  it('enforcement concluded closes the case so, with the amount recovered on the ledger', async () => {
    const x = await referred();
    await walk(x.referralId, [
      ['decision', ACCEPT],
      ['outcome', { outcome: 'order_issued' }],
      ['outcome', { outcome: 'order_served' }],
      ['outcome', { outcome: 'enforceable' }],
      ['outcome', { outcome: 'enforcement_applied' }],
    ]);
    const r = await step(x.referralId, 'outcome', {
      outcome: 'enforcement_concluded',
      amountRecoveredFen: 100000,
    });
    expect(r.body).toMatchObject({
      status: 'concluded',
      amountRecoveredFen: 100000,
      case: { status: 'closed', closureReason: 'enforcement_concluded' },
    });
    const ledger = await client(env.url, w.coordinator).get(`/api/v1/cases/${x.id}/agreement`);
    expect(ledger.body.totals).toMatchObject({ paidFen: 100000, outstandingFen: 900000 });
  });

  it('a part paid through the court keeps the referral; the ledger payment that clears the rest marks it paid and tells the court', async () => {
    const x = await referred();
    await walk(x.referralId, [
      ['decision', ACCEPT],
      ['outcome', { outcome: 'order_issued' }],
    ]);
    const part = await step(x.referralId, 'outcome', { outcome: 'paid', amountRecoveredFen: 300000 });
    expect(part.body).toMatchObject({
      status: 'order_issued',
      amountRecoveredFen: 300000,
      case: { status: 'referred' },
    });
    const rest = await client(env.url, w.mediator).post(`/api/v1/cases/${x.id}/payments`, {
      amountFen: 700000,
      paidOn: localDay(),
    });
    expect(rest.status).toBe(201);
    expect(rest.body.case).toMatchObject({ status: 'closed', closureReason: 'settled' });
    const ref = (await client(env.url, w.liaison).get(`/api/v1/referrals/${x.referralId}`)).body;
    expect(ref.status).toBe('paid');
    expect(ref.steps.at(-1)).toMatchObject({ step: 'case:record_payment', toStatus: 'paid' });
    const told = await env.db.query(
      `SELECT e.data FROM outbox_events e JOIN deliveries d ON d.event_id = e.id AND d.channel = 'webhook'
        WHERE e.case_id = $1 AND e.type = 'referral.outcome_recorded' ORDER BY e.created_at DESC LIMIT 1`,
      [x.id],
    );
    expect(told.rows[0].data).toMatchObject({ outcome: 'paid', status: 'paid', referralId: x.referralId });
  });

  it('flags an acknowledgement not given in time and tells the court and the coordinators', async () => {
    const x = await referred();
    await env.db.query(
      `UPDATE deadlines SET due_at = now() - interval '1 minute' WHERE subject_id = $1 AND kind = 'referral_acknowledgement'`,
      [x.referralId],
    );
    await env.db.query(
      `UPDATE deadline_reminders r SET fire_at = now() - interval '1 minute' FROM deadlines d
        WHERE d.id = r.deadline_id AND d.subject_id = $1 AND d.kind = 'referral_acknowledgement'`,
      [x.referralId],
    );
    const desk = await client(env.url, w.liaison).get('/api/v1/referrals?status=sent');
    expect(desk.body.items.find((i: any) => i.id === x.referralId).acknowledgementOverdue).toBe(true);
    await worker.get(DeadlineScheduler).pass();
    const ev = await waitFor('ack_overdue', async () => {
      const r = await env.db.query(
        `SELECT data FROM outbox_events WHERE case_id = $1 AND type = 'referral.ack_overdue'`,
        [x.id],
      );
      return r.rows.length ? r.rows : null;
    });
    expect(ev[0].data).toMatchObject({ referralId: x.referralId, status: 'sent' });
    const inbox = await client(env.url, w.liaison).get('/api/v1/notifications?limit=200');
    expect(inbox.body.items.some((n: any) => n.kind === 'referral.ack_overdue' && n.caseId === x.id)).toBe(
      true,
    );
    expect(await deadlineStatuses(x.referralId)).toMatchObject({ referral_acknowledgement: 'fired' });
  });

  it('lists one case’s referrals for those who may see them', async () => {
    const x = await referred();
    await referred();
    const mine = await client(env.url, w.liaison).get(`/api/v1/referrals?caseId=${x.id}`);
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((r: any) => r.id)).toEqual([x.referralId]);
    const coord = await client(env.url, w.coordinator).get(`/api/v1/referrals?caseId=${x.id}`);
    expect(coord.body.items.map((r: any) => r.id)).toEqual([x.referralId]);
    expect(
      (await client(env.url, w.otherLiaison).get(`/api/v1/referrals?caseId=${x.id}`)).body.items,
    ).toEqual([]);
    const bad = await client(env.url, w.liaison).get('/api/v1/referrals?caseId=not-a-case');
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: any) => e.field)).toEqual(['caseId']);
  });

  it('warns the court’s liaisons before a court window ends', async () => {
    const x = await referred();
    const reminder = await env.db.query(
      `UPDATE deadline_reminders r SET fire_at = now() - interval '1 minute' FROM deadlines d
        WHERE d.id = r.deadline_id AND d.subject_id = $1 AND d.kind = 'payment_order_acceptance'
          AND r.kind = 'warn_1d' RETURNING r.id, r.recipients`,
      [x.referralId],
    );
    expect(reminder.rows).toHaveLength(1);
    await worker.get(DeadlineScheduler).pass();
    const entry = await waitFor('the liaison’s warning', async () => {
      const r = await client(env.url, w.liaison).get('/api/v1/notifications?limit=200');
      return r.body.items.find(
        (n: any) => n.caseId === x.id && n.kind === 'payment_order_acceptance.warn_1d',
      );
    });
    expect(entry.title).toContain('支付令申请受理期限将至');
    // Only the addressed court hears it: not the other court's liaison.
    const other = await client(env.url, w.otherLiaison).get('/api/v1/notifications?limit=200');
    expect(other.body.items.some((n: any) => n.caseId === x.id)).toBe(false);
  });
});

describe('judicial confirmation', () => {
  it('jointly applied within 30 days: addressed to the committee’s court, accepted and confirmed; the case stays performing', async () => {
    const c = await agreedCase([{ dueOn: addCalendarDays(localDay(), 30), amountFen: 500000 }]);
    const r = await refer(c.id, { kind: 'judicial_confirmation', jointApplication: true });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      kind: 'judicial_confirmation',
      status: 'sent',
      jointApplication: true,
      court: { id: w.courtId },
      amountClaimedFen: null,
      case: { status: 'performing' },
    });
    const id = r.body.id;
    const windows = await env.db.query(
      `SELECT kind, status FROM deadlines WHERE case_id = $1 ORDER BY created_at`,
      [c.id],
    );
    expect(windows.rows).toEqual(
      expect.arrayContaining([
        { kind: 'judicial_confirmation_window', status: 'met' },
        { kind: 'judicial_confirmation_acceptance', status: 'pending' },
      ]),
    );
    expectProblem(await step(id, 'outcome', { outcome: 'order_issued' }), 409, 'INVALID_TRANSITION');
    expectProblem(
      await refer(c.id, { kind: 'judicial_confirmation', jointApplication: true }),
      409,
      'REFERRAL_ALREADY_OPEN',
    );
    await walk(id, [
      ['acknowledge', {}],
      ['decision', { decision: 'accepted', courtCaseNo: '(2026)湘0102民特12号' }],
    ]);
    expect(await deadlineStatuses(id)).toMatchObject({
      judicial_confirmation_acceptance: 'met',
      judicial_confirmation_decision: 'pending',
    });
    const done = await step(id, 'outcome', { outcome: 'confirmed' });
    expect(done.body).toMatchObject({ status: 'confirmed', case: { status: 'performing' } });
    expect(await deadlineStatuses(id)).toMatchObject({ judicial_confirmation_decision: 'met' });
    const pdf = await fetch(`${env.url}/api/v1/referrals/${id}/packet.pdf`, {
      headers: { authorization: `Bearer ${w.mediator}` },
    });
    const text = (await pdfText(Buffer.from(await pdf.arrayBuffer()))).replace(/\s/g, '');
    expect(text).toContain('司法确认申请书');
    expect(text).toContain(c.caseNo);
  });

  it('refused: the worker is told to amend the agreement or go to arbitration', async () => {
    const c = await agreedCase([{ dueOn: addCalendarDays(localDay(), 30), amountFen: 500000 }]);
    const id = (await refer(c.id, { kind: 'judicial_confirmation', jointApplication: true })).body.id;
    await walk(id, [
      ['decision', { decision: 'accepted', courtCaseNo: '(2026)湘0102民特13号' }],
      ['outcome', { outcome: 'refused', reason: '协议内容违反法律规定' }],
    ]);
    const sms = await env.db.query(
      `SELECT d.message->>'text' AS text FROM deliveries d JOIN outbox_events e ON e.id = d.event_id
        WHERE d.channel = 'sms' AND e.case_id = $1 AND e.type = 'referral.outcome_recorded'`,
      [c.id],
    );
    expect(sms.rows[0].text).toContain('仲裁');
    expect((await getCase(c.id)).status).toBe('performing');
  });
});

describe('court-sent cases', () => {
  it('a court-entrusted case is not eligible and goes back to its court; its liaison sees it', async () => {
    const c = await defaultedCase(
      {
        source: 'court_entrusted',
        procedure: 'ordinary',
        originReference: '(2026)湘0102民初88号',
        committeeId: w.committeeId,
      },
      { intakeToken: w.liaison },
    );
    const e = await client(env.url, w.liaison).get(`/api/v1/cases/${c.id}/payment-order-eligibility`);
    expect(e.body).toMatchObject({
      eligible: false,
      reasonCodes: ['COURT_ENTRUSTED'],
      alternativeCode: 'origin_court',
    });
    const before = await counts(env);
    const r = await refer(c.id);
    expectProblem(r, 422, 'PAYMENT_ORDER_NOT_ELIGIBLE');
    expect(await counts(env)).toEqual(before);
  });
});

describe('refusals change nothing', () => {
  it('a case that is not defaulted: 409 INVALID_TRANSITION', async () => {
    const c = await agreedCase([{ dueOn: addCalendarDays(localDay(), 30), amountFen: 500000 }]);
    const before = [await counts(env), await referralCount()];
    const r = await refer(c.id);
    expectProblem(r, 409, 'INVALID_TRANSITION');
    expect(r.body.currentStatus).toBe('performing');
    expect([await counts(env), await referralCount()]).toEqual(before);
  });

  it('an ineligible case: 422 with every reason and the alternative', async () => {
    const b = body();
    const c = await defaultedCase({
      claims: [{ type: 'welfare', amountFen: 1000000, description: '福利' }],
      employer: { ...b.employer, address: null, whereaboutsUnknown: true },
    });
    const before = [await counts(env), await referralCount()];
    const r = await refer(c.id);
    expectProblem(r, 422, 'PAYMENT_ORDER_NOT_ELIGIBLE');
    expect(r.body.reasonCodes).toEqual([
      'NO_ELIGIBLE_ITEMS',
      'EMPLOYER_ADDRESS_UNKNOWN',
      'EMPLOYER_WHEREABOUTS_UNKNOWN',
    ]);
    expect(r.body.reasons).toHaveLength(3);
    expect(r.body.alternativeCode).toBe('arbitration');
    expect([await counts(env), await referralCount()]).toEqual(before);
  });

  it('a worker who owes something in return under the agreement: no payment order', async () => {
    const c = await defaultedCase({}, { workerObligations: '劳动者归还公司配发的笔记本电脑一台' });
    const agreement = await client(env.url, w.mediator).get(`/api/v1/cases/${c.id}/agreement`);
    expect(agreement.body.workerObligations).toBe('劳动者归还公司配发的笔记本电脑一台');
    const e = await client(env.url, w.mediator).get(`/api/v1/cases/${c.id}/payment-order-eligibility`);
    expect(e.body).toMatchObject({ eligible: false, reasonCodes: ['WORKER_OWES_IN_RETURN'] });
    const before = [await counts(env), await referralCount()];
    expectProblem(await refer(c.id), 422, 'PAYMENT_ORDER_NOT_ELIGIBLE');
    expect([await counts(env), await referralCount()]).toEqual(before);
  });

  it('judicial confirmation after 30 days, or without the joint application', async () => {
    const late = await agreedCase(
      [{ dueOn: addCalendarDays(localDay(), 30), amountFen: 500000 }],
      {},
      { signedDaysAgo: 45 },
    );
    const before = [await counts(env), await referralCount()];
    expectProblem(
      await refer(late.id, { kind: 'judicial_confirmation', jointApplication: true }),
      422,
      'JUDICIAL_CONFIRMATION_WINDOW_CLOSED',
    );
    const noJoint = await refer(late.id, { kind: 'judicial_confirmation' });
    expectProblem(noJoint, 400, 'VALIDATION_FAILED');
    expect(noJoint.body.errors.map((e: any) => e.field)).toEqual(['jointApplication']);
    expect([await counts(env), await referralCount()]).toEqual(before);
  });

  it('a decision before the referral exists, an outcome out of order, bad step input', async () => {
    const x = await referred();
    const before = [await counts(env), await referralCount()];
    expectProblem(await step('6c1e9a3e-0000-4000-8000-000000000000', 'decision', ACCEPT), 404, 'NOT_FOUND');
    const early = await step(x.referralId, 'outcome', { outcome: 'order_served' });
    expectProblem(early, 409, 'INVALID_TRANSITION');
    expect(early.body.currentStatus).toBe('sent');
    expect(early.body.detail).toContain("'sent'");
    expectProblem(await step(x.referralId, 'decision', { decision: 'accepted' }), 400, 'VALIDATION_FAILED');
    expectProblem(await step(x.referralId, 'decision', { decision: 'rejected' }), 400, 'VALIDATION_FAILED');
    expectProblem(
      await step(x.referralId, 'decision', { ...ACCEPT, on: addCalendarDays(localDay(), 2) }),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(await step(x.referralId, 'outcome', { outcome: 'exploded' }), 400, 'VALIDATION_FAILED');
    expectProblem(await step(x.referralId, 'acknowledge', { extra: 1 }), 400, 'VALIDATION_FAILED');
    expect([await counts(env), await referralCount()]).toEqual(before);
  });
});
