import { Injectable, OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { CaseTransition } from '../../cases/case-transitions';
import type { CaseRow } from '../../cases/case-view';
import { Notifier } from '../../notifications/notifier';
import { OPEN_REFERRAL_STATUSES } from '../../referrals/referral-steps';
import type { PeriodRule } from '../deadline-period';
import {
  DeadlineKinds,
  LAPSE,
  type DeadlineKind,
  type DeadlineWriter,
  type LapseContext,
  type LapseOutcome,
  type ReminderRule,
} from '../deadline-kinds';
import { addCalendarDays, localDateOf, localInstant } from '../period';

/**
 * The court windows of SPEC §6 (referral acknowledgement, payment-order acceptance, issue, service, objection,
 * opt-out, enforcement application, judicial-confirmation acceptance and decision). The referrals feature takes
 * every referral step through the case lifecycle (`refer_*`, `court_step`) with a payload naming the referral,
 * the step and its date (`ReferralStepPayload`); each window here starts on some steps, is met by others, and is
 * cancelled when its referral ends otherwise. Deadlines carry the referral as their `subject_id`.
 *
 * Windows whose reminder goes "to liaison" tell the addressed court's liaisons when they end (through the
 * notifier: the reminder roles cannot name a referral's court); none of them changes anything by itself — in
 * particular the objection window's end only asks the liaison to confirm the order is enforceable (an objection
 * sent by post counts from its posting date, so only the court knows).
 */

/** What `refer_payment_order`, `refer_judicial_confirmation` and `court_step` carry for the deadline kinds. */
export interface ReferralStepPayload {
  referralId: string;
  referralKind: 'payment_order' | 'judicial_confirmation';
  /** 'sent', 'acknowledge', 'decision:accepted', 'outcome:order_served', ... */
  step: string;
  /** The referral's status after the step. */
  referralStatus: string;
  /** The local date the step happened (YYYY-MM-DD). */
  on: string;
}

const OPEN = new Set<string>(OPEN_REFERRAL_STATUSES);

export function referralStepOf(t: CaseTransition): ReferralStepPayload | null {
  if (
    t.action !== 'refer_payment_order' &&
    t.action !== 'refer_judicial_confirmation' &&
    t.action !== 'court_step'
  )
    return null;
  const p = t.payload as Partial<ReferralStepPayload>;
  if (typeof p.referralId !== 'string' || typeof p.step !== 'string' || typeof p.on !== 'string') return null;
  return p as ReferralStepPayload;
}

interface ReferralRow {
  id: string;
  kind: string;
  status: string;
  court_id: string;
  court_case_no: string | null;
}

interface WindowSpec {
  kind: string;
  legalBasis: string;
  referralKind: 'payment_order' | 'judicial_confirmation' | 'both';
  period: PeriodRule;
  startOn: readonly string[];
  metOn: readonly string[];
  /** Advance reminders to the case's people (worker, mediator); windows "to liaison" have none. */
  reminders?: readonly ReminderRule[];
  /** At the window's end, while the referral is in one of these statuses, the court is told; else it is met. */
  awaiting?: readonly string[];
  /** The lapse's words to the court's liaisons. */
  lapseText?(caseRow: CaseRow, r: ReferralRow, lastDay: string): { title: string; body: string };
  /** The lapse publishes this event type instead of a reminder (the acknowledgement's `referral.ack_overdue`). */
  lapseEvent?: 'referral.ack_overdue';
}

async function referralOf(m: EntityManager, id: string | null): Promise<ReferralRow | undefined> {
  if (!id) return undefined;
  const rows: ReferralRow[] = await m.query(
    `SELECT id, kind, status, court_id, court_case_no FROM referrals WHERE id = $1`,
    [id],
  );
  return rows[0];
}

async function closeAll(
  w: DeadlineWriter,
  caseId: string,
  kind: string,
  referralId: string,
  status: 'met' | 'cancelled',
) {
  for (const d of await w.find(caseId, kind, { subjectId: referralId, statuses: ['pending', 'fired'] })) {
    // A fired window (the lapse already told the court) is met late by the awaited step; only pending ones cancel.
    if (d.status === 'fired' && status === 'cancelled') continue;
    await w.close(d, status);
  }
}

function windowKind(spec: WindowSpec, notifier: Notifier): DeadlineKind {
  const applies = (p: ReferralStepPayload) =>
    spec.referralKind === 'both' || spec.referralKind === p.referralKind;
  return {
    kind: spec.kind,
    legalBasis: spec.legalBasis,
    reminders: [
      ...(spec.reminders ?? []),
      ...(spec.reminders?.some((r) => r.kind === LAPSE) ? [] : [lapseOnly]),
    ],
    async onTransition({ t, w }) {
      const p = referralStepOf(t);
      if (!p || !applies(p)) return;
      if (spec.startOn.includes(p.step)) {
        await w.create({
          caseId: t.row.id,
          kind: spec.kind,
          subjectId: p.referralId,
          startDate: p.on,
          period: spec.period,
          data: { referralId: p.referralId, referralKind: p.referralKind },
        });
      } else if (spec.metOn.includes(p.step)) {
        await closeAll(w, t.row.id, spec.kind, p.referralId, 'met');
      } else if (!OPEN.has(p.referralStatus)) {
        await closeAll(w, t.row.id, spec.kind, p.referralId, 'cancelled');
      }
    },
    async onLapse(ctx: LapseContext): Promise<LapseOutcome> {
      const r = await referralOf(ctx.m, ctx.deadline.subject_id);
      if (!spec.awaiting) return {};
      if (!r || !spec.awaiting.includes(r.status)) return { status: 'met', notify: false };
      const data = {
        referralId: r.id,
        kind: r.kind,
        status: r.status,
        courtCaseNo: r.court_case_no ?? undefined,
      };
      if (spec.lapseEvent) {
        await notifier.publish(ctx.m, {
          type: spec.lapseEvent,
          caseRow: ctx.caseRow,
          referralCourtId: r.court_id,
          data,
          sourceKey: `lapse:${ctx.deadline.id}`,
        });
      } else if (spec.lapseText) {
        await notifier.publish(ctx.m, {
          type: `reminder.${spec.kind}`,
          caseRow: ctx.caseRow,
          referralCourtId: r.court_id,
          data: { ...data, deadlineKind: spec.kind, lastDay: ctx.deadline.last_day },
          text: spec.lapseText(ctx.caseRow, r, ctx.deadline.last_day),
          workerSms: false,
          sourceKey: `lapse:${ctx.deadline.id}`,
        });
      }
      return { notify: false };
    },
  };
}

/** The end of a window whose words go through the notifier (onLapse), or that only marks the deadline. */
const lapseOnly: ReminderRule = { kind: LAPSE, at: (d) => d.dueAt, recipients: [] };

/** A warning to the addressed court's liaisons, `days` before the window's last day, at 09:00. */
function courtWarning(days: number, what: string): ReminderRule {
  return {
    kind: `warn_${days}d`,
    at: (d) => localInstant(addCalendarDays(d.lastDay, -days), '09:00'),
    recipients: ['referral_court'],
    message: ({ caseRow, deadline }) => ({
      title: `${what}期限将至：${caseRow.case_no}`,
      body: `案件${caseRow.case_no}的${what}期限将于${deadline.last_day}届满（还有${days}日），请及时录入处理结果。`,
    }),
  };
}

const courtCase = (r: ReferralRow) => (r.court_case_no ? `（${r.court_case_no}）` : '');

export const COURT_WINDOWS: readonly WindowSpec[] = [
  {
    kind: 'referral_acknowledgement',
    legalBasis: '服务约定：法院联络员在移送后2个工作日内签收',
    referralKind: 'both',
    period: { unit: 'working_days', length: 2 },
    startOn: ['sent'],
    metOn: ['acknowledge', 'decision:accepted', 'decision:rejected'],
    awaiting: ['sent'],
    lapseEvent: 'referral.ack_overdue',
  },
  {
    kind: 'payment_order_acceptance',
    legalBasis: '《民事诉讼法》第二百二十六条',
    referralKind: 'payment_order',
    period: { unit: 'days', length: 5 },
    startOn: ['sent'],
    metOn: ['decision:accepted', 'decision:rejected'],
    reminders: [courtWarning(1, '支付令申请受理')],
    awaiting: ['sent', 'acknowledged'],
    lapseText: (c, _r, lastDay) => ({
      title: `支付令申请受理期限届满：${c.case_no}`,
      body: `案件${c.case_no}移送的支付令申请应于${lastDay}前决定是否受理（《民事诉讼法》第二百二十六条），请录入受理或不予受理的决定。`,
    }),
  },
  {
    kind: 'payment_order_issue',
    legalBasis: '《民事诉讼法》第二百二十七条',
    referralKind: 'payment_order',
    period: { unit: 'days', length: 15 },
    startOn: ['decision:accepted'],
    metOn: ['outcome:order_issued', 'outcome:dismissed'],
    reminders: [courtWarning(3, '支付令发出')],
    awaiting: ['accepted'],
    lapseText: (c, r, lastDay) => ({
      title: `支付令发出期限届满：${c.case_no}`,
      body: `案件${c.case_no}的支付令申请${courtCase(r)}自受理之日起十五日内应当发出支付令或者裁定驳回（期限至${lastDay}），请录入结果。`,
    }),
  },
  {
    kind: 'payment_order_service',
    legalBasis: '最高人民法院关于适用《民事诉讼法》的解释第四百三十二条',
    referralKind: 'payment_order',
    period: { unit: 'days', length: 30 },
    startOn: ['outcome:order_issued'],
    metOn: ['outcome:order_served', 'outcome:not_served'],
    reminders: [courtWarning(5, '支付令送达')],
    awaiting: ['order_issued'],
    lapseText: (c, r, lastDay) => ({
      title: `支付令送达期限届满：${c.case_no}`,
      body: `案件${c.case_no}的支付令${courtCase(r)}自发出之日起三十日内（至${lastDay}）无法送达被申请人的，应当裁定终结督促程序。请录入“已送达”或“未能送达”。`,
    }),
  },
  {
    kind: 'objection_window',
    legalBasis: '《民事诉讼法》第二百二十七条',
    referralKind: 'payment_order',
    period: { unit: 'days', length: 15 },
    startOn: ['outcome:order_served'],
    metOn: ['outcome:objection_filed', 'outcome:enforceable'],
    awaiting: ['order_served'],
    lapseText: (c, r, lastDay) => ({
      title: `支付令异议期届满，请确认是否生效：${c.case_no}`,
      body: `案件${c.case_no}的支付令${courtCase(r)}异议期已于${lastDay}届满。被申请人邮寄提出异议的以交邮日期为准，请核实是否收到异议：未收到的，请确认支付令已生效（可申请执行）；收到的，请录入异议。系统不会自动变更状态。`,
    }),
  },
  {
    kind: 'objection_opt_out',
    legalBasis: '最高人民法院关于适用《民事诉讼法》的解释第四百四十条',
    referralKind: 'payment_order',
    period: { unit: 'days', length: 7 },
    startOn: ['outcome:objection_upheld'],
    metOn: [],
    reminders: [
      {
        kind: 'started',
        at: (d) => localInstant(addCalendarDays(d.startDate, 1), '09:00'),
        recipients: ['worker', 'mediator'],
        message: ({ caseRow, deadline }) => ({
          title: `督促程序已终结，转入诉讼：${caseRow.case_no}`,
          body: `案件${caseRow.case_no}的支付令因用人单位异议成立而终结，案件将转入诉讼程序。劳动者不同意提起诉讼的，应在${deadline.last_day}前向受理支付令申请的人民法院提出；逾期未提出的，视为向该法院起诉。`,
        }),
      },
      { kind: LAPSE, at: (d) => d.dueAt, recipients: [] },
    ],
  },
  {
    kind: 'enforcement_application',
    legalBasis: '《民事诉讼法》第二百五十条',
    referralKind: 'both',
    period: { unit: 'years', length: 2 },
    startOn: ['outcome:enforceable'],
    metOn: ['outcome:enforcement_applied'],
    reminders: [
      {
        kind: 'warn_60d',
        at: (d) => localInstant(addCalendarDays(d.lastDay, -60), '09:00'),
        recipients: ['worker', 'mediator'],
        message: ({ caseRow, deadline }) => ({
          title: `申请执行期限将至：${caseRow.case_no}`,
          body: `案件${caseRow.case_no}申请强制执行的期间将于${deadline.last_day}届满（还有60日）。用人单位仍未履行的，劳动者应在期限内向人民法院申请执行。`,
        }),
      },
      {
        kind: 'warn_7d',
        at: (d) => localInstant(addCalendarDays(d.lastDay, -7), '09:00'),
        recipients: ['worker', 'mediator'],
        message: ({ caseRow, deadline }) => ({
          title: `申请执行期限仅剩7日：${caseRow.case_no}`,
          body: `案件${caseRow.case_no}申请强制执行的期间将于${deadline.last_day}届满，请劳动者尽快向人民法院申请执行。`,
        }),
      },
      { kind: LAPSE, at: (d) => d.dueAt, recipients: [] },
    ],
  },
  {
    kind: 'judicial_confirmation_acceptance',
    legalBasis: '最高人民法院关于人民调解协议司法确认程序的若干规定（2011）第四条',
    referralKind: 'judicial_confirmation',
    period: { unit: 'days', length: 3 },
    startOn: ['sent'],
    metOn: ['decision:accepted', 'decision:rejected'],
    reminders: [courtWarning(1, '司法确认申请受理')],
    awaiting: ['sent', 'acknowledged'],
    lapseText: (c, _r, lastDay) => ({
      title: `司法确认申请受理期限届满：${c.case_no}`,
      body: `案件${c.case_no}的司法确认申请应于${lastDay}前决定是否受理，请录入受理或不予受理的决定。`,
    }),
  },
  {
    kind: 'judicial_confirmation_decision',
    legalBasis: '最高人民法院关于人民调解协议司法确认程序的若干规定（2011）第五条',
    referralKind: 'judicial_confirmation',
    period: { unit: 'days', length: 15 },
    startOn: ['decision:accepted'],
    metOn: ['outcome:confirmed', 'outcome:refused'],
    reminders: [courtWarning(3, '司法确认决定')],
    awaiting: ['accepted'],
    lapseText: (c, r, lastDay) => ({
      title: `司法确认审查期限届满：${c.case_no}`,
      body: `案件${c.case_no}的司法确认申请${courtCase(r)}应在受理之日起十五日内（至${lastDay}）作出确认或者不予确认的决定；因特殊情况需要延长的，经院长批准可延长十日。请录入结果。`,
    }),
  },
];

/**
 * A judicially confirmed agreement that the employer does not perform opens the enforcement-application window
 * (SPEC §6): when the case defaults after the confirmation, or is already defaulted when it is confirmed.
 */
async function confirmedAgreementDefaulted(t: CaseTransition, w: DeadlineWriter): Promise<void> {
  const p = referralStepOf(t);
  let referralId: string | null = null;
  if (t.action === 'instalment_overdue') {
    const rows: Array<{ id: string }> = await w.m.query(
      `SELECT id FROM referrals WHERE case_id = $1 AND kind = 'judicial_confirmation' AND status = 'confirmed'
        ORDER BY created_at DESC LIMIT 1`,
      [t.row.id],
    );
    referralId = rows[0]?.id ?? null;
  } else if (p?.step === 'outcome:confirmed' && t.row.status === 'defaulted') {
    referralId = p.referralId;
  }
  if (!referralId) return;
  if ((await w.find(t.row.id, 'enforcement_application', { subjectId: referralId })).length) return;
  await w.create({
    caseId: t.row.id,
    kind: 'enforcement_application',
    subjectId: referralId,
    startDate: localDateOf(t.at),
    period: { unit: 'years', length: 2 },
    data: { referralId, referralKind: 'judicial_confirmation' },
  });
}

@Injectable()
export class CourtWindowDeadlines implements OnModuleInit {
  constructor(
    private readonly kinds: DeadlineKinds,
    private readonly notifier: Notifier,
  ) {}

  onModuleInit(): void {
    for (const spec of COURT_WINDOWS) {
      const kind = windowKind(spec, this.notifier);
      if (spec.kind === 'enforcement_application') {
        const base = kind.onTransition!;
        kind.onTransition = async (ctx) => {
          await base(ctx);
          await confirmedAgreementDefaulted(ctx.t, ctx.w);
        };
      }
      this.kinds.register(kind);
    }
  }
}
