import { Inject, Injectable, Optional } from '@nestjs/common';
import { DateTime } from 'luxon';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { agencyOutcomesOfCase } from '../agency-outcomes/agency-outcome-view';
import type { AuthUser } from '../auth/auth-user';
import { DataProtector, newAccessCode } from '../common/crypto';
import { COURT_SOURCES, ORIGIN_SOURCES } from '../common/domain';
import type { CaseSource, CaseStatus, ClosureReason } from '../common/domain';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationFailedError,
  type FieldError,
} from '../common/errors';
import { creditCodeDivision, maskIdNumber, normaliseIdNumber } from '../common/validation/identity';
import { CURSOR_AT, decodeCursor, ISO_INSTANT, page } from '../common/paging';
import { DATA_PROTECTOR } from '../common/tokens';
import {
  type Actor,
  allowedActions,
  type CaseAction,
  planTransition,
  type TransitionFacts,
} from './case-lifecycle';
import { caseScope } from './case-scope';
import { CaseDetailParts } from './case-detail-parts';
import { type CaseTransition, CaseTransitions } from './case-transitions';
import { type CaseListRow, type CaseRow, type ClaimRow, caseListItem, caseView } from './case-view';
import { CalendarService } from '../deadlines/calendar.service';
import { limitationAtIntake } from '../deadlines/limitation';
import { localDateOf } from '../deadlines/period';
import type {
  ClaimDto,
  CorrectCaseDto,
  CreateCaseDto,
  EmployerDto,
  ListCasesQuery,
  WorkerDto,
} from './cases.dto';

const ZONE = 'Asia/Shanghai';

/** Before an agreement: parties and claims may be corrected (SPEC §4), and no agency has received the case. */
const IN_MEDIATION: readonly CaseStatus[] = ['submitted', 'accepted', 'in_mediation'];
const CORRECTABLE_STATUSES = IN_MEDIATION;

/**
 * What the caller may do to the case now, for screens that must offer exactly that (the staff console): the
 * lifecycle's actions (SPEC §5 table), and for coordinators corrections and access-code resets.
 */
function caseActionsFor(user: AuthUser, row: Pick<CaseRow, 'status' | 'mediator_id'>): string[] {
  const actor: Actor = { kind: 'user', role: user.role, isAssignedMediator: row.mediator_id === user.id };
  const actions: string[] = allowedActions(row.status, actor);
  if (user.role === 'coordinator') {
    if (CORRECTABLE_STATUSES.includes(row.status)) actions.push('correct');
    actions.push('reset_access_code');
  }
  return actions;
}

/** What a feature's action adds to the generic path: more columns to set, the event's payload and reason. */
export interface ActionPlan {
  facts?: TransitionFacts;
  set?: Record<string, unknown>;
  reason?: string | null;
  payload?: Record<string, unknown>;
}

export interface ActionContext {
  row: CaseRow;
  manager: EntityManager;
  actor: Actor;
}

/** The caller of an intake: a staff user, or a worker applying online (SPEC §10). */
export type IntakeCaller = { kind: 'user'; user: AuthUser } | { kind: 'worker'; client: string };

@Injectable()
export class CasesService {
  constructor(
    private readonly db: DataSource,
    private readonly audit: AuditService,
    @Inject(DATA_PROTECTOR) private readonly protector: DataProtector,
    private readonly transitions: CaseTransitions,
    private readonly calendar: CalendarService,
    // Parts other features add to the case detail (a defaulted case's payment-order eligibility); API only.
    @Optional() private readonly detailParts?: CaseDetailParts,
  ) {}

  // ---------------------------------------------------------------- intake (SPEC §4, §5 first row)

  async intake(
    caller: IntakeCaller,
    dto: CreateCaseDto,
    onCommitInTx?: (m: EntityManager, answer: object) => Promise<void>,
  ) {
    const user = caller.kind === 'user' ? caller.user : null;
    const actor: Actor = user
      ? { kind: 'user', role: user.role, isAssignedMediator: false }
      : { kind: 'worker' };
    planTransition('intake', null, actor);

    const receivedAt = this.receivedAt(dto.applicationReceivedAt);
    const errors: FieldError[] = [...this.checkDates(dto, receivedAt)];
    const origin = await this.resolveIntakeOrigin(caller, dto, errors);
    if (errors.length) throw new ValidationFailedError(errors);

    const worker = this.protectWorker(dto.worker);
    const employer = this.protectEmployer(dto.employer);
    const accessCode = newAccessCode();

    let transition: CaseTransition | undefined;
    const answer = await this.db.transaction(async (m) => {
      // One worker and employer at a time: two simultaneous intakes of one dispute cannot both pass the check.
      await m.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`${worker.index}|${employer.key}`]);
      const twin = await this.refuseOpenTwin(
        m,
        user,
        worker.index,
        employer.key,
        null,
        dto.separateDispute === true && user?.role === 'coordinator',
      );
      const year = DateTime.fromJSDate(receivedAt, { zone: ZONE }).year;
      const code: Array<{ code: string }> = await m.query(`SELECT code FROM organisations WHERE id = $1`, [
        origin.committeeId,
      ]);
      // The counter row stays locked until commit, so numbers are gapless and never repeat (SPEC §4).
      const seqRows: Array<{ last_seq: number }> = await m.query(
        `INSERT INTO case_number_counters (committee_id, year, last_seq) VALUES ($1, $2, 1)
         ON CONFLICT (committee_id, year) DO UPDATE SET last_seq = case_number_counters.last_seq + 1 RETURNING last_seq`,
        [origin.committeeId, year],
      );
      const caseNo = `${code[0].code}-${year}-${String(seqRows[0].last_seq).padStart(5, '0')}`;
      const inserted: CaseRow[] = await m.query(
        `INSERT INTO cases (case_no, committee_id, status, source, origin_organisation_id, origin_reference, procedure,
           application_received_at, access_code_hash, separate_dispute,
           worker_name, worker_id_type, worker_id_cipher, worker_id_index, worker_id_masked, worker_phone, worker_email, worker_address,
           employer_name, employer_credit_code, employer_person_id_type, employer_person_id_cipher, employer_person_id_index,
           employer_person_id_masked, employer_key, employer_address, employer_domicile_division_code, employer_whereabouts_unknown,
           employer_contact_name, employer_contact_phone, employer_contact_email,
           employment_start_date, employment_end_date, employment_position, knew_of_infringement_on, facts, created_by,
           claimed_total_fen)
         VALUES ($1,$2,'submitted',$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23,$24,$25,$26,$27,
                 $28,$29,$30,$31,$32,$33,$34,$35,$36,$37)
         RETURNING *`,
        [
          caseNo,
          origin.committeeId,
          origin.source,
          origin.originOrganisationId,
          dto.originReference ?? null,
          origin.procedure,
          receivedAt,
          this.protector.accessCodeHash(accessCode),
          twin !== undefined,
          dto.worker.name,
          worker.idType,
          worker.cipher,
          worker.index,
          worker.masked,
          dto.worker.phone,
          dto.worker.email ?? null,
          dto.worker.address ?? null,
          dto.employer.name,
          employer.creditCode,
          employer.personIdType,
          employer.personCipher,
          employer.personIndex,
          employer.personMasked,
          employer.key,
          dto.employer.address ?? null,
          employer.division,
          dto.employer.whereaboutsUnknown ?? false,
          dto.employer.contactName ?? null,
          dto.employer.contactPhone ?? null,
          dto.employer.contactEmail ?? null,
          dto.employment.startDate,
          dto.employment.endDate ?? null,
          dto.employment.position ?? null,
          dto.knewOfInfringementOn ?? null,
          dto.facts ?? null,
          user?.id ?? null,
          dto.claims.reduce((sum, cl) => sum + cl.amountFen, 0),
        ],
      );
      const row = inserted[0];
      const claims = await this.insertClaims(m, row.id, dto.claims);
      await this.appendEvent(m, row.id, actor, user?.id ?? null, 'intake', null, 'submitted', null, null, {
        source: row.source,
        caseNo,
        ...(twin ? { separateDisputeFrom: twin.case_no } : {}),
      });
      await this.audit.record(
        { userId: user?.id ?? null, action: 'case_intake', entity: 'case', entityId: row.id },
        m,
      );
      transition = {
        action: 'intake',
        from: null,
        to: 'submitted',
        closureReason: null,
        row,
        actorUserId: user?.id ?? null,
        payload: {},
        at: new Date(),
      };
      await this.transitions.inTransaction(m, transition);
      // SPEC §6: the limitation is shown at intake (a warning at most: it never blocks it).
      const limitation = limitationAtIntake(
        { ...limitationInput(row), claims },
        localDateOf(row.application_received_at),
        await this.calendar.current(),
      );
      const result = { ...caseView(row, claims), accessCode, limitation };
      if (onCommitInTx) await onCommitInTx(m, result);
      return result;
    });
    if (transition) await this.transitions.committed(transition);
    return answer;
  }

  // ---------------------------------------------------------------- reads

  async list(user: AuthUser, q: ListCasesQuery) {
    if (user.role === 'admin')
      throw new ForbiddenError('Admins read cases one at a time through the audited read.');
    const params: unknown[] = [];
    const where = [caseScope(user, params)];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    if (q.status) where.push(`c.status = ${p(q.status)}`);
    if (q.source) where.push(`c.source = ${p(q.source)}`);
    if (q.mediatorId) where.push(`c.mediator_id = ${p(q.mediatorId)}`);
    if (q.idNumber)
      where.push(`c.worker_id_index = ${p(this.protector.blindIndex(normaliseIdNumber(q.idNumber)))}`);
    if (q.q) {
      const term = q.q.trim();
      const caseNo = /^([A-Za-z0-9]+)-(\d{4})-(\d{1,5})$/.exec(term);
      // A case number as people type it: any case, and the sequence without its leading zeros.
      if (caseNo)
        where.push(
          `c.case_no = ${p(`${caseNo[1].toUpperCase()}-${caseNo[2]}-${caseNo[3].padStart(5, '0')}`)}`,
        );
      else {
        const like = p(`%${term.replace(/[\\%_]/g, (ch) => '\\' + ch)}%`);
        where.push(
          `(c.worker_name ILIKE ${like} OR c.employer_name ILIKE ${like} OR c.case_no ILIKE ${like})`,
        );
      }
    }
    if (q.cursor) {
      const cursor = decodeCursor(q.cursor);
      where.push(`(c.created_at, c.id) < (${p(cursor.at)}::timestamptz, ${p(cursor.id)}::uuid)`);
    }
    const limit = q.limit ?? 50;
    // The cursor carries created_at to the microsecond: a JavaScript Date would cut it to the millisecond and
    // skip the cases created earlier in the same millisecond as a page's last one.
    const rows: Array<CaseListRow & { cursor_at: string }> = await this.db.query(
      `SELECT c.id, c.case_no, c.committee_id, c.status, c.closure_reason, c.version, c.source, c.mediator_id,
              c.worker_name, c.worker_id_masked, c.employer_name, c.claimed_total_fen,
              ${ISO_INSTANT('c.application_received_at')} AS application_received_at,
              ${ISO_INSTANT('c.created_at')} AS created_at, ${CURSOR_AT('c.created_at')} AS cursor_at
         FROM cases c WHERE ${where.join(' AND ')}
        ORDER BY c.created_at DESC, c.id DESC LIMIT ${p(limit + 1)}`,
      params,
    );
    return page(rows, limit, caseListItem);
  }

  async get(user: AuthUser, id: string, reveal?: 'idNumber') {
    // The case and its claims in one round trip: this is the most frequent read.
    const params: unknown[] = [id];
    const found: Array<CaseRow & { claims: ClaimRow[] }> = await this.db.query(
      `SELECT c.*, (SELECT coalesce(json_agg(cl ORDER BY cl.position), '[]'::json) FROM case_claims cl WHERE cl.case_id = c.id) AS claims
         FROM cases c WHERE c.id = $1 AND ${caseScope(user, params)}`,
      params,
    );
    const row = found[0];
    if (!row) throw new NotFoundError('Case');
    if (reveal && user.role !== 'coordinator' && user.role !== 'admin') {
      throw new ForbiddenError('Only coordinators and admins may reveal an ID number.');
    }
    const claims = row.claims;
    if (user.role === 'admin' || reveal) {
      await this.audit.record({
        userId: user.id,
        action: reveal ? 'reveal_id_number' : 'admin_case_read',
        entity: 'case',
        entityId: id,
      });
    }
    const revealed = reveal
      ? {
          workerIdNumber: this.protector.decrypt(row.worker_id_cipher),
          employerIdNumber: row.employer_person_id_cipher
            ? this.protector.decrypt(row.employer_person_id_cipher)
            : undefined,
        }
      : undefined;
    return {
      ...caseView(row, claims, revealed),
      allowedActions: caseActionsFor(user, row),
      ...(this.detailParts ? await this.detailParts.of(row, user) : {}),
      // What became of the case after it left mediation, as agencies reported it (SPEC §7); a case still in
      // mediation has none, so the most frequent reads stay one round trip.
      agencyOutcomes: IN_MEDIATION.includes(row.status)
        ? []
        : await agencyOutcomesOfCase(this.db.manager, id),
    };
  }

  async events(user: AuthUser, id: string) {
    await this.findVisible(this.db.manager, user, id);
    // The history holds case contents (reasons, payloads): an admin reads it through the audited read too.
    if (user.role === 'admin') {
      await this.audit.record({
        userId: user.id,
        action: 'admin_case_read',
        entity: 'case',
        entityId: id,
        detail: { part: 'events' },
      });
    }
    const items = await this.db.query(
      `SELECT e.id::text AS id, e.at, e.actor_kind AS "actorKind", e.actor_user_id AS "actorUserId",
              u.display_name AS "actorName", e.action, e.from_status AS "fromStatus", e.to_status AS "toStatus",
              e.closure_reason AS "closureReason", e.reason, e.payload
         FROM case_events e LEFT JOIN users u ON u.id = e.actor_user_id
        WHERE e.case_id = $1 ORDER BY e.id`,
      [id],
    );
    return { items, nextCursor: null };
  }

  // ---------------------------------------------------------------- actions (SPEC §5)

  /**
   * The one path of every case change: lock the case row (concurrent actions serialise and each sees what
   * the previous left), check If-Match, let the lifecycle refuse what §5 does not allow, let the feature
   * validate and plan, then write the case, its event and its audit entry in one transaction.
   */
  async act(
    user: AuthUser,
    caseId: string,
    action: CaseAction,
    ifMatch: number | undefined,
    plan: (ctx: ActionContext) => Promise<ActionPlan> | ActionPlan,
  ) {
    let transition: CaseTransition | undefined;
    const answer = await this.db.transaction(async (m) => {
      const row = await this.findVisible(m, user, caseId, true);
      const actor: Actor = { kind: 'user', role: user.role, isAssignedMediator: row.mediator_id === user.id };
      planTransition(action, row.status, actor, PRECHECK_FACTS);
      checkVersion(row, ifMatch);
      const p = await plan({ row, manager: m, actor });
      const to = planTransition(action, row.status, actor, p.facts ?? {});
      const updated = await this.writeTransition(m, row, to.status, to.closureReason, p.set ?? {});
      await this.appendEvent(
        m,
        row.id,
        actor,
        user.id,
        action,
        row.status,
        to.status,
        to.closureReason,
        p.reason ?? null,
        p.payload ?? {},
      );
      await this.audit.record(
        { userId: user.id, action: `case_${action}`, entity: 'case', entityId: row.id },
        m,
      );
      transition = {
        action,
        from: row.status,
        to: to.status,
        closureReason: to.closureReason,
        row: updated,
        actorUserId: user.id,
        payload: p.payload ?? {},
        reason: p.reason ?? null,
        at: new Date(),
      };
      await this.transitions.inTransaction(m, transition);
      return caseView(updated, await this.claimsOf(m, row.id));
    });
    if (transition) await this.transitions.committed(transition);
    return answer;
  }

  /**
   * A change the system makes on its own (SPEC §5 'instalment overdue', actor `scheduler`), inside the caller's
   * transaction, which already holds the case row's lock: the same lifecycle check, case write, event, audit
   * entry and listeners as `act`. The caller passes the returned transition to `CaseTransitions.committed`
   * once its transaction has committed.
   */
  async actAsSystem(m: EntityManager, row: CaseRow, action: CaseAction, plan: ActionPlan = {}) {
    const actor: Actor = { kind: 'scheduler' };
    const to = planTransition(action, row.status, actor, plan.facts ?? {});
    const updated = await this.writeTransition(m, row, to.status, to.closureReason, plan.set ?? {});
    const payload = plan.payload ?? {};
    await this.appendEvent(
      m,
      row.id,
      actor,
      null,
      action,
      row.status,
      to.status,
      to.closureReason,
      plan.reason ?? null,
      payload,
    );
    await this.audit.record({ userId: null, action: `case_${action}`, entity: 'case', entityId: row.id }, m);
    const transition: CaseTransition = {
      action,
      from: row.status,
      to: to.status,
      closureReason: to.closureReason,
      row: updated,
      actorUserId: null,
      payload,
      reason: plan.reason ?? null,
      at: new Date(),
    };
    await this.transitions.inTransaction(m, transition);
    return transition;
  }

  accept(user: AuthUser, id: string, ifMatch?: number) {
    return this.act(user, id, 'accept', ifMatch, () => ({}));
  }

  reject(user: AuthUser, id: string, reason: string, respondentRefused: boolean, ifMatch?: number) {
    return this.act(user, id, 'reject', ifMatch, ({ row }) => ({
      facts: { respondentRefused },
      reason,
      payload: { respondentRefused, nextStep: nextStepAfterRejection(row.source, respondentRefused) },
    }));
  }

  assign(user: AuthUser, id: string, mediatorId: string, ifMatch?: number) {
    return this.act(user, id, 'assign', ifMatch, async ({ row, manager }) => {
      const rows: Array<{
        id: string;
        role: string;
        active: boolean;
        organisation_id: string;
        court_rostered: boolean;
        display_name: string;
      }> = await manager.query(
        `SELECT id, role, active, organisation_id, court_rostered, display_name FROM users WHERE id = $1`,
        [mediatorId],
      );
      const mediator = rows[0];
      if (
        !mediator ||
        mediator.role !== 'mediator' ||
        !mediator.active ||
        mediator.organisation_id !== row.committee_id
      ) {
        throw new ValidationFailedError([
          { field: 'mediatorId', message: 'must be an active mediator of the case’s committee' },
        ]);
      }
      if (COURT_SOURCES.includes(row.source) && !mediator.court_rostered) {
        throw new ValidationFailedError([
          { field: 'mediatorId', message: 'court-sent cases go only to court-rostered mediators' },
        ]);
      }
      if (row.employer_credit_code) {
        const conflict: unknown[] = await manager.query(
          `SELECT 1 FROM mediator_conflicts WHERE user_id = $1 AND credit_code = $2`,
          [mediatorId, row.employer_credit_code],
        );
        if (conflict.length) {
          throw new ConflictError(
            'CONFLICT_OF_INTEREST',
            'Conflict of interest',
            'The mediator declared a conflict of interest with this employer.',
          );
        }
      }
      return {
        set: { mediator_id: mediatorId },
        payload: { mediatorId, previousMediatorId: row.mediator_id, mediatorName: mediator.display_name },
      };
    });
  }

  fail(
    user: AuthUser,
    id: string,
    reason: string,
    referTo: 'arbitration' | 'origin' | 'none',
    ifMatch?: number,
  ) {
    return this.act(user, id, 'fail', ifMatch, ({ row }) => {
      const originSent = ORIGIN_SOURCES.includes(row.source);
      if (referTo === 'origin' && !originSent) {
        throw new ValidationFailedError([
          { field: 'referTo', message: 'only a court- or arbitration-sent case returns to its origin' },
        ]);
      }
      return {
        facts: { originSent },
        reason,
        payload: { referTo, nextStep: nextStepAfterFailure(row.source, referTo) },
      };
    });
  }

  withdraw(user: AuthUser, id: string, reason: string, ifMatch?: number) {
    return this.act(user, id, 'withdraw', ifMatch, () => ({ reason }));
  }

  /** SPEC §4: coordinators correct parties and claims before an agreement exists, audited with a reason. */
  async correct(user: AuthUser, id: string, dto: CorrectCaseDto, ifMatch?: number) {
    let transition: CaseTransition | undefined;
    const answer = await this.db.transaction(async (m) => {
      // Out of scope is 404 for every role (SPEC §3); only a case the caller sees can answer 403.
      const row = await this.findVisible(m, user, id, true);
      if (user.role !== 'coordinator') throw new ForbiddenError('Only coordinators correct case data.');
      checkVersion(row, ifMatch);
      if (!CORRECTABLE_STATUSES.includes(row.status)) {
        throw new ConflictError(
          'INVALID_TRANSITION',
          'Invalid transition',
          `Case data can no longer be corrected while the case is '${row.status}'.`,
          {
            currentStatus: row.status,
            action: 'correct',
          },
        );
      }
      const set: Record<string, unknown> = {};
      const changed: string[] = [];
      if (dto.worker) {
        const w = this.protectWorker(dto.worker);
        Object.assign(set, {
          worker_name: dto.worker.name,
          worker_id_type: w.idType,
          worker_id_cipher: w.cipher,
          worker_id_index: w.index,
          worker_id_masked: w.masked,
          worker_phone: dto.worker.phone,
          worker_email: dto.worker.email ?? null,
          worker_address: dto.worker.address ?? null,
        });
        changed.push('worker');
      }
      if (dto.employer) {
        const e = this.protectEmployer(dto.employer);
        Object.assign(set, {
          employer_name: dto.employer.name,
          employer_credit_code: e.creditCode,
          employer_person_id_type: e.personIdType,
          employer_person_id_cipher: e.personCipher,
          employer_person_id_index: e.personIndex,
          employer_person_id_masked: e.personMasked,
          employer_key: e.key,
          employer_address: dto.employer.address ?? null,
          employer_domicile_division_code: e.division,
          employer_whereabouts_unknown: dto.employer.whereaboutsUnknown ?? false,
          employer_contact_name: dto.employer.contactName ?? null,
          employer_contact_phone: dto.employer.contactPhone ?? null,
          employer_contact_email: dto.employer.contactEmail ?? null,
        });
        changed.push('employer');
      }
      if (dto.employment) {
        if (dto.employment.endDate && dto.employment.endDate < dto.employment.startDate) {
          throw new ValidationFailedError([
            { field: 'employment.endDate', message: 'must not be before the start date' },
          ]);
        }
        Object.assign(set, {
          employment_start_date: dto.employment.startDate,
          employment_end_date: dto.employment.endDate ?? null,
          employment_position: dto.employment.position ?? null,
        });
        changed.push('employment');
      }
      if (dto.knewOfInfringementOn !== undefined) {
        set.knew_of_infringement_on = dto.knewOfInfringementOn;
        changed.push('knewOfInfringementOn');
      }
      if (dto.facts !== undefined) {
        set.facts = dto.facts;
        changed.push('facts');
      }
      if (dto.claims) {
        await m.query(`DELETE FROM case_claims WHERE case_id = $1`, [id]);
        await this.insertClaims(m, id, dto.claims);
        set.claimed_total_fen = dto.claims.reduce((sum, cl) => sum + cl.amountFen, 0);
        changed.push('claims');
      }
      if (!changed.length)
        throw new ValidationFailedError([{ field: '', message: 'name at least one part to correct' }]);
      if ((dto.worker || dto.employer) && !row.separate_dispute) {
        // A corrected party can make this case the twin of another open one: the intake rule applies (SPEC §4).
        const index = (set.worker_id_index as string | undefined) ?? row.worker_id_index;
        const key = (set.employer_key as string | undefined) ?? row.employer_key;
        await m.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`${index}|${key}`]);
        await this.refuseOpenTwin(m, user, index, key, id, false);
      }
      const updated = await this.writeTransition(m, row, row.status, row.closure_reason, set);
      const actor: Actor = { kind: 'user', role: user.role, isAssignedMediator: false };
      await this.appendEvent(
        m,
        id,
        actor,
        user.id,
        'correct',
        row.status,
        row.status,
        row.closure_reason,
        dto.reason,
        { changed },
      );
      await this.audit.record(
        {
          userId: user.id,
          action: 'case_corrected',
          entity: 'case',
          entityId: id,
          detail: { changed, reason: dto.reason },
        },
        m,
      );
      // Listeners follow corrections too (e.g. a corrected knewOfInfringementOn moves the limitation).
      transition = {
        action: 'correct',
        from: row.status,
        to: row.status,
        closureReason: row.closure_reason,
        row: updated,
        actorUserId: user.id,
        payload: { changed },
        at: new Date(),
      };
      await this.transitions.inTransaction(m, transition);
      return caseView(updated, await this.claimsOf(m, id));
    });
    if (transition) await this.transitions.committed(transition);
    return answer;
  }

  async resetAccessCode(user: AuthUser, id: string) {
    return this.db.transaction(async (m) => {
      const row = await this.findVisible(m, user, id, true);
      if (user.role !== 'coordinator') throw new ForbiddenError('Only coordinators reset access codes.');
      const accessCode = newAccessCode();
      await m.query(`UPDATE cases SET access_code_hash = $2, updated_at = now() WHERE id = $1`, [
        row.id,
        this.protector.accessCodeHash(accessCode),
      ]);
      await this.audit.record(
        { userId: user.id, action: 'access_code_reset', entity: 'case', entityId: id },
        m,
      );
      return { caseNo: row.case_no, accessCode };
    });
  }

  // ---------------------------------------------------------------- helpers shared by features

  /**
   * SPEC §4: another open case for the same worker and employer answers 409 DUPLICATE_OPEN_CASE, naming it only
   * to a caller who may see it — unless `allowed` (a coordinator's confirmed separate dispute). Returns the twin.
   */
  private async refuseOpenTwin(
    m: EntityManager,
    user: AuthUser | null,
    workerIndex: string,
    employerKey: string,
    exceptId: string | null,
    allowed: boolean,
  ): Promise<Pick<CaseRow, 'id' | 'case_no'> | undefined> {
    const dup: Array<Pick<CaseRow, 'id' | 'case_no'>> = await m.query(
      `SELECT id, case_no FROM cases
        WHERE worker_id_index = $1 AND employer_key = $2 AND status <> 'closed' AND ($3::uuid IS NULL OR id <> $3)
        LIMIT 1`,
      [workerIndex, employerKey, exceptId],
    );
    if (!dup.length || allowed) return dup[0];
    const visible = user ? await this.isVisible(m, user, dup[0].id) : false;
    throw new ConflictError(
      'DUPLICATE_OPEN_CASE',
      'Duplicate open case',
      visible
        ? `Case ${dup[0].case_no} is already open for this worker and employer.`
        : 'An open case already exists for this worker and employer.',
      visible ? { existingCaseNo: dup[0].case_no, existingCaseId: dup[0].id } : {},
    );
  }

  /** The case if the user may see it (optionally row-locked), else 404: out of scope and unknown look alike. */
  async findVisible(m: EntityManager, user: AuthUser, id: string, lock = false): Promise<CaseRow> {
    const params: unknown[] = [id];
    const rows: CaseRow[] = await m.query(
      `SELECT c.* FROM cases c WHERE c.id = $1 AND ${caseScope(user, params)}${lock ? ' FOR UPDATE' : ''}`,
      params,
    );
    if (!rows[0]) throw new NotFoundError('Case');
    return rows[0];
  }

  async claimsOf(m: EntityManager, caseId: string): Promise<ClaimRow[]> {
    return m.query(`SELECT * FROM case_claims WHERE case_id = $1 ORDER BY position`, [caseId]);
  }

  async appendEvent(
    m: EntityManager,
    caseId: string,
    actor: Actor,
    userId: string | null,
    action: string,
    from: CaseStatus | null,
    to: CaseStatus,
    closureReason: ClosureReason | null,
    reason: string | null,
    payload: Record<string, unknown>,
  ): Promise<void> {
    await m.query(
      `INSERT INTO case_events (case_id, actor_kind, actor_user_id, action, from_status, to_status, closure_reason, reason, payload)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        caseId,
        actor.kind === 'user' ? actor.role : actor.kind,
        userId,
        action,
        from,
        to,
        closureReason,
        reason,
        payload,
      ],
    );
  }

  private async writeTransition(
    m: EntityManager,
    row: CaseRow,
    status: CaseStatus,
    closureReason: ClosureReason | null,
    set: Record<string, unknown>,
  ) {
    const cols = Object.keys(set);
    const params: unknown[] = [row.id, status, closureReason, ...cols.map((c) => set[c])];
    const extra = cols.map((c, i) => `, ${c} = $${i + 4}`).join('');
    const rows: [CaseRow[], number] = await m.query(
      `UPDATE cases SET status = $2::case_status, closure_reason = $3::closure_reason, version = version + 1, updated_at = now(),
              closed_at = CASE WHEN $2::case_status = 'closed' THEN coalesce(closed_at, now()) ELSE NULL END${extra}
        WHERE id = $1 RETURNING *`,
      params,
    );
    return rows[0][0];
  }

  private async insertClaims(m: EntityManager, caseId: string, claims: ClaimDto[]): Promise<ClaimRow[]> {
    return m.query(
      `INSERT INTO case_claims (case_id, position, type, amount_fen, description)
       SELECT $1, ord, t, a, d FROM unnest($2::claim_type[], $3::bigint[], $4::text[]) WITH ORDINALITY AS x(t, a, d, ord)
       RETURNING *`,
      [
        caseId,
        claims.map((c) => c.type),
        claims.map((c) => c.amountFen),
        claims.map((c) => c.description ?? null),
      ],
    );
  }

  private async isVisible(m: EntityManager, user: AuthUser, caseId: string): Promise<boolean> {
    const params: unknown[] = [caseId];
    const rows: unknown[] = await m.query(
      `SELECT 1 FROM cases c WHERE c.id = $1 AND ${caseScope(user, params)}`,
      params,
    );
    return rows.length > 0;
  }

  private receivedAt(input?: string): Date {
    return input ? new Date(input) : new Date();
  }

  private checkDates(dto: CreateCaseDto, receivedAt: Date): FieldError[] {
    const errors: FieldError[] = [];
    if (receivedAt.getTime() > Date.now() + 60_000) {
      errors.push({ field: 'applicationReceivedAt', message: 'must not be in the future' });
    }
    const today = DateTime.now().setZone(ZONE).toISODate()!;
    if (dto.employment.endDate && dto.employment.endDate < dto.employment.startDate) {
      errors.push({ field: 'employment.endDate', message: 'must not be before the start date' });
    }
    if (dto.employment.startDate > today)
      errors.push({ field: 'employment.startDate', message: 'must not be in the future' });
    if (dto.knewOfInfringementOn && dto.knewOfInfringementOn > today) {
      errors.push({ field: 'knewOfInfringementOn', message: 'must not be in the future' });
    }
    return errors;
  }

  /** Who may send which case where (SPEC §4–§5 intake row): the committee, the source and its origin. */
  private async resolveIntakeOrigin(caller: IntakeCaller, dto: CreateCaseDto, errors: FieldError[]) {
    const user = caller.kind === 'user' ? caller.user : null;
    let committeeId = dto.committeeId ?? null;
    let source: CaseSource =
      dto.source ??
      (user?.role === 'court_liaison' ? 'court_delegated' : caller.kind === 'worker' ? 'online' : 'walk_in');
    let originOrganisationId = dto.originOrganisationId ?? null;

    if (user?.role === 'coordinator') {
      committeeId ??= user.organisationId;
      if (committeeId !== user.organisationId)
        throw new ForbiddenError('Coordinators take cases in for their own committee.');
    } else if (user?.role === 'court_liaison') {
      if (!COURT_SOURCES.includes(source))
        errors.push({
          field: 'source',
          message: 'a court sends cases as court_delegated or court_entrusted',
        });
      originOrganisationId ??= user.organisationId;
      if (originOrganisationId !== user.organisationId)
        errors.push({ field: 'originOrganisationId', message: 'must be your own court' });
    } else if (caller.kind === 'worker') {
      source = 'online';
    }
    if (!committeeId) {
      errors.push({ field: 'committeeId', message: 'is required' });
      return { committeeId: '', source, originOrganisationId, procedure: null };
    }
    const orgs: Array<{
      id: string;
      kind: string;
      partner_court_ids: string[];
      partner_arbitration_commission_id: string | null;
    }> = await this.db.query(
      `SELECT id, kind, partner_court_ids, partner_arbitration_commission_id FROM organisations WHERE id = ANY($1::uuid[])`,
      [[committeeId, originOrganisationId].filter(Boolean)],
    );
    const committee = orgs.find((o) => o.id === committeeId && o.kind === 'committee');
    if (!committee) errors.push({ field: 'committeeId', message: 'must be the id of a committee' });

    const originSent = ORIGIN_SOURCES.includes(source);
    if (originSent) {
      const wantKind = source === 'arbitration_transfer' ? 'arbitration_commission' : 'court';
      const origin = orgs.find((o) => o.id === originOrganisationId);
      if (!originOrganisationId)
        errors.push({
          field: 'originOrganisationId',
          message: 'is required for a court- or arbitration-sent case',
        });
      else if (!origin || origin.kind !== wantKind)
        errors.push({
          field: 'originOrganisationId',
          message: `must be the id of a ${wantKind.replace('_', ' ')}`,
        });
      else if (
        user?.role === 'court_liaison' &&
        committee &&
        !committee.partner_court_ids.includes(origin.id)
      ) {
        errors.push({ field: 'committeeId', message: 'must be a committee that works with your court' });
      }
      if (!dto.originReference)
        errors.push({
          field: 'originReference',
          message: 'is required for a court- or arbitration-sent case',
        });
      if (source === 'court_entrusted' && !dto.procedure)
        errors.push({ field: 'procedure', message: 'is required for a court-entrusted case' });
    } else {
      if (dto.originOrganisationId)
        errors.push({
          field: 'originOrganisationId',
          message: 'only court- or arbitration-sent cases have an origin',
        });
      if (dto.originReference)
        errors.push({
          field: 'originReference',
          message: 'only court- or arbitration-sent cases have an origin reference',
        });
      originOrganisationId = null;
    }
    if (dto.procedure && source !== 'court_entrusted')
      errors.push({ field: 'procedure', message: 'applies to court-entrusted cases only' });
    return {
      committeeId,
      source,
      originOrganisationId,
      procedure: source === 'court_entrusted' ? (dto.procedure ?? null) : null,
    };
  }

  private protectWorker(w: WorkerDto) {
    const idType = w.idType ?? 'resident_id';
    const id = normaliseIdNumber(w.idNumber);
    return {
      idType,
      cipher: this.protector.encrypt(id),
      index: this.protector.blindIndex(id),
      masked: maskIdNumber(id),
    };
  }

  private protectEmployer(e: EmployerDto) {
    if (e.creditCode) {
      return {
        creditCode: e.creditCode,
        personIdType: null,
        personCipher: null,
        personIndex: null,
        personMasked: null,
        key: `C:${e.creditCode}`,
        division: e.domicileDivisionCode ?? creditCodeDivision(e.creditCode),
      };
    }
    const id = normaliseIdNumber(e.idNumber ?? '');
    const index = this.protector.blindIndex(id);
    const idType = e.idType ?? 'resident_id';
    return {
      creditCode: null,
      personIdType: idType,
      personCipher: this.protector.encrypt(id),
      personIndex: index,
      personMasked: maskIdNumber(id),
      key: `P:${index}`,
      division: e.domicileDivisionCode ?? (idType === 'resident_id' ? id.slice(0, 6) : null),
    };
  }
}

/** Facts that let the lifecycle answer 403/409 before a feature does any work (targets are decided later). */
const PRECHECK_FACTS: TransitionFacts = { courtStepTarget: { status: 'referred', closureReason: null } };

/** `If-Match` carried a version the case has moved past (SPEC §5). */
function checkVersion(row: CaseRow, ifMatch: number | undefined): void {
  if (ifMatch !== undefined && ifMatch !== row.version) {
    throw new ConflictError(
      'STALE_VERSION',
      'Stale version',
      `The case is at version ${row.version}, not ${ifMatch}.`,
      {
        currentVersion: row.version,
      },
    );
  }
}

/** What the worker is told after a rejection (SPEC §5 reject row). */
export function nextStepAfterRejection(source: CaseSource, respondentRefused: boolean): string {
  if (source === 'court_delegated' || source === 'court_entrusted') return 'return_to_origin_court';
  if (source === 'arbitration_transfer') return 'return_to_arbitration_commission';
  return respondentRefused ? 'apply_for_arbitration' : 'apply_for_arbitration_or_other_channel';
}

export function nextStepAfterFailure(source: CaseSource, referTo: 'arbitration' | 'origin' | 'none'): string {
  if (referTo === 'origin' || ORIGIN_SOURCES.includes(source)) return 'return_to_origin';
  return referTo === 'arbitration' ? 'apply_for_arbitration' : 'none';
}

function limitationInput(row: CaseRow) {
  return {
    source: row.source,
    employmentEndDate: row.employment_end_date,
    knewOfInfringementOn: row.knew_of_infringement_on,
  };
}
