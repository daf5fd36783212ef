/**
 * The words of each event (SPEC §7): a title and body for staff inboxes and agency e-mail, and for the steps §7
 * lists, the sentence the worker receives by SMS (the sender appends their current next step, in plain Chinese).
 */
import { formatFen } from '../i18n/messages';

type Data = Record<string, unknown>;

const STATUS_WORDS: Record<string, string> = {
  submitted: '已提交',
  accepted: '已受理',
  in_mediation: '调解中',
  performing: '履行中',
  defaulted: '未按约履行',
  referred: '已移送法院',
  closed: '已结案',
};

function caseNo(d: Data): string {
  return typeof d.caseNo === 'string' ? d.caseNo : '';
}

function fen(d: Data, key: string): string {
  const v = d[key];
  return typeof v === 'number' ? formatFen(v) : '';
}

const TITLES: Record<string, (d: Data) => string> = {
  'case.submitted': (d) => `新案件 ${caseNo(d)} 已提交`,
  'case.accepted': (d) => `案件 ${caseNo(d)} 已受理`,
  'case.rejected': (d) => `案件 ${caseNo(d)} 不予受理`,
  'case.assigned': (d) => `案件 ${caseNo(d)} 已指派调解员`,
  'session.scheduled': (d) => `案件 ${caseNo(d)} 已安排调解`,
  'session.recorded': (d) => `案件 ${caseNo(d)} 调解已记录`,
  'mediation.deadline_approaching': (d) => `案件 ${caseNo(d)} 调解期限将至`,
  'mediation.deadline_lapsed': (d) => `案件 ${caseNo(d)} 调解期限已届满`,
  'agreement.recorded': (d) => `案件 ${caseNo(d)} 已达成调解协议`,
  'instalment.due_soon': (d) => `案件 ${caseNo(d)} 有一期款项即将到期`,
  'instalment.overdue': (d) => `案件 ${caseNo(d)} 用人单位未按期付款`,
  'payment.recorded': (d) => `案件 ${caseNo(d)} 已登记付款 ${fen(d, 'amountFen')}`,
  'case.settled': (d) => `案件 ${caseNo(d)} 已履行完毕结案`,
  'case.failed': (d) => `案件 ${caseNo(d)} 调解不成`,
  'case.withdrawn': (d) => `案件 ${caseNo(d)} 已撤回`,
  'referral.created': (d) =>
    `案件 ${caseNo(d)} 移送法院申请${d.kind === 'judicial_confirmation' ? '司法确认' : '支付令'}`,
  'referral.acknowledged': (d) => `案件 ${caseNo(d)} 的移送已由法院签收`,
  'referral.decided': (d) =>
    `案件 ${caseNo(d)} 的移送：法院${d.decision === 'accepted' ? '已受理' : '不予受理'}`,
  'referral.outcome_recorded': (d) => `案件 ${caseNo(d)} 的移送有新进展`,
  'referral.ack_overdue': (d) => `案件 ${caseNo(d)} 的移送未在期限内签收`,
  'report.published': (d) =>
    `定期通报：${typeof d.committeeName === 'string' ? d.committeeName : ''} ${
      typeof d.from === 'string' ? d.from : ''
    } 至 ${typeof d.to === 'string' ? d.to : ''}`,
};

/** Inbox and e-mail wording of an event, from its data. */
export function eventText(type: string, d: Data): { title: string; body: string } {
  const title = (TITLES[type] ?? ((x: Data) => `案件 ${caseNo(x)} 有新通知`))(d);
  const lines = [title];
  if (typeof d.status === 'string') lines.push(`当前状态：${STATUS_WORDS[d.status] ?? d.status}`);
  if (typeof d.reason === 'string' && d.reason) lines.push(`原因：${d.reason}`);
  if (typeof d.summary === 'string' && d.summary) lines.push(d.summary);
  return { title, body: lines.join('\n') };
}

/** The SMS sentence for the worker, for the steps SPEC §7 lists; null for the rest. */
export function workerSentence(type: string, d: Data): string | null {
  const no = caseNo(d);
  switch (type) {
    case 'case.accepted':
      return `您的调解申请（案号 ${no}）已受理。`;
    case 'case.rejected':
      return `您的调解申请（案号 ${no}）未被受理。`;
    case 'case.assigned':
      return `您的案件 ${no} 已指派调解员。`;
    case 'session.scheduled':
      return `您的案件 ${no} 已安排调解。`;
    case 'agreement.recorded':
      return `您的案件 ${no} 已达成调解协议。`;
    case 'instalment.overdue':
      return `您的案件 ${no}：用人单位未按协议按期付款。`;
    case 'mediation.deadline_lapsed':
      return `您的案件 ${no} 调解期限已届满。`;
    case 'case.failed':
      return `您的案件 ${no} 调解不成。`;
    case 'case.settled':
      return `您的案件 ${no} 协议已履行完毕，案件已结案。`;
    case 'referral.created':
      return `您的案件 ${no} 已移送法院。`;
    case 'referral.decided':
      return `您的案件 ${no}：法院${d.decision === 'accepted' ? '已受理' : '不予受理'}移送。`;
    case 'referral.outcome_recorded':
      return `您的案件 ${no} 在法院有新进展。`;
    default:
      return null;
  }
}
