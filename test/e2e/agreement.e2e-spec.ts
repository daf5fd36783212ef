/** The agreement (SPEC §5 record agreement row, §15) and its document (§11 agreement.pdf). */
import { writeFileSync } from 'node:fs';
import { startApi, TestEnv } from '../support/app';
import { caseBody, seedWorld, World } from '../support/fixtures';
import { client, request } from '../support/http';
import { pdfText } from '../support/pdf-text';

let env: TestEnv;
let w: World;

beforeAll(async () => {
  env = await startApi();
  w = await seedWorld(env);
});
afterAll(() => env?.close());

const CLAIMS = [
  { type: 'wage_arrears', amountFen: 1250000, description: '2025年11月至2026年1月工资' },
  { type: 'economic_compensation', amountFen: 600000, description: '解除劳动合同经济补偿' },
];

/** A walk-in case with two claims, taken in, accepted and assigned to the rostered mediator. */
async function caseInMediation(over: Record<string, any> = {}): Promise<string> {
  const coord = client(env.url, w.coordinator);
  const created = await coord.post('/api/v1/cases', caseBody({ claims: CLAIMS, ...over }));
  expect(created.status).toBe(201);
  expect((await coord.post(`/api/v1/cases/${created.body.id}/accept`, {})).status).toBe(200);
  expect(
    (await coord.post(`/api/v1/cases/${created.body.id}/assign`, { mediatorId: w.mediatorId })).status,
  ).toBe(200);
  return created.body.id;
}

async function tally() {
  const r = await env.db.query(
    `SELECT (SELECT count(*) FROM agreements)::int AS agreements, (SELECT count(*) FROM agreement_items)::int AS items,
            (SELECT count(*) FROM instalments)::int AS instalments, (SELECT count(*) FROM payments)::int AS payments,
            (SELECT count(*) FROM case_events)::int AS events, (SELECT sum(version) FROM cases)::int AS versions`,
  );
  return r.rows[0];
}

const agreement = {
  signedAt: '2026-03-10T15:00:00+08:00',
  signatures: {
    worker: '2026-03-10T15:00:00+08:00',
    employer: '2026-03-10T15:05:00+08:00',
    mediator: '2026-03-10T15:10:00+08:00',
    committeeSeal: '2026-03-11T09:30:00+08:00',
  },
  items: [
    { claimType: 'wage_arrears', amountFen: 1000000 },
    { claimType: 'economic_compensation', amountFen: 500050, description: '按工作年限协商' },
  ],
  instalments: [
    { dueOn: '2026-04-30', amountFen: 500050 },
    { dueOn: '2026-03-31', amountFen: 1000000 },
  ],
  accelerationOnDefault: true,
  paidAtSigning: false,
  otherTerms: '被申请人为申请人出具离职证明。',
};

describe('the whole path', () => {
  it('takes a case from intake to closed/settled through a session, an agreement and two payments', async () => {
    const coord = client(env.url, w.coordinator);
    const med = client(env.url, w.mediator);
    const created = await coord.post('/api/v1/cases', caseBody({ claims: CLAIMS }));
    const id = created.body.id;
    expect((await coord.post(`/api/v1/cases/${id}/accept`, {})).body.status).toBe('accepted');
    expect((await coord.post(`/api/v1/cases/${id}/assign`, { mediatorId: w.mediatorId })).body.status).toBe(
      'in_mediation',
    );
    const s = await med.post(`/api/v1/cases/${id}/sessions`, {
      startsAt: '2026-03-10T14:00:00+08:00',
      durationMinutes: 60,
      mode: 'in_person',
      location: '调解室一',
    });
    expect(s.status).toBe(201);
    const rec = await med.post(`/api/v1/cases/${id}/sessions/${s.body.id}/record`, {
      attendees: ['worker', 'employer'],
      notes: '达成一致',
      outcome: 'agreement',
      endedAt: '2026-03-10T14:55:00+08:00',
    });
    expect(rec.status).toBe(200);

    const a = await med.post(`/api/v1/cases/${id}/agreement`, agreement, { headers: { 'if-match': '5' } });
    expect(a.status).toBe(201);
    expect(a.body.case).toEqual({ id, status: 'performing', closureReason: null, version: 6 });
    expect(a.body).toMatchObject({
      signedOn: '2026-03-10',
      // Effective when the last of the four is on it: the committee's seal the next morning.
      effectiveAt: '2026-03-11T01:30:00.000Z',
      accelerationOnDefault: true,
      paidAtSigning: false,
      otherTerms: agreement.otherTerms,
      totals: { agreedFen: 1500050, paidFen: 0, outstandingFen: 1500050 },
    });
    expect(a.body.items.map((i: any) => [i.claimType, i.amountFen])).toEqual([
      ['wage_arrears', 1000000],
      ['economic_compensation', 500050],
    ]);
    // Numbered in due order, whatever order they were given in.
    expect(a.body.instalments.map((i: any) => [i.seq, i.dueOn, i.amountFen])).toEqual([
      [1, '2026-03-31', 1000000],
      [2, '2026-04-30', 500050],
    ]);

    const p1 = await coord.post(`/api/v1/cases/${id}/payments`, { amountFen: 1000000, paidOn: '2026-03-30' });
    expect(p1.status).toBe(201);
    expect(p1.body.case).toMatchObject({ status: 'performing', version: 7 });
    expect(p1.body.totals).toMatchObject({ paidFen: 1000000, outstandingFen: 500050 });
    const p2 = await med.post(`/api/v1/cases/${id}/payments`, {
      amountFen: 500050,
      paidOn: '2026-04-28',
      note: '银行转账',
    });
    expect(p2.status).toBe(201);
    expect(p2.body.case).toEqual({ id, status: 'closed', closureReason: 'settled', version: 8 });

    const ledger = await coord.get(`/api/v1/cases/${id}/agreement`);
    expect(ledger.body.totals).toEqual({
      agreedFen: 1500050,
      paidFen: 1500050,
      outstandingFen: 0,
      overdueFen: 0,
    });
    expect(ledger.body.nextInstalment).toBeNull();
    const events = await coord.get(`/api/v1/cases/${id}/events`);
    expect(events.body.items.map((e: any) => [e.action, e.toStatus, e.closureReason])).toEqual([
      ['intake', 'submitted', null],
      ['accept', 'accepted', null],
      ['assign', 'in_mediation', null],
      ['schedule_session', 'in_mediation', null],
      ['record_session', 'in_mediation', null],
      ['record_agreement', 'performing', null],
      ['record_payment', 'performing', null],
      ['record_payment', 'closed', 'settled'],
    ]);
    const recorded = events.body.items[5].payload;
    expect(recorded).toMatchObject({ totalFen: 1500050, effectiveAt: '2026-03-11T01:30:00.000Z' });
    expect(recorded.instalments.map((i: any) => i.dueOn)).toEqual(['2026-03-31', '2026-04-30']);
    const detail = await coord.get(`/api/v1/cases/${id}`);
    expect(detail.body).toMatchObject({ status: 'closed', closureReason: 'settled', version: 8 });
  });
});

describe('recording the agreement', () => {
  it('refuses instalments that do not add up or fall before signing, and every other bad field, writing nothing', async () => {
    const id = await caseInMediation();
    const med = client(env.url, w.mediator);
    const before = await tally();
    const bad: Array<[Record<string, unknown>, string[]]> = [
      [
        {
          ...agreement,
          instalments: [
            { dueOn: '2026-03-31', amountFen: 1000000 },
            { dueOn: '2026-04-30', amountFen: 500000 },
          ],
        },
        ['instalments'],
      ],
      [
        {
          ...agreement,
          instalments: [
            { dueOn: '2026-03-31', amountFen: 1000000 },
            { dueOn: '2026-03-09', amountFen: 500050 },
          ],
        },
        ['instalments.1.dueOn'],
      ],
      // The signing date is the Asia/Shanghai date: 2026-03-10 00:30 +08:00 is still 03-09 in UTC.
      [
        {
          ...agreement,
          signedAt: '2026-03-09T16:30:00Z',
          signatures: undefined,
          instalments: [
            { dueOn: '2026-03-09', amountFen: 1000000 },
            { dueOn: '2026-03-10', amountFen: 500050 },
          ],
        },
        ['instalments.0.dueOn'],
      ],
      [{ ...agreement, instalments: undefined }, ['instalments']],
      [{ ...agreement, instalments: [{ dueOn: '2026-03-31', amountFen: 0 }] }, ['instalments.0.amountFen']],
      [{ ...agreement, items: [{ claimType: 'damages', amountFen: 1500050 }] }, ['items.0.claimType']],
      [{ ...agreement, items: [{ claimType: 'bonus', amountFen: 1500050 }] }, ['items.0.claimType']],
      [{ ...agreement, items: [{ claimType: 'wage_arrears', amountFen: -1 }] }, ['items.0.amountFen']],
      [{ ...agreement, items: [{ claimType: 'wage_arrears', amountFen: 10.5 }] }, ['items.0.amountFen']],
      [{ ...agreement, items: [] }, ['items']],
      [
        { ...agreement, signedAt: '2099-03-10T15:00:00+08:00', signatures: undefined },
        ['signedAt', 'instalments.0.dueOn', 'instalments.1.dueOn'],
      ],
      [{ ...agreement, signedAt: '2026-03-01T15:00:00+08:00', signatures: undefined }, ['signedAt']],
      [
        { ...agreement, signatures: { ...agreement.signatures, worker: '2026-03-10T14:00:00+08:00' } },
        ['signatures.worker'],
      ],
      [
        { ...agreement, signatures: { worker: agreement.signedAt } },
        ['signatures.employer', 'signatures.mediator', 'signatures.committeeSeal'],
      ],
      [{ ...agreement, signatures: [] }, ['signatures']],
      [{ ...agreement, signatures: '2026-03-10T15:00:00+08:00' }, ['signatures']],
      [{ ...agreement, items: [[]] }, ['items']],
      [{ ...agreement, instalments: ['2026-03-31'] }, ['instalments', 'instalments.0']],
      [{ ...agreement, paidAtSigning: 'no' }, ['paidAtSigning']],
      [{ ...agreement, courtConfirmed: true }, ['courtConfirmed']],
    ];
    for (const [body, fields] of bad) {
      const r = await med.post(`/api/v1/cases/${id}/agreement`, body);
      expect({ body, status: r.status }).toEqual({ body, status: 400 });
      expect([...new Set(r.body.errors.map((e: any) => e.field))].sort()).toEqual([...fields].sort());
    }
    const sum = await med.post(`/api/v1/cases/${id}/agreement`, bad[0][0]);
    expect(sum.body.errors[0].message).toBe(
      'must add up to the items’ total of 1500050 fen; they add up to 1500000 fen',
    );
    expect(await tally()).toEqual(before);
  });

  it('is the assigned mediator’s, once', async () => {
    const id = await caseInMediation();
    const before = await tally();
    const byCoordinator = await client(env.url, w.coordinator).post(
      `/api/v1/cases/${id}/agreement`,
      agreement,
    );
    expect(byCoordinator.status).toBe(403);
    const byLiaison = await client(env.url, w.liaison).post(`/api/v1/cases/${id}/agreement`, agreement);
    expect(byLiaison.status).toBe(403);
    expect(await tally()).toEqual(before);
    const med = client(env.url, w.mediator);
    expect((await med.post(`/api/v1/cases/${id}/agreement`, agreement)).status).toBe(201);
    const again = await med.post(`/api/v1/cases/${id}/agreement`, agreement);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'INVALID_TRANSITION', currentStatus: 'performing' });
  });

  it('without signatures takes effect at signedAt', async () => {
    const id = await caseInMediation();
    const r = await client(env.url, w.mediator).post(`/api/v1/cases/${id}/agreement`, {
      ...agreement,
      signatures: undefined,
    });
    expect(r.status).toBe(201);
    expect(r.body.effectiveAt).toBe('2026-03-10T07:00:00.000Z');
    expect(r.body.signatures).toEqual({
      worker: '2026-03-10T07:00:00.000Z',
      employer: '2026-03-10T07:00:00.000Z',
      mediator: '2026-03-10T07:00:00.000Z',
      committeeSeal: '2026-03-10T07:00:00.000Z',
    });
  });

  it('paid at signing closes the case as settled and shows the payment on the ledger', async () => {
    const id = await caseInMediation();
    const r = await client(env.url, w.mediator).post(`/api/v1/cases/${id}/agreement`, {
      signedAt: '2026-03-12T10:00:00+08:00',
      items: [{ claimType: 'wage_arrears', amountFen: 1200000 }],
      paidAtSigning: true,
    });
    expect(r.status).toBe(201);
    expect(r.body.case).toMatchObject({ status: 'closed', closureReason: 'settled' });
    expect(r.body.totals).toEqual({ agreedFen: 1200000, paidFen: 1200000, outstandingFen: 0, overdueFen: 0 });
    expect(r.body.instalments).toEqual([
      expect.objectContaining({
        seq: 1,
        dueOn: '2026-03-12',
        amountFen: 1200000,
        paidFen: 1200000,
        status: 'paid',
      }),
    ]);
    expect(r.body.payments).toEqual([
      expect.objectContaining({ amountFen: 1200000, paidOn: '2026-03-12', source: 'at_signing' }),
    ]);
    const events = await client(env.url, w.coordinator).get(`/api/v1/cases/${id}/events`);
    expect(events.body.items.at(-1)).toMatchObject({
      action: 'record_agreement',
      fromStatus: 'in_mediation',
      toStatus: 'closed',
      closureReason: 'settled',
    });
    const pay = await client(env.url, w.coordinator).post(`/api/v1/cases/${id}/payments`, {
      amountFen: 1,
      paidOn: '2026-03-13',
    });
    expect(pay.status).toBe(409);
  });

  it('answers 404 for a case without an agreement, and for a case out of scope', async () => {
    const id = await caseInMediation();
    expect((await client(env.url, w.coordinator).get(`/api/v1/cases/${id}/agreement`)).status).toBe(404);
    expect((await client(env.url, w.coordinator).get(`/api/v1/cases/${id}/agreement.pdf`)).status).toBe(404);
    await client(env.url, w.mediator).post(`/api/v1/cases/${id}/agreement`, agreement);
    expect((await client(env.url, w.otherCoordinator).get(`/api/v1/cases/${id}/agreement`)).status).toBe(404);
    expect((await client(env.url, w.otherCoordinator).get(`/api/v1/cases/${id}/agreement.pdf`)).status).toBe(
      404,
    );
  });
});

describe('the agreement document', () => {
  it('is a PDF naming the parties, the items in figures and capitals, and the schedule', async () => {
    const id = await caseInMediation();
    expect((await client(env.url, w.mediator).post(`/api/v1/cases/${id}/agreement`, agreement)).status).toBe(
      201,
    );
    const res = await fetch(`${env.url}/api/v1/cases/${id}/agreement.pdf`, {
      headers: { authorization: `Bearer ${w.mediator}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const pdf = Buffer.from(await res.arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    if (process.env.AGREEMENT_PDF_OUT) writeFileSync(process.env.AGREEMENT_PDF_OUT, pdf);

    // Compare without the line breaks and spaces the layout puts into long lines.
    const text = (await pdfText(pdf)).replace(/\s+/g, '');
    const detail = (await client(env.url, w.coordinator).get(`/api/v1/cases/${id}`)).body;
    for (const expected of [
      '调解协议书',
      detail.caseNo,
      '长沙市总工会劳动争议人民调解委员会',
      '王小明',
      detail.worker.idNumber, // masked: 430102********NNNN
      '某某快递有限公司',
      '91350100M000100Y43',
      '快递员',
      '用人单位拖欠工资三个月。',
      '拖欠劳动报酬（工资）',
      '经济补偿：按工作年限协商',
      '¥10,000.00',
      '人民币壹万元整',
      '¥5,000.50',
      '人民币伍仟元零伍角',
      '¥15,000.50',
      '人民币壹万伍仟元零伍角',
      '第1期',
      '2026年3月31日',
      '第2期',
      '2026年4月30日',
      '其余未付款项视为全部到期',
      '被申请人为申请人出具离职证明。',
      '协议签订日期：2026年3月10日',
      '协议生效日期：2026年3月11日',
      '申请人（劳动者）：',
      '调解员：',
      '人民调解委员会（印章）：',
    ]) {
      expect(text).toContain(expected);
    }
    expect(detail.worker.idNumber).toMatch(/^430102\*{8}\d{3}[\dX]$/);
    // The full ID number is never printed on the draft.
    const full = await env.db.query(`SELECT worker_id_masked FROM cases WHERE id = $1`, [id]);
    expect(full.rows[0].worker_id_masked).toBe(detail.worker.idNumber);
    expect(text).not.toMatch(/430102199001\d{6}/);
    expect(text.indexOf('2026年3月31日')).toBeLessThan(text.indexOf('2026年4月30日'));

    const liaisonRes = await request(env.url, 'GET', `/api/v1/cases/${id}/agreement.pdf`, {
      token: w.liaison,
    });
    expect(liaisonRes.status).toBe(404); // a walk-in case: no court sent it
  });
});
