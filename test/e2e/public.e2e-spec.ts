import { startApi, TestEnv } from '../support/app';
import { caseBody, counts, seedWorld, World } from '../support/fixtures';
import { client, request } from '../support/http';

// SPEC §10–§12: the workers' side through HTTP — online applications, the committees list, the status check
// at each stage of the lifecycle in both languages, and what it never shows.
let env: TestEnv;
let w: World;
let ip = 0;

beforeAll(async () => {
  env = await startApi();
  w = await seedWorld(env);
});
afterAll(() => env?.close());

/** A client of its own (trustProxy is on: the left-most X-Forwarded-For address is the client). */
function worker(lang?: string) {
  const headers: Record<string, string> = { 'x-forwarded-for': `198.51.100.${++ip}` };
  if (lang) headers['accept-language'] = lang;
  return {
    headers,
    apply: (body: unknown, key?: string) =>
      request(env.url, 'POST', '/api/v1/public/applications', {
        body,
        headers: key ? { ...headers, 'idempotency-key': key } : headers,
      }),
    status: (body: unknown, extra: Record<string, string> = {}) =>
      request(env.url, 'POST', '/api/v1/public/case-status', { body, headers: { ...headers, ...extra } }),
  };
}

function applicationBody(over: Record<string, unknown> = {}): Record<string, any> {
  const { source: _s, applicationReceivedAt: _r, ...rest } = caseBody();
  return { ...rest, committeeId: w.committeeId, ...over };
}

const coord = () => client(env.url, w.coordinator);

async function staffCase(over: Record<string, unknown> = {}) {
  const body = caseBody(over);
  const r = await coord().post('/api/v1/cases', body);
  expect(r.status).toBe(201);
  return {
    ...(r.body as { id: string; caseNo: string; accessCode: string }),
    idNumber: body.worker.idNumber,
  };
}

describe('POST /public/applications', () => {
  it('creates one online case; a retry with the same key gets the same number and code back', async () => {
    const before = await counts(env);
    const me = worker();
    const body = applicationBody();
    const first = await me.apply(body, 'apply-key-0001');
    expect(first.status).toBe(201);
    expect(first.body).toEqual({
      caseNo: expect.stringMatching(/^CSZGH-\d{4}-\d{5}$/),
      accessCode: expect.stringMatching(/^[0-9A-HJKMNP-TV-Z]{8}$/),
      status: 'submitted',
      submittedAt: expect.any(String),
      committee: {
        name: '长沙市总工会劳动争议人民调解委员会',
        phone: '0731-12345678',
        address: '长沙市芙蓉区五一大道1号',
        hours: '周一至周五 9:00-17:00',
      },
      worker: { name: '王小明' },
      employer: { name: '某某快递有限公司' },
      claimedTotalFen: 1250000,
      statusUrl: '/#status',
    });
    const again = await me.apply(body, 'apply-key-0001');
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    const after = await counts(env);
    expect(after.cases).toBe(before.cases + 1);

    const row = await env.db.query(`SELECT source, created_by, case_no FROM cases WHERE case_no = $1`, [
      first.body.caseNo,
    ]);
    expect(row.rows[0]).toMatchObject({ source: 'online', created_by: null });
    // The worker's own status check works with the code the receipt gave.
    const s = await me.status({ caseNo: first.body.caseNo, accessCode: first.body.accessCode });
    expect(s.status).toBe(200);
    expect(s.body.status).toBe('submitted');
  });

  it('answers 422 for the same key with another body, and 400 without a key; nothing is written', async () => {
    const me = worker();
    const first = await me.apply(applicationBody(), 'apply-key-0002');
    expect(first.status).toBe(201);
    const before = await counts(env);
    const other = await me.apply(applicationBody({ facts: '另一份申请' }), 'apply-key-0002');
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const noKey = await me.apply(applicationBody());
    expect(noKey.status).toBe(400);
    expect(noKey.body.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
    expect(noKey.headers.get('content-type')).toContain('application/problem+json');
    expect(await counts(env)).toEqual(before);
  });

  it('validates like the staff intake and refuses what only staff decide; nothing is written', async () => {
    const me = worker();
    const before = await counts(env);
    const cases: Array<[Record<string, unknown>, string]> = [
      [applicationBody({ committeeId: undefined }), 'committeeId'],
      [applicationBody({ committeeId: w.courtId }), 'committeeId'],
      [applicationBody({ committeeId: 'not-a-uuid' }), 'committeeId'],
      [applicationBody({ source: 'court_delegated' }), 'source'],
      [applicationBody({ applicationReceivedAt: '2026-03-02T10:00:00+08:00' }), 'applicationReceivedAt'],
      [applicationBody({ separateDispute: true }), 'separateDispute'],
      [applicationBody({ originReference: '(2026)湘0102民诉前调1号' }), 'originReference'],
      [
        applicationBody({ worker: { ...applicationBody().worker, idNumber: '430102199001011234' } }),
        'worker.idNumber',
      ],
      [applicationBody({ claims: [{ type: 'wage_arrears', amountFen: 12.5 }] }), 'claims.0.amountFen'],
      [applicationBody({ claims: [] }), 'claims'],
      [applicationBody({ employment: { startDate: '2099-01-01' } }), 'employment.startDate'],
    ];
    let n = 0;
    for (const [body, field] of cases) {
      const r = await me.apply(body, `apply-invalid-${++n}-xyz`);
      expect(r.status).toBe(400);
      expect(r.body.code).toBe('VALIDATION_FAILED');
      expect(r.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect(await counts(env)).toEqual(before);
  });

  it('keeps script typed into text fields as data: stored and answered verbatim', async () => {
    const script = '<script>alert("x")</script>';
    const me = worker();
    const r = await me.apply(
      applicationBody({
        worker: { ...applicationBody().worker, name: `<b>王</b>${script}` },
        facts: `${script}<img src=x onerror=alert(1)>`,
      }),
      'apply-key-script',
    );
    expect(r.status).toBe(201);
    expect(r.body.worker.name).toBe(`<b>王</b>${script}`);
    const row = await env.db.query(`SELECT worker_name, facts FROM cases WHERE case_no = $1`, [
      r.body.caseNo,
    ]);
    expect(row.rows[0]).toEqual({
      worker_name: `<b>王</b>${script}`,
      facts: `${script}<img src=x onerror=alert(1)>`,
    });
  });

  it('refuses a body over 1 MB with 413 and writes nothing', async () => {
    const before = await counts(env);
    const big = JSON.stringify(applicationBody({ facts: 'x'.repeat(1024 * 1024 + 10) }));
    const r = await request(env.url, 'POST', '/api/v1/public/applications', {
      rawBody: big,
      headers: { 'content-type': 'application/json', 'idempotency-key': 'apply-key-big1' },
    });
    expect(r.status).toBe(413);
    expect(r.body.code).toBe('PAYLOAD_TOO_LARGE');
    const s = await request(env.url, 'POST', '/api/v1/public/case-status', {
      rawBody: JSON.stringify({ caseNo: 'CSZGH-2026-00001', accessCode: 'A'.repeat(1024 * 1024 + 10) }),
      headers: { 'content-type': 'application/json' },
    });
    expect(s.status).toBe(413);
    expect(await counts(env)).toEqual(before);
  });
});

describe('GET /public/committees', () => {
  it('lists the committees with their public contact details, without a token', async () => {
    const r = await client(env.url).get('/api/v1/public/committees');
    expect(r.status).toBe(200);
    expect(r.body.nextCursor).toBeNull();
    expect(r.body.items).toEqual(
      expect.arrayContaining([
        {
          id: w.committeeId,
          name: '长沙市总工会劳动争议人民调解委员会',
          address: '长沙市芙蓉区五一大道1号',
          phone: '0731-12345678',
          hours: '周一至周五 9:00-17:00',
          offices: [],
        },
        expect.objectContaining({ id: w.otherCommitteeId, name: '株洲市总工会劳动争议人民调解委员会' }),
      ]),
    );
    expect(r.body.items.map((c: { id: string }) => c.id)).not.toContain(w.courtId);
  });
});

describe('POST /public/case-status', () => {
  it('answers SPEC §10’s fields through the lifecycle, in Chinese by default and in English on request', async () => {
    const c = await staffCase();
    const zh = worker();
    const en = worker('en-US,en;q=0.9,zh;q=0.5');
    const ask = async (who = zh) => {
      const r = await who.status({ caseNo: c.caseNo, accessCode: c.accessCode });
      expect(r.status).toBe(200);
      return r;
    };

    let s = await ask();
    expect(Object.keys(s.body).sort()).toEqual(
      [
        'caseNo',
        'status',
        'closureReason',
        'statusLabel',
        'committee',
        'mediator',
        'nextSession',
        'mediationDeadline',
        'agreement',
        'referrals',
        'nextStep',
        'timeline',
      ].sort(),
    );
    expect(s.headers.get('content-language')).toBe('zh');
    expect(s.body).toMatchObject({
      caseNo: c.caseNo,
      status: 'submitted',
      closureReason: null,
      statusLabel: '已提交，等待受理',
      committee: {
        name: '长沙市总工会劳动争议人民调解委员会',
        phone: '0731-12345678',
        address: '长沙市芙蓉区五一大道1号',
        hours: '周一至周五 9:00-17:00',
      },
      mediator: null,
      nextSession: null,
      mediationDeadline: null,
      agreement: null,
      referrals: [],
      timeline: [{ at: expect.any(String), label: '提交调解申请' }],
    });
    expect(s.body.nextStep.text).toContain('委员会将决定是否受理');
    expect(s.body.nextStep.text).toContain('0731-12345678');
    expect(s.body.nextStep.where).toMatchObject({ name: '长沙市总工会劳动争议人民调解委员会' });
    s = await ask(en);
    expect(s.headers.get('content-language')).toBe('en');
    expect(s.body.statusLabel).toBe('Submitted, awaiting acceptance');
    expect(s.body.timeline[0].label).toBe('Application submitted');
    expect(s.body.nextStep.text).toContain('The committee will decide');

    expect((await coord().post(`/api/v1/cases/${c.id}/accept`, {})).status).toBe(200);
    s = await ask();
    expect(s.body.statusLabel).toBe('已受理，正在安排调解员');
    const deadlines = await coord().get(`/api/v1/cases/${c.id}/deadlines`);
    const mediation = (deadlines.body.items ?? deadlines.body).find(
      (d: { kind: string }) => d.kind === 'mediation',
    );
    expect(s.body.mediationDeadline).toEqual({ lastDay: mediation.lastDay });
    expect((await ask(en)).body.statusLabel).toBe('Accepted, assigning a mediator');

    expect((await coord().post(`/api/v1/cases/${c.id}/assign`, { mediatorId: w.mediatorId })).status).toBe(
      200,
    );
    const med = client(env.url, w.mediator);
    const past = await med.post(`/api/v1/cases/${c.id}/sessions`, {
      startsAt: '2026-03-05T10:00:00+08:00',
      durationMinutes: 60,
      mode: 'in_person',
      location: '芙蓉区调解室一',
    });
    expect(past.status).toBe(201);
    const recorded = await med.post(`/api/v1/cases/${c.id}/sessions/${past.body.id}/record`, {
      attendees: ['worker', 'employer'],
      notes: 'CONFIDENTIAL-NOTE-7731 双方意见',
      outcome: 'continued',
      endedAt: '2026-03-05T11:00:00+08:00',
    });
    expect(recorded.status).toBe(200);
    const upcoming = await med.post(`/api/v1/cases/${c.id}/sessions`, {
      startsAt: new Date(Date.now() + 7 * 86400_000).toISOString(),
      durationMinutes: 90,
      mode: 'in_person',
      location: '芙蓉区调解室二',
    });
    expect(upcoming.status).toBe(201);
    s = await ask();
    expect(s.body).toMatchObject({
      status: 'in_mediation',
      statusLabel: '调解中',
      mediator: 'med1',
      nextSession: {
        startsAt: upcoming.body.startsAt,
        mode: 'in_person',
        modeLabel: '现场调解',
        location: '芙蓉区调解室二',
      },
    });
    expect(s.body.nextStep.text).toContain('芙蓉区调解室二');
    expect(s.body.timeline.map((e: { label: string }) => e.label)).toEqual([
      '提交调解申请',
      '委员会受理申请',
      '指派调解员',
      '安排调解',
      '进行调解',
      '安排调解',
    ]);
    expect((await ask(en)).body.statusLabel).toBe('In mediation');

    const agreement = await med.post(`/api/v1/cases/${c.id}/agreement`, {
      signedAt: '2026-03-10T15:00:00+08:00',
      items: [{ claimType: 'wage_arrears', amountFen: 1000000 }],
      instalments: [
        { dueOn: '2027-01-31', amountFen: 600000 },
        { dueOn: '2027-02-28', amountFen: 400000 },
      ],
    });
    expect(agreement.status).toBe(201);
    s = await ask();
    expect(s.body).toMatchObject({
      status: 'performing',
      statusLabel: '调解成功，协议履行中',
      nextSession: null,
      agreement: {
        agreedFen: 1000000,
        paidFen: 0,
        outstandingFen: 1000000,
        nextInstalment: { dueOn: '2027-01-31', amountFen: 600000 },
      },
    });
    expect(s.body.nextStep.by).toBe('2027-01-31');
    expect(s.body.nextStep.text).toContain('¥6,000.00');
    expect((await ask(en)).body.statusLabel).toBe('Agreement reached, awaiting payment');

    const paid = await med.post(`/api/v1/cases/${c.id}/payments`, {
      amountFen: 250000,
      paidOn: '2026-11-20',
    });
    expect(paid.status).toBe(201);
    s = await ask();
    expect(s.body.agreement).toEqual({
      agreedFen: 1000000,
      paidFen: 250000,
      outstandingFen: 750000,
      nextInstalment: { dueOn: '2027-01-31', amountFen: 350000 },
    });

    expect(
      (await med.post(`/api/v1/cases/${c.id}/payments`, { amountFen: 750000, paidOn: '2026-11-21' })).status,
    ).toBe(201);
    s = await ask();
    expect(s.body).toMatchObject({
      status: 'closed',
      closureReason: 'settled',
      statusLabel: '已结案：款项已付清',
      agreement: { agreedFen: 1000000, paidFen: 1000000, outstandingFen: 0, nextInstalment: null },
      nextStep: { by: null, where: null },
    });
    expect(s.body.timeline.at(-1).label).toBe('已结案：款项已付清');
    expect((await ask(en)).body.statusLabel).toBe('Closed: paid in full');

    // Never session notes, ID numbers, or the other party's contact details (SPEC §10).
    for (const who of [zh, en]) {
      const text = JSON.stringify((await ask(who)).body);
      for (const secret of [
        'CONFIDENTIAL-NOTE-7731',
        c.idNumber,
        '********',
        '0731-88888888',
        'hr@example.com',
        '李经理',
        '13800138000',
        '某某快递有限公司',
      ]) {
        expect(text).not.toContain(secret);
      }
    }
  });

  it('labels each closure of SPEC §10’s table and points to the next place to go', async () => {
    const failed = await staffCase();
    await coord().post(`/api/v1/cases/${failed.id}/accept`, {});
    await coord().post(`/api/v1/cases/${failed.id}/assign`, { mediatorId: w.mediatorId });
    const f = await coord().post(`/api/v1/cases/${failed.id}/failure`, {
      reason: '分歧大',
      referTo: 'arbitration',
    });
    expect(f.status).toBe(200);

    const rejected = await staffCase();
    await coord().post(`/api/v1/cases/${rejected.id}/reject`, { reason: '不属于受理范围' });
    const refused = await staffCase();
    await coord().post(`/api/v1/cases/${refused.id}/reject`, {
      reason: '对方不同意',
      respondentRefused: true,
    });
    const withdrawn = await staffCase();
    await coord().post(`/api/v1/cases/${withdrawn.id}/withdrawal`, { reason: '已和解' });
    const sent = await client(env.url, w.liaison).post(
      '/api/v1/cases',
      caseBody({
        source: 'court_delegated',
        committeeId: w.committeeId,
        originReference: '(2026)湘0102民诉前调9号',
      }),
    );
    expect(sent.status).toBe(201);
    await coord().post(`/api/v1/cases/${sent.body.id}/accept`, {});
    await coord().post(`/api/v1/cases/${sent.body.id}/assign`, { mediatorId: w.mediatorId });
    await coord().post(`/api/v1/cases/${sent.body.id}/failure`, { reason: '调解不成', referTo: 'origin' });

    const expectations: Array<[{ caseNo: string; accessCode: string }, string, string, string | null]> = [
      [
        failed,
        '已结案：调解未成功，可申请仲裁',
        'Closed: no agreement; you may apply for arbitration',
        '长沙市劳动人事争议仲裁委员会',
      ],
      [rejected, '已结案：不予受理', 'Closed: not accepted', '长沙市劳动人事争议仲裁委员会'],
      [
        refused,
        '已结案：对方不同意调解，您可申请仲裁',
        'Closed: employer declined mediation; you may apply for arbitration',
        '长沙市劳动人事争议仲裁委员会',
      ],
      [withdrawn, '已结案：已撤回申请', 'Closed: application withdrawn', null],
      [
        sent.body,
        '已结案：已退回法院（仲裁委）处理',
        'Closed: returned to the court (commission)',
        '长沙市芙蓉区人民法院',
      ],
    ];
    for (const [c, zhLabel, enLabel, where] of expectations) {
      const body = { caseNo: c.caseNo, accessCode: c.accessCode };
      const zh = await worker('zh-CN').status(body);
      expect(zh.status).toBe(200);
      expect(zh.body.statusLabel).toBe(zhLabel);
      expect(zh.body.nextStep.where?.name ?? null).toBe(where);
      const en = await worker('fr;q=0.9, en;q=0.8, zh;q=0.1').status(body);
      expect(en.body.statusLabel).toBe(enLabel);
    }
    // After a failure the limitation restarts: the worker sees the arbitration deadline, and advance execution
    // for wage claims (LDMAL art. 44).
    const s = await worker().status({ caseNo: failed.caseNo, accessCode: failed.accessCode });
    expect(s.body.nextStep.by).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(s.body.nextStep.text).toContain('长沙市劳动人事争议仲裁委员会');
    expect(s.body.nextStep.text).toContain('先予执行');
    expect(s.body.timeline.at(-1).label).toBe('已结案：调解未成功，可申请仲裁');
  });

  it('accepts the code in any case, with spaces and hyphens; answers a wrong code and an unknown case alike', async () => {
    const c = await staffCase();
    const loose = `${c.accessCode.slice(0, 4).toLowerCase()} - ${c.accessCode.slice(4).toLowerCase()}`;
    const ok = await worker().status({ caseNo: ` ${c.caseNo.toLowerCase()} `, accessCode: loose });
    expect(ok.status).toBe(200);
    expect(ok.body.caseNo).toBe(c.caseNo);

    const wrongCode = await worker().status({
      caseNo: c.caseNo,
      accessCode: c.accessCode === 'ZZZZZZZZ' ? 'YYYYYYYY' : 'ZZZZZZZZ',
    });
    const unknownCase = await worker().status({ caseNo: 'CSZGH-2026-99999', accessCode: c.accessCode });
    const unknownCommittee = await worker().status({ caseNo: 'NOPE-2026-00001', accessCode: 'ZZZZZZZZ' });
    for (const r of [wrongCode, unknownCase, unknownCommittee]) {
      expect(r.status).toBe(404);
      expect(r.headers.get('content-type')).toContain('application/problem+json');
    }
    expect(unknownCase.body).toEqual(wrongCode.body);
    expect(unknownCommittee.body).toEqual(wrongCode.body);
    expect(wrongCode.body).toMatchObject({ code: 'NOT_FOUND', status: 404 });
  });

  it('answers 400 with field errors for malformed numbers and codes, before counting anything', async () => {
    const c = await staffCase();
    const me = worker();
    const bad: Array<[unknown, string]> = [
      [{ caseNo: 'CSZGH-2026-1', accessCode: 'ABCDEFGH' }, 'caseNo'],
      [{ caseNo: 'CSZGH202600001', accessCode: 'ABCDEFGH' }, 'caseNo'],
      [{ caseNo: 'C-2026-00001', accessCode: 'ABCDEFGH' }, 'caseNo'],
      [{ caseNo: 'ABCDEFGHIJKLM-2026-00001', accessCode: 'ABCDEFGH' }, 'caseNo'],
      [{ caseNo: '<script>-2026-00001', accessCode: 'ABCDEFGH' }, 'caseNo'],
      [{ caseNo: 42, accessCode: 'ABCDEFGH' }, 'caseNo'],
      [{ accessCode: 'ABCDEFGH' }, 'caseNo'],
      [{ caseNo: c.caseNo, accessCode: '' }, 'accessCode'],
      [{ caseNo: c.caseNo, accessCode: '    ' }, 'accessCode'],
      [{ caseNo: c.caseNo, accessCode: 'A'.repeat(33) }, 'accessCode'],
      [{ caseNo: c.caseNo, accessCode: '<script>alert(1)</script>' }, 'accessCode'],
      [{ caseNo: c.caseNo }, 'accessCode'],
      [{ caseNo: c.caseNo, accessCode: c.accessCode, extra: 1 }, 'extra'],
    ];
    for (const [body, field] of bad) {
      const r = await me.status(body);
      expect(r.status).toBe(400);
      expect(r.body.code).toBe('VALIDATION_FAILED');
      expect(r.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    const notJson = await request(env.url, 'POST', '/api/v1/public/case-status', {
      rawBody: '{"caseNo":',
      headers: { ...me.headers, 'content-type': 'application/json' },
    });
    expect(notJson.status).toBe(400);
    const form = await request(env.url, 'POST', '/api/v1/public/case-status', {
      rawBody: 'caseNo=x',
      headers: { ...me.headers, 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.status).toBe(415);
    // None of those counted as a failure: the right code still works for this client.
    expect((await me.status({ caseNo: c.caseNo, accessCode: c.accessCode })).status).toBe(200);
  });
});

describe('the page', () => {
  it('serves the page at / in Chinese by default, in English on request, with no inline script', async () => {
    const zh = await request(env.url, 'GET', '/');
    expect(zh.status).toBe(200);
    expect(zh.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(zh.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(zh.body).toContain('<html lang="zh-CN">');
    expect(zh.body).toContain('查询案件进度');
    expect(zh.body).not.toMatch(/\{\{/);
    // Every script is a file of the service; no inline code, no other host.
    const scripts = [...(zh.body as string).matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, content] of scripts) {
      expect(attrs).toMatch(/src="\/assets\//);
      expect(content.trim()).toBe('');
    }
    expect(zh.body).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(zh.body).not.toMatch(/\son[a-z]+=/i);

    const en = await request(env.url, 'GET', '/', { headers: { 'accept-language': 'en-GB,en;q=0.9' } });
    expect(en.body).toContain('<html lang="en">');
    expect(en.body).toContain('Check my case');
    const forced = await request(env.url, 'GET', '/?lang=en');
    expect(forced.body).toContain('<html lang="en">');

    const assets = [...(zh.body as string).matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
    expect(assets.length).toBeGreaterThanOrEqual(3);
    for (const path of assets) {
      const r = await request(env.url, 'GET', path);
      expect(r.status).toBe(200);
      expect(r.headers.get('cache-control')).toContain('immutable');
    }
    const js = await request(env.url, 'GET', '/assets/app.js');
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.body).not.toContain('innerHTML');
    const messages = await request(env.url, 'GET', '/assets/messages.json');
    expect(messages.body.zh['status.submitted']).toBe('已提交，等待受理');
    expect(messages.body.en['status.submitted']).toBe('Submitted, awaiting acceptance');
  });

  it('documents the public routes in the OpenAPI document, and not the page', async () => {
    const doc = await request(env.url, 'GET', '/api/docs-json');
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/public/committees',
        '/api/v1/public/applications',
        '/api/v1/public/case-status',
      ]),
    );
    expect(Object.keys(doc.body.paths)).not.toContain('/');
  });

  it('serves only its own files', async () => {
    for (const path of [
      '/assets/nope.js',
      '/assets/..%2Fpackage.json',
      '/assets/%2e%2e%2fpackage.json',
      '/index.html',
    ]) {
      const r = await request(env.url, 'GET', path);
      expect(r.status).toBe(404);
    }
    expect((await request(env.url, 'GET', '/api/v1/')).status).toBe(404);
    expect((await request(env.url, 'GET', '/health')).status).toBe(200);
  });
});
