import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { CasesService } from '../cases/cases.service';
import type { CaseRow } from '../cases/case-view';
import { ConflictError, NotFoundError, ValidationFailedError, type FieldError } from '../common/errors';
import type {
  CancelSessionDto,
  RecordSessionDto,
  RescheduleSessionDto,
  ScheduleSessionDto,
  SessionMode,
  SessionOutcome,
} from './sessions.dto';

/** Clock skew allowed on instants that must not be in the future (as for applicationReceivedAt). */
const SKEW_MS = 60_000;
/** Sessions are scheduled at most a year ahead: anything further is a typing mistake. */
const MAX_AHEAD_MS = 366 * 24 * 3600_000;

export interface SessionRow {
  id: string;
  case_id: string;
  mediator_id: string | null;
  status: 'scheduled' | 'recorded' | 'cancelled';
  starts_at: Date;
  duration_minutes: number;
  mode: SessionMode;
  location: string | null;
  attendees: string[] | null;
  notes: string | null;
  outcome: SessionOutcome | null;
  ended_at: Date | null;
  recorded_at: Date | null;
  recorded_by: string | null;
  cancelled_at: Date | null;
  cancel_reason: string | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

/** The case as a session answer shows it: enough to send the next If-Match. */
export function caseRef(c: { id: string; status: string; closureReason: string | null; version: number }) {
  return { id: c.id, status: c.status, closureReason: c.closureReason, version: c.version };
}

/**
 * A session as an answer shows it. Notes are confidential (SPEC §8, People's Mediation Law art. 15): only the
 * committee's staff see them, so for anyone else the field is left out altogether.
 */
export function sessionView(s: SessionRow, withNotes: boolean) {
  return {
    id: s.id,
    caseId: s.case_id,
    mediatorId: s.mediator_id,
    status: s.status,
    startsAt: s.starts_at.toISOString(),
    endsAt: new Date(s.starts_at.getTime() + s.duration_minutes * 60_000).toISOString(),
    durationMinutes: s.duration_minutes,
    mode: s.mode,
    location: s.location,
    attendees: s.attendees,
    ...(withNotes ? { notes: s.notes } : {}),
    outcome: s.outcome,
    endedAt: s.ended_at?.toISOString() ?? null,
    recordedAt: s.recorded_at?.toISOString() ?? null,
    cancelledAt: s.cancelled_at?.toISOString() ?? null,
    cancelReason: s.cancel_reason,
    createdAt: s.created_at.toISOString(),
  };
}

/** Committee staff: the coordinators and mediators of the case's committee (the case scope already holds them). */
function seesNotes(user: AuthUser, row: Pick<CaseRow, 'committee_id'>): boolean {
  return (
    (user.role === 'coordinator' || user.role === 'mediator') && user.organisationId === row.committee_id
  );
}

/**
 * Sessions (SPEC §8). Every change goes through CasesService.act, so it is row-locked, versioned and evented
 * like any other case action; the session row is written inside the action's transaction.
 */
@Injectable()
export class SessionsService {
  constructor(
    private readonly db: DataSource,
    private readonly cases: CasesService,
  ) {}

  async schedule(user: AuthUser, caseId: string, dto: ScheduleSessionDto, ifMatch?: number) {
    let session!: SessionRow;
    const c = await this.cases.act(user, caseId, 'schedule_session', ifMatch, async ({ row, manager }) => {
      const startsAt = new Date(dto.startsAt);
      const errors: FieldError[] = [];
      if (startsAt < row.application_received_at)
        errors.push({ field: 'startsAt', message: 'must not be before the application was received' });
      if (startsAt.getTime() > Date.now() + MAX_AHEAD_MS)
        errors.push({ field: 'startsAt', message: 'must be within a year from now' });
      if (errors.length) throw new ValidationFailedError(errors);
      const rows: SessionRow[] = await manager.query(
        `INSERT INTO sessions (case_id, mediator_id, starts_at, duration_minutes, mode, location, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
        [row.id, row.mediator_id, startsAt, dto.durationMinutes, dto.mode, dto.location ?? null, user.id],
      );
      session = rows[0];
      return {
        payload: {
          sessionId: session.id,
          startsAt: session.starts_at.toISOString(),
          durationMinutes: session.duration_minutes,
          mode: session.mode,
          location: session.location,
          // A start already past is a session logged after the fact: no reminders for it (SPEC §6).
          loggedAfterTheFact: session.starts_at.getTime() <= Date.now(),
        },
      };
    });
    return { ...sessionView(session, true), case: caseRef(c) };
  }

  async reschedule(
    user: AuthUser,
    caseId: string,
    sessionId: string,
    dto: RescheduleSessionDto,
    ifMatch?: number,
  ) {
    if (
      dto.startsAt === undefined &&
      dto.durationMinutes === undefined &&
      dto.mode === undefined &&
      dto.location === undefined
    ) {
      throw new ValidationFailedError([
        { field: '', message: 'name at least one of startsAt, durationMinutes, mode, location' },
      ]);
    }
    let session!: SessionRow;
    const c = await this.cases.act(user, caseId, 'reschedule_session', ifMatch, async ({ row, manager }) => {
      const before = await this.lockSession(manager, row.id, sessionId);
      assertNotStarted(before, 'rescheduled');
      const startsAt = dto.startsAt ? new Date(dto.startsAt) : before.starts_at;
      if (dto.startsAt) {
        // Rescheduling moves a session that has not happened yet; one that already took place is logged anew.
        if (startsAt.getTime() <= Date.now())
          throw new ValidationFailedError([{ field: 'startsAt', message: 'must be in the future' }]);
        if (startsAt.getTime() > Date.now() + MAX_AHEAD_MS)
          throw new ValidationFailedError([{ field: 'startsAt', message: 'must be within a year from now' }]);
      }
      // TypeORM answers an UPDATE … RETURNING as [rows, affectedCount].
      const [rows]: [SessionRow[], number] = await manager.query(
        `UPDATE sessions SET starts_at = $2, duration_minutes = $3, mode = $4, location = $5, updated_at = now()
          WHERE id = $1 RETURNING *`,
        [
          before.id,
          startsAt,
          dto.durationMinutes ?? before.duration_minutes,
          dto.mode ?? before.mode,
          dto.location === undefined ? before.location : dto.location,
        ],
      );
      session = rows[0];
      return {
        payload: {
          sessionId: session.id,
          startsAt: session.starts_at.toISOString(),
          previousStartsAt: before.starts_at.toISOString(),
          durationMinutes: session.duration_minutes,
          mode: session.mode,
          location: session.location,
        },
      };
    });
    return { ...sessionView(session, true), case: caseRef(c) };
  }

  async cancel(user: AuthUser, caseId: string, sessionId: string, dto: CancelSessionDto, ifMatch?: number) {
    let session!: SessionRow;
    const c = await this.cases.act(user, caseId, 'cancel_session', ifMatch, async ({ row, manager }) => {
      const before = await this.lockSession(manager, row.id, sessionId);
      assertNotStarted(before, 'cancelled');
      const [rows]: [SessionRow[], number] = await manager.query(
        `UPDATE sessions SET status = 'cancelled', cancelled_at = now(), cancelled_by = $2, cancel_reason = $3,
                updated_at = now()
          WHERE id = $1 RETURNING *`,
        [before.id, user.id, dto.reason ?? null],
      );
      session = rows[0];
      return {
        reason: dto.reason ?? null,
        payload: { sessionId: session.id, startsAt: session.starts_at.toISOString() },
      };
    });
    return { ...sessionView(session, true), case: caseRef(c) };
  }

  async record(user: AuthUser, caseId: string, sessionId: string, dto: RecordSessionDto, ifMatch?: number) {
    let session!: SessionRow;
    const c = await this.cases.act(user, caseId, 'record_session', ifMatch, async ({ row, manager }) => {
      const before = await this.lockSession(manager, row.id, sessionId);
      if (before.status === 'recorded')
        throw new ConflictError(
          'SESSION_ALREADY_RECORDED',
          'Session already recorded',
          'This session has already been recorded; a session is recorded once.',
        );
      if (before.status === 'cancelled') throw sessionCancelled();
      if (before.starts_at.getTime() > Date.now())
        throw new ConflictError(
          'SESSION_NOT_STARTED',
          'Session not started',
          `The session starts at ${before.starts_at.toISOString()}; it can be recorded once its start has passed.`,
          { startsAt: before.starts_at.toISOString() },
        );
      const endedAt = new Date(dto.endedAt);
      if (endedAt <= before.starts_at)
        throw new ValidationFailedError([{ field: 'endedAt', message: 'must be after the session’s start' }]);
      if (endedAt.getTime() > Date.now() + SKEW_MS)
        throw new ValidationFailedError([{ field: 'endedAt', message: 'must not be in the future' }]);
      const [rows]: [SessionRow[], number] = await manager.query(
        `UPDATE sessions SET status = 'recorded', attendees = $2, notes = $3, outcome = $4, ended_at = $5,
                recorded_at = now(), recorded_by = $6, updated_at = now()
          WHERE id = $1 RETURNING *`,
        [before.id, dto.attendees, dto.notes, dto.outcome, endedAt, user.id],
      );
      session = rows[0];
      // The notes stay out of the event: events are read by court liaisons and feed notifications.
      return {
        payload: {
          sessionId: session.id,
          startsAt: session.starts_at.toISOString(),
          endedAt: endedAt.toISOString(),
          outcome: dto.outcome,
        },
      };
    });
    return { ...sessionView(session, true), case: caseRef(c) };
  }

  async list(user: AuthUser, caseId: string) {
    const row = await this.cases.findVisible(this.db.manager, user, caseId);
    const rows: SessionRow[] = await this.db.query(
      `SELECT * FROM sessions WHERE case_id = $1 ORDER BY starts_at, created_at, id`,
      [row.id],
    );
    const notes = seesNotes(user, row);
    return { items: rows.map((s) => sessionView(s, notes)), nextCursor: null };
  }

  async get(user: AuthUser, caseId: string, sessionId: string) {
    const row = await this.cases.findVisible(this.db.manager, user, caseId);
    const rows: SessionRow[] = await this.db.query(`SELECT * FROM sessions WHERE id = $1 AND case_id = $2`, [
      sessionId,
      row.id,
    ]);
    if (!rows[0]) throw new NotFoundError('Session');
    return sessionView(rows[0], seesNotes(user, row));
  }

  private async lockSession(m: EntityManager, caseId: string, sessionId: string): Promise<SessionRow> {
    // The case row is already locked by act(); the session lock is for writers outside it (none today).
    const rows: SessionRow[] = await m.query(
      `SELECT * FROM sessions WHERE id = $1 AND case_id = $2 FOR UPDATE`,
      [sessionId, caseId],
    );
    if (!rows[0]) throw new NotFoundError('Session');
    return rows[0];
  }
}

function sessionCancelled(): ConflictError {
  return new ConflictError('SESSION_CANCELLED', 'Session cancelled', 'This session was cancelled.');
}

/** Rescheduling and cancelling are for sessions still ahead (SPEC §8: "before that"). */
function assertNotStarted(s: SessionRow, what: string): void {
  if (s.status === 'recorded')
    throw new ConflictError(
      'SESSION_ALREADY_RECORDED',
      'Session already recorded',
      `A recorded session cannot be ${what}.`,
    );
  if (s.status === 'cancelled') throw sessionCancelled();
  if (s.starts_at.getTime() <= Date.now())
    throw new ConflictError(
      'SESSION_ALREADY_STARTED',
      'Session already started',
      `The session started at ${s.starts_at.toISOString()}; only a session still ahead can be ${what}.`,
      { startsAt: s.starts_at.toISOString() },
    );
}
