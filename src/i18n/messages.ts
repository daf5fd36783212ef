/**
 * The one message catalogue of what workers read (SPEC §10): the status check's labels and next steps, and
 * every string of the public page. Chinese is the default; English when `Accept-Language` prefers it. The
 * English table is typed from the Chinese one, so a key missing in either fails the type check.
 *
 * Templates use `{name}` placeholders, filled by `t()`.
 */
import type { CaseStatus, ClaimType, ClosureReason, IdType } from '../common/domain';

export const LANGS = ['zh', 'en'] as const;
export type Lang = (typeof LANGS)[number];
export const DEFAULT_LANG: Lang = 'zh';

type StatusKey = Exclude<CaseStatus, 'closed'> | `closed/${ClosureReason}`;

const zh = {
  /** SPEC §10's table. */
  status: {
    submitted: '已提交，等待受理',
    accepted: '已受理，正在安排调解员',
    in_mediation: '调解中',
    performing: '调解成功，协议履行中',
    defaulted: '用人单位逾期未付款',
    referred: '已申请法院处理（支付令/司法确认）',
    'closed/settled': '已结案：款项已付清',
    'closed/rejected': '已结案：不予受理',
    'closed/respondent_refused': '已结案：对方不同意调解，您可申请仲裁',
    'closed/withdrawn': '已结案：已撤回申请',
    'closed/mediation_failed': '已结案：调解未成功，可申请仲裁',
    'closed/returned_to_origin': '已结案：已退回法院（仲裁委）处理',
    'closed/litigation': '已结案：已转入法院诉讼',
    'closed/enforcement_concluded': '已结案：法院执行已终结',
  } satisfies Record<StatusKey, string>,

  /** The public timeline: one line per case event a worker may see (never reasons or notes). */
  timeline: {
    intake: '提交调解申请',
    accept: '委员会受理申请',
    assign: '指派调解员',
    schedule_session: '安排调解',
    reschedule_session: '调解时间变更',
    cancel_session: '调解取消',
    record_session: '进行调解',
    extend: '调解期限延长',
    record_agreement: '达成调解协议',
    record_payment: '收到付款',
    instalment_overdue: '用人单位逾期未付款',
    refer_payment_order: '申请法院支付令',
    refer_judicial_confirmation: '申请法院司法确认',
    court_step: '法院处理进展',
    withdraw: '撤回申请',
  } as Record<string, string>,

  sessionMode: { in_person: '现场调解', online: '线上调解', phone: '电话调解' } as Record<string, string>,

  referralKind: { payment_order: '支付令', judicial_confirmation: '司法确认' } as Record<string, string>,

  /** SPEC §9's referral statuses in plain words. */
  referralStatus: {
    sent: '已提交法院',
    acknowledged: '法院已收到',
    accepted: '法院已受理',
    rejected: '法院不予受理',
    dismissed: '法院驳回申请',
    order_issued: '法院已发出支付令',
    order_served: '支付令已送达用人单位',
    not_served: '支付令未能送达',
    objection_filed: '用人单位提出异议',
    terminated: '督促程序终结',
    enforceable: '支付令已生效，可申请执行',
    enforcement: '法院强制执行中',
    concluded: '执行已终结',
    withdrawn: '申请已撤回',
    paid: '款项已付清',
    confirmed: '法院已确认调解协议',
    refused: '法院未确认调解协议',
  } as Record<string, string>,

  /** Sentences the next step is made of (SPEC §10: where to go, by when). */
  step: {
    submitted: '委员会将决定是否受理您的申请，请保持电话畅通。',
    decisionBy: '预计在{date}前作出受理决定。',
    accepted: '委员会已受理您的申请，正在为您安排调解员。',
    session: '请按时参加调解：{when}，{place}。',
    sessionNoPlace: '请按时参加调解：{when}。',
    waitForSession: '调解员将与您联系，安排调解时间。',
    mediationBy: '调解期限至{date}；期满未达成协议的，您可以申请仲裁。',
    instalmentDue: '下一期款项{amount}应于{date}前支付。如用人单位逾期未付，请联系委员会。',
    awaitPayment: '请等待用人单位按协议付款。',
    defaulted: '用人单位逾期未付款。请联系委员会，了解申请支付令或申请仲裁的办法。',
    referred: '案件已提交法院处理，请留意法院的通知。',
    referralWithCourt: '案件已提交{name}处理，请留意法院的通知。',
    referralOrder: '{name}已发出支付令。用人单位可以在收到后15日内提出异议；请留意法院的通知。',
    referralEnforceable: '支付令已生效。用人单位仍不付款的，请在{date}前向{name}申请强制执行。',
    referralEnforcement: '{name}正在强制执行，请留意法院的通知。',
    settled: '款项已全部付清，案件已办结，您无需再做什么。',
    arbitrationAt: '您可以向{name}申请劳动争议仲裁。',
    arbitrationGeneric: '您可以向劳动合同履行地或用人单位所在地的劳动人事争议仲裁委员会申请仲裁。',
    arbitrationBy: '请在{date}前申请（仲裁时效）。',
    arbitrationWithinYear: '仲裁时效一般为一年，请尽快申请。',
    advanceExecution: '追索劳动报酬、工伤医疗费、经济补偿或者赔偿金的，可以向仲裁委员会申请先予执行。',
    returnedTo: '案件已退回{name}处理，请留意其通知。',
    returnedGeneric: '案件已退回原移送的法院或仲裁委员会处理，请留意其通知。',
    withdrawn: '您已撤回申请，案件已办结。如需调解，可以重新申请。',
    litigation:
      '争议已转入{name}的诉讼程序。如您不同意转入诉讼，请在收到终结督促程序裁定之日起7日内向该法院提出。',
    enforcementConcluded: '法院执行程序已终结。如有疑问，请联系委员会。',
    contact: '如有疑问，请致电{phone}。',
    court: '法院',
  },

  /** luxon formats for dates and times shown to workers (Asia/Shanghai). */
  format: { locale: 'zh-CN', date: 'yyyy年M月d日', dateTime: 'yyyy年M月d日 HH:mm', separator: '' },

  /** The inbox row coordinators get when a case's status check is locked (SPEC §10). */
  notification: {
    lockedTitle: '案件{caseNo}的进度查询已被暂停',
    lockedBody:
      '一小时内该案件的查询码错误次数过多，系统已暂停所有人对该案件的进度查询一小时。如申请人无法查询，请核实身份后为其重置查询码。',
  },

  /** The public page (assets/public/index.html and app.js). */
  page: {
    title: '劳动争议调解 · 在线申请与进度查询',
    skip: '跳到主要内容',
    langSwitch: 'English',
    intro: '劳动者可以在这里向工会劳动争议人民调解委员会申请调解，或用案件编号和查询码查询案件进度。',
    chooseApply: '我要申请调解',
    chooseStatus: '查询案件进度',
    back: '返回首页',
    required: '（必填）',
    optional: '（选填）',
    submit: '提交申请',
    submitting: '正在提交…',
    check: '查询',
    checking: '正在查询…',
    noscript: '本页面需要启用 JavaScript。您也可以直接致电调解委员会。',
    loadFailed: '无法加载调解委员会列表，请稍后刷新重试。',
    // application form
    applyTitle: '申请调解',
    applyIntro: '请如实填写。标有“必填”的项目必须填写。您的身份证件号码将加密保存，只用于处理您的案件。',
    committee: '调解委员会',
    committeeChoose: '请选择',
    committeeHours: '办公时间：{hours}',
    committeePhone: '电话：{phone}',
    committeeAddress: '地址：{address}',
    workerSection: '申请人（您本人）',
    workerName: '姓名',
    idType: '证件类型',
    idNumber: '证件号码',
    phone: '手机号码',
    email: '电子邮箱',
    address: '送达地址',
    employerSection: '被申请人（用人单位）',
    employerName: '单位名称',
    employerIsPerson: '对方是个人（如包工头），没有统一社会信用代码',
    creditCode: '统一社会信用代码',
    employerIdNumber: '对方身份证件号码',
    employerAddress: '单位地址',
    contactName: '联系人',
    contactPhone: '联系电话',
    employmentSection: '工作情况',
    startDate: '入职日期',
    endDate: '离职日期',
    position: '岗位',
    claimsSection: '请求事项',
    claimType: '请求类型',
    amount: '金额（元）',
    claimDescription: '说明',
    addClaim: '再添加一项请求',
    removeClaim: '删除这项请求',
    claimLegend: '第{n}项请求',
    knewOn: '知道权利受到侵害的日期',
    facts: '事实和理由',
    // application result
    appliedTitle: '申请已提交',
    appliedCaseNo: '案件编号',
    appliedCode: '查询码',
    appliedKeep:
      '请立即抄写或截图保存案件编号和查询码。查询码只显示这一次，查询进度时需要同时输入两者。遗失查询码可联系调解委员会重置。',
    appliedParties: '申请人：{worker}；被申请人：{employer}；请求金额合计：{amount}',
    appliedNext: '委员会将在3个工作日内决定是否受理，请保持电话畅通。',
    copy: '复制查询码',
    copied: '已复制',
    goCheck: '查询这个案件的进度',
    // status check
    statusTitle: '查询案件进度',
    statusIntro: '请输入受理时告知您的案件编号和8位查询码。查询码不区分大小写。',
    caseNo: '案件编号',
    caseNoHint: '例如 CSZGH-2026-00042',
    accessCode: '查询码',
    accessCodeHint: '8位字母或数字，例如 7K3M9QXD',
    resultTitle: '案件 {caseNo}',
    resultStatus: '当前状态',
    resultCommittee: '调解委员会',
    resultMediator: '调解员',
    resultSession: '下次调解',
    resultDeadline: '调解期限',
    resultDeadlineValue: '至{date}',
    resultAgreement: '调解协议',
    agreed: '协议金额',
    paid: '已支付',
    outstanding: '尚欠',
    nextInstalment: '下一期：{date}前支付{amount}',
    resultReferrals: '法院程序',
    resultNextStep: '下一步',
    resultNextStepBy: '截止日期：{date}',
    resultNextStepWhere: '办理地点：{name}',
    resultTimeline: '办理经过',
    none: '暂无',
    // errors
    errNotFound: '案件编号或查询码不正确。请核对后重试。',
    errRateLimited: '尝试次数过多，请在{minutes}分钟后再试。',
    errUnavailable: '服务暂时不可用，请稍后再试。',
    errNetwork: '网络连接失败，请检查网络后重试（您填写的内容仍然保留）。',
    errValidation: '有些内容需要修改，请查看标出的项目。',
    errorItem: '{label}：{message}',
    referralItem: '{kind}：{status}',
    errDuplicate: '您与该用人单位已有一个正在办理的案件，请用原案件编号查询进度，或联系调解委员会。',
    errGeneric: '提交失败，请稍后再试。',
    errField: '请检查此项。',
    errRequired: '此项必填。',
    errAmount: '请填写金额，例如 12500 或 12500.50。',
    errCaseNo: '案件编号格式应为“委员会代码-年份-5位序号”，例如 CSZGH-2026-00042。',
    errAccessCode: '请填写8位查询码。',
    errIdNumber: '证件号码不正确。居民身份证为18位，最后一位可以是X。',
    errPhone: '请填写11位手机号码，或以 + 开头的国际号码。',
    errCreditCode: '统一社会信用代码为18位，请核对营业执照。',
    errDate: '日期不能晚于今天，离职日期不能早于入职日期。',
    errEmail: '电子邮箱格式不正确。',
  },

  claimType: {
    wage_arrears: '拖欠工资',
    economic_compensation: '经济补偿',
    work_injury_medical: '工伤医疗费',
    work_injury_benefits: '工伤保险待遇',
    damages: '赔偿金',
    social_insurance: '社会保险损失',
    labour_relationship: '确认劳动关系',
    welfare: '福利待遇',
    other: '其他',
  } satisfies Record<ClaimType, string>,

  idType: {
    resident_id: '居民身份证',
    hk_macao_taiwan_permit: '港澳台居民居住证或通行证',
    foreign_permanent_resident: '外国人永久居留身份证',
    passport: '护照',
  } satisfies Record<IdType, string>,
};

export type Catalogue = typeof zh;

const en: Catalogue = {
  status: {
    submitted: 'Submitted, awaiting acceptance',
    accepted: 'Accepted, assigning a mediator',
    in_mediation: 'In mediation',
    performing: 'Agreement reached, awaiting payment',
    defaulted: "Employer's payment overdue",
    referred: 'With the court (payment order / confirmation)',
    'closed/settled': 'Closed: paid in full',
    'closed/rejected': 'Closed: not accepted',
    'closed/respondent_refused': 'Closed: employer declined mediation; you may apply for arbitration',
    'closed/withdrawn': 'Closed: application withdrawn',
    'closed/mediation_failed': 'Closed: no agreement; you may apply for arbitration',
    'closed/returned_to_origin': 'Closed: returned to the court (commission)',
    'closed/litigation': 'Closed: moved to court litigation',
    'closed/enforcement_concluded': 'Closed: court enforcement concluded',
  },
  timeline: {
    intake: 'Application submitted',
    accept: 'Application accepted',
    assign: 'Mediator assigned',
    schedule_session: 'Mediation session scheduled',
    reschedule_session: 'Mediation session moved',
    cancel_session: 'Mediation session cancelled',
    record_session: 'Mediation session held',
    extend: 'Mediation period extended',
    record_agreement: 'Agreement signed',
    record_payment: 'Payment received',
    instalment_overdue: "Employer's payment overdue",
    refer_payment_order: 'Payment order requested from the court',
    refer_judicial_confirmation: 'Judicial confirmation requested from the court',
    court_step: 'Court update',
    withdraw: 'Application withdrawn',
  },
  sessionMode: { in_person: 'In person', online: 'Online', phone: 'By phone' },
  referralKind: { payment_order: 'Payment order', judicial_confirmation: 'Judicial confirmation' },
  referralStatus: {
    sent: 'Sent to the court',
    acknowledged: 'Received by the court',
    accepted: 'Accepted by the court',
    rejected: 'Not accepted by the court',
    dismissed: 'Dismissed by the court',
    order_issued: 'Payment order issued',
    order_served: 'Payment order served on the employer',
    not_served: 'Payment order could not be served',
    objection_filed: 'Employer objected',
    terminated: 'Procedure ended',
    enforceable: 'Order enforceable; enforcement may be applied for',
    enforcement: 'Court enforcement under way',
    concluded: 'Enforcement concluded',
    withdrawn: 'Withdrawn',
    paid: 'Paid in full',
    confirmed: 'Agreement confirmed by the court',
    refused: 'Agreement not confirmed by the court',
  },
  step: {
    submitted: 'The committee will decide whether to accept your application; please keep your phone on.',
    decisionBy: 'Expect a decision by {date}.',
    accepted: 'The committee accepted your application and is assigning a mediator.',
    session: 'Please attend the mediation session: {when}, {place}.',
    sessionNoPlace: 'Please attend the mediation session: {when}.',
    waitForSession: 'Your mediator will contact you to arrange a session.',
    mediationBy:
      'The mediation period ends on {date}; if there is no agreement by then, you may apply for arbitration.',
    instalmentDue:
      'The next payment of {amount} is due by {date}. If the employer does not pay on time, contact the committee.',
    awaitPayment: 'Please wait for the employer to pay as agreed.',
    defaulted:
      "The employer's payment is overdue. Contact the committee about applying for a payment order or for arbitration.",
    referred: "The case is with the court; watch for the court's notices.",
    referralWithCourt: "The case is with {name}; watch for the court's notices.",
    referralOrder:
      "{name} has issued a payment order. The employer may object within 15 days of receiving it; watch for the court's notices.",
    referralEnforceable:
      'The payment order is in force. If the employer still does not pay, apply to {name} for enforcement by {date}.',
    referralEnforcement: "{name} is enforcing the order; watch for the court's notices.",
    settled: 'Everything has been paid and the case is closed; there is nothing more you need to do.',
    arbitrationAt: 'You may apply to {name} for labour-dispute arbitration.',
    arbitrationGeneric:
      'You may apply for arbitration to the labour dispute arbitration commission where you worked or where the employer is based.',
    arbitrationBy: 'Apply by {date} (limitation period).',
    arbitrationWithinYear: 'The limitation period is generally one year; apply soon.',
    advanceExecution:
      'For unpaid wages, work-injury medical costs, economic compensation or damages you may ask the arbitration commission for advance execution.',
    returnedTo: 'The case has gone back to {name}; watch for its notices.',
    returnedGeneric:
      'The case has gone back to the court or arbitration commission that sent it; watch for its notices.',
    withdrawn:
      'You withdrew the application and the case is closed. You may apply again if you need mediation.',
    litigation:
      'The dispute has moved into litigation at {name}. If you do not want to go to litigation, tell that court within 7 days of receiving its ruling ending the payment-order procedure.',
    enforcementConcluded: 'The court has concluded enforcement. Contact the committee if you have questions.',
    contact: 'Questions? Call {phone}.',
    court: 'the court',
  },
  format: { locale: 'en-GB', date: 'd MMMM yyyy', dateTime: 'd MMMM yyyy, HH:mm', separator: ' ' },
  notification: {
    lockedTitle: 'Status checks of case {caseNo} are paused',
    lockedBody:
      'Too many wrong access codes were tried for this case within an hour; status checks of the case are paused for everyone for an hour. If the worker cannot check, verify their identity and reset the access code.',
  },
  page: {
    title: 'Labour-dispute mediation · apply and check your case',
    skip: 'Skip to main content',
    langSwitch: '中文',
    intro:
      "Workers can apply here to the trade union's labour-dispute mediation committee, or check a case's progress with its case number and access code.",
    chooseApply: 'Apply for mediation',
    chooseStatus: 'Check my case',
    back: 'Back to start',
    required: '(required)',
    optional: '(optional)',
    submit: 'Submit application',
    submitting: 'Submitting…',
    check: 'Check',
    checking: 'Checking…',
    noscript: 'This page needs JavaScript. You can also call the mediation committee.',
    loadFailed: 'Could not load the list of committees; please reload the page later.',
    applyTitle: 'Apply for mediation',
    applyIntro:
      'Please answer truthfully. Fields marked "required" must be filled in. Your ID number is stored encrypted and used only for your case.',
    committee: 'Mediation committee',
    committeeChoose: 'Please choose',
    committeeHours: 'Hours: {hours}',
    committeePhone: 'Phone: {phone}',
    committeeAddress: 'Address: {address}',
    workerSection: 'Applicant (you)',
    workerName: 'Name',
    idType: 'ID document',
    idNumber: 'ID number',
    phone: 'Mobile phone',
    email: 'E-mail',
    address: 'Address for documents',
    employerSection: 'Respondent (employer)',
    employerName: 'Employer name',
    employerIsPerson:
      'The employer is a person (e.g. a labour contractor) without a unified social credit code',
    creditCode: 'Unified social credit code',
    employerIdNumber: "Employer's ID number",
    employerAddress: 'Employer address',
    contactName: 'Contact person',
    contactPhone: 'Contact phone',
    employmentSection: 'Employment',
    startDate: 'Start date',
    endDate: 'End date',
    position: 'Position',
    claimsSection: 'What you claim',
    claimType: 'Type of claim',
    amount: 'Amount (yuan)',
    claimDescription: 'Details',
    addClaim: 'Add another claim',
    removeClaim: 'Remove this claim',
    claimLegend: 'Claim {n}',
    knewOn: 'Date you learned of the infringement',
    facts: 'Facts and reasons',
    appliedTitle: 'Application submitted',
    appliedCaseNo: 'Case number',
    appliedCode: 'Access code',
    appliedKeep:
      'Write down or take a screenshot of the case number and access code now. The access code is shown only this once and you need both to check your case. If you lose the code, the committee can reset it.',
    appliedParties: 'Applicant: {worker}; respondent: {employer}; total claimed: {amount}',
    appliedNext:
      'The committee will decide within 3 working days whether to accept it; please keep your phone on.',
    copy: 'Copy access code',
    copied: 'Copied',
    goCheck: "Check this case's progress",
    statusTitle: 'Check my case',
    statusIntro:
      'Enter the case number and the 8-character access code you were given. The code is not case-sensitive.',
    caseNo: 'Case number',
    caseNoHint: 'For example CSZGH-2026-00042',
    accessCode: 'Access code',
    accessCodeHint: '8 letters or digits, for example 7K3M9QXD',
    resultTitle: 'Case {caseNo}',
    resultStatus: 'Status',
    resultCommittee: 'Mediation committee',
    resultMediator: 'Mediator',
    resultSession: 'Next session',
    resultDeadline: 'Mediation period',
    resultDeadlineValue: 'until {date}',
    resultAgreement: 'Agreement',
    agreed: 'Agreed',
    paid: 'Paid',
    outstanding: 'Outstanding',
    nextInstalment: 'Next: {amount} by {date}',
    resultReferrals: 'Court procedures',
    resultNextStep: 'Next step',
    resultNextStepBy: 'By: {date}',
    resultNextStepWhere: 'Where: {name}',
    resultTimeline: 'History',
    none: 'None yet',
    errNotFound: 'The case number or access code is not right. Please check them and try again.',
    errRateLimited: 'Too many attempts. Please try again in {minutes} minutes.',
    errUnavailable: 'The service is unavailable right now. Please try again shortly.',
    errNetwork: 'The connection failed. Check your network and try again (what you entered is kept).',
    errValidation: 'Some answers need changing; see the marked fields.',
    errorItem: '{label}: {message}',
    referralItem: '{kind}: {status}',
    errDuplicate:
      'You already have an open case against this employer. Check it with its case number, or contact the committee.',
    errGeneric: 'That did not work. Please try again later.',
    errField: 'Please check this field.',
    errRequired: 'This field is required.',
    errAmount: 'Enter an amount such as 12500 or 12500.50.',
    errCaseNo: 'A case number looks like CSZGH-2026-00042.',
    errAccessCode: 'Enter the 8-character access code.',
    errIdNumber: 'The ID number is not valid. A resident ID has 18 characters; the last may be X.',
    errPhone: 'Enter an 11-digit mobile number, or an international number starting with +.',
    errCreditCode: 'A unified social credit code has 18 characters; check the business licence.',
    errDate: 'Dates cannot be in the future, and the end date cannot be before the start date.',
    errEmail: 'The e-mail address is not valid.',
  },
  claimType: {
    wage_arrears: 'Unpaid wages',
    economic_compensation: 'Economic compensation',
    work_injury_medical: 'Work-injury medical costs',
    work_injury_benefits: 'Work-injury benefits',
    damages: 'Statutory damages',
    social_insurance: 'Social insurance losses',
    labour_relationship: 'Confirm the employment relationship',
    welfare: 'Welfare benefits',
    other: 'Other',
  },
  idType: {
    resident_id: 'Resident identity card',
    hk_macao_taiwan_permit: 'Hong Kong, Macao or Taiwan residence permit',
    foreign_permanent_resident: 'Foreign permanent resident ID card',
    passport: 'Passport',
  },
};

export const MESSAGES: Record<Lang, Catalogue> = { zh, en };

/** Fills `{name}` placeholders; an unknown placeholder stays as it is, visibly. */
export function fill(template: string, params: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/** The label of a case status (with its closure reason when closed), SPEC §10's table. */
export function statusLabel(lang: Lang, status: CaseStatus, closureReason: ClosureReason | null): string {
  const key = (status === 'closed' ? `closed/${closureReason}` : status) as StatusKey;
  return MESSAGES[lang].status[key] ?? status;
}

/**
 * The language a request prefers (RFC 9110 `Accept-Language` with q-values): the supported language with the
 * highest weight, ties going to the one listed first; `en-GB` counts as `en`, `zh-Hans-CN` as `zh`; `*` and
 * anything unsupported leave the default, Chinese.
 */
export function negotiateLanguage(header: string | string[] | undefined): Lang {
  const value = Array.isArray(header) ? header.join(',') : header;
  if (!value) return DEFAULT_LANG;
  let best: { lang: Lang; q: number } | null = null;
  for (const part of value.split(',').slice(0, 30)) {
    const [range, ...params] = part.trim().split(';');
    const primary = range.trim().toLowerCase().split('-')[0];
    let q = 1;
    for (const p of params) {
      const m = /^\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*$/i.exec(p);
      if (m) q = Number(m[1]);
    }
    if (!(q > 0) || q > 1) continue;
    const lang =
      primary === '*'
        ? DEFAULT_LANG
        : (LANGS as readonly string[]).includes(primary)
          ? (primary as Lang)
          : null;
    if (lang && (!best || q > best.q)) best = { lang, q };
  }
  return best?.lang ?? DEFAULT_LANG;
}

/** Money for people (SPEC §4): integer fen shown as ¥1,234.50, computed on integers only. */
export function formatFen(fen: number): string {
  const negative = fen < 0;
  const abs = Math.abs(Math.trunc(fen));
  const yuan = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}¥${yuan}.${String(abs % 100).padStart(2, '0')}`;
}

/** What the public page needs, flattened to `section.key` (`page.*` without its prefix) for its JSON. */
export function pageMessages(lang: Lang): Record<string, string> {
  const c = MESSAGES[lang];
  const out: Record<string, string> = { ...c.page };
  for (const section of [
    'claimType',
    'idType',
    'status',
    'sessionMode',
    'referralKind',
    'referralStatus',
  ] as const) {
    for (const [k, v] of Object.entries(c[section])) out[`${section}.${k}`] = v;
  }
  return out;
}
