import { Injectable, OnModuleInit } from '@nestjs/common';
import { DeadlineKinds, LAPSE, type DeadlineKind } from '../deadline-kinds';
import { localDateOf } from '../period';

/**
 * SPEC §5 intake row and §6: the committee decides whether to accept within 3 working days of receiving the
 * application (local practice). Met by accept, reject or withdrawal; at lapse the coordinators hear of it.
 */
export const acceptanceDecision: DeadlineKind = {
  kind: 'acceptance_decision',
  legalBasis: '调解委员会受理规则：收到申请后3个工作日内决定是否受理',
  metBy: ['accept', 'reject', 'withdraw'],
  reminders: [
    {
      kind: LAPSE,
      at: (d) => d.dueAt,
      recipients: ['coordinators'],
      message: ({ caseRow, deadline }) => ({
        title: `受理期限已届满：${caseRow.case_no}`,
        body: `案件${caseRow.case_no}（申请人${caseRow.worker_name}）应于${deadline.last_day}前决定是否受理，期限已届满，请尽快作出受理或不予受理的决定。`,
      }),
    },
  ],
  async onTransition({ t, w }) {
    if (t.action !== 'intake') return;
    await w.create({
      caseId: t.row.id,
      kind: 'acceptance_decision',
      startDate: localDateOf(t.row.application_received_at),
      period: { unit: 'working_days', length: 3 },
    });
  },
};

@Injectable()
export class AcceptanceDecisionDeadline implements OnModuleInit {
  constructor(private readonly kinds: DeadlineKinds) {}

  onModuleInit(): void {
    this.kinds.register(acceptanceDecision);
  }
}
