import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { CasesService } from '../cases/cases.service';
import { DataProtector, normaliseAccessCode, safeEqual } from '../common/crypto';
import { NotFoundError } from '../common/errors';
import { DATA_PROTECTOR } from '../common/tokens';
import type { CompleteInTx } from '../idempotency/idempotency.interceptor';
import { fill, type Lang, MESSAGES } from '../i18n/messages';
import type { PublicPlace } from './next-step';
import { PublicLimits } from './public-limits';
import type { PublicApplicationDto } from './public.dto';
import { PublicStatusReader } from './public-status.reader';

/** Where the page shows a case's status (the answer to an application points there). */
export const STATUS_PAGE = '/#status';

/**
 * The workers' side (SPEC §10): online applications through the one intake path, the committees they may
 * apply to, and the status check by case number and access code.
 */
@Injectable()
export class PublicService {
  private readonly logger = new Logger('PublicService');
  /** Compared against when the case number is unknown, so that both refusals cost the same work. */
  private readonly dummyHash: string;

  constructor(
    private readonly db: DataSource,
    private readonly cases: CasesService,
    private readonly reader: PublicStatusReader,
    private readonly limits: PublicLimits,
    private readonly audit: AuditService,
    @Inject(DATA_PROTECTOR) private readonly protector: DataProtector,
  ) {
    this.dummyHash = protector.accessCodeHash(randomBytes(16).toString('hex'));
  }

  committees() {
    return this.reader.committees();
  }

  /**
   * The staff intake with the worker as the caller (source `online`, received now). The answer is the worker's
   * receipt, not the staff case view; it is what the idempotency record keeps (encrypted), so a retry gets the
   * same case number and access code back.
   */
  async apply(client: string, dto: PublicApplicationDto, complete?: CompleteInTx) {
    let receipt: Awaited<ReturnType<PublicService['receipt']>> | undefined;
    await this.cases.intake({ kind: 'worker', client }, dto, async (m, answer) => {
      receipt = await this.receipt(m, answer as IntakeAnswer);
      if (complete) await complete(m, receipt);
    });
    return receipt!;
  }

  private async receipt(m: EntityManager, a: IntakeAnswer) {
    const rows: PublicPlace[] = await m.query(
      `SELECT name, phone, address, hours FROM organisations WHERE id = $1`,
      [a.committeeId],
    );
    const c = rows[0];
    return {
      caseNo: a.caseNo,
      accessCode: a.accessCode,
      status: a.status,
      submittedAt: a.applicationReceivedAt,
      committee: { name: c.name, phone: c.phone, address: c.address, hours: c.hours },
      worker: { name: a.worker.name },
      employer: { name: a.employer.name },
      claimedTotalFen: a.claimedTotalFen,
      statusUrl: STATUS_PAGE,
    };
  }

  /**
   * SPEC §10. The attempt is counted before the code is compared; an unknown case and a wrong code take the
   * same steps (one lookup, one keyed hash, one constant-time comparison) and answer the same 404.
   */
  async status(caseNo: string, accessCode: string, client: string, lang: Lang) {
    const attempt = await this.limits.beginStatusAttempt(caseNo, client, () => this.caseLocked(caseNo));
    const found = await this.reader.findForCheck(caseNo);
    const given = this.protector.accessCodeHash(normaliseAccessCode(accessCode));
    const matches = safeEqual(given, found?.access_code_hash ?? this.dummyHash);
    if (!found || !matches) throw new NotFoundError('Case');
    await this.limits.succeeded(attempt);
    return this.reader.read(found.id, lang);
  }

  /** The case number's limit was just spent: its committee's coordinators hear of it in their inbox. */
  private async caseLocked(caseNo: string): Promise<void> {
    const found = await this.reader.findForCheck(caseNo);
    if (!found) return;
    this.logger.warn(`status checks of case ${found.id} locked after too many wrong access codes`);
    await this.audit.record({
      userId: null,
      action: 'status_check_locked',
      entity: 'case',
      entityId: found.id,
    });
    if (!(await this.reader.has('notifications'))) {
      this.logger.warn('no notifications table yet: the coordinators were not told of the locked case');
      return;
    }
    const zh = MESSAGES.zh.notification;
    await this.db.query(
      `INSERT INTO notifications (user_id, case_id, kind, title, body, payload)
       SELECT u.id, c.id, 'status_check_locked', $2, $3, $4::jsonb
         FROM cases c JOIN users u ON u.organisation_id = c.committee_id AND u.role = 'coordinator' AND u.active
        WHERE c.id = $1`,
      [
        found.id,
        fill(zh.lockedTitle, { caseNo }),
        zh.lockedBody,
        JSON.stringify({ caseId: found.id, caseNo }),
      ],
    );
  }
}

/** The parts of the staff intake answer a receipt uses. */
interface IntakeAnswer {
  committeeId: string;
  caseNo: string;
  accessCode: string;
  status: string;
  applicationReceivedAt: string;
  worker: { name: string };
  employer: { name: string };
  claimedTotalFen: number;
}
