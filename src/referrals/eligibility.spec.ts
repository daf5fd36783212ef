import type { CaseSource, ClaimType } from '../common/domain';
import type { InstalmentBalance } from '../agreements/ledger';
import {
  competentCourt,
  type EligibilityInput,
  type IneligibilityCode,
  paymentOrderEligibility,
} from './eligibility';

const TODAY = '2026-05-10';
const COURTS = [
  { id: 'c1', name: '长沙市芙蓉区人民法院', jurisdictionDivisionCodes: ['430102'] },
  { id: 'c2', name: '长沙市天心区人民法院', jurisdictionDivisionCodes: ['430103', '430111'] },
];

const inst = (seq: number, dueOn: string, amountFen: number, paidFen = 0): InstalmentBalance => ({
  id: `i${seq}`,
  seq,
  dueOn,
  amountFen,
  paidFen,
});

interface Row {
  name: string;
  source?: CaseSource;
  items?: Array<[ClaimType, number]>;
  instalments?: InstalmentBalance[];
  acceleration?: boolean;
  address?: string | null;
  whereaboutsUnknown?: boolean;
  division?: string | null;
  workerObligations?: string | null;
  confirmed?: boolean;
  noAgreement?: boolean;
  graceDays?: number;
  eligible: boolean;
  amount: number;
  reasons?: IneligibilityCode[];
  court?: string | null;
  alternative?: 'arbitration' | 'enforcement_application' | 'origin_court' | null;
}

function input(r: Row): EligibilityInput {
  return {
    case: {
      source: r.source ?? 'walk_in',
      employerAddress: r.address === undefined ? '长沙市芙蓉区某某路88号' : r.address,
      employerWhereaboutsUnknown: r.whereaboutsUnknown ?? false,
      employerDomicileDivisionCode: r.division === undefined ? '430102' : r.division,
    },
    agreement: r.noAgreement
      ? null
      : {
          items: (r.items ?? [['wage_arrears', 1000000]]).map(([claimType, amountFen]) => ({
            claimType,
            amountFen,
          })),
          instalments: r.instalments ?? [inst(1, '2026-05-09', 400000), inst(2, '2026-06-30', 600000)],
          accelerationOnDefault: r.acceleration ?? false,
          workerObligations: r.workerObligations ?? null,
          judiciallyConfirmed: r.confirmed ?? false,
        },
    today: TODAY,
    graceDays: r.graceDays ?? 0,
    courts: COURTS,
  };
}

const TABLE: Row[] = [
  // each claim type
  { name: 'wage arrears overdue', eligible: true, amount: 400000, court: 'c1' },
  ...(['work_injury_medical', 'economic_compensation', 'damages'] as ClaimType[]).map((t) => ({
    name: `${t} overdue`,
    items: [[t, 1000000]] as Array<[ClaimType, number]>,
    eligible: true,
    amount: 400000,
    court: 'c1',
  })),
  ...(
    ['work_injury_benefits', 'social_insurance', 'labour_relationship', 'welfare', 'other'] as ClaimType[]
  ).map((t) => ({
    name: `${t} only`,
    items: [[t, 1000000]] as Array<[ClaimType, number]>,
    eligible: false,
    amount: 0,
    reasons: ['NO_ELIGIBLE_ITEMS'] as IneligibilityCode[],
    alternative: 'arbitration' as const,
  })),
  // overdue vs not yet due
  {
    name: 'due today is not overdue yet',
    instalments: [inst(1, TODAY, 400000), inst(2, '2026-06-30', 600000)],
    eligible: false,
    amount: 0,
    reasons: ['NOTHING_OVERDUE'],
    alternative: 'arbitration',
  },
  {
    name: 'within the grace days is not overdue',
    graceDays: 3,
    eligible: false,
    amount: 0,
    reasons: ['NOTHING_OVERDUE'],
  },
  {
    name: 'every instalment in the future',
    instalments: [inst(1, '2026-06-01', 1000000)],
    eligible: false,
    amount: 0,
    reasons: ['NOTHING_OVERDUE'],
  },
  // partly and fully paid
  {
    name: 'overdue instalment partly paid: the rest is claimed',
    instalments: [inst(1, '2026-05-01', 400000, 150000), inst(2, '2026-06-30', 600000)],
    eligible: true,
    amount: 250000,
  },
  {
    name: 'overdue instalment fully paid: nothing overdue',
    instalments: [inst(1, '2026-05-01', 400000, 400000), inst(2, '2026-06-30', 600000)],
    eligible: false,
    amount: 0,
    reasons: ['NOTHING_OVERDUE'],
  },
  {
    name: 'two overdue instalments, the first paid, a later one prepaid in part',
    instalments: [
      inst(1, '2026-04-01', 300000, 300000),
      inst(2, '2026-05-01', 300000),
      inst(3, '2026-06-30', 400000, 100000),
    ],
    eligible: true,
    amount: 300000,
  },
  // acceleration
  {
    name: 'acceleration: the whole unpaid balance is due',
    acceleration: true,
    instalments: [inst(1, '2026-05-01', 400000, 100000), inst(2, '2026-06-30', 600000)],
    eligible: true,
    amount: 900000,
  },
  {
    name: 'acceleration without anything overdue changes nothing',
    acceleration: true,
    instalments: [inst(1, '2026-06-01', 1000000)],
    eligible: false,
    amount: 0,
    reasons: ['NOTHING_OVERDUE'],
  },
  // the employer cannot be served
  {
    name: 'employer without a known address',
    address: null,
    eligible: false,
    amount: 400000,
    reasons: ['EMPLOYER_ADDRESS_UNKNOWN'],
  },
  {
    name: 'employer address blank',
    address: '  ',
    eligible: false,
    amount: 400000,
    reasons: ['EMPLOYER_ADDRESS_UNKNOWN'],
  },
  {
    name: 'employer domiciled in Hong Kong',
    division: '810000',
    address: '香港中环某某大厦',
    eligible: false,
    amount: 400000,
    reasons: ['EMPLOYER_ADDRESS_OUTSIDE_MAINLAND'],
    court: null,
  },
  {
    name: 'employer whereabouts unknown',
    whereaboutsUnknown: true,
    eligible: false,
    amount: 400000,
    reasons: ['EMPLOYER_WHEREABOUTS_UNKNOWN'],
  },
  // the worker owes something back
  {
    name: 'worker owes something back',
    workerObligations: '劳动者归还公司笔记本电脑一台',
    eligible: false,
    amount: 400000,
    reasons: ['WORKER_OWES_IN_RETURN'],
  },
  { name: 'blank worker obligations count as none', workerObligations: ' ', eligible: true, amount: 400000 },
  // court-entrusted
  {
    name: 'court-entrusted case goes back to its court',
    source: 'court_entrusted',
    eligible: false,
    amount: 400000,
    reasons: ['COURT_ENTRUSTED'],
    alternative: 'origin_court',
  },
  { name: 'court-delegated case may be referred', source: 'court_delegated', eligible: true, amount: 400000 },
  // mixed eligible and ineligible items
  {
    name: 'mixed items: wages first, the overdue part falls on wages',
    items: [
      ['wage_arrears', 300000],
      ['welfare', 700000],
    ],
    instalments: [inst(1, '2026-05-01', 500000), inst(2, '2026-06-30', 500000)],
    eligible: true,
    amount: 300000,
  },
  {
    name: 'mixed items: welfare first, the overdue part falls on welfare only',
    items: [
      ['welfare', 500000],
      ['wage_arrears', 500000],
    ],
    instalments: [inst(1, '2026-05-01', 500000), inst(2, '2026-06-30', 500000)],
    eligible: false,
    amount: 0,
    reasons: ['NOTHING_DUE_ON_ELIGIBLE_ITEMS'],
  },
  {
    name: 'mixed items with acceleration: only the eligible items are claimed',
    acceleration: true,
    items: [
      ['welfare', 200000],
      ['economic_compensation', 800000],
    ],
    instalments: [inst(1, '2026-05-01', 500000, 100000), inst(2, '2026-06-30', 500000)],
    eligible: true,
    amount: 800000,
  },
  // competent court found, not found
  {
    name: 'court found by a second jurisdiction code',
    division: '430111',
    eligible: true,
    amount: 400000,
    court: 'c2',
  },
  {
    name: 'no competent court: still eligible, with a warning',
    division: '440305',
    eligible: true,
    amount: 400000,
    court: null,
  },
  { name: 'no division code at all', division: null, eligible: true, amount: 400000, court: null },
  // several reasons at once, and the alternatives
  {
    name: 'every reason is given',
    source: 'court_entrusted',
    items: [['welfare', 1000000]],
    instalments: [inst(1, '2026-06-01', 1000000)],
    address: null,
    whereaboutsUnknown: true,
    workerObligations: '退还工作证',
    eligible: false,
    amount: 0,
    reasons: [
      'COURT_ENTRUSTED',
      'NO_ELIGIBLE_ITEMS',
      'NOTHING_OVERDUE',
      'WORKER_OWES_IN_RETURN',
      'EMPLOYER_ADDRESS_UNKNOWN',
      'EMPLOYER_WHEREABOUTS_UNKNOWN',
    ],
    alternative: 'origin_court',
  },
  {
    name: 'a judicially confirmed agreement: enforcement instead',
    confirmed: true,
    whereaboutsUnknown: true,
    eligible: false,
    amount: 400000,
    reasons: ['EMPLOYER_WHEREABOUTS_UNKNOWN'],
    alternative: 'enforcement_application',
  },
  {
    name: 'no agreement',
    noAgreement: true,
    eligible: false,
    amount: 0,
    reasons: ['NO_AGREEMENT'],
    alternative: 'arbitration',
  },
];

describe('paymentOrderEligibility', () => {
  it.each(TABLE.map((r) => [r.name, r] as const))('%s', (_name, r) => {
    const e = paymentOrderEligibility(input(r));
    expect(e.eligible).toBe(r.eligible);
    expect(e.amountClaimedFen).toBe(r.amount);
    expect(e.reasonCodes).toEqual(r.reasons ?? []);
    expect(e.reasons).toHaveLength(e.reasonCodes.length);
    if (r.court !== undefined) expect(e.court?.id ?? null).toBe(r.court);
    if (r.alternative !== undefined) expect(e.alternativeCode).toBe(r.alternative);
    if (r.eligible) expect(e.alternative).toBeNull();
    else expect(e.alternative).toEqual(expect.any(String));
    expect(e.warning === null).toBe(e.court !== null);
  });

  it('names the competent court by the employer’s division code', () => {
    expect(competentCourt('430103', COURTS)?.name).toBe('长沙市天心区人民法院');
    expect(competentCourt('999999', COURTS)).toBeNull();
    expect(competentCourt(null, COURTS)).toBeNull();
  });
});
