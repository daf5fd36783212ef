import { nextStep, type NextStepFacts } from './next-step';

const committee = {
  name: '长沙市总工会劳动争议人民调解委员会',
  address: '五一大道1号',
  phone: '0731-12345678',
  hours: null,
};
const arbitration = {
  name: '长沙市劳动人事争议仲裁委员会',
  address: '芙蓉路1号',
  phone: '0731-1',
  hours: null,
};
const court = { name: '长沙市芙蓉区人民法院', address: null, phone: null, hours: null };

function facts(over: Partial<NextStepFacts>): NextStepFacts {
  return {
    status: 'submitted',
    closureReason: null,
    source: 'online',
    claimTypes: ['wage_arrears'],
    committee,
    arbitration,
    origin: null,
    litigationCourt: null,
    nextSession: null,
    decisionLastDay: null,
    mediationLastDay: null,
    limitationLastDay: null,
    nextInstalment: null,
    ...over,
  };
}

describe('nextStep (SPEC §10: where to go, by when)', () => {
  it('waits for the acceptance decision, by its deadline', () => {
    const s = nextStep('zh', facts({ decisionLastDay: '2026-03-05' }));
    expect(s).toEqual({
      text: '委员会将决定是否受理您的申请，请保持电话畅通。预计在2026年3月5日前作出受理决定。如有疑问，请致电0731-12345678。',
      by: null,
      where: committee,
    });
  });

  it('names the next session in Asia/Shanghai time, and the end of the mediation period', () => {
    const s = nextStep(
      'en',
      facts({
        status: 'in_mediation',
        nextSession: { startsAt: new Date('2026-03-10T06:30:00Z'), mode: 'phone', location: null },
        mediationLastDay: '2026-03-17',
      }),
    );
    expect(s.text).toContain('Please attend the mediation session: 10 March 2026, 14:30, By phone.');
    expect(s.text).toContain('The mediation period ends on 17 March 2026');
  });

  it('sends a failed union case to arbitration with the limitation date and advance execution for wages', () => {
    const s = nextStep(
      'zh',
      facts({ status: 'closed', closureReason: 'mediation_failed', limitationLastDay: '2027-03-20' }),
    );
    expect(s.where).toEqual(arbitration);
    expect(s.by).toBe('2027-03-20');
    expect(s.text).toContain('您可以向长沙市劳动人事争议仲裁委员会申请劳动争议仲裁。请在2027年3月20日前申请');
    expect(s.text).toContain('先予执行');
    const noWage = nextStep(
      'en',
      facts({ status: 'closed', closureReason: 'respondent_refused', claimTypes: ['labour_relationship'] }),
    );
    expect(noWage.by).toBeNull();
    expect(noWage.text).toContain('generally one year');
    expect(noWage.text).not.toContain('advance execution');
  });

  it('sends a court-sent case back to its court, and a litigation case to the court of the payment order', () => {
    const back = nextStep(
      'zh',
      facts({
        status: 'closed',
        closureReason: 'mediation_failed',
        source: 'court_delegated',
        origin: court,
      }),
    );
    expect(back.where).toEqual(court);
    expect(back.text).toContain('案件已退回长沙市芙蓉区人民法院处理');
    expect(back.text).not.toContain('仲裁');
    const litigation = nextStep(
      'zh',
      facts({ status: 'closed', closureReason: 'litigation', litigationCourt: court }),
    );
    expect(litigation.text).toContain('7日内');
    expect(litigation.where).toEqual(court);
  });

  it('tells a performing case what is due next, and a settled one that nothing is left to do', () => {
    const due = nextStep(
      'zh',
      facts({ status: 'performing', nextInstalment: { dueOn: '2027-01-31', amountFen: 600000 } }),
    );
    expect(due.text).toContain('下一期款项¥6,000.00应于2027年1月31日前支付');
    expect(due.by).toBe('2027-01-31');
    const settled = nextStep('en', facts({ status: 'closed', closureReason: 'settled' }));
    expect(settled).toEqual({
      text: 'Everything has been paid and the case is closed; there is nothing more you need to do.',
      by: null,
      where: null,
    });
  });

  describe('a referred case follows its referral', () => {
    const referred = (status: string, enforcementLastDay: string | null = null) =>
      nextStep('zh', facts({ status: 'referred', referral: { status, court, enforcementLastDay } }));

    it('with the court: names it and sends the worker there', () => {
      const s = referred('acknowledged');
      expect(s.text).toContain('案件已提交长沙市芙蓉区人民法院处理');
      expect(s.where).toEqual(court);
      expect(s.by).toBeNull();
    });

    it('an order issued: the employer may object within 15 days', () => {
      expect(referred('order_served').text).toContain('长沙市芙蓉区人民法院已发出支付令');
    });

    it('an order in force: apply for enforcement by the window’s last day', () => {
      const s = referred('enforceable', '2028-06-01');
      expect(s.text).toContain('请在2028年6月1日前向长沙市芙蓉区人民法院申请强制执行');
      expect(s.by).toBe('2028-06-01');
    });

    it('without a known referral: the general words', () => {
      expect(nextStep('zh', facts({ status: 'referred' })).text).toContain('案件已提交法院处理');
    });
  });
});
