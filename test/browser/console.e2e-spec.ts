import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startApi, TestEnv } from '../support/app';
import { describeIfChromium, eventually, launchChromium } from '../support/browser';
import { caseBody, login, residentId, seedWorld, World } from '../support/fixtures';
import { client } from '../support/http';

// The staff console in a real browser (Debian's Chromium, headless, driven by playwright-core): a coordinator takes
// a walk-in case in and assigns it, the mediator logs a session and records an agreement with two instalments, a
// payment is recorded, a liaison acknowledges a referral. Screenshots go to test/browser/screenshots/ (gitignored).
const describeWithChromium = describeIfChromium('the console');
const SHOTS = path.join(__dirname, 'screenshots');

jest.setTimeout(180_000);

/** A Beijing wall-clock time `minutes` from now, as a datetime-local value. */
function beijingLocal(minutes: number): string {
  return new Date(Date.now() + minutes * 60_000 + 8 * 3600_000).toISOString().slice(0, 16);
}
function beijingDate(days: number): string {
  return new Date(Date.now() + days * 86_400_000 + 8 * 3600_000).toISOString().slice(0, 10);
}

describeWithChromium('the staff console in Chromium', () => {
  let env: TestEnv;
  let w: World;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const problems: string[] = [];
  let caseId: string;
  let caseNo: string;

  const text = async (selector: string) => (await page.locator(selector).first().textContent()) ?? '';
  const containsText = (selector: string, wanted: string) =>
    eventually(
      () => text(selector),
      (v) => v.includes(wanted),
      `${selector} contains ${wanted}`,
    );
  const shoot = async (name: string) => {
    const width = page.viewportSize()?.width ?? 0;
    await page.screenshot({ path: path.join(SHOTS, `${name}-${width}.png`), fullPage: true });
  };
  const pageWidth = () => page.evaluate('document.documentElement.scrollWidth') as Promise<number>;
  const actionButtons = async () =>
    page
      .locator('#case-actions [data-action]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-action')));

  async function signIn(username: string) {
    await page.goto(`${env.url}/console`);
    await page.getByLabel('用户名').fill(username);
    await page.getByLabel('密码').fill('password-12345');
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.locator('h1', { hasText: '您好' }).waitFor();
  }
  async function signOut() {
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.locator('h1', { hasText: '登录' }).waitFor();
  }
  async function openCase(id: string) {
    await page.goto(`${env.url}/console/cases/${id}`);
    await page.locator('#case-status').waitFor();
  }
  async function openAction(action: string) {
    await page.locator(`#case-actions [data-action="${action}"]`).click();
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    env = await startApi();
    w = await seedWorld(env);
    browser = await launchChromium();
    context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: 'zh-CN',
      acceptDownloads: true,
    });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.on('console', (m) => {
      // Refusals the test provokes (400, 401, 404) are logged by Chromium as failed loads; anything else counts.
      if (m.type() === 'error' && !/status of (400|401|404|409|422) /.test(m.text()))
        problems.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('request', (req) => {
      if (!req.url().startsWith(env.url) && !req.url().startsWith('blob:'))
        problems.push(`request to another host: ${req.url()}`);
    });
  });

  // The page as each test left it (a failing step is easier to read from it).
  let step = 0;
  afterEach(async () => {
    await page
      ?.screenshot({ path: path.join(SHOTS, `after-test-${++step}.png`), fullPage: true })
      .catch(() => undefined);
  });

  afterAll(async () => {
    if (problems.length) console.log(problems);
    await browser?.close();
    await env?.close();
  });

  it('serves the console with a strict policy and nothing from other hosts', async () => {
    const res = await fetch(`${env.url}/console/cases/whatever`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    const html = await res.text();
    expect(html).not.toMatch(/https?:\/\//);
    expect((await fetch(`${env.url}/console/assets/nope.js`)).status).toBe(404);
  });

  it('a coordinator signs in, takes a walk-in case in, accepts and assigns it in one form', async () => {
    // Something in the intake queue already.
    expect(
      (
        await client(env.url, w.coordinator).post(
          '/api/v1/cases',
          caseBody({ worker: { ...caseBody().worker, name: '排队的人' } }),
        )
      ).status,
    ).toBe(201);
    await page.goto(`${env.url}/console`);
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    await shoot('signin');
    await signIn('coord1');
    await containsText('#intake-queue', '排队的人');
    await shoot('home-coordinator');

    await page.getByRole('link', { name: '登记新案件' }).first().click();
    await page.locator('#intake-form').waitFor();
    const idInput = page.getByRole('textbox', { name: '证件号码 （必填）', exact: true });
    // The checks as the user types: a wrong check digit, then a right one.
    const good = residentId('430102', '19880808', 7);
    await idInput.fill(good.slice(0, 17) + (good[17] === '1' ? '2' : '1'));
    await containsText('#intake-form', '校验位不正确');
    await idInput.fill(good);
    await containsText('#intake-form', '号码格式和校验位正确');
    const cc = page.getByRole('textbox', { name: '统一社会信用代码 （必填）' });
    await cc.fill('91350100M000100Y44');
    await containsText('#intake-form', '校验码不正确');
    await cc.fill('91350100M000100Y43');
    await containsText('#intake-form', '统一社会信用代码校验正确');

    // The worker came in three hours ago; the session is logged after the fact.
    await page.locator('[data-field="applicationReceivedAt"]').fill(beijingLocal(-180));
    await page.getByLabel('姓名 / 名称', { exact: false }).fill('张三');
    await page.getByLabel('手机号码', { exact: false }).fill('12345');
    await page.getByLabel('单位名称', { exact: false }).fill('某某物流有限公司');
    await page.getByLabel('入职日期', { exact: false }).fill('2024-03-01');
    await page.locator('[data-field="claims.0.amountFen"]').fill('8,000');
    await page.locator('[data-field="claims.0.description"]').fill('2026年1月至2月工资');
    await page.getByLabel('登记后立即受理', { exact: false }).check();
    await page.getByLabel('调解员', { exact: true }).selectOption({ label: 'med1' });
    // A refusal from the API lands on its field, and the summary takes the focus.
    await page.getByRole('button', { name: '登记案件' }).click();
    await eventually(
      () => page.locator('[data-field="worker.phone"]').getAttribute('aria-invalid'),
      (v) => v === 'true',
      'phone marked',
    );
    const phoneErr = await page.locator('[data-field="worker.phone"]').getAttribute('aria-describedby');
    expect(await text(`#${phoneErr!.split(' ').pop()}`)).not.toBe('');
    expect(await page.evaluate('document.activeElement.className')).toBe('summary');
    await shoot('intake-errors');
    await page.getByLabel('手机号码', { exact: false }).fill('13800138000');
    await page.getByRole('button', { name: '登记案件' }).click();
    await page.locator('#case-status').waitFor();
    await containsText('#case-status', '调解中');
    await containsText('#flash', '查询码');
    caseId = page.url().split('/').pop()!;
    caseNo = (await text('h1')).match(/CSZGH-\d{4}-\d{5}/)![0];
    await containsText('.case-page', 'med1');
    // What a coordinator may do while the case is in mediation: no session record, no agreement.
    expect(await actionButtons()).toEqual([
      'assign',
      'schedule_session',
      'extend',
      'fail',
      'withdraw',
      'correct',
      'reset_access_code',
    ]);
    // ID numbers masked, and revealed on request (audited).
    await containsText('.case-page', `${good.slice(0, 6)}********${good.slice(14)}`);
    await page.locator('#reveal-id').click();
    await containsText('.case-page', good);
    await containsText('#flash', '查询码');
    await shoot('case-coordinator');
  });

  it('the mediator logs a past session and records an agreement with two instalments, and a payment', async () => {
    await signOut();
    await signIn('med1');
    await containsText('#my-cases', caseNo);
    // The mediation period (15 days) is not due within the week: the list says there is nothing.
    await containsText('#deadlines-soon', '暂无');
    await shoot('home-mediator');
    await openCase(caseId);
    expect(await actionButtons()).toEqual(['settle_now', 'schedule_session', 'record_agreement', 'fail']);
    expect(await page.locator('#reveal-id').count()).toBe(0);

    await openAction('schedule_session');
    await page.locator('[data-field="startsAt"]').fill(beijingLocal(-120));
    await page.locator('[data-field="durationMinutes"]').fill('60');
    await page.locator('[data-field="location"]').fill('芙蓉区调解室一');
    await page.getByRole('button', { name: '安排', exact: true }).click();
    await containsText('#flash', '已安排调解');
    await page.locator('#sessions').getByRole('button', { name: '记录' }).click();
    await page.locator('[data-field="notes"]').fill('双方同意分两期支付。');
    await page.locator('[data-field="outcome"]').selectOption('agreement');
    await page.getByRole('button', { name: '保存记录' }).click();
    await containsText('#flash', '已记录该次调解');
    await containsText('#sessions', '已记录');

    await openAction('record_agreement');
    const form = page.locator('form.wide-form');
    await form.locator('[data-field="items.0.amountFen"]').fill('12000');
    await form.locator('[data-field="instalments.0.dueOn"]').fill(beijingDate(20));
    await form.locator('[data-field="instalments.0.amountFen"]').fill('7000');
    await form.getByRole('button', { name: '增加一期' }).click();
    await form.locator('[data-field="instalments.1.dueOn"]').fill(beijingDate(50));
    await form.locator('[data-field="instalments.1.amountFen"]').fill('4000');
    await form.getByRole('button', { name: '保存调解协议' }).click();
    // 7,000 + 4,000 is not 12,000: the API says so, and the form keeps what was typed.
    await form.locator('.summary').waitFor({ state: 'visible' });
    await containsText('[data-group="instalments"] > .group-err', '1200000');
    await shoot('agreement-errors');
    await form.locator('[data-field="instalments.1.amountFen"]').fill('5000');
    await form.getByRole('button', { name: '保存调解协议' }).click();
    await containsText('#case-status', '调解成功，协议履行中');
    await containsText('#instalments', '¥7,000.00');
    await containsText('#instalments', '¥5,000.00');
    await containsText('#ledger-totals', '¥12,000.00');

    expect(await actionButtons()).toEqual(['record_payment', 'refer_judicial_confirmation']);
    await openAction('record_payment');
    await page.locator('[data-field="amountFen"]').fill('3,000.50');
    await page.getByRole('button', { name: '保存付款' }).click();
    await containsText('#flash', '已记录付款');
    await containsText('#payments', '¥3,000.50');
    await containsText('#ledger-totals', '¥8,999.50');
    const download = page.waitForEvent('download');
    await page.locator('#print-agreement').click();
    expect((await download).suggestedFilename()).toBe(`agreement-${caseNo}.pdf`);
    await shoot('case-mediator');
    expect(await pageWidth()).toBeLessThanOrEqual(1280);
  });

  it('the mediator gets a calendar feed address', async () => {
    await page.getByRole('link', { name: '日历订阅' }).click();
    await page.getByRole('button', { name: '生成订阅地址' }).click();
    const url = await eventually(
      () =>
        page
          .locator('#feed-url')
          .inputValue()
          .catch(() => ''),
      (v) => v.endsWith('.ics'),
      'feed url',
    );
    const feed = await fetch(url);
    expect(feed.status).toBe(200);
    expect(await feed.text()).toContain(caseNo);
    await shoot('calendar');
  });

  it('a walk-in settled at the table: the session and the agreement in one form', async () => {
    const coord = client(env.url, w.coordinator);
    const received = new Date(Date.now() - 3 * 3600_000 + 8 * 3600_000).toISOString().slice(0, 19) + '+08:00';
    const created = await coord.post('/api/v1/cases', caseBody({ applicationReceivedAt: received }));
    expect((await coord.post(`/api/v1/cases/${created.body.id}/accept`, {})).status).toBe(200);
    expect(
      (await coord.post(`/api/v1/cases/${created.body.id}/assign`, { mediatorId: w.mediatorId })).status,
    ).toBe(200);
    await openCase(created.body.id);
    await openAction('settle_now');
    const form = page.locator('form.wide-form');
    await form.locator('[data-field="record.notes"]').fill('当场达成一致。');
    await form.locator('[data-field="agreement.instalments.0.dueOn"]').fill(beijingDate(30));
    await form.locator('[data-field="agreement.instalments.0.amountFen"]').fill('12500');
    await shoot('settle-form');
    await form.getByRole('button', { name: '保存调解和协议' }).click();
    await containsText('#case-status', '调解成功，协议履行中');
    await containsText('#sessions', '达成协议');
    await containsText('#ledger-totals', '¥12,500.00');
  });

  it('never offers what the API would refuse', async () => {
    const coord = client(env.url, w.coordinator);
    const unassigned = await coord.post('/api/v1/cases', caseBody());
    // A mediator on the committee's unassigned case: read-only.
    await openCase(unassigned.body.id);
    expect(await actionButtons()).toEqual([]);
    await containsText('#case-actions', '您现在没有可进行的操作');
    // A coordinator on a performing case: payments, withdrawal and the code; no agreement, no corrections.
    await signOut();
    await signIn('coord1');
    await openCase(caseId);
    expect(await actionButtons()).toEqual(['record_payment', 'withdraw', 'reset_access_code']);
    await openCase(unassigned.body.id);
    expect(await actionButtons()).toEqual(['accept', 'reject', 'withdraw', 'correct', 'reset_access_code']);
    // A forged post for another committee's case is refused as the API refuses it: 404.
    const theirs = await client(env.url, w.otherCoordinator).post('/api/v1/cases', caseBody());
    expect(theirs.status).toBe(201);
    // Sent from the signed-in page with the user's own token, as a hand-made form post would be.
    const forged = await page.evaluate(`(async () => {
      const token = sessionStorage.getItem('mediation.console.token');
      const r = await fetch('/api/v1/cases/${theirs.body.id}/accept', {
        method: 'POST',
        headers: { authorization: 'Bearer ' + token, 'content-type': 'application/json' },
        body: '{}',
      });
      return { status: r.status, body: await r.json() };
    })()`);
    expect(forged).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
    // The home pages' lists keep the case scope: another committee sees none of ours, a mediator none of another's.
    const from = encodeURIComponent(new Date(Date.now() - 86_400_000).toISOString());
    const ours = await client(env.url, w.coordinator).get(`/api/v1/desk/agenda?from=${from}`);
    expect(ours.body.items.map((x: any) => x.caseNo)).toContain(caseNo);
    const theirsAgenda = await client(env.url, w.otherCoordinator).get(`/api/v1/desk/agenda?from=${from}`);
    expect(theirsAgenda.body.items).toEqual([]);
    const later = encodeURIComponent(new Date(Date.now() + 90 * 86_400_000).toISOString());
    const med2 = await client(env.url, w.unrosteredMediator).get(
      `/api/v1/desk/deadlines?mine=true&dueBefore=${later}`,
    );
    expect(med2.body.items).toEqual([]);
    const med1 = await client(env.url, w.mediator).get(`/api/v1/desk/deadlines?mine=true&dueBefore=${later}`);
    expect(med1.body.items.map((x: any) => x.caseNo)).toContain(caseNo);
    expect((await client(env.url, w.admin).get('/api/v1/desk/agenda')).status).toBe(403);
    // A correction by the coordinator, with its reason.
    await openCase(unassigned.body.id);
    await openAction('correct');
    await page.locator('[data-field="reason"]').fill('申请人补充了事实');
    await page.locator('[data-field="facts"]').fill('用人单位拖欠工资三个月，另未缴社保。');
    await page.getByRole('button', { name: '保存更正' }).click();
    await containsText('#flash', '已更正');
    await containsText('.case-page', '另未缴社保');
    // The employer declined mediation: the coordinator rejects the case with the reason.
    await openAction('reject');
    await page.locator('[data-field="reason"]').fill('被申请人明确表示不同意调解');
    await page.getByLabel('被申请人不同意调解').check();
    await page.getByRole('button', { name: '确认不予受理' }).click();
    await containsText('#flash', '已决定不予受理');
    // Closed: only a new access code is left (the worker may still look the outcome up).
    expect(await actionButtons()).toEqual(['reset_access_code']);
    const closed = await client(env.url, w.coordinator).get(`/api/v1/cases/${unassigned.body.id}`);
    expect(closed.body).toMatchObject({ status: 'closed', closureReason: 'respondent_refused' });
    await page.goto(`${env.url}/console/cases/${theirs.body.id}`);
    await containsText('h1', '没有找到');
  });

  it('a mediator applies for judicial confirmation; the liaison acknowledges it on the desk', async () => {
    await signOut();
    await signIn('med1');
    await openCase(caseId);
    await openAction('refer_judicial_confirmation');
    await page.getByLabel('双方当事人已共同申请').check();
    await page.getByRole('button', { name: '提交法院' }).click();
    await containsText('#flash', '已提交法院');
    await signOut();
    await signIn('liaison1');
    await containsText('#referral-desk', caseNo);
    await shoot('home-liaison');
    await page.locator('#referral-desk').getByRole('link', { name: caseNo }).click();
    await page.locator('#referral-status').waitFor();
    await shoot('referral-liaison');
    await page.getByRole('button', { name: '确认签收' }).click();
    await containsText('#flash', '已签收');
    await containsText('#referral-status', '法院已收到');
    // The next steps are the table's: a decision now, no second acknowledgement.
    expect(await page.getByRole('button', { name: '确认签收' }).count()).toBe(0);
    await containsText('#referral-actions', '法院决定');
    // The court accepts it, then confirms the agreement: each form the §9 table offers at that point.
    const decision = page.locator('#referral-actions form', { hasText: '保存决定' });
    await decision.locator('[data-field="decision"]').selectOption('accepted');
    await decision.locator('[data-field="courtCaseNo"]').fill('(2026)湘0102民特12号');
    await decision.getByRole('button', { name: '保存决定' }).click();
    await containsText('#flash', '已记录法院决定');
    const outcome = page.locator('#referral-actions form', { hasText: '保存结果' });
    await outcome.locator('[data-field="outcome"]').selectOption('confirmed');
    await outcome.getByRole('button', { name: '保存结果' }).click();
    await containsText('#flash', '已记录处理结果');
    expect(await page.getByRole('button', { name: '保存结果' }).count()).toBe(0);
    const referrals = await client(env.url, w.liaison).get('/api/v1/referrals?kind=judicial_confirmation');
    expect(referrals.body.items[0]).toMatchObject({
      status: 'confirmed',
      courtCaseNo: '(2026)湘0102民特12号',
    });

    // The liaison sends a court-delegated case to the partner committee.
    await page.getByRole('link', { name: '委派案件' }).click();
    await page.locator('#intake-form').waitFor();
    expect(
      await page.locator('[data-field="source"] option').evaluateAll((o) => o.map((x) => (x as any).value)),
    ).toEqual(['court_delegated', 'court_entrusted']);
    await page.locator('[data-field="committeeId"]').selectOption(w.committeeId);
    await page.locator('[data-field="originReference"]').fill('(2026)湘0102民诉前调88号');
    await page.locator('[data-field="worker.name"]').fill('李四');
    await page.locator('[data-field="worker.idNumber"]').fill(residentId('430102', '19900505', 42));
    await page.locator('[data-field="worker.phone"]').fill('13900139000');
    await page.locator('[data-field="employer.name"]').fill('某某建筑公司');
    await page.locator('[data-field="employer.creditCode"]').fill('91350100M000100Y43');
    await page.locator('[data-field="employment.startDate"]').fill('2025-01-01');
    await page.locator('[data-field="claims.0.amountFen"]').fill('20000');
    await shoot('intake-liaison');
    await page.getByRole('button', { name: '委派给调解委员会' }).click();
    await containsText('#case-status', '已提交，等待受理');
    await containsText('.case-page', '(2026)湘0102民诉前调88号');
    expect(await actionButtons()).toEqual([]);
  });

  it('works in English and on a tablet', async () => {
    await page.setViewportSize({ width: 768, height: 1024 });
    await page.goto(`${env.url}/console`);
    await page.locator('h1', { hasText: '您好' }).waitFor();
    await shoot('home-liaison');
    expect(await pageWidth()).toBeLessThanOrEqual(768);
    await page.locator('#lang-switch').click();
    await page.locator('h1', { hasText: 'Hello' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Username').fill('med1');
    await page.getByLabel('Password').fill('password-12345');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('h1', { hasText: 'Hello' }).waitFor();
    await shoot('home-mediator-en');
    await openCase(caseId);
    await containsText('#case-status', 'Agreement reached, awaiting payment');
    await shoot('case-mediator-en');
    expect(await pageWidth()).toBeLessThanOrEqual(768);
    await page.locator('#lang-switch').click();
    await signOut();
    await signIn('coord1');
    await page.getByRole('link', { name: '登记新案件' }).first().click();
    await page.locator('#intake-form').waitFor();
    await shoot('intake');
    expect(await pageWidth()).toBeLessThanOrEqual(768);
    // Keyboard: a new page puts the focus on its heading; the next Tab is the form's first field, with a visible ring.
    expect(await page.evaluate('document.activeElement.tagName')).toBe('H1');
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.getAttribute("data-field")')).toBe('source');
    expect(await page.evaluate('getComputedStyle(document.activeElement).outlineStyle')).toBe('solid');
    expect(problems).toEqual([]);
  });

  it('renews an expired sign-in over the page, keeping what was typed, and then saves it', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await signOut();
    await signIn('med1');
    await openCase(caseId);
    await openAction('record_payment');
    await page.locator('[data-field="amountFen"]').fill('100');
    // Meanwhile the mediator's sign-in ends elsewhere: a password change ends every token at once.
    const token = await login(env, 'med1', 'password-12345');
    const changed = await client(env.url, token).post('/api/v1/auth/password', {
      currentPassword: 'password-12345',
      newPassword: 'password-67890',
    });
    expect(changed.status).toBeLessThan(300);
    await page.getByRole('button', { name: '保存付款' }).click();
    const dialog = page.locator('dialog#renew-session');
    await dialog.waitFor();
    await shoot('renew-session');
    await dialog.getByLabel('密码').fill('not-the-password');
    await dialog.getByRole('button', { name: '登录' }).click();
    await containsText('dialog#renew-session [role="alert"]', '用户名或密码不正确');
    await dialog.getByLabel('密码').fill('password-67890');
    await dialog.getByRole('button', { name: '登录' }).click();
    await containsText('#flash', '已记录付款');
    await containsText('#payments', '¥100.00');
    expect(await dialog.count()).toBe(0);
    expect(page.url()).toBe(`${env.url}/console/cases/${caseId}`);
  });
});
