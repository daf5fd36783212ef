import { Inject, Injectable, OnModuleInit, Optional } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AgreementsService, todayInShanghai, type Ledger } from '../agreements/agreements.service';
import { isOverdue } from '../agreements/ledger';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../auth/auth-user';
import { CaseDetailParts } from '../cases/case-detail-parts';
import { caseScope } from '../cases/case-scope';
import type { Target } from '../cases/case-lifecycle';
import { type CaseTransition, type CaseTransitionListener, CaseTransitions } from '../cases/case-transitions';
import type { CaseRow } from '../cases/case-view';
import { CasesService } from '../cases/cases.service';
import { DataProtector } from '../common/crypto';
import { COURT_SOURCES } from '../common/domain';
import {
  ConflictError,
  NotFoundError,
  PaymentOrderNotEligibleError,
  UnprocessableError,
  ValidationFailedError,
} from '../common/errors';
import { renderPdf } from '../common/pdf/pdf-document';
import { CURSOR_AT, decodeCursor, page } from '../common/paging';
import { DATA_PROTECTOR } from '../common/tokens';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { CalendarService } from '../deadlines/calendar.service';
import { referralStepOf, type ReferralStepPayload } from '../deadlines/kinds/court-windows';
import { addDaysPeriod, localDateOf } from '../deadlines/period';
import type { EventType } from '../notifications/event-types';
import { Notifier } from '../notifications/notifier';
import {
  NO_COMPETENT_COURT_WARNING,
  paymentOrderEligibility,
  type PaymentOrderEligibility,
} from './eligibility';
import { buildPacket, type ReferralPacket } from './referral-packet';
import { referralDocument } from './referral-document';
import {
  isOpen,
  OPEN_REFERRAL_STATUSES,
  planStep,
  type ReferralKind,
  type ReferralStatus,
  type StepName,
} from './referral-steps';
import type { CreateReferralDto, DecisionDto, ListReferralsQuery, OutcomeDto } from './referrals.dto';

interface ReferralRow {
  id: string;
  case_id: string;
  committee_id: string;
  kind: ReferralKind;
  status: ReferralStatus;
  court_id: string;
  court_competent: boolean;
  court_case_no: string | null;
  amount_claimed_fen: string | null;
  amount_recovered_fen: string;
  joint_application: boolean;
  warning: string | null;
  packet: ReferralPacket;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
  acknowledged_at: Date | null;
  decided_at: Date | null;
  decided_on: string | null;
  closed_at: Date | null;
}

type ReferralListRow = Omit<ReferralRow, 'packet'> & {
  case_no: string;
  court_name: string;
  worker_name: string;
  employer_name: string;
  case_status: string;
  ack_due_at: Date | null;
  cursor_at: string;
};

interface StepInput {
  on?: string;
  courtCaseNo?: string;
  reason?: string;
  amountRecoveredFen?: number;
  note?: string;
}

const caseRef = (c: { id: string; status: string; closureReason: string | null; version: number }) => ({
  id: c.id,
  status: c.status,
  closureReason: c.closureReason,
  version: c.version,
});

const open = (status: Target['status']): Target => ({ status, closureReason: null });
const closed = (closureReason: NonNullable<Target['closureReason']>): Target => ({
  status: 'closed',
  closureReason,
});

/** The event a referral step publishes (SPEC §7). */
function eventOf(step: string): EventType {
  if (step === 'sent') return 'referral.created';
  if (step === 'acknowledge') return 'referral.acknowledged';
  if (step.startsWith('decision:')) return 'referral.decided';
  return 'referral.outcome_recorded';
}

/** What the worker is told by SMS where §9 gives them a next step of their own. */
function workerSmsOf(p: ReferralStepPayload, caseNo: string): string | undefined {
  if (p.step === 'outcome:objection_upheld')
    return `您的案件 ${caseNo}：用人单位对支付令提出的异议成立，督促程序终结，案件将转入诉讼。如不同意起诉，请在收到终结裁定之日起7日内向法院提出。`;
  if (p.step === 'outcome:refused')
    return `您的案件 ${caseNo}：法院不予确认调解协议。您可以与用人单位重新调解变更原协议，或者向劳动人事争议仲裁委员会申请仲裁。`;
  if (
    p.referralKind === 'payment_order' &&
    ['decision:rejected', 'outcome:dismissed', 'outcome:not_served'].includes(p.step)
  )
    return `您的案件 ${caseNo}：支付令程序未能继续。您可以向劳动人事争议仲裁委员会申请仲裁，调解员会与您联系。`;
  return undefined;
}

/**
 * Court referrals (SPEC §9): payment-order eligibility, the referral and its packet (JSON and PDF), and the
 * court liaison's steps. Every change goes through CasesService.act (`refer_*`, `court_step`), so the case row is
 * locked, the lifecycle refuses what §5 does not allow, and the step's case event, audit entry, court windows
 * (deadline kinds, src/deadlines/kinds/court-windows.ts) and notifications are one transaction.
 */
@Injectable()
export class ReferralsService implements OnModuleInit, CaseTransitionListener {
  constructor(
    private readonly db: DataSource,
    private readonly cases: CasesService,
    private readonly agreements: AgreementsService,
    private readonly audit: AuditService,
    private readonly notifier: Notifier,
    private readonly transitions: CaseTransitions,
    private readonly calendar: CalendarService,
    @Inject(DATA_PROTECTOR) private readonly protector: DataProtector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() private readonly detailParts?: CaseDetailParts,
  ) {}

  onModuleInit(): void {
    this.transitions.register(this);
    // SPEC §5 instalment overdue row: "payment-order eligibility evaluated" — a defaulted case's detail shows it.
    this.detailParts?.register(async (row) =>
      row.status === 'defaulted'
        ? { paymentOrderEligibility: (await this.evaluate(this.db.manager, row)).eligibility }
        : {},
    );
  }

  private get grace(): number {
    return this.config.instalmentGraceDays ?? 0;
  }

  // ---------------------------------------------------------------- eligibility

  async eligibility(user: AuthUser, caseId: string): Promise<PaymentOrderEligibility> {
    const row = await this.cases.findVisible(this.db.manager, user, caseId);
    return (await this.evaluate(this.db.manager, row)).eligibility;
  }

  private async evaluate(m: EntityManager, row: CaseRow) {
    const ledger = await this.agreements.loadLedger(m, row.id);
    const division = row.employer_domicile_division_code;
    const courts: Array<{ id: string; name: string; jurisdiction_division_codes: string[] }> = division
      ? await m.query(
          `SELECT id, name, jurisdiction_division_codes FROM organisations
            WHERE kind = 'court' AND jurisdiction_division_codes @> ARRAY[$1]::text[] ORDER BY created_at, id`,
          [division],
        )
      : [];
    const confirmed: unknown[] = ledger
      ? await m.query(
          `SELECT 1 FROM referrals WHERE case_id = $1 AND kind = 'judicial_confirmation' AND status = 'confirmed' LIMIT 1`,
          [row.id],
        )
      : [];
    const eligibility = paymentOrderEligibility({
      case: {
        source: row.source,
        employerAddress: row.employer_address,
        employerWhereaboutsUnknown: row.employer_whereabouts_unknown,
        employerDomicileDivisionCode: division,
      },
      agreement: ledger
        ? {
            items: ledger.items,
            instalments: ledger.instalments,
            accelerationOnDefault: ledger.accelerationOnDefault,
            workerObligations: ledger.workerObligations,
            judiciallyConfirmed: confirmed.length > 0,
          }
        : null,
      today: todayInShanghai(),
      graceDays: this.grace,
      courts: courts.map((c) => ({
        id: c.id,
        name: c.name,
        jurisdictionDivisionCodes: c.jurisdiction_division_codes,
      })),
    });
    return { ledger, eligibility };
  }

  // ---------------------------------------------------------------- referral (SPEC §5 refer rows)

  async create(user: AuthUser, caseId: string, dto: CreateReferralDto, ifMatch?: number) {
    let referral!: ReferralRow;
    const action = dto.kind === 'payment_order' ? 'refer_payment_order' : 'refer_judicial_confirmation';
    const c = await this.cases.act(user, caseId, action, ifMatch, async ({ row, manager: m }) => {
      referral =
        dto.kind === 'payment_order'
          ? await this.insertPaymentOrder(m, user, row, dto)
          : await this.insertJudicialConfirmation(m, user, row, dto);
      await this.appendStep(
        m,
        referral.id,
        'sent',
        null,
        'sent',
        referral.packet.preparedOn,
        user.id,
        null,
        {},
      );
      const payload: ReferralStepPayload & Record<string, unknown> = {
        referralId: referral.id,
        referralKind: referral.kind,
        step: 'sent',
        referralStatus: 'sent',
        on: referral.packet.preparedOn,
        courtId: referral.court_id,
        courtCompetent: referral.court_competent,
        ...(referral.amount_claimed_fen !== null
          ? { amountClaimedFen: Number(referral.amount_claimed_fen) }
          : {}),
        ...(referral.kind === 'judicial_confirmation' ? { jointApplication: true } : {}),
      };
      return { payload };
    });
    const [court]: Array<{ name: string }> = await this.db.query(
      `SELECT name FROM organisations WHERE id = $1`,
      [referral.court_id],
    );
    return { ...this.view({ ...referral, court_name: court.name }), case: caseRef(c) };
  }

  private async insertPaymentOrder(m: EntityManager, user: AuthUser, row: CaseRow, dto: CreateReferralDto) {
    if (dto.jointApplication !== undefined)
      throw new ValidationFailedError([
        { field: 'jointApplication', message: 'applies to judicial confirmation referrals only' },
      ]);
    const { ledger, eligibility: e } = await this.evaluate(m, row);
    if (!e.eligible || !ledger)
      throw new PaymentOrderNotEligibleError(e.reasons, {
        reasonCodes: e.reasonCodes,
        alternative: e.alternative,
        alternativeCode: e.alternativeCode,
      });
    let court: { id: string; name: string; competent: boolean };
    if (e.court) {
      if (dto.courtId && dto.courtId !== e.court.id)
        throw new ValidationFailedError([
          { field: 'courtId', message: `must be the competent court (${e.court.name}) or left out` },
        ]);
      court = { ...e.court, competent: true };
    } else {
      if (!dto.courtId)
        throw new ValidationFailedError([
          {
            field: 'courtId',
            message: 'is required: no court of the service has jurisdiction over the employer’s domicile',
          },
        ]);
      court = { ...(await this.courtById(m, dto.courtId)), competent: false };
    }
    return this.insertReferral(m, user, row, ledger, {
      kind: 'payment_order',
      court,
      amountClaimedFen: e.amountClaimedFen,
      warning: court.competent ? null : NO_COMPETENT_COURT_WARNING,
      jointApplication: false,
    });
  }

  private async insertJudicialConfirmation(
    m: EntityManager,
    user: AuthUser,
    row: CaseRow,
    dto: CreateReferralDto,
  ) {
    if (dto.jointApplication !== true)
      throw new ValidationFailedError([
        {
          field: 'jointApplication',
          message: 'must be true: both parties apply jointly for judicial confirmation',
        },
      ]);
    const ledger = await this.agreements.loadLedger(m, row.id);
    if (!ledger) throw new NotFoundError('Agreement');
    // Within 30 days of the agreement taking effect (CPL art. 205), counted as the deadline of §6 is.
    const lastDay = addDaysPeriod(
      localDateOf(new Date(ledger.effectiveAt)),
      30,
      await this.calendar.current(),
    );
    const today = todayInShanghai();
    if (today > lastDay)
      throw new UnprocessableError(
        'JUDICIAL_CONFIRMATION_WINDOW_CLOSED',
        'Judicial confirmation window closed',
        `Judicial confirmation must be applied for within 30 days of the agreement taking effect; the last day was ${lastDay}.`,
        { lastDay },
      );
    const openOne: unknown[] = await m.query(
      `SELECT 1 FROM referrals WHERE case_id = $1 AND kind = 'judicial_confirmation' AND status = ANY($2::text[])`,
      [row.id, OPEN_REFERRAL_STATUSES],
    );
    if (openOne.length)
      throw new ConflictError(
        'REFERRAL_ALREADY_OPEN',
        'Referral already open',
        'A judicial confirmation referral of this case is already with the court.',
      );
    // The court that sent the case, else the basic court where the committee sits (its partner court).
    let courtId: string | null = COURT_SOURCES.includes(row.source) ? row.origin_organisation_id : null;
    if (!courtId) {
      const [committee]: Array<{ partner_court_ids: string[] }> = await m.query(
        `SELECT partner_court_ids FROM organisations WHERE id = $1`,
        [row.committee_id],
      );
      courtId = committee?.partner_court_ids[0] ?? null;
    }
    if (dto.courtId && courtId && dto.courtId !== courtId)
      throw new ValidationFailedError([
        {
          field: 'courtId',
          message: 'must be the court that sent the case, else the committee’s court, or left out',
        },
      ]);
    courtId ??= dto.courtId ?? null;
    if (!courtId)
      throw new ValidationFailedError([
        { field: 'courtId', message: 'is required: the committee has no partner court' },
      ]);
    const court = { ...(await this.courtById(m, courtId)), competent: true };
    return this.insertReferral(m, user, row, ledger, {
      kind: 'judicial_confirmation',
      court,
      amountClaimedFen: null,
      warning: null,
      jointApplication: true,
    });
  }

  private async courtById(m: EntityManager, id: string): Promise<{ id: string; name: string }> {
    const rows: Array<{ id: string; name: string }> = await m.query(
      `SELECT id, name FROM organisations WHERE id = $1 AND kind = 'court'`,
      [id],
    );
    if (!rows[0])
      throw new ValidationFailedError([{ field: 'courtId', message: 'must be the id of a court' }]);
    return rows[0];
  }

  private async insertReferral(
    m: EntityManager,
    user: AuthUser,
    row: CaseRow,
    ledger: Ledger,
    r: {
      kind: ReferralKind;
      court: { id: string; name: string; competent: boolean };
      amountClaimedFen: number | null;
      warning: string | null;
      jointApplication: boolean;
    },
  ): Promise<ReferralRow> {
    const [committee]: Array<{ id: string; name: string; address: string | null }> = await m.query(
      `SELECT id, name, address FROM organisations WHERE id = $1`,
      [row.committee_id],
    );
    const mediator: Array<{ display_name: string }> = ledger.mediatorId
      ? await m.query(`SELECT display_name FROM users WHERE id = $1`, [ledger.mediatorId])
      : [];
    const packet = buildPacket({
      kind: r.kind,
      row,
      ledger,
      committee,
      mediatorName: mediator[0]?.display_name ?? null,
      court: r.court,
      amountClaimedFen: r.amountClaimedFen,
      warning: r.warning,
      jointApplication: r.jointApplication,
      today: todayInShanghai(),
    });
    const [inserted]: ReferralRow[] = await m.query(
      `INSERT INTO referrals (case_id, committee_id, kind, court_id, court_competent, amount_claimed_fen,
         joint_application, warning, packet, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING *`,
      [
        row.id,
        row.committee_id,
        r.kind,
        r.court.id,
        r.court.competent,
        r.amountClaimedFen,
        r.jointApplication,
        r.warning,
        packet,
        user.id,
      ],
    );
    return inserted;
  }

  // ---------------------------------------------------------------- the liaison's steps (SPEC §9 table)

  acknowledge(user: AuthUser, id: string, ifMatch?: number) {
    return this.step(user, id, 'acknowledge', {}, ifMatch);
  }

  decide(user: AuthUser, id: string, dto: DecisionDto, ifMatch?: number) {
    return this.step(user, id, `decision:${dto.decision}`, dto, ifMatch);
  }

  outcome(user: AuthUser, id: string, dto: OutcomeDto, ifMatch?: number) {
    if (dto.outcome === 'paid' && !(dto.amountRecoveredFen && dto.amountRecoveredFen > 0))
      throw new ValidationFailedError([{ field: 'amountRecoveredFen', message: 'must be at least 1 fen' }]);
    return this.step(user, id, `outcome:${dto.outcome}`, dto, ifMatch);
  }

  private async step(user: AuthUser, id: string, step: StepName, input: StepInput, ifMatch?: number) {
    const ref = await this.findForCourt(this.db.manager, user, id);
    // Out of order answers with the referral's status before anything else is looked at.
    planStep(ref.kind, ref.status, step);
    const today = todayInShanghai();
    const on = input.on ?? today;
    const sentOn = localDateOf(ref.created_at);
    if (on > today) throw new ValidationFailedError([{ field: 'on', message: 'must not be in the future' }]);
    if (on < sentOn)
      throw new ValidationFailedError([
        { field: 'on', message: `must not be before the referral was sent (${sentOn})` },
      ]);

    let updated!: ReferralRow;
    const c = await this.cases.act(user, ref.case_id, 'court_step', ifMatch, async ({ row, manager: m }) => {
      const [cur]: ReferralRow[] = await m.query(`SELECT * FROM referrals WHERE id = $1 FOR UPDATE`, [id]);
      const plan = planStep(cur.kind, cur.status, step);
      let to = plan.to;
      let target: Target = open(row.status);
      let recovered = 0;
      let payment: Record<string, unknown> | undefined;
      const pay = async (amountFen: number) => {
        const r = await this.agreements.applyPaymentInTx(m, row, {
          amountFen,
          paidOn: on,
          note: `法院${cur.court_case_no ? `（${cur.court_case_no}）` : ''}收回款项`,
          source: 'court',
          userId: user.id,
        });
        recovered = amountFen;
        payment = r.payload;
        return r.facts.nothingOutstanding === true;
      };
      switch (plan.effect) {
        case 'back':
          target = row.status === 'referred' ? await this.backTarget(m, row) : open(row.status);
          break;
        case 'litigation':
          target = closed('litigation');
          break;
        case 'enforcement_concluded': {
          const settled = (input.amountRecoveredFen ?? 0) > 0 ? await pay(input.amountRecoveredFen!) : false;
          target = closed(settled ? 'settled' : 'enforcement_concluded');
          break;
        }
        case 'payment': {
          const settled = await pay(input.amountRecoveredFen!);
          // §9: the referral is `paid` once nothing is outstanding; a part payment is recorded and it stays.
          if (!settled) to = cur.status;
          target = settled ? closed('settled') : open(row.status);
          break;
        }
        case 'none':
          break;
      }
      // An UPDATE … RETURNING answers [rows, count] through TypeORM.
      const [[u]]: [ReferralRow[], number] = await m.query(
        `UPDATE referrals SET status = $2,
                court_case_no = coalesce($3, court_case_no),
                acknowledged_at = CASE WHEN $4 = 'acknowledge' THEN now() ELSE acknowledged_at END,
                decided_at = CASE WHEN $4 LIKE 'decision:%' THEN now() ELSE decided_at END,
                decided_on = CASE WHEN $4 LIKE 'decision:%' THEN $5::date ELSE decided_on END,
                amount_recovered_fen = amount_recovered_fen + $6,
                closed_at = CASE WHEN $7 THEN coalesce(closed_at, now()) ELSE NULL END,
                updated_at = now()
          WHERE id = $1 RETURNING *`,
        [id, to, input.courtCaseNo ?? null, step, on, recovered, !isOpen(to)],
      );
      updated = u;
      const [kindOf, value] = step.includes(':') ? step.split(':') : [step, undefined];
      const data: Record<string, unknown> = {
        ...(kindOf === 'decision' ? { decision: value } : {}),
        ...(kindOf === 'outcome' ? { outcome: value } : {}),
        ...(input.courtCaseNo ? { courtCaseNo: input.courtCaseNo } : {}),
        ...(recovered ? { amountRecoveredFen: recovered } : {}),
        ...(input.note ? { note: input.note } : {}),
      };
      await this.appendStep(m, id, step, cur.status, to, on, user.id, input.reason ?? null, data);
      const payload: ReferralStepPayload & Record<string, unknown> = {
        referralId: id,
        referralKind: cur.kind,
        step,
        referralStatus: to,
        fromReferralStatus: cur.status,
        on,
        ...data,
        ...(u.court_case_no ? { courtCaseNo: u.court_case_no } : {}),
        ...(payment ? { payment } : {}),
        ...(step === 'outcome:objection_upheld'
          ? { nextStep: 'litigation_unless_opt_out_within_7_days' }
          : {}),
        ...(step === 'outcome:refused' ? { nextStep: 'amend_agreement_or_arbitration' } : {}),
      };
      return { facts: { courtStepTarget: target }, reason: input.reason ?? null, payload };
    });
    return { ...this.view({ ...updated, court_name: ref.court_name }), case: caseRef(c) };
  }

  /** §9 "back to defaulted": unless payments made meanwhile left nothing overdue, then performing (§5). */
  private async backTarget(m: EntityManager, row: CaseRow): Promise<Target> {
    const ledger = await this.agreements.loadLedger(m, row.id);
    const today = todayInShanghai();
    const overdue = ledger?.instalments.some((i) => isOverdue(i, today, this.grace)) ?? true;
    return open(overdue ? 'defaulted' : 'performing');
  }

  private async appendStep(
    m: EntityManager,
    referralId: string,
    step: string,
    from: ReferralStatus | null,
    to: ReferralStatus,
    on: string,
    userId: string | null,
    reason: string | null,
    data: Record<string, unknown>,
  ): Promise<void> {
    await m.query(
      `INSERT INTO referral_steps (referral_id, step, from_status, to_status, on_date, actor_user_id, reason, data)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [referralId, step, from, to, on, userId, reason, data],
    );
  }

  // ---------------------------------------------------------------- listener: notifications, and payments

  async onTransition(m: EntityManager, t: CaseTransition): Promise<void> {
    const p = referralStepOf(t);
    if (p) {
      const extra = t.payload as Record<string, unknown>;
      const [court]: Array<{ court_id: string }> = await m.query(
        `SELECT court_id FROM referrals WHERE id = $1`,
        [p.referralId],
      );
      const [kindOf, value] = p.step.includes(':') ? p.step.split(':') : [p.step, undefined];
      const sms = workerSmsOf(p, t.row.case_no);
      await this.notifier.publish(m, {
        type: eventOf(p.step),
        caseRow: t.row,
        referralCourtId: court.court_id,
        data: {
          referralId: p.referralId,
          kind: p.referralKind,
          status: p.referralStatus,
          caseStatus: t.row.status,
          on: p.on,
          ...(kindOf === 'decision' ? { decision: value } : {}),
          ...(kindOf === 'outcome' ? { outcome: value } : {}),
          ...(typeof extra.courtCaseNo === 'string' ? { courtCaseNo: extra.courtCaseNo } : {}),
          ...(typeof extra.amountClaimedFen === 'number' ? { amountClaimedFen: extra.amountClaimedFen } : {}),
          ...(typeof extra.amountRecoveredFen === 'number'
            ? { amountRecoveredFen: extra.amountRecoveredFen }
            : {}),
          ...(typeof extra.nextStep === 'string' ? { nextStep: extra.nextStep } : {}),
          ...(t.reason ? { reason: t.reason } : {}),
        },
        ...(sms ? { workerSms: sms } : {}),
      });
      return;
    }
    // §5 record payment row: "an open referral is marked paid and its court told"; a withdrawn case withdraws it.
    const ending =
      t.action === 'record_payment' && t.to === 'closed'
        ? ('paid' as const)
        : t.action === 'withdraw'
          ? ('withdrawn' as const)
          : null;
    if (!ending) return;
    const [refs]: [
      Array<{
        id: string;
        kind: ReferralKind;
        status: ReferralStatus;
        court_id: string;
        court_case_no: string | null;
      }>,
      number,
    ] = await m.query(
      `UPDATE referrals r SET status = $3, closed_at = now(), updated_at = now()
           FROM referrals old
          WHERE r.id = old.id AND r.case_id = $1 AND r.status = ANY($2::text[])
            AND (r.kind = 'payment_order' OR $3 = 'withdrawn')
        RETURNING r.id, r.kind, old.status, r.court_id, r.court_case_no`,
      [t.row.id, OPEN_REFERRAL_STATUSES, ending],
    );
    const on = localDateOf(t.at);
    for (const r of refs) {
      await this.appendStep(m, r.id, `case:${t.action}`, r.status, ending, on, t.actorUserId, null, {});
      await this.notifier.publish(m, {
        type: 'referral.outcome_recorded',
        caseRow: t.row,
        referralCourtId: r.court_id,
        data: {
          referralId: r.id,
          kind: r.kind,
          status: ending,
          outcome: ending,
          on,
          ...(r.court_case_no ? { courtCaseNo: r.court_case_no } : {}),
        },
      });
    }
  }

  // ---------------------------------------------------------------- reads

  async list(user: AuthUser, q: ListReferralsQuery) {
    const params: unknown[] = [];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const where: string[] = [];
    if (user.role === 'court_liaison') where.push(`r.court_id = ${p(user.organisationId)}`);
    else if (user.role === 'coordinator') where.push(`r.committee_id = ${p(user.organisationId)}`);
    else where.push(`r.committee_id = ${p(user.organisationId)} AND c.mediator_id = ${p(user.id)}`);
    if (q.status) where.push(`r.status = ${p(q.status)}`);
    if (q.kind) where.push(`r.kind = ${p(q.kind)}`);
    if (q.caseId) where.push(`r.case_id = ${p(q.caseId)}`);
    if (q.cursor) {
      const cursor = decodeCursor(q.cursor);
      where.push(`(r.created_at, r.id) < (${p(cursor.at)}::timestamptz, ${p(cursor.id)}::uuid)`);
    }
    const limit = q.limit ?? 50;
    const rows: ReferralListRow[] = await this.db.query(
      `SELECT r.id, r.case_id, r.committee_id, r.kind, r.status, r.court_id, r.court_competent, r.court_case_no,
              r.amount_claimed_fen, r.amount_recovered_fen, r.joint_application, r.warning, r.created_by, r.created_at,
              r.updated_at, r.acknowledged_at, r.decided_at, r.decided_on, r.closed_at,
              c.case_no, c.worker_name, c.employer_name, c.status::text AS case_status, o.name AS court_name,
              ack.due_at AS ack_due_at,
              ${CURSOR_AT('r.created_at')} AS cursor_at
         FROM referrals r
         JOIN cases c ON c.id = r.case_id
         JOIN organisations o ON o.id = r.court_id
         LEFT JOIN LATERAL (
           SELECT d.due_at FROM deadlines d
            WHERE d.subject_id = r.id AND d.kind = 'referral_acknowledgement' AND d.status IN ('pending', 'fired')
            ORDER BY d.created_at DESC LIMIT 1) ack ON r.status = 'sent'
        WHERE ${where.join(' AND ')}
        ORDER BY r.created_at DESC, r.id DESC LIMIT ${p(limit + 1)}`,
      params,
    );
    const now = Date.now();
    return page(rows, limit, (r) => ({
        ...this.view(r),
        caseNo: r.case_no,
        caseStatus: r.case_status,
        workerName: r.worker_name,
        employerName: r.employer_name,
        acknowledgementDueAt: r.ack_due_at ? r.ack_due_at.toISOString() : null,
      acknowledgementOverdue: r.ack_due_at !== null && r.ack_due_at.getTime() <= now,
    }));
  }

  async get(user: AuthUser, id: string) {
    const { ref, packet, full } = await this.load(user, id, 'read');
    const [steps, deadlines]: [Array<Record<string, unknown>>, Array<Record<string, unknown>>] = [
      await this.db.query(
        `SELECT s.step, s.from_status AS "fromStatus", s.to_status AS "toStatus", to_char(s.on_date, 'YYYY-MM-DD') AS "on",
                s.reason, s.data, s.at, s.actor_user_id AS "actorUserId", u.display_name AS "actorName"
           FROM referral_steps s LEFT JOIN users u ON u.id = s.actor_user_id WHERE s.referral_id = $1 ORDER BY s.id`,
        [id],
      ),
      await this.db.query(
        `SELECT id, kind, to_char(last_day, 'YYYY-MM-DD') AS "lastDay", due_at AS "dueAt", legal_basis AS "legalBasis", status
           FROM deadlines WHERE subject_id = $1 ORDER BY created_at, id`,
        [id],
      ),
    ];
    const ackOverdue =
      ref.status === 'sent' &&
      deadlines.some(
        (d) =>
          d.kind === 'referral_acknowledgement' &&
          (d.status === 'pending' || d.status === 'fired') &&
          (d.dueAt as Date).getTime() <= Date.now(),
      );
    return {
      ...this.view(ref),
      caseNo: ref.case_no,
      acknowledgementOverdue: ackOverdue,
      idNumbersInFull: full,
      packet,
      steps,
      deadlines,
    };
  }

  async document(user: AuthUser, id: string): Promise<{ pdf: Buffer; filename: string }> {
    const { ref, packet } = await this.load(user, id, 'pdf');
    const pdf = await renderPdf(referralDocument(packet, ref.court_case_no), {
      title: `${packet.title} ${ref.case_no}`,
    });
    return {
      pdf,
      filename: `${ref.kind === 'payment_order' ? 'payment-order' : 'judicial-confirmation'}-${ref.case_no}.pdf`,
    };
  }

  /**
   * The referral as the caller may see it: the addressed court's liaisons (by the court) or the case's staff (by the
   * case's scope). ID numbers in full only for the addressed court (SPEC §4, §9), and that read is audited.
   */
  private async load(user: AuthUser, id: string, part: 'read' | 'pdf') {
    const params: unknown[] = [id];
    const scope =
      user.role === 'court_liaison'
        ? `r.court_id = $${params.push(user.organisationId)}`
        : caseScope(user, params);
    const rows: Array<
      ReferralRow & {
        case_no: string;
        court_name: string;
        worker_id_cipher: string;
        employer_person_id_cipher: string | null;
      }
    > = await this.db.query(
      `SELECT r.*, c.case_no, c.worker_id_cipher, c.employer_person_id_cipher, o.name AS court_name
         FROM referrals r JOIN cases c ON c.id = r.case_id JOIN organisations o ON o.id = r.court_id
        WHERE r.id = $1 AND ${scope}`,
      params,
    );
    const ref = rows[0];
    if (!ref) throw new NotFoundError('Referral');
    const full = user.role === 'court_liaison';
    const packet: ReferralPacket = full
      ? {
          ...ref.packet,
          applicant: { ...ref.packet.applicant, idNumber: this.protector.decrypt(ref.worker_id_cipher) },
          respondent: {
            ...ref.packet.respondent,
            idNumber: ref.employer_person_id_cipher
              ? this.protector.decrypt(ref.employer_person_id_cipher)
              : ref.packet.respondent.idNumber,
          },
        }
      : ref.packet;
    if (full) {
      await this.audit.record({
        userId: user.id,
        action: 'referral_packet_read',
        entity: 'referral',
        entityId: id,
        detail: { caseId: ref.case_id, part, idNumbers: 'full' },
      });
    }
    return { ref, packet, full };
  }

  private async findForCourt(m: EntityManager, user: AuthUser, id: string) {
    const rows: Array<ReferralRow & { court_name: string }> = await m.query(
      `SELECT r.*, o.name AS court_name FROM referrals r JOIN organisations o ON o.id = r.court_id
        WHERE r.id = $1 AND r.court_id = $2`,
      [id, user.organisationId],
    );
    if (!rows[0]) throw new NotFoundError('Referral');
    return rows[0];
  }

  private view(r: Omit<ReferralRow, 'packet'> & { court_name: string }) {
    return {
      id: r.id,
      caseId: r.case_id,
      kind: r.kind,
      status: r.status,
      court: { id: r.court_id, name: r.court_name, competent: r.court_competent },
      courtCaseNo: r.court_case_no,
      amountClaimedFen: r.amount_claimed_fen === null ? null : Number(r.amount_claimed_fen),
      amountRecoveredFen: Number(r.amount_recovered_fen),
      jointApplication: r.joint_application,
      warning: r.warning,
      createdAt: r.created_at.toISOString(),
      updatedAt: r.updated_at.toISOString(),
      acknowledgedAt: r.acknowledged_at ? r.acknowledged_at.toISOString() : null,
      decidedAt: r.decided_at ? r.decided_at.toISOString() : null,
      decidedOn: r.decided_on,
      closedAt: r.closed_at ? r.closed_at.toISOString() : null,
    };
  }
}

