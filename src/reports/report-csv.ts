import { AGENCY_OUTCOME_KINDS } from '../agency-outcomes/agency-outcomes.dto';
import { CASE_SOURCES, CLAIM_TYPES } from '../common/domain';
import { MESSAGES } from '../i18n/messages';
import { REFERRAL_KINDS, REFERRAL_STATUSES, type Report } from './report.service';

const SOURCE_WORDS: Record<string, string> = {
  walk_in: '来访',
  hotline: '热线',
  online: '网上申请',
  court_delegated: '法院诉前委派',
  court_entrusted: '法院诉中委托',
  arbitration_transfer: '仲裁委移送',
};

const REFERRAL_KIND_WORDS: Record<string, string> = {
  payment_order: '支付令',
  judicial_confirmation: '司法确认',
};

const REFERRAL_STATUS_WORDS: Record<string, string> = {
  sent: '已移送',
  acknowledged: '已签收',
  accepted: '已受理',
  rejected: '不予受理',
  dismissed: '驳回申请',
  order_issued: '已发出支付令',
  order_served: '已送达',
  not_served: '未能送达',
  objection_filed: '已提出异议',
  terminated: '督促程序终结',
  enforceable: '已生效',
  enforcement: '执行中',
  concluded: '执行终结',
  withdrawn: '已撤回',
  paid: '已付清',
  confirmed: '已确认',
  refused: '不予确认',
};

const OUTCOME_WORDS: Record<string, string> = {
  arbitration_award: '仲裁裁决',
  arbitration_mediation: '仲裁调解书',
  court_mediation: '民事调解书',
  judgment: '判决',
  withdrawal: '撤回（撤诉）',
  other: '其他',
};

/** Fen as yuan with two decimals ("12500.50"), exact: no floating point. */
export function fenToYuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(fen));
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** One CSV field (RFC 4180): quoted when it holds a comma, quote or line break; a leading formula sign is defused. */
export function csvField(value: string | number): string {
  let s = String(value);
  // A name starting with = + - @ would run as a formula in a spreadsheet (CSV injection); numbers are left alone.
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The report's rows as (分类, 项目, 数值): one layout a spreadsheet shows as it is. */
export function reportRows(r: Report): Array<[string, string, string | number]> {
  const rows: Array<[string, string, string | number]> = [
    ['报告', '调解委员会', r.committee.name],
    ['报告', '委员会代码', r.committee.code],
    ['报告', '统计期间', `${r.from} 至 ${r.to}`],
    ['报告', '时区', r.timeZone],
    ['报告', '生成时间', r.generatedAt],
    ['案件', '收到申请', r.cases.received],
    ...CASE_SOURCES.map((s): [string, string, number] => [
      '案件来源',
      SOURCE_WORDS[s],
      r.cases.receivedBySource[s],
    ]),
    ['案件', '受理', r.cases.accepted],
    ['案件', '不予受理', r.cases.rejected],
    ['案件', '其中：用人单位不同意调解', r.cases.respondentRefused],
    ['案件', '达成调解协议', r.cases.agreementsSigned],
    ['案件', '履行完毕结案', r.cases.settled],
    ['案件', '调解不成', r.cases.failed],
    ['案件', '其中：引导申请仲裁', r.cases.failedReferredToArbitration],
    ['案件', '其中：退回原委派委托机关', r.cases.returnedToOrigin],
    ['案件', '撤回申请', r.cases.withdrawn],
    ['案件', '移送法院', r.cases.referred],
    ...REFERRAL_KINDS.map((k): [string, string, number] => [
      '案件',
      `其中：${REFERRAL_KIND_WORDS[k]}`,
      r.cases.referredByKind[k],
    ]),
    ['金额（元）', '申请金额', fenToYuan(r.amounts.claimedFen)],
    ['金额（元）', '协议金额', fenToYuan(r.amounts.agreedFen)],
    ['金额（元）', '实际履行金额', fenToYuan(r.amounts.paidFen)],
    ['调解期限', '调解结束案件', r.mediationDeadline.concluded],
    ['调解期限', '期限内结束', r.mediationDeadline.withinDeadline],
    [
      '调解期限',
      '期限内结束比例（%）',
      r.mediationDeadline.share === null ? '' : (r.mediationDeadline.share * 100).toFixed(2),
    ],
    ['调解用时', '达成协议天数中位数', r.medianDaysToAgreement === null ? '' : r.medianDaysToAgreement],
  ];
  for (const k of REFERRAL_KINDS) {
    const o = r.referralOutcomes[k];
    rows.push([`移送法院：${REFERRAL_KIND_WORDS[k]}`, '合计', o.total]);
    const statuses = [
      ...REFERRAL_STATUSES[k],
      ...Object.keys(o.byStatus).filter((s) => !(REFERRAL_STATUSES[k] as readonly string[]).includes(s)),
    ];
    for (const s of statuses)
      rows.push([`移送法院：${REFERRAL_KIND_WORDS[k]}`, REFERRAL_STATUS_WORDS[s] ?? s, o.byStatus[s] ?? 0]);
  }
  rows.push(['机构反馈结果', '合计', r.agencyOutcomes.total]);
  for (const k of AGENCY_OUTCOME_KINDS)
    rows.push(['机构反馈结果', OUTCOME_WORDS[k], r.agencyOutcomes.byKind[k] ?? 0]);
  rows.push(['机构反馈结果', '裁决或确认金额（元）', fenToYuan(r.agencyOutcomes.amountAwardedFen)]);
  for (const t of CLAIM_TYPES) {
    const label = MESSAGES.zh.claimType[t];
    const c = r.byClaimType[t];
    rows.push([`请求类型：${label}`, '案件数', c.cases]);
    rows.push([`请求类型：${label}`, '申请金额（元）', fenToYuan(c.claimedFen)]);
    rows.push([`请求类型：${label}`, '协议金额（元）', fenToYuan(c.agreedFen)]);
  }
  return rows;
}

/** UTF-8 with a BOM (so spreadsheet programs read the Chinese correctly), CRLF line ends (RFC 4180). */
export function reportCsv(r: Report): Buffer {
  const lines = [['分类', '项目', '数值'], ...reportRows(r)].map((row) => row.map(csvField).join(','));
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}

/** e.g. 定期通报-CSZGH-2026-03-01至2026-03-31.csv; ASCII fallback for the Content-Disposition header. */
export function reportFilename(r: Report): { utf8: string; ascii: string } {
  return {
    utf8: `定期通报-${r.committee.code}-${r.from}至${r.to}.csv`,
    ascii: `report-${r.committee.code.replace(/[^A-Za-z0-9_-]/g, '')}-${r.from}-${r.to}.csv`,
  };
}
