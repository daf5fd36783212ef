/**
 * `npm run demo`: one realistic case through the HTTP API of a running service, start to finish.
 *
 * A courier (快递员) left his job owed three months' wages and economic compensation. The committee takes the
 * application in, the employer agrees to mediate, a mediator is assigned, a session held a few days ago is logged
 * and recorded, the agreement is signed with two instalments, both are paid, and the case closes as settled. The
 * case's timeline is printed in plain words. Any failed step stops the demo with a non-zero exit code.
 *
 * Environment: DEMO_BASE_URL (default http://127.0.0.1:3000), ADMIN_USERNAME and ADMIN_PASSWORD (the admin the
 * service created at its first start). Each run makes its own committee and users, so it can be run again.
 */
import { DateTime } from 'luxon';
import { randomBytes, randomInt } from 'node:crypto';
import { formatYuan } from '../src/common/money';

const ZONE = 'Asia/Shanghai';

export interface DemoResult {
  caseId: string;
  caseNo: string;
  status: string;
  closureReason: string | null;
  timeline: string[];
  agreementPdfBytes: number;
}

export class DemoStepError extends Error {
  constructor(
    readonly step: string,
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`${step} failed: HTTP ${status} ${typeof body === 'string' ? body : JSON.stringify(body)}`);
  }
}

interface Answer {
  status: number;
  body: any;
  raw: Buffer;
}

async function call(
  base: string,
  method: string,
  path: string,
  token?: string,
  body?: unknown,
): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(base + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const raw = Buffer.from(await res.arrayBuffer());
  const type = res.headers.get('content-type') ?? '';
  return {
    status: res.status,
    body: type.includes('json') && raw.length ? JSON.parse(raw.toString()) : raw,
    raw,
  };
}

/** One step of the demo: the call must answer `expect`, else the demo stops here. */
async function step(
  name: string,
  expect: number,
  base: string,
  method: string,
  path: string,
  token?: string,
  body?: unknown,
): Promise<any> {
  const res = await call(base, method, path, token, body);
  if (res.status !== expect) throw new DemoStepError(name, res.status, res.body);
  return res.body;
}

// ---------------------------------------------------------------- realistic, valid identifiers

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/** A GB 11643 resident ID with a random birth date and sequence, check digit computed. */
function residentId(area: string): string {
  const birth = DateTime.fromObject({
    year: 1988 + randomInt(10),
    month: 1 + randomInt(12),
    day: 1 + randomInt(28),
  });
  const body = `${area}${birth.toFormat('yyyyLLdd')}${String(randomInt(1000)).padStart(3, '0')}`;
  const sum = body.split('').reduce((s, ch, i) => s + Number(ch) * ID_WEIGHTS[i], 0);
  return body + '10X98765432'[sum % 11];
}

const CC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** A GB 32100 unified social credit code of a company registered in `division`, check character computed. */
function creditCode(division: string): string {
  const body = `91${division}MA${String(randomInt(10_000_000)).padStart(7, '0')}`;
  const sum = body.split('').reduce((s, ch, i) => s + CC_ALPHABET.indexOf(ch) * CC_WEIGHTS[i], 0);
  return body + CC_ALPHABET[(31 - (sum % 31)) % 31];
}

const letters = (n: number) => Array.from(randomBytes(n), (b) => 'ABCDEFGHJKLMNPQRSTUVWXYZ'[b % 24]).join('');

// ---------------------------------------------------------------- the story

const MODE_WORDS: Record<string, string> = { in_person: 'in person', online: 'online', phone: 'by phone' };
const OUTCOME_WORDS: Record<string, string> = {
  continued: 'to be continued',
  postponed: 'postponed',
  no_show_worker: 'the worker did not come',
  no_show_employer: 'the employer did not come',
  agreement: 'the parties reached an agreement',
  failed: 'no agreement possible',
};

const local = (iso: string) => DateTime.fromISO(iso).setZone(ZONE).toFormat('yyyy-LL-dd HH:mm');

/** One case event in a sentence a mediator would write in the file. */
function describe(e: any): string {
  const who = e.actorName ?? e.actorKind;
  const p = e.payload ?? {};
  let what: string;
  switch (e.action) {
    case 'intake':
      what = `took the application in (${String(p.source).replace('_', '-')}) as case ${p.caseNo}`;
      break;
    case 'accept':
      what = 'accepted the case: the employer agreed to mediation';
      break;
    case 'assign':
      what = `assigned the case to mediator ${p.mediatorName}`;
      break;
    case 'schedule_session':
      what = p.loggedAfterTheFact
        ? `logged a session held ${MODE_WORDS[p.mode] ?? p.mode} on ${local(p.startsAt)} (${p.durationMinutes} minutes)`
        : `scheduled a session ${MODE_WORDS[p.mode] ?? p.mode} for ${local(p.startsAt)}`;
      break;
    case 'record_session':
      what = `recorded the session of ${local(p.startsAt)}: ${OUTCOME_WORDS[p.outcome] ?? p.outcome}`;
      break;
    case 'record_agreement':
      what =
        `recorded the agreement signed ${p.signedOn}: ${formatYuan(p.totalFen)} in ` +
        `${p.instalments.length} instalment${p.instalments.length === 1 ? '' : 's'} (` +
        p.instalments.map((i: any) => `${formatYuan(i.amountFen)} by ${i.dueOn}`).join(', ') +
        ')';
      break;
    case 'record_payment':
      what =
        `recorded a payment of ${formatYuan(p.amountFen)} made on ${p.paidOn}; ` +
        (p.outstandingFen === 0
          ? 'nothing is outstanding'
          : `${formatYuan(p.outstandingFen)} still outstanding`);
      break;
    default:
      what = e.action.replace(/_/g, ' ');
  }
  const moved =
    e.fromStatus !== e.toStatus ? ` → ${e.toStatus}${e.closureReason ? ` (${e.closureReason})` : ''}` : '';
  return `${local(e.at)}  ${who} ${what}${moved}`;
}

/** Drives the whole case through the API at `baseUrl`; throws DemoStepError at the first step that fails. */
export async function runDemo(
  baseUrl: string,
  admin: { username: string; password: string },
  log: (line: string) => void = (line) => process.stdout.write(line + '\n'),
): Promise<DemoResult> {
  const base = baseUrl.replace(/\/+$/, '');
  const api = '/api/v1';
  const now = DateTime.now().setZone(ZONE);
  const day = (offset: number, time = '09:00') =>
    now.plus({ days: offset }).set({
      hour: Number(time.slice(0, 2)),
      minute: Number(time.slice(3)),
      second: 0,
      millisecond: 0,
    });
  const iso = (d: DateTime) => d.toISO({ suppressMilliseconds: true })!;
  const date = (d: DateTime) => d.toISODate()!;

  log(`Demo against ${base}`);
  const adminToken = (await step('admin login', 200, base, 'POST', `${api}/auth/login`, undefined, admin))
    .accessToken as string;

  const suffix = letters(6);
  const committee = await step('create committee', 201, base, 'POST', `${api}/organisations`, adminToken, {
    kind: 'committee',
    name: `长沙市总工会劳动争议人民调解委员会（演示${suffix}）`,
    code: `DEMO${suffix}`,
    address: '长沙市芙蓉区五一大道 1 号',
    phone: '0731-84567890',
    hours: '周一至周五 9:00-17:00',
  });
  log(`Committee ${committee.name} (code ${committee.code ?? `DEMO${suffix}`})`);

  const password = `demo-${randomBytes(9).toString('base64url')}`;
  const mkUser = async (role: string, displayName: string) => {
    const username = `demo-${role}-${suffix.toLowerCase()}`;
    const user = await step(`create ${role}`, 201, base, 'POST', `${api}/users`, adminToken, {
      username,
      password,
      displayName,
      role,
      organisationId: committee.id,
      courtRostered: role === 'mediator',
    });
    const token = (
      await step(`${role} login`, 200, base, 'POST', `${api}/auth/login`, undefined, { username, password })
    ).accessToken as string;
    return { id: user.id as string, token, displayName };
  };
  const coordinator = await mkUser('coordinator', '张敏（协调员）');
  const mediator = await mkUser('mediator', '李建国（调解员）');
  log(`Users: coordinator ${coordinator.displayName}, mediator ${mediator.displayName}`);

  const lastDay = day(-45);
  const created = await step('intake', 201, base, 'POST', `${api}/cases`, coordinator.token, {
    source: 'walk_in',
    applicationReceivedAt: iso(day(-12, '09:40')),
    worker: {
      name: '陈小军',
      idType: 'resident_id',
      idNumber: residentId('430104'),
      phone: `13${randomInt(10)}${String(randomInt(100_000_000)).padStart(8, '0')}`,
      address: '长沙市岳麓区桐梓坡路 18 号',
    },
    employer: {
      name: `湖南速达快递服务有限公司（演示${suffix}）`,
      creditCode: creditCode('430104'),
      address: '长沙市岳麓区麓谷大道 627 号',
      contactName: '周经理',
      contactPhone: '0731-88776655',
    },
    employment: { startDate: '2023-06-12', endDate: date(lastDay), position: '快递员' },
    claims: [
      { type: 'wage_arrears', amountFen: 960000, description: '最后三个月工资，每月 3,200 元' },
      { type: 'economic_compensation', amountFen: 700000, description: '解除劳动合同经济补偿' },
    ],
    knewOfInfringementOn: date(lastDay),
    facts:
      '申请人在被申请人处从事快递派送工作。被申请人以业务调整为由通知申请人离职，' +
      '未支付最后三个月工资，亦未支付解除劳动合同的经济补偿。',
  });
  const caseId = created.id as string;
  log(`Case ${created.caseNo} taken in; the worker's access code is ${created.accessCode}`);

  const casePath = `${api}/cases/${caseId}`;
  await step('accept', 200, base, 'POST', `${casePath}/accept`, coordinator.token, {});
  await step('assign', 200, base, 'POST', `${casePath}/assign`, coordinator.token, {
    mediatorId: mediator.id,
  });

  const session = await step('log session', 201, base, 'POST', `${casePath}/sessions`, mediator.token, {
    startsAt: iso(day(-5, '14:00')),
    durationMinutes: 90,
    mode: 'in_person',
    location: '芙蓉区调解室一',
  });
  await step(
    'record session',
    200,
    base,
    'POST',
    `${casePath}/sessions/${session.id}/record`,
    mediator.token,
    {
      attendees: ['worker', 'employer', '周经理（用人单位代理人）'],
      notes: '双方对工资数额无争议；经济补偿经协商按 5.6 万元计；用人单位同意分两期支付。',
      outcome: 'agreement',
      endedAt: iso(day(-5, '15:40')),
    },
  );

  const agreement = await step(
    'record agreement',
    201,
    base,
    'POST',
    `${casePath}/agreement`,
    mediator.token,
    {
      signedAt: iso(day(-5, '16:10')),
      signatures: {
        worker: iso(day(-5, '16:10')),
        employer: iso(day(-5, '16:15')),
        mediator: iso(day(-5, '16:20')),
        committeeSeal: iso(day(-5, '16:30')),
      },
      items: [
        { claimType: 'wage_arrears', amountFen: 860000, description: '拖欠工资' },
        { claimType: 'economic_compensation', amountFen: 560000, description: '解除劳动合同经济补偿' },
      ],
      instalments: [
        { dueOn: date(day(-2)), amountFen: 800000 },
        { dueOn: date(day(28)), amountFen: 620000 },
      ],
      accelerationOnDefault: true,
      paidAtSigning: false,
      otherTerms: '被申请人应于付款当日将转账凭证发送给调解员。',
    },
  );
  const [first, second] = agreement.instalments as Array<{ id: string }>;
  await step('first payment', 201, base, 'POST', `${casePath}/payments`, coordinator.token, {
    amountFen: 800000,
    paidOn: date(day(-3)),
    instalmentId: first.id,
    note: '银行转账',
  });
  const last = await step('second payment', 201, base, 'POST', `${casePath}/payments`, mediator.token, {
    amountFen: 620000,
    paidOn: date(day(0)),
    instalmentId: second.id,
    note: '银行转账，提前支付',
  });
  if (last.case.status !== 'closed' || last.case.closureReason !== 'settled') {
    throw new DemoStepError('settlement', 200, `the case is ${last.case.status}/${last.case.closureReason}`);
  }
  const pdf = await call(base, 'GET', `${casePath}/agreement.pdf`, mediator.token);
  if (pdf.status !== 200 || !pdf.raw.subarray(0, 5).equals(Buffer.from('%PDF-')))
    throw new DemoStepError('agreement document', pdf.status, pdf.body);

  const events = await step('timeline', 200, base, 'GET', `${casePath}/events`, coordinator.token);
  const timeline = (events.items as any[]).map(describe);
  log('');
  log(`Timeline of case ${created.caseNo}:`);
  for (const line of timeline) log(`  ${line}`);
  log('');
  log(
    `Agreed ${formatYuan(agreement.totals.agreedFen)}, paid ${formatYuan(last.totals.paidFen)}, ` +
      `outstanding ${formatYuan(last.totals.outstandingFen)}. The case is ${last.case.status} (${last.case.closureReason}).`,
  );
  log(`The agreement document (调解协议书, ${pdf.raw.length} bytes) is at GET ${casePath}/agreement.pdf`);
  return {
    caseId,
    caseNo: created.caseNo,
    status: last.case.status,
    closureReason: last.case.closureReason,
    timeline,
    agreementPdfBytes: pdf.raw.length,
  };
}

async function main(): Promise<void> {
  const base = process.env.DEMO_BASE_URL || 'http://127.0.0.1:3000';
  const username = process.env.ADMIN_USERNAME;
  const password = process.env.ADMIN_PASSWORD;
  if (!username || !password) {
    console.error('Set ADMIN_USERNAME and ADMIN_PASSWORD to the admin of the running service.');
    process.exitCode = 2;
    return;
  }
  try {
    await runDemo(base, { username, password });
  } catch (e) {
    const reason =
      (e as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED'
        ? `nothing answers at ${base}; start the service with \`npm start\` (or set DEMO_BASE_URL)`
        : (e as Error).message;
    console.error(`Demo failed: ${reason}`);
    process.exitCode = 1;
  }
}

if (require.main === module) void main();
