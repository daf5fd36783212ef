/**
 * The periodic two-way report (SPEC §7, §11 GET /reports/summary): figures against a seeded data set with known
 * answers (thousands of past cases entered with generate_series, a few through the API), JSON and CSV alike;
 * who sees which committee's report; bad input; and the monthly publication run by hand with a chosen "now".
 */
import { getQueueToken } from '@nestjs/bullmq';
import type { INestApplicationContext } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { CASE_SOURCES, CLAIM_TYPES } from '../../src/common/domain';
import { fenToYuan } from '../../src/reports/report-csv';
import {
  MONTHLY_REPORT_JOB,
  MONTHLY_REPORT_SCHEDULER_ID,
  ReportPublisher,
  ReportsProcessor,
} from '../../src/reports/report-publisher';
import { REPORTS_QUEUE } from '../../src/reports/reports.module';
import { startApi, startWorker, TestEnv } from '../support/app';
import { deletePrefixKeys, localDay } from '../support/deadlines';
import { caseBody, seedWorld, World } from '../support/fixtures';
import { expectProblem, fieldsOf } from '../support/foundation';
import { client, type Res } from '../support/http';

let env: TestEnv;
let w: World;
let worker: INestApplicationContext | null = null;

const N = 3000;
const ORIGIN_SOURCES = ['court_delegated', 'court_entrusted', 'arbitration_transfer'];
/** Days from the application to the agreement's signing, by i % 10 (see the seed). */
const AGREEMENT_DAYS: Record<number, number> = { 4: 10, 5: 12, 6: 14, 7: 20 };

beforeAll(async () => {
  // SMTP configured (nothing listens there): report e-mails are rendered with their attachment.
  env = await startApi({ SMTP_URL: 'smtp://127.0.0.1:9', DELIVERY_BACKOFF_MS: '600000' });
  w = await seedWorld(env);
  await env.db.query(`UPDATE users SET email = 'observer1@arbitration.example' WHERE username = 'observer1'`);
  await seedNovember2025();
}, 60_000);
afterAll(async () => {
  await worker?.close();
  if (env) await deletePrefixKeys(env.config);
  await env?.close();
});

/**
 * November 2025 for CSZGH, entered as past facts: case i (1…N) is received on 2025-11-(1 + (i-1) % 10) at 09:00
 * Shanghai time from source i % 6, claims 1000.00 + (i % 7) × 10.00 yuan of claim type i % 9, and by r = i % 10:
 * 0 rejected, 1 refused by the employer (both the next day); 2…9 accepted the next day, then 2 failed on day 5
 * (returned to origin when court- or arbitration-sent, else referred to arbitration), 3 withdrawn in mediation on
 * day 3, 4…7 an agreement of 800.00 yuan signed after 10, 12, 14, 20 days (15:00); 4 paid in full at signing
 * (settled the next day), 5 paid 300.00 at signing and 100.00 in December; 8, 9 still in mediation. The mediation
 * deadline ends 16 days after the day of receipt at 00:00 (a superseded earlier one of r = 7 ended later).
 * Referrals: a judicial confirmation (confirmed) for i % 20 = 5, a payment order for i % 20 = 6 (sent when
 * i % 40 = 6, order issued when i % 40 = 26). Agency outcomes: an award of 500.00 for i % 30 = 2 recorded on
 * day 25, except i % 60 = 32 recorded in December.
 */
async function seedNovember2025(): Promise<void> {
  const q = (sql: string, params: unknown[] = []) => env.db.query(sql, params);
  const recv = `(('2025-11-01 09:00'::timestamp + ((s.i + 9) % 10) * interval '1 day') AT TIME ZONE 'Asia/Shanghai')`;
  const series = `generate_series(1, ${N}) s(i) JOIN cases c ON c.case_no = 'CSZGH-2025-' || lpad(s.i::text, 5, '0')`;
  const signed = `(${recv} + ((ARRAY[0,0,0,0,10,12,14,20,0,0])[s.i % 10 + 1]) * interval '1 day' + interval '6 hours')`;
  await q(
    `INSERT INTO cases (case_no, committee_id, status, closure_reason, source, origin_organisation_id,
       application_received_at, access_code_hash, worker_name, worker_id_type, worker_id_cipher, worker_id_index,
       worker_id_masked, worker_phone, employer_name, employer_key, employment_start_date, claimed_total_fen)
     SELECT 'CSZGH-2025-' || lpad(s.i::text, 5, '0'), $1,
            (ARRAY['closed','closed','closed','closed','closed','performing',
                   CASE WHEN s.i % 20 = 6 THEN 'referred' ELSE 'defaulted' END,'performing','in_mediation','in_mediation'])
              [s.i % 10 + 1]::case_status,
            (ARRAY['rejected','respondent_refused',
                   CASE WHEN s.i % 6 IN (3, 4, 5) THEN 'returned_to_origin' ELSE 'mediation_failed' END,
                   'withdrawn','settled',NULL,NULL,NULL,NULL,NULL])[s.i % 10 + 1]::closure_reason,
            src::case_source,
            CASE WHEN src IN ('court_delegated','court_entrusted') THEN $2::uuid
                 WHEN src = 'arbitration_transfer' THEN $3::uuid END,
            ${recv}, 'x', '工人' || s.i, 'resident_id', 'x', 'idx' || s.i, '430102********0000', '13800138000',
            '用人单位' || s.i, 'C:' || s.i, '2020-01-01', 100000 + (s.i % 7) * 1000
       FROM generate_series(1, ${N}) s(i),
            LATERAL (SELECT (ARRAY['walk_in','hotline','online','court_delegated','court_entrusted','arbitration_transfer'])
                              [s.i % 6 + 1] AS src) x`,
    [w.committeeId, w.courtId, w.arbitrationId],
  );
  await q(
    `INSERT INTO case_claims (case_id, position, type, amount_fen)
     SELECT c.id, 1, (ARRAY['wage_arrears','economic_compensation','work_injury_medical','work_injury_benefits',
              'damages','social_insurance','labour_relationship','welfare','other'])[s.i % 9 + 1]::claim_type,
            c.claimed_total_fen
       FROM ${series}`,
  );
  const event = (
    action: string,
    from: string | null,
    to: string,
    closure: string,
    at: string,
    where: string,
    payload = `'{}'::jsonb`,
  ) =>
    q(
      `INSERT INTO case_events (case_id, at, actor_kind, action, from_status, to_status, closure_reason, payload)
       SELECT c.id, ${at}, 'user', '${action}', ${from === null ? 'NULL' : `'${from}'`}, '${to}', ${closure}, ${payload}
         FROM ${series} WHERE ${where}`,
    );
  await event('intake', null, 'submitted', 'NULL', recv, 'true');
  await event(
    'reject',
    'submitted',
    'closed',
    `CASE WHEN s.i % 10 = 0 THEN 'rejected' ELSE 'respondent_refused' END::closure_reason`,
    `${recv} + interval '1 day'`,
    's.i % 10 IN (0, 1)',
  );
  await event('accept', 'submitted', 'accepted', 'NULL', `${recv} + interval '1 day'`, 's.i % 10 >= 2');
  await event('assign', 'accepted', 'in_mediation', 'NULL', `${recv} + interval '25 hours'`, 's.i % 10 >= 2');
  await event(
    'fail',
    'in_mediation',
    'closed',
    'c.closure_reason',
    `${recv} + interval '5 days'`,
    's.i % 10 = 2',
    `jsonb_build_object('referTo', CASE WHEN c.closure_reason = 'returned_to_origin' THEN 'origin' ELSE 'arbitration' END)`,
  );
  await event(
    'withdraw',
    'in_mediation',
    'closed',
    `'withdrawn'`,
    `${recv} + interval '3 days'`,
    's.i % 10 = 3',
  );
  await event(
    'record_agreement',
    'in_mediation',
    'performing',
    'NULL',
    `${signed} + interval '1 hour'`,
    's.i % 10 BETWEEN 4 AND 7',
  );
  await event(
    'record_payment',
    'performing',
    'closed',
    `'settled'`,
    `${signed} + interval '1 day'`,
    's.i % 10 = 4',
  );
  await event(
    'refer_judicial_confirmation',
    'performing',
    'performing',
    'NULL',
    `${signed} + interval '1 day'`,
    's.i % 20 = 5',
  );
  await event(
    'refer_payment_order',
    'defaulted',
    'referred',
    'NULL',
    `${signed} + interval '2 days'`,
    's.i % 20 = 6',
  );

  const recvDay = `(${recv} AT TIME ZONE 'Asia/Shanghai')::date`;
  await q(
    `INSERT INTO deadlines (case_id, kind, start_date, period_unit, period_length, last_day, due_at, legal_basis, status,
                            created_at)
     SELECT c.id, 'mediation', ${recvDay}, 'days', 15, ${recvDay} + 15,
            ((${recvDay} + 16)::timestamp AT TIME ZONE 'Asia/Shanghai'), 'LDMAL art. 14',
            (CASE WHEN s.i % 10 = 7 THEN 'fired' WHEN s.i % 10 >= 8 THEN 'pending' ELSE 'met' END)::deadline_status,
            ${recv} + interval '1 day'
       FROM ${series} WHERE s.i % 10 >= 2`,
  );
  // A superseded period of r = 7 that would have ended later: only the current one counts.
  await q(
    `INSERT INTO deadlines (case_id, kind, start_date, period_unit, period_length, last_day, due_at, legal_basis, status,
                            created_at)
     SELECT c.id, 'mediation', ${recvDay}, 'days', 45, ${recvDay} + 45,
            ((${recvDay} + 46)::timestamp AT TIME ZONE 'Asia/Shanghai'), 'LDMAL art. 14', 'superseded',
            ${recv} + interval '2 days'
       FROM ${series} WHERE s.i % 10 = 7`,
  );
  await q(
    `INSERT INTO agreements (case_id, signed_at, signed_on, worker_signed_at, employer_signed_at, mediator_signed_at,
                             committee_sealed_at, effective_at, total_fen, paid_at_signing)
     SELECT c.id, ${signed}, (${signed} AT TIME ZONE 'Asia/Shanghai')::date, ${signed}, ${signed}, ${signed}, ${signed},
            ${signed}, 80000, s.i % 10 = 4
       FROM ${series} WHERE s.i % 10 BETWEEN 4 AND 7`,
  );
  await q(
    `INSERT INTO agreement_items (agreement_id, case_id, position, claim_type, amount_fen)
     SELECT a.id, a.case_id, 1, cl.type, 80000 FROM agreements a JOIN case_claims cl ON cl.case_id = a.case_id
      WHERE a.case_id IN (SELECT id FROM cases WHERE committee_id = $1)`,
    [w.committeeId],
  );
  await q(
    `INSERT INTO payments (case_id, agreement_id, amount_fen, paid_on, source)
     SELECT a.case_id, a.id, CASE WHEN s.i % 10 = 4 THEN 80000 ELSE 30000 END, a.signed_on, 'at_signing'
       FROM ${series} JOIN agreements a ON a.case_id = c.id WHERE s.i % 10 IN (4, 5)
     UNION ALL
     SELECT a.case_id, a.id, 10000, '2025-12-03', 'ledger'
       FROM ${series} JOIN agreements a ON a.case_id = c.id WHERE s.i % 10 = 5`,
  );
  await q(
    `INSERT INTO referrals (case_id, committee_id, kind, status, court_id, court_competent, packet, created_at)
     SELECT c.id, $1, CASE WHEN s.i % 20 = 5 THEN 'judicial_confirmation' ELSE 'payment_order' END,
            CASE WHEN s.i % 20 = 5 THEN 'confirmed' WHEN s.i % 40 = 6 THEN 'sent' ELSE 'order_issued' END,
            $2, true, '{}', ${signed} + (CASE WHEN s.i % 20 = 5 THEN 1 ELSE 2 END) * interval '1 day'
       FROM ${series} WHERE s.i % 20 IN (5, 6)`,
    [w.committeeId, w.courtId],
  );
  await q(
    `INSERT INTO agency_outcomes (case_id, organisation_id, kind, decided_on, amount_awarded_fen, created_at)
     SELECT c.id, $1, 'arbitration_award', '2025-11-20', 50000,
            CASE WHEN s.i % 60 = 32 THEN '2025-12-05T10:00:00+08:00'::timestamptz ELSE ${recv} + interval '25 days' END
       FROM ${series} WHERE s.i % 30 = 2`,
    [w.arbitrationId],
  );
  // The edges of the month in Shanghai time, and another committee's case.
  await q(
    `INSERT INTO cases (case_no, committee_id, status, source, application_received_at, access_code_hash, worker_name,
       worker_id_type, worker_id_cipher, worker_id_index, worker_id_masked, worker_phone, employer_name, employer_key,
       employment_start_date, claimed_total_fen)
     SELECT no, k, 'submitted', 'walk_in', at, 'x', '工人', 'resident_id', 'x', no, '430102********0000', '13800138000',
            '用人单位', 'C:' || no, '2020-01-01', 1000
       FROM (VALUES ('CSZGH-2025-09001', $1::uuid, '2025-10-31T23:59:59.999+08:00'::timestamptz),
                    ('CSZGH-2025-09002', $1, '2025-11-01T00:00:00+08:00'),
                    ('CSZGH-2025-09003', $1, '2025-11-30T23:59:59.999+08:00'),
                    ('CSZGH-2025-09004', $1, '2025-12-01T00:00:00+08:00'),
                    ('ZZZGH-2025-00001', $2, '2025-11-15T10:00:00+08:00')) v(no, k, at)`,
    [w.committeeId, w.otherCommitteeId],
  );
  await q(
    `INSERT INTO case_claims (case_id, position, type, amount_fen)
     SELECT id, 1, 'other', 1000 FROM cases WHERE case_no LIKE '%-0900_' OR case_no = 'ZZZGH-2025-00001'`,
  );
}

/** The report the seed's rules give for November 2025, worked out here case by case. */
function expectedNovember() {
  const bySource = Object.fromEntries(CASE_SOURCES.map((s) => [s, 0]));
  const byClaimType = Object.fromEntries(
    CLAIM_TYPES.map((t) => [t, { cases: 0, claimedFen: 0, agreedFen: 0 }]),
  );
  const e = {
    received: 0,
    accepted: 0,
    rejected: 0,
    respondentRefused: 0,
    agreementsSigned: 0,
    settled: 0,
    failed: 0,
    failedReferredToArbitration: 0,
    returnedToOrigin: 0,
    withdrawn: 0,
    po: 0,
    jc: 0,
    claimedFen: 0,
    agreedFen: 0,
    paidFen: 0,
    concluded: 0,
    within: 0,
    days: [] as number[],
    poStatus: { sent: 0, order_issued: 0 },
    jcConfirmed: 0,
    outcomes: 0,
    awardedFen: 0,
  };
  for (let i = 1; i <= N; i++) {
    const r = i % 10;
    const source = CASE_SOURCES[i % 6];
    const type = CLAIM_TYPES[i % 9];
    const claimed = 100000 + (i % 7) * 1000;
    e.received += 1;
    bySource[source] += 1;
    e.claimedFen += claimed;
    byClaimType[type].cases += 1;
    byClaimType[type].claimedFen += claimed;
    if (r <= 1) {
      e.rejected += 1;
      if (r === 1) e.respondentRefused += 1;
      continue;
    }
    e.accepted += 1;
    if (r === 2) {
      e.failed += 1;
      if (ORIGIN_SOURCES.includes(source)) e.returnedToOrigin += 1;
      else e.failedReferredToArbitration += 1;
      if (i % 30 === 2 && i % 60 !== 32) {
        e.outcomes += 1;
        e.awardedFen += 50000;
      }
    }
    if (r === 3) e.withdrawn += 1;
    if (r >= 2 && r <= 7) {
      e.concluded += 1;
      if (r !== 7) e.within += 1;
    }
    if (r >= 4 && r <= 7) {
      e.agreementsSigned += 1;
      e.agreedFen += 80000;
      byClaimType[type].agreedFen += 80000;
      e.days.push(AGREEMENT_DAYS[r]);
    }
    if (r === 4) {
      e.settled += 1;
      e.paidFen += 80000;
    }
    if (r === 5) e.paidFen += 30000;
    if (i % 20 === 5) {
      e.jc += 1;
      e.jcConfirmed += 1;
    }
    if (i % 20 === 6) {
      e.po += 1;
      e.poStatus[i % 40 === 6 ? 'sent' : 'order_issued'] += 1;
    }
  }
  // The two edge cases inside the month (00:00:00 on the 1st, 23:59:59.999 on the 30th).
  e.received += 2;
  bySource.walk_in += 2;
  e.claimedFen += 2000;
  byClaimType.other.cases += 2;
  byClaimType.other.claimedFen += 2000;
  const sorted = [...e.days].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  return {
    cases: {
      received: e.received,
      receivedBySource: bySource,
      accepted: e.accepted,
      rejected: e.rejected,
      respondentRefused: e.respondentRefused,
      agreementsSigned: e.agreementsSigned,
      settled: e.settled,
      failed: e.failed,
      failedReferredToArbitration: e.failedReferredToArbitration,
      returnedToOrigin: e.returnedToOrigin,
      withdrawn: e.withdrawn,
      referred: e.po + e.jc,
      referredByKind: { payment_order: e.po, judicial_confirmation: e.jc },
    },
    amounts: { claimedFen: e.claimedFen, agreedFen: e.agreedFen, paidFen: e.paidFen },
    mediationDeadline: {
      concluded: e.concluded,
      withinDeadline: e.within,
      share: Math.round((e.within / e.concluded) * 10000) / 10000,
    },
    medianDaysToAgreement: (sorted[mid - 1] + sorted[mid]) / 2,
    referralOutcomes: {
      payment_order: { total: e.po, byStatus: expect.objectContaining({ ...e.poStatus, paid: 0 }) },
      judicial_confirmation: {
        total: e.jc,
        byStatus: {
          sent: 0,
          acknowledged: 0,
          accepted: 0,
          rejected: 0,
          confirmed: e.jcConfirmed,
          refused: 0,
        },
      },
    },
    agencyOutcomes: {
      total: e.outcomes,
      byKind: {
        arbitration_award: e.outcomes,
        arbitration_mediation: 0,
        court_mediation: 0,
        judgment: 0,
        withdrawal: 0,
        other: 0,
      },
      amountAwardedFen: e.awardedFen,
    },
    byClaimType,
  };
}

/** RFC 4180 as the service writes it: BOM, CRLF, fields quoted when needed. */
function parseCsv(body: Buffer): string[][] {
  const text = body.toString('utf8');
  expect(text.charCodeAt(0)).toBe(0xfeff);
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let k = 1; k < text.length; k++) {
    const ch = text[k];
    if (quoted) {
      if (ch === '"' && text[k + 1] === '"') {
        field += '"';
        k++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[k + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      k++;
    } else field += ch;
  }
  expect(field).toBe('');
  return rows;
}

async function getCsv(token: string, path: string): Promise<{ res: Response; body: Buffer }> {
  const res = await fetch(env.url + path, { headers: { authorization: `Bearer ${token}` } });
  return { res, body: Buffer.from(await res.arrayBuffer()) };
}

const summary = (token: string, query: string): Promise<Res> =>
  client(env.url, token).get(`/api/v1/reports/summary?${query}`);

/** The CSV's (section, item) → value, and the figures it must carry for a JSON report. */
function csvMap(rows: string[][]): Map<string, string> {
  expect(rows[0]).toEqual(['分类', '项目', '数值']);
  for (const r of rows) expect(r).toHaveLength(3);
  return new Map(rows.slice(1).map(([s, i, v]) => [`${s}|${i}`, v]));
}

function expectCsvMatches(map: Map<string, string>, json: any): void {
  const c = json.cases;
  expect({
    received: map.get('案件|收到申请'),
    walkIn: map.get('案件来源|来访'),
    courtDelegated: map.get('案件来源|法院诉前委派'),
    accepted: map.get('案件|受理'),
    rejected: map.get('案件|不予受理'),
    refused: map.get('案件|其中：用人单位不同意调解'),
    agreements: map.get('案件|达成调解协议'),
    settled: map.get('案件|履行完毕结案'),
    failed: map.get('案件|调解不成'),
    returned: map.get('案件|其中：退回原委派委托机关'),
    withdrawn: map.get('案件|撤回申请'),
    referred: map.get('案件|移送法院'),
    claimed: map.get('金额（元）|申请金额'),
    agreed: map.get('金额（元）|协议金额'),
    paid: map.get('金额（元）|实际履行金额'),
    concluded: map.get('调解期限|调解结束案件'),
    within: map.get('调解期限|期限内结束'),
    median: map.get('调解用时|达成协议天数中位数'),
    awards: map.get('机构反馈结果|仲裁裁决'),
    wageCases: map.get('请求类型：拖欠工资|案件数'),
    wageAgreed: map.get('请求类型：拖欠工资|协议金额（元）'),
  }).toEqual({
    received: String(c.received),
    walkIn: String(c.receivedBySource.walk_in),
    courtDelegated: String(c.receivedBySource.court_delegated),
    accepted: String(c.accepted),
    rejected: String(c.rejected),
    refused: String(c.respondentRefused),
    agreements: String(c.agreementsSigned),
    settled: String(c.settled),
    failed: String(c.failed),
    returned: String(c.returnedToOrigin),
    withdrawn: String(c.withdrawn),
    referred: String(c.referred),
    claimed: fenToYuan(json.amounts.claimedFen),
    agreed: fenToYuan(json.amounts.agreedFen),
    paid: fenToYuan(json.amounts.paidFen),
    concluded: String(json.mediationDeadline.concluded),
    within: String(json.mediationDeadline.withinDeadline),
    median: json.medianDaysToAgreement === null ? '' : String(json.medianDaysToAgreement),
    awards: String(json.agencyOutcomes.byKind.arbitration_award),
    wageCases: String(json.byClaimType.wage_arrears.cases),
    wageAgreed: fenToYuan(json.byClaimType.wage_arrears.agreedFen),
  });
}

describe('a month with thousands of cases (November 2025, entered as past facts)', () => {
  const NOV = (id: string) => `committeeId=${id}&from=2025-11-01&to=2025-11-30`;

  it('answers the known figures as JSON, in SQL, quickly', async () => {
    const started = Date.now();
    const res = await summary(w.coordinator, 'from=2025-11-01&to=2025-11-30');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      committee: { id: w.committeeId, name: '长沙市总工会劳动争议人民调解委员会', code: 'CSZGH' },
      from: '2025-11-01',
      to: '2025-11-30',
      timeZone: 'Asia/Shanghai',
      ...expectedNovember(),
    });
    // Spot checks of the arithmetic above against the seed's rules.
    expect(res.body.cases.received).toBe(3002);
    expect(res.body.cases.receivedBySource.hotline).toBe(500);
    expect(res.body.mediationDeadline).toEqual({ concluded: 1800, withinDeadline: 1500, share: 0.8333 });
    expect(res.body.medianDaysToAgreement).toBe(13);
    expect(res.body.amounts.paidFen).toBe(300 * 80000 + 300 * 30000);
  });

  it('answers the same figures as CSV: UTF-8 with BOM, Chinese headers, a file name', async () => {
    const json = (await summary(w.coordinator, NOV(w.committeeId))).body;
    const { res, body } = await getCsv(
      w.coordinator,
      `/api/v1/reports/summary?${NOV(w.committeeId)}&format=csv`,
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="report-CSZGH-2025-11-01-2025-11-30.csv"; filename*=UTF-8''${encodeURIComponent(
        '定期通报-CSZGH-2025-11-01至2025-11-30.csv',
      )}`,
    );
    const map = csvMap(parseCsv(body));
    expect(map.get('报告|调解委员会')).toBe('长沙市总工会劳动争议人民调解委员会');
    expect(map.get('报告|统计期间')).toBe('2025-11-01 至 2025-11-30');
    expect(map.get('调解期限|期限内结束比例（%）')).toBe('83.33');
    expect(map.get('移送法院：支付令|已发出支付令')).toBe('75');
    expect(map.get('移送法院：司法确认|已确认')).toBe('150');
    expectCsvMatches(map, json);
  });

  it('counts a local day from 00:00 to 24:00 Shanghai time', async () => {
    const day = (d: string) => summary(w.coordinator, `from=${d}&to=${d}`);
    // 2025-11-01: the edge case at 00:00 and r = 1 (i % 10 = 1 is received on the 1st), not the one at 23:59:59.999 before.
    expect((await day('2025-11-01')).body.cases.received).toBe(N / 10 + 1);
    expect((await day('2025-10-31')).body.cases.received).toBe(1);
    expect((await day('2025-11-30')).body.cases.received).toBe(1);
    expect((await day('2025-12-01')).body.cases.received).toBe(1);
    // December: the late payments and the late outcome only.
    const dec = (await summary(w.coordinator, 'from=2025-12-01&to=2025-12-31')).body;
    expect(dec.amounts).toEqual({ claimedFen: 1000, agreedFen: 0, paidFen: 300 * 10000 });
    expect(dec.agencyOutcomes.total).toBe(N / 60);
    expect(dec.medianDaysToAgreement).toBeNull();
    expect(dec.mediationDeadline).toEqual({ concluded: 0, withinDeadline: 0, share: null });
  });

  it('is the partners’ to read: observers and liaisons of partner agencies, not others (404)', async () => {
    for (const token of [w.observer, w.liaison, w.admin]) {
      const res = await summary(token, NOV(w.committeeId));
      expect(res.status).toBe(200);
      expect(res.body.cases.received).toBe(3002);
    }
    // The other committee: one case that month; its partner court's liaison reads it, CSZGH's partners do not.
    expect((await summary(w.otherLiaison, NOV(w.otherCommitteeId))).body.cases.received).toBe(1);
    expect((await summary(w.otherCoordinator, 'from=2025-11-01&to=2025-11-30')).body.cases.received).toBe(1);
    for (const [token, id] of [
      [w.observer, w.otherCommitteeId],
      [w.liaison, w.otherCommitteeId],
      [w.otherLiaison, w.committeeId],
      [w.coordinator, w.otherCommitteeId],
      [w.otherCoordinator, w.committeeId],
      [w.admin, w.courtId],
      [w.admin, '00000000-0000-4000-8000-000000000000'],
    ]) {
      expectProblem(await summary(token, NOV(id)), 404, 'NOT_FOUND');
    }
    expectProblem(await summary(w.mediator, NOV(w.committeeId)), 403, 'FORBIDDEN');
    const anonymous = await client(env.url).get(`/api/v1/reports/summary?${NOV(w.committeeId)}`);
    expectProblem(anonymous, 401, 'UNAUTHORIZED');
  });
});

describe('bad input', () => {
  it.each([
    ['no committee for an admin', 'admin', 'from=2025-11-01&to=2025-11-30', ['committeeId']],
    ['no committee for an observer', 'observer', 'from=2025-11-01&to=2025-11-30', ['committeeId']],
    ['an impossible date', 'coordinator', 'from=2025-02-29&to=2025-03-31', ['from']],
    ['a date-time', 'coordinator', 'from=2025-11-01T00:00:00Z&to=2025-11-30', ['from']],
    ['no dates', 'coordinator', '', ['from', 'to']],
    ['to before from', 'coordinator', 'from=2025-11-02&to=2025-11-01', ['to']],
    ['367 days', 'coordinator', 'from=2024-01-01&to=2025-01-01', ['to']],
    ['an unknown format', 'coordinator', 'from=2025-11-01&to=2025-11-30&format=xlsx', ['format']],
    [
      'a committee id that is not a UUID',
      'coordinator',
      'committeeId=CSZGH&from=2025-11-01&to=2025-11-30',
      ['committeeId'],
    ],
    ['an unknown parameter', 'coordinator', 'from=2025-11-01&to=2025-11-30&status=closed', ['status']],
  ])('%s: 400 naming the field', async (_what, who, query, fields) => {
    const token = (w as any)[who] as string;
    const res = await summary(token, query);
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(fieldsOf(res)).toEqual(fields);
  });

  it('takes a whole leap year (366 days)', async () => {
    const res = await summary(w.coordinator, 'from=2024-01-01&to=2024-12-31');
    expect(res.status).toBe(200);
    expect(res.body.cases.received).toBe(0);
  });
});

describe('facts entered through the API', () => {
  it('are counted on the day they happen', async () => {
    const coord = client(env.url, w.coordinator);
    const now = Date.now();
    const at = (msAgo: number) => new Date(now - msAgo).toISOString();
    const intake = async (over: Record<string, any> = {}, token = w.coordinator) => {
      const r = await client(env.url, token).post(
        '/api/v1/cases',
        caseBody({ applicationReceivedAt: at(120_000), ...over }),
      );
      expect(r.status).toBe(201);
      return r.body.id as string;
    };
    const ok = async (p: Promise<Res>) => {
      const r = await p;
      expect([r.status, r.body?.code]).toEqual([r.status < 300 ? r.status : 200, undefined]);
      return r.body;
    };
    // Refused by the employer.
    const a = await intake();
    await ok(
      coord.post(`/api/v1/cases/${a}/reject`, { reason: '被申请人不同意调解', respondentRefused: true }),
    );
    // An agreement paid in full at signing: settled at once.
    const b = await intake({
      claims: [{ type: 'economic_compensation', amountFen: 600000, description: '经济补偿' }],
    });
    await ok(coord.post(`/api/v1/cases/${b}/accept`, {}));
    await ok(coord.post(`/api/v1/cases/${b}/assign`, { mediatorId: w.mediatorId }));
    await ok(
      client(env.url, w.mediator).post(`/api/v1/cases/${b}/agreement`, {
        signedAt: at(60_000),
        items: [{ claimType: 'economic_compensation', amountFen: 450000 }],
        paidAtSigning: true,
      }),
    );
    // Sent by the court, returned to it, and its judgment reported back.
    const c = await intake(
      { source: 'court_delegated', committeeId: w.committeeId, originReference: '(2026)湘0102民诉前调99号' },
      w.liaison,
    );
    await ok(coord.post(`/api/v1/cases/${c}/accept`, {}));
    await ok(coord.post(`/api/v1/cases/${c}/failure`, { reason: '调解不成', referTo: 'origin' }));
    const outcome = await client(env.url, w.liaison).post(`/api/v1/cases/${c}/agency-outcomes`, {
      kind: 'judgment',
      decidedOn: localDay(),
      amountAwardedFen: 1000000,
    });
    expect(outcome.status).toBe(201);
    // Withdrawn before acceptance: not a mediation that ended.
    const d = await intake();
    await ok(coord.post(`/api/v1/cases/${d}/withdrawal`, { reason: '劳动者撤回申请' }));

    const range = `committeeId=${w.committeeId}&from=${localDay(-1)}&to=${localDay(1)}`;
    const res = await summary(w.observer, range);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      cases: {
        received: 4,
        receivedBySource: { walk_in: 3, court_delegated: 1, hotline: 0 },
        accepted: 2,
        rejected: 1,
        respondentRefused: 1,
        agreementsSigned: 1,
        settled: 1,
        failed: 1,
        failedReferredToArbitration: 0,
        returnedToOrigin: 1,
        withdrawn: 1,
        referred: 0,
      },
      amounts: { claimedFen: 3 * 1250000 + 600000, agreedFen: 450000, paidFen: 450000 },
      mediationDeadline: { concluded: 2, withinDeadline: 2, share: 1 },
      agencyOutcomes: {
        total: 1,
        byKind: expect.objectContaining({ judgment: 1 }),
        amountAwardedFen: 1000000,
      },
      byClaimType: expect.objectContaining({
        wage_arrears: { cases: 3, claimedFen: 3 * 1250000, agreedFen: 0 },
        economic_compensation: { cases: 1, claimedFen: 600000, agreedFen: 450000 },
      }),
    });
    expect(res.body.medianDaysToAgreement).toBeLessThanOrEqual(1);
    const { body } = await getCsv(w.observer, `/api/v1/reports/summary?${range}&format=csv`);
    expectCsvMatches(csvMap(parseCsv(body)), res.body);
  });
});

describe('the monthly publication', () => {
  const DUE = new Date('2025-12-01T08:00:00+08:00');

  beforeAll(async () => {
    worker = await startWorker(env.config);
  });

  it('is a job scheduler on the reports queue: the 1st of each month at 08:00 Shanghai time', async () => {
    const queue = worker!.get<Queue>(getQueueToken(REPORTS_QUEUE));
    const scheduler = await queue.getJobScheduler(MONTHLY_REPORT_SCHEDULER_ID);
    expect(scheduler).toMatchObject({ name: MONTHLY_REPORT_JOB, pattern: '0 8 1 * *', tz: 'Asia/Shanghai' });
  });

  it('publishes last month’s report to each committee’s partners once, with the CSV attached', async () => {
    const publisher = worker!.get(ReportPublisher);
    expect(await publisher.publishMonth(DUE)).toEqual({ month: '2025-11', published: 2, skipped: 0 });

    const events = await env.db.query(
      `SELECT id, type, data, source_key FROM outbox_events WHERE type = 'report.published' ORDER BY source_key`,
    );
    expect(events.rows.map((e) => e.source_key).sort()).toEqual(
      [`report:${w.committeeId}:2025-11`, `report:${w.otherCommitteeId}:2025-11`].sort(),
    );
    const ev = events.rows.find((e) => e.source_key === `report:${w.committeeId}:2025-11`);
    expect(ev.data).toMatchObject({
      committeeId: w.committeeId,
      committeeName: '长沙市总工会劳动争议人民调解委员会',
      from: '2025-11-01',
      to: '2025-11-30',
      figures: expectedNovember(),
      summary: expect.stringContaining('收到调解申请3002件'),
    });

    // The arbitration commission's observer has an e-mail address: the CSV goes with it, the same as on demand.
    const mails = await env.db.query(
      `SELECT owner_organisation_id, recipient, message FROM deliveries WHERE event_id = $1 AND channel = 'email'`,
      [ev.id],
    );
    expect(mails.rows).toHaveLength(1);
    const mail = mails.rows[0];
    expect(mail).toMatchObject({
      owner_organisation_id: w.arbitrationId,
      recipient: 'observer1@arbitration.example',
    });
    expect(mail.message.subject).toBe(
      '定期通报：长沙市总工会劳动争议人民调解委员会 2025-11-01 至 2025-11-30',
    );
    expect(mail.message.text).toContain('收到调解申请3002件');
    const [attachment] = mail.message.attachments;
    expect(attachment).toMatchObject({
      filename: '定期通报-CSZGH-2025-11-01至2025-11-30.csv',
      contentType: 'text/csv; charset=utf-8',
    });
    const attached = csvMap(parseCsv(Buffer.from(attachment.content, 'base64')));
    const { body } = await getCsv(
      w.coordinator,
      `/api/v1/reports/summary?committeeId=${w.committeeId}&from=2025-11-01&to=2025-11-30&format=csv`,
    );
    const onDemand = csvMap(parseCsv(body));
    attached.delete('报告|生成时间');
    onDemand.delete('报告|生成时间');
    expect(attached).toEqual(onDemand);

    // The partners' staff find it in their inbox.
    const inbox = await env.db.query(
      `SELECT u.username FROM notifications n JOIN users u ON u.id = n.user_id
        WHERE n.kind = 'report.published' AND n.payload->>'committeeId' = $1 ORDER BY u.username`,
      [w.committeeId],
    );
    expect(inbox.rows.map((r) => r.username)).toEqual(['liaison1', 'observer1']);
  });

  it('publishes nothing more when the job runs again (a retry, a second worker)', async () => {
    const count = async () =>
      (
        await env.db.query(
          `SELECT (SELECT count(*) FROM outbox_events WHERE type = 'report.published')::int AS events,
                  (SELECT count(*) FROM deliveries d JOIN outbox_events e ON e.id = d.event_id
                    WHERE e.type = 'report.published')::int AS deliveries,
                  (SELECT count(*) FROM notifications WHERE kind = 'report.published')::int AS inbox`,
        )
      ).rows[0];
    const before = await count();
    expect(await worker!.get(ReportPublisher).publishMonth(DUE)).toEqual({
      month: '2025-11',
      published: 0,
      skipped: 2,
    });
    // The processor, with the job as the scheduler makes it: due at 08:00 on the 1st, run a day late.
    const job = {
      name: MONTHLY_REPORT_JOB,
      timestamp: DUE.getTime() - 3_600_000,
      opts: { delay: 3_600_000 },
    };
    expect(await worker!.get(ReportsProcessor).process(job as any)).toMatchObject({
      month: '2025-11',
      published: 0,
    });
    expect(await count()).toEqual(before);
  });
});
