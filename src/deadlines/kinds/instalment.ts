import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { formatYuan } from '../../common/money';
import { CasesService } from '../../cases/cases.service';
import { CaseTransitions } from '../../cases/case-transitions';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { DeadlineKinds, LAPSE, type DeadlineKind } from '../deadline-kinds';
import { addCalendarDays, localInstant } from '../period';

interface InstalmentRow {
  id: string;
  seq: number;
  due_on: string;
  amount_fen: string;
  paid_fen: string;
}

const seqText = (data: Record<string, unknown>) => (typeof data.seq === 'number' ? `第${data.seq}期` : '');

/**
 * SPEC §5–§6 `instalment`: each unpaid instalment of an agreement is due on its `dueOn`; 3 days before, at
 * 09:00, the mediator is reminded (and the employer's contact, once SMS and e-mail exist); when the day after
 * `dueOn` plus the configured grace begins (Asia/Shanghai) and it is still unpaid, the case goes
 * performing → defaulted through the lifecycle, actor `scheduler`, one case event. A payment in full meets it.
 * A payment that clears overdue instalments brings the case back (the agreements feature, `overdueCleared`).
 */
@Injectable()
export class InstalmentDeadlines implements OnModuleInit {
  constructor(
    private readonly kinds: DeadlineKinds,
    private readonly cases: CasesService,
    private readonly transitions: CaseTransitions,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.kinds.register(this.definition());
  }

  definition(): DeadlineKind {
    return {
      kind: 'instalment',
      legalBasis: '调解协议约定的履行期限',
      reminders: [
        {
          kind: 'due_soon_3d',
          at: (d) => localInstant(addCalendarDays(d.startDate, -3), '09:00'),
          recipients: ['mediator', 'employer_contact'],
          message: ({ caseRow, deadline }) => ({
            title: `分期款即将到期：${caseRow.case_no}`,
            body: `案件${caseRow.case_no}调解协议约定的${seqText(deadline.data)}款项${formatYuan(Number(deadline.data.amountFen ?? 0))}将于${deadline.start_date}到期，请提醒用人单位按时履行。`,
          }),
        },
        {
          kind: LAPSE,
          at: (d) => d.dueAt,
          recipients: ['mediator', 'coordinators'],
          message: ({ caseRow, deadline, payload }) => ({
            title: `分期款逾期未付：${caseRow.case_no}`,
            body: `案件${caseRow.case_no}调解协议约定于${deadline.start_date}支付的${seqText(deadline.data)}款项尚有${formatYuan(Number(payload.unpaidFen ?? 0))}未付，${payload.caseDefaulted ? '案件已转为“逾期未履行”。' : ''}可告知劳动者申请支付令或仲裁。`,
          }),
        },
      ],
      onTransition: async ({ t, w }) => {
        if (t.action === 'record_agreement' && t.to === 'performing') {
          const rows: InstalmentRow[] = await w.m.query(
            `SELECT id, seq, due_on, amount_fen, paid_fen FROM instalments
              WHERE case_id = $1 AND paid_fen < amount_fen ORDER BY seq`,
            [t.row.id],
          );
          for (const i of rows) {
            await w.create({
              caseId: t.row.id,
              kind: 'instalment',
              subjectId: i.id,
              startDate: i.due_on,
              period: { unit: 'calendar_days', length: this.config.instalmentGraceDays },
              data: { seq: i.seq, dueOn: i.due_on, amountFen: Number(i.amount_fen) },
            });
          }
        } else if (t.action === 'record_payment' || t.action === 'court_step') {
          const pending = await w.find(t.row.id, 'instalment');
          if (!pending.length) return;
          const paid: Array<{ id: string }> = await w.m.query(
            `SELECT id FROM instalments WHERE case_id = $1 AND paid_fen >= amount_fen`,
            [t.row.id],
          );
          const paidIds = new Set(paid.map((p) => p.id));
          for (const d of pending) if (d.subject_id && paidIds.has(d.subject_id)) await w.close(d, 'met');
        }
      },
      onLapse: async ({ m, deadline, caseRow, afterCommit }) => {
        const [i]: InstalmentRow[] = await m.query(
          `SELECT id, seq, due_on, amount_fen, paid_fen FROM instalments WHERE id = $1`,
          [deadline.subject_id],
        );
        const unpaidFen = i ? Number(i.amount_fen) - Number(i.paid_fen) : 0;
        if (!i || unpaidFen <= 0) return { status: 'met', notify: false };
        const payload = { instalmentId: i.id, seq: i.seq, dueOn: i.due_on, unpaidFen };
        if (caseRow.status !== 'performing') return { payload: { ...payload, caseDefaulted: false } };
        const t = await this.cases.actAsSystem(m, caseRow, 'instalment_overdue', { payload });
        afterCommit(() => this.transitions.committed(t));
        return { payload: { ...payload, caseDefaulted: true } };
      },
    };
  }
}
