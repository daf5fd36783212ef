import { Injectable, OnModuleInit } from '@nestjs/common';
import { DeadlineKinds, LAPSE, type DeadlineKind } from '../deadline-kinds';
import { addCalendarDays, localDateOf, localInstant } from '../period';

/**
 * SPEC §6 `judicial_confirmation_window`: the parties may jointly apply for judicial confirmation within 30
 * days of the agreement taking effect (CPL art. 205, 2023). On day 20 at 09:00 the mediator is reminded; a
 * referral for judicial confirmation meets it; the lapse only marks it (nobody to tell then).
 */
export const judicialConfirmationWindow: DeadlineKind = {
  kind: 'judicial_confirmation_window',
  legalBasis: '《民事诉讼法》第二百零五条',
  metBy: ['refer_judicial_confirmation'],
  reminders: [
    {
      kind: 'day_20',
      at: (d) => localInstant(addCalendarDays(d.startDate, 20), '09:00'),
      recipients: ['mediator'],
      message: ({ caseRow, deadline }) => ({
        title: `司法确认申请期限将至：${caseRow.case_no}`,
        body: `案件${caseRow.case_no}的调解协议已生效20日。双方当事人如需申请司法确认，应在${deadline.last_day}前共同向人民法院提出。`,
      }),
    },
    { kind: LAPSE, at: (d) => d.dueAt, recipients: [] },
  ],
  async onTransition({ t, w }) {
    if (t.action !== 'record_agreement' || t.to !== 'performing') return;
    const [a]: Array<{ effective_at: Date }> = await w.m.query(
      `SELECT effective_at FROM agreements WHERE case_id = $1`,
      [t.row.id],
    );
    if (!a) return;
    await w.create({
      caseId: t.row.id,
      kind: 'judicial_confirmation_window',
      startDate: localDateOf(a.effective_at),
      period: { unit: 'days', length: 30 },
    });
  },
};

@Injectable()
export class JudicialConfirmationDeadline implements OnModuleInit {
  constructor(private readonly kinds: DeadlineKinds) {}

  onModuleInit(): void {
    this.kinds.register(judicialConfirmationWindow);
  }
}
