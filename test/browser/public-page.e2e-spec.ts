import { type Browser, type Page } from 'playwright-core';
import { startApi, TestEnv } from '../support/app';
import { describeIfChromium, eventually, launchChromium } from '../support/browser';
import { caseBody, creditCode, residentId, seedWorld, World } from '../support/fixtures';
import { client } from '../support/http';

// The workers' page in a real browser (SPEC §10): Debian's Chromium, headless, driven by playwright-core, on a
// 360 × 740 phone screen. Apply, keep the access code, check the status, switch to English.
const describeWithChromium = describeIfChromium('the public page');

jest.setTimeout(120_000);

describeWithChromium('the public page in Chromium', () => {
  let env: TestEnv;
  let w: World;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  let applied: { caseNo: string; accessCode: string };

  const text = (selector: string) => page.locator(selector).first().textContent();
  const containsText = (selector: string, wanted: string) =>
    eventually(
      () => text(selector),
      (v) => (v ?? '').includes(wanted),
      `${selector} contains ${wanted}`,
    );
  const hasText = (selector: string, wanted: string) =>
    eventually(
      () => text(selector),
      (v) => (v ?? '').trim() === wanted,
      `${selector} is ${wanted}`,
    );
  const visible = (selector: string) => page.locator(selector).first().waitFor({ state: 'visible' });
  const focused = (selector: string) =>
    eventually(
      () => page.evaluate(`document.activeElement === document.querySelector(${JSON.stringify(selector)})`),
      (v) => v === true,
      `${selector} focused`,
    );
  const pageWidth = () => page.evaluate('document.documentElement.scrollWidth') as Promise<number>;

  beforeAll(async () => {
    env = await startApi();
    w = await seedWorld(env);
    // A committee whose name carries markup: it must show as text in the list.
    const r = await client(env.url, w.admin).post('/api/v1/organisations', {
      kind: 'committee',
      name: '测试<img src=x onerror="window.__xss=1">委员会',
      code: 'XSSTEST',
      address: '长沙市岳麓区某路2号',
      phone: '0731-87654321',
      hours: '周一至周五 9:00-17:00',
      partnerCourtIds: [w.courtId],
    });
    expect(r.status).toBe(201);
    browser = await launchChromium();
    const context = await browser.newContext({
      viewport: { width: 360, height: 740 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: 'zh-CN',
    });
    page = await context.newPage();
    page.on('console', (m) => {
      // The refusals this test provokes (400, 404) are logged by Chromium as failed loads; anything else counts,
      // CSP violations ("Refused to …") above all.
      if (m.type() === 'error' && !/status of (400|404) /.test(m.text()))
        problems.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (req) => problems.push(`request failed: ${req.url()}`));
    page.on('request', (req) => {
      if (!req.url().startsWith(env.url)) problems.push(`request to another host: ${req.url()}`);
    });
  });

  afterAll(async () => {
    await browser?.close();
    await env?.close();
  });

  it('fills the application form, submits it and shows the access code prominently', async () => {
    await page.goto(`${env.url}/`);
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    await page.screenshot({ path: '/tmp/public-page-home.png', fullPage: true });
    await page.getByRole('link', { name: '我要申请调解' }).click();
    await focused('#apply-title');

    const committee = page.getByLabel('调解委员会');
    await page.waitForFunction("document.querySelectorAll('#a-committee option').length >= 4");
    const names = await committee.locator('option').allTextContents();
    expect(names).toContain('测试<img src=x onerror="window.__xss=1">委员会');
    await committee.selectOption(w.committeeId);
    await containsText('#a-committee-info', '0731-12345678');

    // Submitting with required fields empty is caught on the page, named in a summary that takes the focus.
    await page.getByRole('button', { name: '提交申请' }).click();
    await visible('#apply-errors');
    await focused('#apply-errors');
    expect(await page.locator('#a-worker-name').getAttribute('aria-invalid')).toBe('true');
    await page.screenshot({ path: '/tmp/public-page-form-errors.png', fullPage: true });

    await page.getByLabel('姓名').fill('<script>window.__xss=2</script>王小明');
    await page
      .getByLabel('证件号码', { exact: false })
      .first()
      .fill(residentId('430102', '19880808', 7));
    await page.getByLabel('手机号码').fill('13800138000');
    await page.getByLabel('单位名称').fill('某某公司<img src=x onerror="window.__xss=3">');
    await page.getByRole('textbox', { name: '统一社会信用代码' }).fill(creditCode('430102', 42));
    await page.getByLabel('入职日期').fill('2024-03-01');
    await page.getByLabel('离职日期').fill('2026-01-31');
    await page.getByLabel('金额（元）', { exact: false }).fill('12,500.5');
    await page.getByLabel('事实和理由', { exact: false }).fill('拖欠三个月工资。<b>不是粗体</b>');
    // A server-side refusal (an ID with a wrong check digit) comes back on the field, in Chinese.
    await page.getByLabel('证件号码', { exact: false }).first().fill('430102198808080071');
    await page.getByRole('button', { name: '提交申请' }).click();
    await containsText('#a-worker-idNumber-err', '证件号码不正确');
    await page
      .getByLabel('证件号码', { exact: false })
      .first()
      .fill(residentId('430102', '19880808', 7));
    await page.getByRole('button', { name: '提交申请' }).click();

    const code = page.locator('#applied-code');
    await visible('#applied-code');
    await focused('#applied-title');
    applied = {
      caseNo: (await page.locator('#applied-case-no').textContent())!,
      accessCode: (await code.getAttribute('data-code'))!,
    };
    expect(applied.caseNo).toMatch(/^CSZGH-\d{4}-\d{5}$/);
    expect(applied.accessCode).toMatch(/^[0-9A-HJKMNP-TV-Z]{8}$/);
    expect(await code.textContent()).toBe(`${applied.accessCode.slice(0, 4)} ${applied.accessCode.slice(4)}`);
    // Large on a phone: the code is the most prominent text of the receipt.
    const size = Number(
      await page.evaluate("parseFloat(getComputedStyle(document.querySelector('#applied-code')).fontSize)"),
    );
    expect(size).toBeGreaterThanOrEqual(30);
    await containsText('.receipt', '请立即抄写或截图保存');
    // What was typed shows as typed: escaped, never run.
    await containsText(
      '#applied-parties',
      '申请人：<script>window.__xss=2</script>王小明；被申请人：某某公司<img src=x onerror="window.__xss=3">',
    );
    await containsText('#applied-parties', '¥12,500.50');
    expect(await page.evaluate('typeof window.__xss')).toBe('undefined');
    expect(await pageWidth()).toBeLessThanOrEqual(360);
    await page.screenshot({ path: '/tmp/public-page-applied.png', fullPage: true });

    const stored = await env.db.query(
      `SELECT worker_name, source, claimed_total_fen FROM cases WHERE case_no = $1`,
      [applied.caseNo],
    );
    expect(stored.rows[0]).toEqual({
      worker_name: '<script>window.__xss=2</script>王小明',
      source: 'online',
      claimed_total_fen: '1250050',
    });
  });

  it('checks the status with the case number and code, by keyboard, and switches to English', async () => {
    await page.goto(`${env.url}/#status`);
    await visible('#status-title');
    // A wrong code: the message is announced (role=status) and says what to do.
    await page.getByLabel('案件编号').fill(applied.caseNo);
    await page.getByLabel('查询码').fill('ZZZZ ZZZZ' === applied.accessCode ? 'YYYYYYYY' : 'ZZZZ ZZZZ');
    await page.getByLabel('查询码').press('Enter');
    await containsText('#status-message', '案件编号或查询码不正确');

    const loose = `${applied.accessCode.slice(0, 4).toLowerCase()}-${applied.accessCode.slice(4).toLowerCase()}`;
    await page.getByLabel('查询码').fill(loose);
    await page.getByLabel('查询码').press('Enter');
    await hasText('#result-status', '已提交，等待受理');
    await focused('#result-title');
    await containsText('#status-result', '长沙市总工会劳动争议人民调解委员会');
    await containsText('#status-result', '提交调解申请');
    expect(await pageWidth()).toBeLessThanOrEqual(360);
    await page.screenshot({ path: '/tmp/public-page-status.png', fullPage: true });

    await page.locator('#lang-switch').click();
    await hasText('#result-status', 'Submitted, awaiting acceptance');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await hasText('#status-title', 'Check my case');
    await hasText('#lang-switch', '中文');
    expect(page.url()).toContain('lang=en');
    await page.screenshot({ path: '/tmp/public-page-status-en.png', fullPage: true });

    // The case accepted by the committee: the page shows the new label after the next check.
    const found = await env.db.query(`SELECT id FROM cases WHERE case_no = $1`, [applied.caseNo]);
    expect(
      (await client(env.url, w.coordinator).post(`/api/v1/cases/${found.rows[0].id}/accept`, {})).status,
    ).toBe(200);
    await page.getByRole('button', { name: 'Check' }).click();
    await hasText('#result-status', 'Accepted, assigning a mediator');
    await containsText('#status-result', 'Mediation period');

    expect(problems).toEqual([]);
  });

  it('shows an agreement’s totals and next instalment, and never the session notes', async () => {
    const staff = client(env.url, w.coordinator);
    const created = await staff.post('/api/v1/cases', caseBody());
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    await staff.post(`/api/v1/cases/${id}/accept`, {});
    await staff.post(`/api/v1/cases/${id}/assign`, { mediatorId: w.mediatorId });
    const med = client(env.url, w.mediator);
    const session = await med.post(`/api/v1/cases/${id}/sessions`, {
      startsAt: '2026-03-05T10:00:00+08:00',
      durationMinutes: 60,
      mode: 'in_person',
      location: '芙蓉区调解室一',
    });
    await med.post(`/api/v1/cases/${id}/sessions/${session.body.id}/record`, {
      attendees: ['worker', 'employer'],
      notes: 'SECRET-NOTES-4411',
      outcome: 'agreement',
      endedAt: '2026-03-05T11:00:00+08:00',
    });
    const agreement = await med.post(`/api/v1/cases/${id}/agreement`, {
      signedAt: '2026-03-10T15:00:00+08:00',
      items: [{ claimType: 'wage_arrears', amountFen: 1250000 }],
      instalments: [
        { dueOn: '2027-01-31', amountFen: 750000 },
        { dueOn: '2027-02-28', amountFen: 500000 },
      ],
    });
    expect(agreement.status).toBe(201);
    expect(
      (await med.post(`/api/v1/cases/${id}/payments`, { amountFen: 250000, paidOn: '2026-11-20' })).status,
    ).toBe(201);

    await page.goto(`${env.url}/?lang=zh#status`);
    await page.getByLabel('案件编号').fill(created.body.caseNo);
    await page.getByLabel('查询码').fill(created.body.accessCode);
    await page.getByRole('button', { name: '查询' }).click();
    await hasText('#result-status', '调解成功，协议履行中');
    const result = (await text('#status-result')) ?? '';
    for (const shown of [
      '¥12,500.00',
      '¥2,500.00',
      '¥10,000.00',
      '下一期：2027年1月31日前支付¥5,000.00',
      'med1',
      '达成调解协议',
      '收到付款',
    ]) {
      expect(result).toContain(shown);
    }
    for (const hidden of ['SECRET-NOTES-4411', '李经理', '0731-88888888', 'hr@example.com', '13800138000']) {
      expect(result).not.toContain(hidden);
    }
    expect(await pageWidth()).toBeLessThanOrEqual(360);
    await page.screenshot({ path: '/tmp/public-page-agreement.png', fullPage: true });
    expect(problems).toEqual([]);
  });
});
