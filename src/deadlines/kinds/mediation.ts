import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, type MediationDays } from '../../config/config';
import type { EntityManager } from 'typeorm';
import type { CaseSource } from '../../common/domain';
import { COURT_SOURCES, ORIGIN_SOURCES } from '../../common/domain';
import type { CaseAction } from '../../cases/case-lifecycle';
import type { CaseRow } from '../../cases/case-view';
import { DeadlineKinds, LAPSE, type DeadlineKind } from '../deadline-kinds';
import { localDateOf, localInstant, workingDaysBefore } from '../period';

const MET_BY: readonly CaseAction[] = ['record_agreement', 'fail', 'withdraw'];
const LDMAL_14 = '《劳动争议调解仲裁法》第十四条';
const COURT_PRACTICE = '人民法院委派、委托调解的期限（法院特邀调解工作规定）';

/** SPEC §6: days of mediation by source (configurable: MEDIATION_DAYS); simplified court-entrusted cases apart. */
export function mediationDays(row: Pick<CaseRow, 'source' | 'procedure'>, days: MediationDays): number {
  if (row.source === 'court_entrusted' && row.procedure === 'simplified') return days.simplified;
  return days[row.source as CaseSource];
}

/** What the worker may do once mediation has run out (LDMAL art. 14; a court- or arbitration-sent case goes back). */
function nextStep(row: CaseRow): { nextStep: string; nextStepText: string } {
  return ORIGIN_SOURCES.includes(row.source)
    ? {
        nextStep: 'return_to_origin',
        nextStepText: '调解期限届满未达成协议的，案件将退回原委派、委托或移送机关处理。',
      }
    : {
        nextStep: 'apply_for_arbitration',
        nextStepText: '自调解组织收到调解申请之日起十五日内未达成调解协议的，当事人可以依法申请仲裁。',
      };
}

async function clearOverdue(t: { row: CaseRow }, m: EntityManager): Promise<void> {
  if (!t.row.mediation_overdue) return;
  await m.query(`UPDATE cases SET mediation_overdue = false WHERE id = $1`, [t.row.id]);
  // The row is the one the action answers with: keep it in step with the table.
  t.row.mediation_overdue = false;
}

/**
 * SPEC §6 `mediation`: from the application's receipt (court-sent: the materials signed for), created on
 * acceptance; extended from its current last day; met by an agreement, failure or withdrawal. Warns the
 * mediator and coordinators 3 working days before at 09:00; at lapse the case shows `mediationOverdue` until
 * it is extended, fails or settles.
 */
export const mediationKind = (days: MediationDays): DeadlineKind => ({
  kind: 'mediation',
  legalBasis: LDMAL_14,
  metBy: MET_BY,
  reminders: [
    {
      kind: 'warn_3wd',
      at: (d, cal) => localInstant(workingDaysBefore(d.lastDay, 3, cal), '09:00'),
      recipients: ['mediator', 'coordinators'],
      message: ({ caseRow, deadline }) => ({
        title: `调解期限将至：${caseRow.case_no}`,
        body: `案件${caseRow.case_no}的调解期限将于${deadline.last_day}届满（还有3个工作日）。如需延长，须经双方当事人同意后办理延期。`,
      }),
    },
    {
      kind: LAPSE,
      at: (d) => d.dueAt,
      recipients: ['mediator', 'coordinators', 'worker'],
      message: ({ caseRow, deadline }) => ({
        title: `调解期限已届满：${caseRow.case_no}`,
        body: `案件${caseRow.case_no}的调解期限已于${deadline.last_day}届满，尚未达成调解协议。请记录调解协议或调解不成；经双方当事人同意，也可以延长调解期限。`,
      }),
    },
  ],
  async onTransition({ t, w }) {
    if (t.action === 'accept') {
      await w.create({
        caseId: t.row.id,
        kind: 'mediation',
        startDate: localDateOf(t.row.application_received_at),
        period: { unit: 'days', length: mediationDays(t.row, days) },
        legalBasis: COURT_SOURCES.includes(t.row.source) ? COURT_PRACTICE : LDMAL_14,
        data: { source: t.row.source },
      });
    } else if (t.action === 'extend') {
      const days = Number(t.payload.days);
      if (!Number.isInteger(days) || days < 1) return;
      const [current] = await w.find(t.row.id, 'mediation', { statuses: ['pending', 'fired'] });
      if (!current) return;
      await w.supersede(current, {
        caseId: t.row.id,
        kind: 'mediation',
        startDate: current.start_date,
        period: { unit: 'days', length: current.period_length, extensions: [...current.extensions, days] },
        legalBasis: current.legal_basis,
        data: { ...current.data, extensionId: t.payload.extensionId ?? null },
      });
      await clearOverdue(t, w.m);
    } else if ((MET_BY as readonly string[]).includes(t.action)) {
      await clearOverdue(t, w.m);
    }
  },
  async onLapse({ m, caseRow }) {
    if (caseRow.status !== 'accepted' && caseRow.status !== 'in_mediation') return { notify: false };
    await m.query(`UPDATE cases SET mediation_overdue = true WHERE id = $1`, [caseRow.id]);
    return { payload: nextStep(caseRow) };
  },
});

@Injectable()
export class MediationDeadline implements OnModuleInit {
  constructor(
    private readonly kinds: DeadlineKinds,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.kinds.register(mediationKind(this.config.mediationDays));
  }
}
