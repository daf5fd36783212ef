import { Controller, Get, Injectable, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsISO8601, IsOptional } from 'class-validator';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/decorators';
import { caseScope } from '../cases/case-scope';
import { NotFoundError, ValidationFailedError } from '../common/errors';
import { IdPipe } from '../common/params';
import { REFERRAL_STEPS, type ReferralKind, type ReferralStatus } from '../referrals/referral-steps';

const toBool = ({ value }: { value: unknown }) =>
  value === 'true' ? true : value === 'false' ? false : value;

/** The longest window the agenda answers for at once. */
const MAX_AGENDA_DAYS = 62;
const LIST_LIMIT = 200;

export class AgendaQuery {
  @ApiPropertyOptional({ description: 'From (inclusive), an ISO 8601 instant; default now' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;
  @ApiPropertyOptional({ description: 'To (exclusive), an ISO 8601 instant; default 7 days after from' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
  @ApiPropertyOptional({ description: 'Only the cases assigned to the caller (mediators)' })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  mine?: boolean;
}

export class DueDeadlinesQuery {
  @ApiPropertyOptional({
    description: 'Pending deadlines due before this instant; default now (the overdue ones)',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  dueBefore?: string;
  @ApiPropertyOptional({ description: 'Only the cases assigned to the caller (mediators)' })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  mine?: boolean;
}

/**
 * The lists the console's home pages need that no other route gives: sessions in a window and pending deadlines
 * due before a time, across the caller's cases. Each is one indexed query under the same case scope as every
 * case read (src/cases/case-scope.ts): the console adds no rule of its own.
 */
@Injectable()
export class ConsoleLists {
  constructor(private readonly db: DataSource) {}

  async agenda(user: AuthUser, q: AgendaQuery, now = new Date()) {
    const from = q.from ? new Date(q.from) : now;
    const to = q.to ? new Date(q.to) : new Date(from.getTime() + 7 * 86_400_000);
    if (!(to > from) || to.getTime() - from.getTime() > MAX_AGENDA_DAYS * 86_400_000) {
      throw new ValidationFailedError([
        { field: 'to', message: `must be after from, at most ${MAX_AGENDA_DAYS} days later` },
      ]);
    }
    const params: unknown[] = [from, to];
    const mine = q.mine ? ` AND c.mediator_id = $${params.push(user.id)}` : '';
    const items = await this.db.query(
      `SELECT s.id, s.case_id AS "caseId", c.case_no AS "caseNo", c.worker_name AS "workerName",
              c.employer_name AS "employerName", s.status, s.starts_at AS "startsAt",
              s.starts_at + make_interval(mins => s.duration_minutes) AS "endsAt", s.mode, s.location
         FROM sessions s JOIN cases c ON c.id = s.case_id
        WHERE s.starts_at >= $1 AND s.starts_at < $2 AND s.status <> 'cancelled'
          AND ${caseScope(user, params)}${mine}
        ORDER BY s.starts_at, s.id LIMIT ${LIST_LIMIT}`,
      params,
    );
    return { items, nextCursor: null };
  }

  async dueDeadlines(user: AuthUser, q: DueDeadlinesQuery, now = new Date()) {
    const params: unknown[] = [q.dueBefore ? new Date(q.dueBefore) : now];
    const mine = q.mine ? ` AND c.mediator_id = $${params.push(user.id)}` : '';
    const items = await this.db.query(
      `SELECT d.id, d.case_id AS "caseId", c.case_no AS "caseNo", c.worker_name AS "workerName", d.kind,
              d.last_day AS "lastDay", d.due_at AS "dueAt", d.legal_basis AS "legalBasis"
         FROM deadlines d JOIN cases c ON c.id = d.case_id
        WHERE d.status = 'pending' AND d.due_at < $1 AND c.status <> 'closed'
          AND ${caseScope(user, params)}${mine}
        ORDER BY d.due_at, d.id LIMIT ${LIST_LIMIT}`,
      params,
    );
    return { items, nextCursor: null };
  }
}

@ApiTags('console')
@ApiBearerAuth()
@Controller('desk')
export class ConsoleListsController {
  constructor(private readonly lists: ConsoleLists) {}

  /** Sessions (not cancelled) of the caller's cases in a window, soonest first. */
  @Get('agenda')
  @Roles('coordinator', 'mediator', 'court_liaison')
  agenda(@CurrentUser() user: AuthUser, @Query() q: AgendaQuery) {
    return this.lists.agenda(user, q);
  }

  /** Pending deadlines of the caller's open cases due before a time (default now: the overdue ones). */
  @Get('deadlines')
  @Roles('coordinator', 'mediator', 'court_liaison')
  deadlines(@CurrentUser() user: AuthUser, @Query() q: DueDeadlinesQuery) {
    return this.lists.dueDeadlines(user, q);
  }
}

/**
 * The steps the caller may take on a referral now (SPEC §9), read from the referrals' own table
 * (src/referrals/referral-steps.ts): only the addressed court's liaisons take steps; anyone else gets none.
 */
@Injectable()
export class ReferralStepsReader {
  constructor(private readonly db: DataSource) {}

  async allowed(user: AuthUser, id: string): Promise<{ steps: string[] }> {
    if (user.role !== 'court_liaison') return { steps: [] };
    const rows: Array<{ kind: ReferralKind; status: ReferralStatus }> = await this.db.query(
      `SELECT kind, status FROM referrals WHERE id = $1 AND court_id = $2`,
      [id, user.organisationId],
    );
    const r = rows[0];
    if (!r) throw new NotFoundError('Referral');
    return {
      steps: REFERRAL_STEPS.filter((s) => s.kinds.includes(r.kind) && s.from.includes(r.status)).map(
        (s) => s.step,
      ),
    };
  }
}

@ApiTags('console')
@ApiBearerAuth()
@Controller('desk/referrals')
export class ReferralStepsController {
  constructor(private readonly reader: ReferralStepsReader) {}

  @Get(':id/steps')
  @Roles('court_liaison', 'coordinator', 'mediator')
  steps(@CurrentUser() user: AuthUser, @Param('id', IdPipe) id: string) {
    return this.reader.allowed(user, id);
  }
}
