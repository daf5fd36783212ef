import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { CalendarService } from './calendar.service';
import {
  DeadlineKinds,
  LAPSE,
  type DeadlineDates,
  type DeadlineKind,
  type DeadlineRow,
  type DeadlineStatus,
  type DeadlineWriter,
  type NewDeadline,
  type ReminderRow,
  type ReminderStatus,
} from './deadline-kinds';
import { periodEnd } from './deadline-period';
import { addCalendarDays, type WorkingDayCalendar } from './period';

/** A calendar edit recomputes the pending deadlines whose period it touches: start ≤ date ≤ lastDay + this. */
export const RECOMPUTE_MARGIN_DAYS = 30;

const datesOf = (d: DeadlineRow): DeadlineDates => ({
  startDate: d.start_date,
  lastDay: d.last_day,
  dueAt: d.due_at,
  data: d.data,
});

/**
 * A reminder whose time has passed when it is planned is `skipped` (SPEC §6), except the lapse itself, which
 * then fires at once.
 */
function initialStatus(kind: string, fireAt: Date, now: Date): ReminderStatus {
  return kind !== LAPSE && fireAt.getTime() <= now.getTime() ? 'skipped' : 'pending';
}

/** The deadline writer of one transaction: what a kind may do to deadlines while a case changes. */
export class TxDeadlineWriter implements DeadlineWriter {
  /** Deadlines created by this transaction (a closing case cancels the others). */
  readonly created = new Set<string>();

  constructor(
    readonly m: EntityManager,
    readonly now: Date,
    readonly cal: WorkingDayCalendar,
    private readonly kinds: DeadlineKinds,
  ) {}

  async create(spec: NewDeadline): Promise<DeadlineRow> {
    const kind = this.kindOf(spec.kind);
    const end = periodEnd(spec.startDate, spec.period, this.cal, spec.dueAt);
    const [row]: DeadlineRow[] = await this.m.query(
      `INSERT INTO deadlines (case_id, kind, subject_id, start_date, period_unit, period_length, extensions, last_day,
         due_at, legal_basis, status, data)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING *`,
      [
        spec.caseId,
        spec.kind,
        spec.subjectId ?? null,
        spec.startDate,
        spec.period.unit,
        spec.period.length,
        spec.period.extensions ?? [],
        end.lastDay,
        end.dueAt,
        spec.legalBasis ?? kind.legalBasis,
        spec.status ?? 'pending',
        spec.data ?? {},
      ],
    );
    this.created.add(row.id);
    if (!spec.status && kind.reminders.length) {
      const times = kind.reminders.map((r) => r.at(datesOf(row), this.cal));
      await this.m.query(
        `INSERT INTO deadline_reminders (deadline_id, kind, fire_at, status, recipients)
         SELECT $1, k, f, s::reminder_status, r
           FROM unnest($2::text[], $3::timestamptz[], $4::text[], $5::jsonb[]) AS x(k, f, s, r)`,
        [
          row.id,
          kind.reminders.map((r) => r.kind),
          times,
          kind.reminders.map((r, i) => initialStatus(r.kind, times[i], this.now)),
          kind.reminders.map((r) => JSON.stringify(r.recipients)),
        ],
      );
    }
    return row;
  }

  async find(
    caseId: string,
    kind: string,
    opts: { subjectId?: string; statuses?: DeadlineStatus[] } = {},
  ): Promise<DeadlineRow[]> {
    return this.m.query(
      `SELECT * FROM deadlines WHERE case_id = $1 AND kind = $2 AND status = ANY($3::deadline_status[])
          AND ($4::uuid IS NULL OR subject_id = $4)
        ORDER BY created_at DESC, id DESC`,
      [caseId, kind, opts.statuses ?? ['pending'], opts.subjectId ?? null],
    );
  }

  async close(
    d: DeadlineRow,
    status: 'met' | 'cancelled' | 'superseded',
    supersededBy?: string,
  ): Promise<void> {
    await this.m.query(
      `UPDATE deadlines SET status = $2, superseded_by = $3, updated_at = now() WHERE id = $1`,
      [d.id, status, supersededBy ?? null],
    );
    await this.m.query(
      `UPDATE deadline_reminders SET status = 'cancelled', updated_at = now()
        WHERE deadline_id = $1 AND status = 'pending'`,
      [d.id],
    );
  }

  async supersede(old: DeadlineRow, spec: NewDeadline): Promise<DeadlineRow> {
    const row = await this.create(spec);
    await this.close(old, 'superseded', row.id);
    return row;
  }

  /** A case that closes leaves nothing pending but what its closing itself planned (SPEC §6). */
  async cancelPendingOf(caseId: string): Promise<void> {
    const ids = [...this.created];
    await this.m.query(
      `UPDATE deadline_reminders r SET status = 'cancelled', updated_at = now()
         FROM deadlines d
        WHERE r.deadline_id = d.id AND d.case_id = $1 AND r.status = 'pending' AND d.status = 'pending'
          AND NOT d.id = ANY($2::uuid[])`,
      [caseId, ids],
    );
    await this.m.query(
      `UPDATE deadlines SET status = 'cancelled', updated_at = now()
        WHERE case_id = $1 AND status = 'pending' AND NOT id = ANY($2::uuid[])`,
      [caseId, ids],
    );
  }

  private kindOf(kind: string): DeadlineKind {
    const k = this.kinds.get(kind);
    if (!k) throw new Error(`Unknown deadline kind '${kind}'`);
    return k;
  }
}

@Injectable()
export class DeadlinesService {
  constructor(
    private readonly db: DataSource,
    private readonly kinds: DeadlineKinds,
    private readonly calendar: CalendarService,
  ) {}

  async writer(m: EntityManager, now = new Date(), cal?: WorkingDayCalendar): Promise<TxDeadlineWriter> {
    return new TxDeadlineWriter(m, now, cal ?? (await this.calendar.current()), this.kinds);
  }

  /** GET /cases/{id}/deadlines (the caller has checked the case is visible). */
  async listForCase(caseId: string) {
    const rows: Array<
      DeadlineRow & { reminders: Array<Omit<ReminderRow, 'fire_at'> & { fire_at: string }> }
    > = await this.db.query(
      `SELECT d.*,
                coalesce((SELECT json_agg(r ORDER BY r.fire_at, r.kind) FROM deadline_reminders r WHERE r.deadline_id = d.id),
                         '[]'::json) AS reminders
           FROM deadlines d WHERE d.case_id = $1 ORDER BY d.created_at, d.due_at, d.id`,
      [caseId],
    );
    return {
      items: rows.map((d) => ({
        id: d.id,
        kind: d.kind,
        subjectId: d.subject_id,
        startDate: d.start_date,
        lastDay: d.last_day,
        dueAt: d.due_at.toISOString(),
        legalBasis: d.legal_basis,
        status: d.status,
        supersededBy: d.superseded_by,
        data: d.data,
        reminders: d.reminders.map((r) => ({
          id: r.id,
          kind: r.kind,
          fireAt: new Date(r.fire_at).toISOString(),
          status: r.status,
          recipients: r.recipients,
        })),
      })),
      nextCursor: null,
    };
  }

  /**
   * After a calendar edit of `date` (inside its transaction, `cal` already the edited calendar): every pending
   * deadline whose period the date touches gets its last day, due time and pending reminders recomputed in
   * place. The cases are locked first, in id order, as every case change locks its case before its deadlines,
   * so an edit and a case change cannot deadlock. Answers the ids of the cases whose deadlines moved.
   */
  async recomputeForCalendarEdit(m: EntityManager, date: string, cal: WorkingDayCalendar, now = new Date()) {
    const from = addCalendarDays(date, -RECOMPUTE_MARGIN_DAYS);
    const affected: Array<{ case_id: string }> = await m.query(
      `SELECT DISTINCT case_id FROM deadlines
        WHERE status = 'pending' AND period_unit <> 'instant' AND start_date <= $1 AND last_day >= $2`,
      [date, from],
    );
    if (!affected.length) return { cases: [] as string[], deadlines: 0 };
    const caseIds = affected.map((a) => a.case_id).sort();
    await m.query(`SELECT id FROM cases WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`, [caseIds]);
    const rows: DeadlineRow[] = await m.query(
      `SELECT * FROM deadlines
        WHERE case_id = ANY($3::uuid[]) AND status = 'pending' AND period_unit <> 'instant'
          AND start_date <= $1 AND last_day >= $2
        ORDER BY id FOR UPDATE`,
      [date, from, caseIds],
    );
    const moved = new Set<string>();
    let changed = 0;
    for (const d of rows) {
      const kind = this.kinds.get(d.kind);
      const end = periodEnd(
        d.start_date,
        { unit: d.period_unit, length: d.period_length, extensions: d.extensions },
        cal,
      );
      let touched = false;
      if (end.lastDay !== d.last_day || end.dueAt.getTime() !== d.due_at.getTime()) {
        await m.query(`UPDATE deadlines SET last_day = $2, due_at = $3, updated_at = now() WHERE id = $1`, [
          d.id,
          end.lastDay,
          end.dueAt,
        ]);
        touched = true;
      }
      const dates: DeadlineDates = {
        startDate: d.start_date,
        lastDay: end.lastDay,
        dueAt: end.dueAt,
        data: d.data,
      };
      const reminders: ReminderRow[] = await m.query(
        `SELECT * FROM deadline_reminders WHERE deadline_id = $1 AND status = 'pending' FOR UPDATE`,
        [d.id],
      );
      for (const r of reminders) {
        const rule = kind?.reminders.find((x) => x.kind === r.kind);
        if (!rule) continue;
        const fireAt = rule.at(dates, cal);
        if (fireAt.getTime() === r.fire_at.getTime()) continue;
        await m.query(
          `UPDATE deadline_reminders SET fire_at = $2, status = $3, updated_at = now() WHERE id = $1`,
          [r.id, fireAt, initialStatus(r.kind, fireAt, now)],
        );
        touched = true;
      }
      if (touched) {
        changed += 1;
        moved.add(d.case_id);
      }
    }
    return { cases: [...moved], deadlines: changed };
  }
}
