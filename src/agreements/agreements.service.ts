import { Inject, Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import type { TransitionFacts } from '../cases/case-lifecycle';
import { CasesService } from '../cases/cases.service';
import type { CaseRow, ClaimRow } from '../cases/case-view';
import type { ClaimType } from '../common/domain';
import { NotFoundError, UnprocessableError, ValidationFailedError, type FieldError } from '../common/errors';
import { renderPdf } from '../common/pdf/pdf-document';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { agreementDocument } from './agreement-document';
import type { InstalmentDto, RecordAgreementDto, RecordPaymentDto } from './agreements.dto';
import {
  allocatePayment,
  applyAllocations,
  type Allocation,
  type InstalmentBalance,
  inDueOrder,
  isOverdue,
  itemBalances,
  outstandingOf,
  overdueFen,
  totalOutstanding,
} from './ledger';

const ZONE = 'Asia/Shanghai';
/** Clock skew allowed on instants that must not be in the future (as for applicationReceivedAt). */
const SKEW_MS = 60_000;

export const todayInShanghai = (): string => DateTime.now().setZone(ZONE).toISODate()!;
const localDateOf = (d: Date): string => DateTime.fromJSDate(d).setZone(ZONE).toISODate()!;

interface AgreementRow {
  id: string;
  case_id: string;
  signed_at: Date;
  signed_on: string;
  worker_signed_at: Date;
  employer_signed_at: Date;
  mediator_signed_at: Date;
  committee_sealed_at: Date;
  effective_at: Date;
  total_fen: string;
  acceleration_on_default: boolean;
  paid_at_signing: boolean;
  other_terms: string | null;
  worker_obligations: string | null;
  mediator_id: string | null;
  created_by: string | null;
  created_at: Date;
}

interface ItemRow {
  id: string;
  position: number;
  claim_type: ClaimType;
  amount_fen: string;
  description: string | null;
}

interface InstalmentRow {
  id: string;
  seq: number;
  due_on: string;
  amount_fen: string;
  paid_fen: string;
}

interface PaymentRow {
  id: string;
  amount_fen: string;
  paid_on: string;
  instalment_id: string | null;
  note: string | null;
  source: 'ledger' | 'at_signing' | 'court';
  recorded_by: string | null;
  recorded_by_name: string | null;
  created_at: Date;
  allocations: Array<{ instalment_id: string; seq: number; amount_fen: number | string }>;
}

/** What a payment is, wherever it comes from: the ledger route, signing, or a court's recovery (SPEC §9). */
export interface PaymentInput {
  amountFen: number;
  paidOn: string;
  instalmentId?: string | null;
  note?: string | null;
  source: 'ledger' | 'at_signing' | 'court';
  userId: string | null;
}

/** The case as these answers show it: enough to send the next If-Match. */
const caseRef = (c: { id: string; status: string; closureReason: string | null; version: number }) => ({
  id: c.id,
  status: c.status,
  closureReason: c.closureReason,
  version: c.version,
});

const balance = (r: InstalmentRow): InstalmentBalance => ({
  id: r.id,
  seq: r.seq,
  dueOn: r.due_on,
  amountFen: Number(r.amount_fen),
  paidFen: Number(r.paid_fen),
});

/** The whole agreement as it is read back: terms, schedule with what is paid, totals and every payment. */
export interface Ledger {
  id: string;
  caseId: string;
  signedAt: string;
  signedOn: string;
  signatures: { worker: string; employer: string; mediator: string; committeeSeal: string };
  effectiveAt: string;
  accelerationOnDefault: boolean;
  paidAtSigning: boolean;
  otherTerms: string | null;
  /** What the worker undertakes in return; null when nothing. */
  workerObligations: string | null;
  mediatorId: string | null;
  items: Array<{
    id: string;
    position: number;
    claimType: ClaimType;
    description: string | null;
    amountFen: number;
    paidFen: number;
    outstandingFen: number;
  }>;
  instalments: Array<{
    id: string;
    seq: number;
    dueOn: string;
    amountFen: number;
    paidFen: number;
    outstandingFen: number;
    status: 'paid' | 'part_paid' | 'unpaid';
    overdue: boolean;
  }>;
  totals: { agreedFen: number; paidFen: number; outstandingFen: number; overdueFen: number };
  nextInstalment: { id: string; seq: number; dueOn: string; outstandingFen: number } | null;
  payments: Array<{
    id: string;
    amountFen: number;
    paidOn: string;
    instalmentId: string | null;
    note: string | null;
    source: string;
    recordedBy: string | null;
    recordedByName: string | null;
    recordedAt: string;
    allocations: Array<{ instalmentId: string; seq: number; amountFen: number }>;
  }>;
  createdAt: string;
}

function paymentView(p: PaymentRow): Ledger['payments'][number] {
  return {
    id: p.id,
    amountFen: Number(p.amount_fen),
    paidOn: p.paid_on,
    instalmentId: p.instalment_id,
    note: p.note,
    source: p.source,
    recordedBy: p.recorded_by,
    recordedByName: p.recorded_by_name,
    recordedAt: new Date(p.created_at).toISOString(),
    allocations: p.allocations.map((a) => ({
      instalmentId: a.instalment_id,
      seq: a.seq,
      amountFen: Number(a.amount_fen),
    })),
  };
}

/**
 * The agreement (SPEC §5 record agreement row, §15) and its payment ledger (record payment row). Both actions go
 * through CasesService.act: the case row is locked, so payments on one case are serialised and each sees the
 * balances the previous one left.
 */
@Injectable()
export class AgreementsService {
  constructor(
    private readonly db: DataSource,
    private readonly cases: CasesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Days after `dueOn` before an unpaid instalment counts as overdue (SPEC §5; default 0). */
  private get grace(): number {
    return this.config.instalmentGraceDays ?? 0;
  }

  // ---------------------------------------------------------------- record agreement

  async recordAgreement(user: AuthUser, caseId: string, dto: RecordAgreementDto, ifMatch?: number) {
    let ledger!: Ledger;
    const c = await this.cases.act(user, caseId, 'record_agreement', ifMatch, async ({ row, manager }) => {
      const plan = this.checkAgreement(dto, row, await this.cases.claimsOf(manager, row.id));
      const [agreement]: AgreementRow[] = await manager.query(
        `INSERT INTO agreements (case_id, signed_at, signed_on, worker_signed_at, employer_signed_at, mediator_signed_at,
           committee_sealed_at, effective_at, total_fen, acceleration_on_default, paid_at_signing, other_terms,
           mediator_id, created_by, worker_obligations)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING *`,
        [
          row.id,
          plan.signedAt,
          plan.signedOn,
          plan.signatures.worker,
          plan.signatures.employer,
          plan.signatures.mediator,
          plan.signatures.committeeSeal,
          plan.effectiveAt,
          plan.totalFen,
          dto.accelerationOnDefault ?? false,
          plan.paidAtSigning,
          dto.otherTerms ?? null,
          row.mediator_id,
          user.id,
          dto.workerObligations?.trim() || null,
        ],
      );
      await manager.query(
        `INSERT INTO agreement_items (agreement_id, case_id, position, claim_type, amount_fen, description)
         SELECT $1, $2, ord, t, a, d
           FROM unnest($3::claim_type[], $4::bigint[], $5::text[]) WITH ORDINALITY AS x(t, a, d, ord)`,
        [
          agreement.id,
          row.id,
          dto.items.map((i) => i.claimType),
          dto.items.map((i) => i.amountFen),
          dto.items.map((i) => i.description ?? null),
        ],
      );
      const instalments: InstalmentRow[] = await manager.query(
        `INSERT INTO instalments (agreement_id, case_id, seq, due_on, amount_fen)
         SELECT $1, $2, ord, d, a FROM unnest($3::date[], $4::bigint[]) WITH ORDINALITY AS x(d, a, ord)
         RETURNING id, seq, due_on, amount_fen, paid_fen`,
        [
          agreement.id,
          row.id,
          plan.instalments.map((i) => i.dueOn),
          plan.instalments.map((i) => i.amountFen),
        ],
      );
      if (plan.paidAtSigning && plan.totalFen > 0) {
        // Paid in full at signing: the ledger shows that payment, so the totals read paid, not agreed only.
        await this.writePayment(manager, row.id, agreement.id, instalments.map(balance), {
          amountFen: plan.totalFen,
          paidOn: plan.signedOn,
          note: '协议签订时一次性付清',
          source: 'at_signing',
          userId: user.id,
        });
      }
      ledger = (await this.loadLedger(manager, row.id))!;
      return {
        // Nothing to pay (paid at signing, or an agreement without money) leaves nothing outstanding: settled.
        facts: { paidAtSigning: plan.paidAtSigning || plan.totalFen === 0 },
        payload: {
          agreementId: agreement.id,
          signedAt: plan.signedAt.toISOString(),
          signedOn: plan.signedOn,
          effectiveAt: plan.effectiveAt.toISOString(),
          totalFen: plan.totalFen,
          paidAtSigning: plan.paidAtSigning,
          accelerationOnDefault: dto.accelerationOnDefault ?? false,
          items: dto.items.map((i) => ({ claimType: i.claimType, amountFen: i.amountFen })),
          instalments: ledger.instalments.map((i) => ({
            id: i.id,
            seq: i.seq,
            dueOn: i.dueOn,
            amountFen: i.amountFen,
            paidFen: i.paidFen,
          })),
        },
      };
    });
    return { ...ledger, case: caseRef(c) };
  }

  /** Every rule of §5 and §15 on the agreement's body, reported together with field paths (§12). */
  private checkAgreement(dto: RecordAgreementDto, row: CaseRow, claims: ClaimRow[]) {
    const errors: FieldError[] = [];
    const now = Date.now();
    const signedAt = new Date(dto.signedAt);
    if (signedAt.getTime() > now + SKEW_MS)
      errors.push({ field: 'signedAt', message: 'must not be in the future' });
    if (signedAt < row.application_received_at)
      errors.push({ field: 'signedAt', message: 'must not be before the application was received' });
    const signedOn = localDateOf(signedAt);

    const signatures = {
      worker: signedAt,
      employer: signedAt,
      mediator: signedAt,
      committeeSeal: signedAt,
    };
    if (dto.signatures) {
      for (const key of ['worker', 'employer', 'mediator', 'committeeSeal'] as const) {
        const at = new Date(dto.signatures[key]);
        if (at < signedAt)
          errors.push({ field: `signatures.${key}`, message: 'must not be before signedAt' });
        else if (at.getTime() > now + SKEW_MS)
          errors.push({ field: `signatures.${key}`, message: 'must not be in the future' });
        signatures[key] = at;
      }
    }
    // Effective when both parties, the mediator and the committee's seal are all on it (SPEC §2, §5).
    const effectiveAt = new Date(Math.max(...Object.values(signatures).map((d) => d.getTime())));

    const claimed = new Set(claims.map((cl) => cl.type));
    dto.items.forEach((item, n) => {
      if (!claimed.has(item.claimType)) {
        errors.push({
          field: `items.${n}.claimType`,
          message: `must be the type of one of the case’s claims (${[...claimed].join(', ')}); correct the claims first`,
        });
      }
    });
    const totalFen = dto.items.reduce((s, i) => s + i.amountFen, 0);
    if (!Number.isSafeInteger(totalFen)) errors.push({ field: 'items', message: 'the total is too large' });

    const paidAtSigning = dto.paidAtSigning ?? false;
    let instalments: InstalmentDto[] = dto.instalments ?? [];
    if (paidAtSigning && instalments.length === 0 && totalFen > 0) {
      // Paid at signing without a schedule: one instalment, due and paid on the signing date.
      instalments = [{ dueOn: signedOn, amountFen: totalFen }];
    } else {
      if (dto.instalments === undefined && totalFen > 0)
        errors.push({ field: 'instalments', message: 'is required unless the agreement is paid at signing' });
      instalments.forEach((inst, n) => {
        if (inst.dueOn < signedOn)
          errors.push({
            field: `instalments.${n}.dueOn`,
            message: `must not be before the signing date ${signedOn}`,
          });
      });
      const sum = instalments.reduce((s, i) => s + i.amountFen, 0);
      if (dto.instalments !== undefined && sum !== totalFen)
        errors.push({
          field: 'instalments',
          message: `must add up to the items’ total of ${totalFen} fen; they add up to ${sum} fen`,
        });
    }
    if (errors.length) throw new ValidationFailedError(errors);
    // Numbered in due order (a stable sort keeps the given order for equal dates).
    const ordered = instalments
      .map((i, n) => ({ ...i, n }))
      .sort((a, b) => (a.dueOn < b.dueOn ? -1 : a.dueOn > b.dueOn ? 1 : a.n - b.n));
    return { signedAt, signedOn, signatures, effectiveAt, totalFen, paidAtSigning, instalments: ordered };
  }

  // ---------------------------------------------------------------- record payment

  async recordPayment(user: AuthUser, caseId: string, dto: RecordPaymentDto, ifMatch?: number) {
    let result!: Awaited<ReturnType<AgreementsService['applyPaymentInTx']>>;
    const c = await this.cases.act(user, caseId, 'record_payment', ifMatch, async ({ row, manager }) => {
      result = await this.applyPaymentInTx(manager, row, {
        amountFen: dto.amountFen,
        paidOn: dto.paidOn,
        instalmentId: dto.instalmentId ?? null,
        note: dto.note ?? null,
        source: 'ledger',
        userId: user.id,
      });
      return { facts: result.facts, payload: result.payload };
    });
    return { ...result.payment, totals: result.totals, case: caseRef(c) };
  }

  /**
   * Records a payment on the case's agreement inside the caller's transaction (the case row already locked by
   * CasesService.act), and answers the lifecycle facts it implies. Exposed for the referrals feature, which
   * records a court's recovered amount as a payment (SPEC §9 outcome `paid`).
   */
  async applyPaymentInTx(m: EntityManager, row: CaseRow, input: PaymentInput) {
    const agreements: AgreementRow[] = await m.query(`SELECT * FROM agreements WHERE case_id = $1`, [row.id]);
    const agreement = agreements[0];
    if (!agreement) throw new NotFoundError('Agreement');
    const rows: InstalmentRow[] = await m.query(
      `SELECT id, seq, due_on, amount_fen, paid_fen FROM instalments WHERE agreement_id = $1 ORDER BY seq FOR UPDATE`,
      [agreement.id],
    );
    const instalments = rows.map(balance);
    const today = todayInShanghai();
    const errors: FieldError[] = [];
    if (input.paidOn > today) errors.push({ field: 'paidOn', message: 'must not be in the future' });
    if (input.paidOn < agreement.signed_on)
      errors.push({
        field: 'paidOn',
        message: `must not be before the agreement was signed (${agreement.signed_on})`,
      });
    if (input.instalmentId && !instalments.some((i) => i.id === input.instalmentId))
      errors.push({ field: 'instalmentId', message: 'must be an instalment of this case’s agreement' });
    if (errors.length) throw new ValidationFailedError(errors);

    const outstanding = totalOutstanding(instalments);
    const { payment, allocations } = await this.writePayment(m, row.id, agreement.id, instalments, input);
    const after = applyAllocations(instalments, allocations);
    const outstandingAfter = outstanding - input.amountFen;
    const facts: TransitionFacts = {
      nothingOutstanding: outstandingAfter === 0,
      // SPEC §5: a defaulted case whose overdue instalments are all paid returns to performing.
      overdueCleared: row.status === 'defaulted' && !after.some((i) => isOverdue(i, today, this.grace)),
    };
    const paidFen = after.reduce((s, i) => s + i.paidFen, 0);
    return {
      facts,
      payment,
      totals: {
        agreedFen: Number(agreement.total_fen),
        paidFen,
        outstandingFen: outstandingAfter,
        overdueFen: overdueFen(after, today, this.grace),
      },
      payload: {
        paymentId: payment.id,
        agreementId: agreement.id,
        amountFen: input.amountFen,
        paidOn: input.paidOn,
        instalmentId: input.instalmentId ?? null,
        source: input.source,
        allocations: payment.allocations,
        outstandingFen: outstandingAfter,
      },
    };
  }

  /** Allocates and writes one payment (422 OVERPAYMENT beyond what is outstanding; nothing written then). */
  private async writePayment(
    m: EntityManager,
    caseId: string,
    agreementId: string,
    instalments: InstalmentBalance[],
    input: PaymentInput,
  ): Promise<{ payment: Ledger['payments'][number]; allocations: Allocation[] }> {
    const allocations = allocatePayment(instalments, input.amountFen, input.instalmentId ?? undefined);
    if (!allocations) {
      const outstandingFen = totalOutstanding(instalments);
      throw new UnprocessableError(
        'OVERPAYMENT',
        'Overpayment',
        `The payment of ${input.amountFen} fen is more than the ${outstandingFen} fen outstanding.`,
        { outstandingFen, amountFen: input.amountFen },
      );
    }
    const [p]: PaymentRow[] = await m.query(
      `WITH p AS (
         INSERT INTO payments (case_id, agreement_id, amount_fen, paid_on, instalment_id, note, source, recorded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *)
       SELECT p.*, u.display_name AS recorded_by_name FROM p LEFT JOIN users u ON u.id = p.recorded_by`,
      [
        caseId,
        agreementId,
        input.amountFen,
        input.paidOn,
        input.instalmentId ?? null,
        input.note ?? null,
        input.source,
        input.userId,
      ],
    );
    await m.query(
      `INSERT INTO payment_allocations (payment_id, instalment_id, amount_fen)
       SELECT $1, i, a FROM unnest($2::uuid[], $3::bigint[]) AS x(i, a)`,
      [p.id, allocations.map((a) => a.instalmentId), allocations.map((a) => a.amountFen)],
    );
    await m.query(
      `UPDATE instalments i SET paid_fen = i.paid_fen + x.a
         FROM unnest($1::uuid[], $2::bigint[]) AS x(id, a) WHERE i.id = x.id`,
      [allocations.map((a) => a.instalmentId), allocations.map((a) => a.amountFen)],
    );
    const payment = paymentView({
      ...p,
      allocations: allocations.map((a) => ({
        instalment_id: a.instalmentId,
        seq: a.seq,
        amount_fen: a.amountFen,
      })),
    });
    return { payment, allocations };
  }

  // ---------------------------------------------------------------- reads

  async ledger(user: AuthUser, caseId: string): Promise<Ledger> {
    const row = await this.cases.findVisible(this.db.manager, user, caseId);
    const ledger = await this.loadLedger(this.db.manager, row.id);
    if (!ledger) throw new NotFoundError('Agreement');
    return ledger;
  }

  /** The agreement document to print and sign (SPEC §11 `agreement.pdf`): parties named, ID numbers masked. */
  async document(user: AuthUser, caseId: string): Promise<{ pdf: Buffer; filename: string }> {
    const row = await this.cases.findVisible(this.db.manager, user, caseId);
    const ledger = await this.loadLedger(this.db.manager, row.id);
    if (!ledger) throw new NotFoundError('Agreement');
    const claims = await this.cases.claimsOf(this.db.manager, row.id);
    const [org]: Array<{ name: string; address: string | null }> = await this.db.query(
      `SELECT name, address FROM organisations WHERE id = $1`,
      [row.committee_id],
    );
    const mediators: Array<{ display_name: string }> = ledger.mediatorId
      ? await this.db.query(`SELECT display_name FROM users WHERE id = $1`, [ledger.mediatorId])
      : [];
    const build = agreementDocument({
      caseNo: row.case_no,
      committeeName: org.name,
      committeeAddress: org.address,
      mediatorName: mediators[0]?.display_name ?? null,
      worker: { name: row.worker_name, idNumberMasked: row.worker_id_masked, address: row.worker_address },
      employer: {
        name: row.employer_name,
        creditCode: row.employer_credit_code,
        personIdMasked: row.employer_person_id_masked,
        address: row.employer_address,
        contactName: row.employer_contact_name,
      },
      employment: {
        startDate: row.employment_start_date,
        endDate: row.employment_end_date,
        position: row.employment_position,
      },
      facts: row.facts,
      claims: claims.map((c) => ({
        type: c.type,
        amountFen: Number(c.amount_fen),
        description: c.description,
      })),
      signedOn: ledger.signedOn,
      effectiveOn: localDateOf(new Date(ledger.effectiveAt)),
      items: ledger.items,
      totalFen: ledger.totals.agreedFen,
      instalments: ledger.instalments,
      paidAtSigning: ledger.paidAtSigning,
      accelerationOnDefault: ledger.accelerationOnDefault,
      otherTerms: ledger.otherTerms,
      workerObligations: ledger.workerObligations,
    });
    const pdf = await renderPdf(build, { title: `调解协议书 ${row.case_no}` });
    return { pdf, filename: `agreement-${row.case_no}.pdf` };
  }

  async loadLedger(m: EntityManager, caseId: string): Promise<Ledger | null> {
    const agreements: AgreementRow[] = await m.query(`SELECT * FROM agreements WHERE case_id = $1`, [caseId]);
    const a = agreements[0];
    if (!a) return null;
    // One after another: inside a transaction the manager has a single connection.
    const items: ItemRow[] = await m.query(
      `SELECT * FROM agreement_items WHERE agreement_id = $1 ORDER BY position`,
      [a.id],
    );
    const instalmentRows: InstalmentRow[] = await m.query(
      `SELECT id, seq, due_on, amount_fen, paid_fen FROM instalments WHERE agreement_id = $1 ORDER BY due_on, seq`,
      [a.id],
    );
    const payments: PaymentRow[] = await m.query(
      `SELECT p.*, u.display_name AS recorded_by_name,
                (SELECT coalesce(json_agg(json_build_object('instalment_id', pa.instalment_id, 'seq', i.seq,
                          'amount_fen', pa.amount_fen) ORDER BY i.due_on, i.seq), '[]'::json)
                   FROM payment_allocations pa JOIN instalments i ON i.id = pa.instalment_id
                  WHERE pa.payment_id = p.id) AS allocations
           FROM payments p LEFT JOIN users u ON u.id = p.recorded_by
          WHERE p.agreement_id = $1 ORDER BY p.paid_on, p.created_at, p.id`,
      [a.id],
    );
    const today = todayInShanghai();
    const schedule = inDueOrder(instalmentRows.map(balance));
    const paidFen = schedule.reduce((s, i) => s + i.paidFen, 0);
    const agreedFen = Number(a.total_fen);
    const next = schedule.find((i) => outstandingOf(i) > 0);
    return {
      id: a.id,
      caseId: a.case_id,
      signedAt: a.signed_at.toISOString(),
      signedOn: a.signed_on,
      signatures: {
        worker: a.worker_signed_at.toISOString(),
        employer: a.employer_signed_at.toISOString(),
        mediator: a.mediator_signed_at.toISOString(),
        committeeSeal: a.committee_sealed_at.toISOString(),
      },
      effectiveAt: a.effective_at.toISOString(),
      accelerationOnDefault: a.acceleration_on_default,
      paidAtSigning: a.paid_at_signing,
      otherTerms: a.other_terms,
      workerObligations: a.worker_obligations,
      mediatorId: a.mediator_id,
      items: itemBalances(
        items.map((i) => ({ ...i, amountFen: Number(i.amount_fen) })),
        paidFen,
      ).map(({ item, paidFen: itemPaid, outstandingFen }) => ({
        id: item.id,
        position: item.position,
        claimType: item.claim_type,
        description: item.description,
        amountFen: item.amountFen,
        paidFen: itemPaid,
        outstandingFen,
      })),
      instalments: schedule.map((i) => ({
        id: i.id,
        seq: i.seq,
        dueOn: i.dueOn,
        amountFen: i.amountFen,
        paidFen: i.paidFen,
        outstandingFen: outstandingOf(i),
        status: i.paidFen >= i.amountFen ? 'paid' : i.paidFen > 0 ? 'part_paid' : 'unpaid',
        overdue: isOverdue(i, today, this.grace),
      })),
      totals: {
        agreedFen,
        paidFen,
        outstandingFen: agreedFen - paidFen,
        overdueFen: overdueFen(schedule, today, this.grace),
      },
      nextInstalment: next
        ? { id: next.id, seq: next.seq, dueOn: next.dueOn, outstandingFen: outstandingOf(next) }
        : null,
      payments: payments.map(paymentView),
      createdAt: a.created_at.toISOString(),
    };
  }
}
