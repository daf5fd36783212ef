import { ADMIN, TestEnv } from './app';
import { client } from './http';

const WEIGHTS_ID = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/** A valid GB 11643 number for the given area, birth date and sequence (check digit computed). */
export function residentId(area = '430102', birth = '19900101', seq = 123): string {
  const body = `${area}${birth}${String(seq % 1000).padStart(3, '0')}`;
  const sum = body.split('').reduce((s, ch, i) => s + Number(ch) * WEIGHTS_ID[i], 0);
  return body + '10X98765432'[sum % 11];
}

const CC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** A valid GB 32100 code with the given division and a serial (check character computed). */
export function creditCode(division = '430102', serial = 1): string {
  const body = `91${division}MA${String(serial).padStart(7, '0').slice(-7)}`.slice(0, 17);
  const sum = body.split('').reduce((s, ch, i) => s + CC_ALPHABET.indexOf(ch) * CC_WEIGHTS[i], 0);
  return body + CC_ALPHABET[(31 - (sum % 31)) % 31];
}

let counter = 0;

/** A distinct valid ID per seq: the birth year moves on every thousand. */
export function workerId(seq: number): string {
  return residentId('430102', `${1960 + (Math.floor(seq / 1000) % 40)}0101`, seq % 1000);
}

/** A realistic walk-in case body; each call a new worker unless `seq` is given. */
export function caseBody(over: Record<string, any> = {}, seq = ++counter): Record<string, any> {
  return {
    source: 'walk_in',
    applicationReceivedAt: '2026-03-02T10:00:00+08:00',
    worker: {
      name: '王小明',
      idType: 'resident_id',
      idNumber: workerId(seq),
      phone: '13800138000',
      email: null,
      address: '长沙市芙蓉区某路1号',
    },
    employer: {
      name: '某某快递有限公司',
      creditCode: '91350100M000100Y43',
      address: '长沙市芙蓉区某某路88号',
      domicileDivisionCode: '430102',
      contactName: '李经理',
      contactPhone: '0731-88888888',
      contactEmail: 'hr@example.com',
    },
    employment: { startDate: '2024-03-01', endDate: '2026-01-31', position: '快递员' },
    claims: [{ type: 'wage_arrears', amountFen: 1250000, description: '2025年11月至2026年1月工资' }],
    knewOfInfringementOn: '2026-02-01',
    facts: '用人单位拖欠工资三个月。',
    ...over,
  };
}

export interface World {
  env: TestEnv;
  admin: string;
  committeeId: string;
  otherCommitteeId: string;
  courtId: string;
  otherCourtId: string;
  arbitrationId: string;
  coordinator: string;
  otherCoordinator: string;
  mediator: string;
  mediatorId: string;
  unrosteredMediator: string;
  unrosteredMediatorId: string;
  liaison: string;
  otherLiaison: string;
  observer: string;
}

export async function login(env: TestEnv, username: string, password: string): Promise<string> {
  const res = await client(env.url).post('/api/v1/auth/login', { username, password });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.accessToken;
}

/** Two committees, two courts, an arbitration commission, and one user of each role, through the API. */
export async function seedWorld(env: TestEnv): Promise<World> {
  const admin = await login(env, ADMIN.username, ADMIN.password);
  const api = client(env.url, admin);
  const mk = async (body: object) => {
    const r = await api.post('/api/v1/organisations', body);
    if (r.status !== 201) throw new Error(`organisation: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.id as string;
  };
  const courtId = await mk({
    kind: 'court',
    name: '长沙市芙蓉区人民法院',
    jurisdictionDivisionCodes: ['430102'],
  });
  const otherCourtId = await mk({
    kind: 'court',
    name: '长沙市天心区人民法院',
    jurisdictionDivisionCodes: ['430103'],
  });
  const arbitrationId = await mk({ kind: 'arbitration_commission', name: '长沙市劳动人事争议仲裁委员会' });
  const committeeId = await mk({
    kind: 'committee',
    name: '长沙市总工会劳动争议人民调解委员会',
    code: 'CSZGH',
    address: '长沙市芙蓉区五一大道1号',
    phone: '0731-12345678',
    hours: '周一至周五 9:00-17:00',
    partnerCourtIds: [courtId],
    partnerArbitrationCommissionId: arbitrationId,
  });
  const otherCommitteeId = await mk({
    kind: 'committee',
    name: '株洲市总工会劳动争议人民调解委员会',
    code: 'ZZZGH',
    partnerCourtIds: [otherCourtId],
  });
  const users: Record<string, { id: string; token: string }> = {};
  const mkUser = async (username: string, body: object) => {
    const r = await api.post('/api/v1/users', {
      username,
      password: 'password-12345',
      displayName: username,
      ...body,
    });
    if (r.status !== 201) throw new Error(`user ${username}: ${r.status} ${JSON.stringify(r.body)}`);
    users[username] = { id: r.body.id, token: await login(env, username, 'password-12345') };
  };
  await mkUser('coord1', { role: 'coordinator', organisationId: committeeId });
  await mkUser('coord2', { role: 'coordinator', organisationId: otherCommitteeId });
  await mkUser('med1', { role: 'mediator', organisationId: committeeId, courtRostered: true });
  await mkUser('med2', { role: 'mediator', organisationId: committeeId });
  await mkUser('liaison1', { role: 'court_liaison', organisationId: courtId });
  await mkUser('liaison2', { role: 'court_liaison', organisationId: otherCourtId });
  await mkUser('observer1', { role: 'agency_observer', organisationId: arbitrationId });
  return {
    env,
    admin,
    committeeId,
    otherCommitteeId,
    courtId,
    otherCourtId,
    arbitrationId,
    coordinator: users.coord1.token,
    otherCoordinator: users.coord2.token,
    mediator: users.med1.token,
    mediatorId: users.med1.id,
    unrosteredMediator: users.med2.token,
    unrosteredMediatorId: users.med2.id,
    liaison: users.liaison1.token,
    otherLiaison: users.liaison2.token,
    observer: users.observer1.token,
  };
}

/** Row counts of everything a refused request must leave alone (cases, claims, events, counters, audit, conflicts). */
export async function counts(env: TestEnv): Promise<Record<string, number>> {
  const r = await env.db.query(
    `SELECT (SELECT count(*) FROM cases)::int AS cases, (SELECT count(*) FROM case_claims)::int AS claims,
            (SELECT count(*) FROM case_events)::int AS events,
            (SELECT coalesce(sum(last_seq), 0) FROM case_number_counters)::int AS numbers,
            (SELECT count(*) FROM audit_log WHERE action LIKE 'case%')::int AS case_audit,
            (SELECT count(*) FROM mediator_conflicts)::int AS conflicts`,
  );
  return r.rows[0];
}
