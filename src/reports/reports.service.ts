import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { ForbiddenError, NotFoundError, ValidationFailedError, type FieldError } from '../common/errors';
import { addCalendarDays } from '../deadlines/period';
import { type Committee, type Report, ReportService } from './report.service';
import type { ReportSummaryQuery } from './reports.dto';

export const MAX_REPORT_DAYS = 366;

/** The partner agencies of a committee, as a condition on the alias `k` with the organisation as `$n`. */
export const PARTNER_OF = (param: string) =>
  `(${param}::uuid = ANY(k.partner_court_ids) OR k.partner_arbitration_commission_id = ${param}::uuid
    OR k.partner_justice_bureau_id = ${param}::uuid)`;

/**
 * GET /reports/summary (SPEC §7, §11) — who sees which committee's report (SPEC §3): coordinators their own
 * committee; admins any (committeeId required); agency observers and court liaisons the committees their
 * organisation partners with. Any other committee is not found (404), like a case out of scope.
 */
@Injectable()
export class ReportsService {
  constructor(
    private readonly db: DataSource,
    private readonly reports: ReportService,
  ) {}

  async summary(user: AuthUser, q: ReportSummaryQuery): Promise<Report> {
    const errors: FieldError[] = [];
    const committeeId = q.committeeId ?? (user.role === 'coordinator' ? user.organisationId : null);
    if (!committeeId) errors.push({ field: 'committeeId', message: 'is required' });
    if (q.to < q.from) errors.push({ field: 'to', message: 'must not be before from' });
    else if (q.to >= addCalendarDays(q.from, MAX_REPORT_DAYS))
      errors.push({ field: 'to', message: `the range may cover at most ${MAX_REPORT_DAYS} days` });
    if (errors.length) throw new ValidationFailedError(errors);
    const committee = await this.visibleCommittee(user, committeeId!);
    return this.reports.compute(committee, q.from, q.to);
  }

  private async visibleCommittee(user: AuthUser, committeeId: string): Promise<Committee> {
    let scope: string;
    const params: unknown[] = [committeeId];
    switch (user.role) {
      case 'admin':
        scope = 'TRUE';
        break;
      case 'coordinator':
        params.push(user.organisationId);
        scope = 'k.id = $2::uuid';
        break;
      case 'agency_observer':
      case 'court_liaison':
        params.push(user.organisationId);
        scope = PARTNER_OF('$2');
        break;
      default:
        throw new ForbiddenError('Your role does not read reports.');
    }
    const rows: Committee[] = await this.db.query(
      `SELECT k.id, k.name, k.code FROM organisations k WHERE k.id = $1 AND k.kind = 'committee' AND ${scope}`,
      params,
    );
    if (!rows[0]) throw new NotFoundError('Committee');
    return rows[0];
  }
}
