import { Injectable, OnModuleInit } from '@nestjs/common';
import { DeadlineKinds, type DeadlineKind, type NewDeadline } from '../deadline-kinds';
import { localDateOf } from '../period';
import { localDateTime } from './text';

const HOUR = 60 * 60 * 1000;

function sessionOf(payload: Record<string, unknown>): { sessionId: string; startsAt: Date } | null {
  const { sessionId, startsAt } = payload;
  if (typeof sessionId !== 'string' || typeof startsAt !== 'string') return null;
  const at = new Date(startsAt);
  return Number.isNaN(at.getTime()) ? null : { sessionId, startsAt: at };
}

function spec(caseId: string, s: { sessionId: string; startsAt: Date }): NewDeadline {
  return {
    caseId,
    kind: 'session',
    subjectId: s.sessionId,
    startDate: localDateOf(s.startsAt),
    period: { unit: 'instant', length: 0 },
    dueAt: s.startsAt,
  };
}

const reminderText =
  (hours: number) =>
  ({ caseRow, deadline }: { caseRow: { case_no: string }; deadline: { due_at: Date } }) => ({
    title: `调解会议提醒：${caseRow.case_no}`,
    body: `案件${caseRow.case_no}的调解会议定于${localDateTime(deadline.due_at)}开始（约${hours}小时后），请做好准备。`,
  });

/**
 * SPEC §5–§8: a scheduled session is reminded 24 hours and 2 hours before it starts. Rescheduling moves the
 * reminders (the old schedule is superseded), cancelling cancels them, recording the session meets it. A
 * session logged after the fact gets no reminders: their times have passed, so they are recorded `skipped`.
 * When the case leaves mediation, the reminders of sessions not yet held are cancelled with them.
 */
export const sessionReminders: DeadlineKind = {
  kind: 'session',
  legalBasis: '调解会议安排',
  reminders: [
    {
      kind: 'before_24h',
      at: (d) => new Date(d.dueAt.getTime() - 24 * HOUR),
      recipients: ['mediator', 'worker', 'employer_contact'],
      message: reminderText(24),
    },
    {
      kind: 'before_2h',
      at: (d) => new Date(d.dueAt.getTime() - 2 * HOUR),
      recipients: ['mediator', 'worker', 'employer_contact'],
      message: reminderText(2),
    },
  ],
  async onTransition({ t, w }) {
    const caseId = t.row.id;
    // Mediation is over (an agreement, a failure, a withdrawal): sessions still ahead will not be held.
    if (t.from === 'in_mediation' && t.to !== 'in_mediation') {
      for (const d of await w.find(caseId, 'session')) await w.close(d, 'cancelled');
      return;
    }
    const s = sessionOf(t.payload);
    if (!s) return;
    switch (t.action) {
      case 'schedule_session':
        await w.create(spec(caseId, s));
        return;
      case 'reschedule_session': {
        const [current] = await w.find(caseId, 'session', { subjectId: s.sessionId });
        if (current && current.due_at.getTime() === s.startsAt.getTime()) return;
        if (current) await w.supersede(current, spec(caseId, s));
        else await w.create(spec(caseId, s));
        return;
      }
      case 'cancel_session':
      case 'record_session':
        for (const d of await w.find(caseId, 'session', { subjectId: s.sessionId })) {
          await w.close(d, t.action === 'record_session' ? 'met' : 'cancelled');
        }
        return;
      default:
        return;
    }
  },
};

@Injectable()
export class SessionReminders implements OnModuleInit {
  constructor(private readonly kinds: DeadlineKinds) {}

  onModuleInit(): void {
    this.kinds.register(sessionReminders);
  }
}
