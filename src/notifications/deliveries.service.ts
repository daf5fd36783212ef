import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../auth/auth-user';
import { DeliveryNotRetryableError, NotFoundError } from '../common/errors';
import { CURSOR_AT, decodeCursor, page } from '../common/paging';
import { OUTBOX_CHANNEL, type DeliveryChannel, type DeliveryStatus } from './event-types';

interface DeliveryRow {
  id: string;
  event_id: string;
  event_type: string;
  case_id: string | null;
  case_no: string | null;
  channel: DeliveryChannel;
  owner_organisation_id: string | null;
  webhook_id: string | null;
  recipient: string | null;
  status: DeliveryStatus;
  attempts: number;
  attempt_limit: number;
  next_attempt_at: Date;
  last_attempt_at: Date | null;
  last_status_code: number | null;
  last_error: string | null;
  delivered_at: Date | null;
  created_at: Date;
  /** created_at in microseconds since the epoch: the exact cursor position (a Date keeps milliseconds only). */
  cursor_at: string;
}

export interface DeliveryView {
  id: string;
  eventId: string;
  eventType: string;
  caseId: string | null;
  caseNo: string | null;
  channel: DeliveryChannel;
  ownerOrganisationId: string | null;
  webhookId: string | null;
  /** The masked e-mail address or phone number, or the webhook's URL. */
  recipient: string | null;
  status: DeliveryStatus;
  attempts: number;
  attemptLimit: number;
  /** When the next attempt is due; null once delivered or dead. */
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function view(r: DeliveryRow): DeliveryView {
  return {
    id: r.id,
    eventId: r.event_id,
    eventType: r.event_type,
    caseId: r.case_id,
    caseNo: r.case_no,
    channel: r.channel,
    ownerOrganisationId: r.owner_organisation_id,
    webhookId: r.webhook_id,
    recipient: r.recipient,
    status: r.status,
    attempts: r.attempts,
    attemptLimit: r.attempt_limit,
    nextAttemptAt: r.status === 'pending' ? iso(r.next_attempt_at) : null,
    lastAttemptAt: iso(r.last_attempt_at),
    lastStatusCode: r.last_status_code,
    lastError: r.last_error,
    deliveredAt: iso(r.delivered_at),
    createdAt: r.created_at.toISOString(),
  };
}

/** One row per delivery with its event, case number and webhook URL joined in: one query per page, no N+1. */
const SELECT = `
  SELECT d.id, d.event_id, e.type AS event_type, e.case_id, c.case_no, d.channel, d.owner_organisation_id,
         d.webhook_id, CASE WHEN d.channel = 'webhook' THEN w.url ELSE d.recipient_masked END AS recipient,
         d.status, d.attempts, d.attempt_limit, d.next_attempt_at, d.last_attempt_at, d.last_status_code,
         d.last_error, d.delivered_at, d.created_at,
         ${CURSOR_AT('d.created_at')} AS cursor_at
    FROM deliveries d
    JOIN outbox_events e ON e.id = d.event_id
    LEFT JOIN cases c ON c.id = e.case_id
    LEFT JOIN webhooks w ON w.id = d.webhook_id`;

export interface ListDeliveriesQuery {
  channel?: DeliveryChannel;
  status?: DeliveryStatus;
  limit?: number;
  cursor?: string;
}

/**
 * The delivery log (SPEC §7, §11): every channel's attempts, last status code and error. Admins see all of it;
 * other staff the deliveries their organisation owns (an agency's webhooks and e-mails, a committee's SMS and
 * e-mails to employers). A dead delivery can be retried by hand: it goes back to pending for one attempt more.
 */
@Injectable()
export class DeliveriesService {
  constructor(
    private readonly db: DataSource,
    private readonly audit: AuditService,
  ) {}

  async list(
    actor: AuthUser,
    q: ListDeliveriesQuery,
  ): Promise<{ items: DeliveryView[]; nextCursor: string | null }> {
    const limit = q.limit ?? 50;
    const params: unknown[] = [];
    const where: string[] = [];
    const add = (sql: (p: string) => string, value: unknown) => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if (actor.role !== 'admin') add((p) => `d.owner_organisation_id = ${p}::uuid`, actor.organisationId);
    if (q.channel) add((p) => `d.channel = ${p}`, q.channel);
    if (q.status) add((p) => `d.status = ${p}`, q.status);
    if (q.cursor) {
      const c = decodeCursor(q.cursor);
      params.push(c.at, c.id);
      where.push(`(d.created_at, d.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(limit + 1);
    const rows: DeliveryRow[] = await this.db.query(
      `${SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY d.created_at DESC, d.id DESC LIMIT $${params.length}`,
      params,
    );
    return page(rows, limit, view);
  }

  /**
   * Puts a dead delivery back in the queue for one more attempt, now; the relay hears of it at commit. The
   * `webhook-id` stays the delivery's own, so a receiver that did get an earlier attempt can tell.
   */
  async retry(actor: AuthUser, id: string): Promise<DeliveryView> {
    await this.db.transaction(async (m) => {
      const rows: Array<{ status: DeliveryStatus; owner_organisation_id: string | null }> = await m.query(
        `SELECT status, owner_organisation_id FROM deliveries WHERE id = $1 FOR UPDATE`,
        [id],
      );
      const row = rows[0];
      if (!row || (actor.role !== 'admin' && row.owner_organisation_id !== actor.organisationId)) {
        throw new NotFoundError('Delivery');
      }
      if (row.status !== 'dead') throw new DeliveryNotRetryableError(row.status);
      await m.query(
        `UPDATE deliveries SET status = 'pending', attempt_limit = attempts + 1, next_attempt_at = now(),
                enqueued_attempt = NULL, updated_at = now()
          WHERE id = $1`,
        [id],
      );
      await m.query(`SELECT pg_notify($1, '')`, [OUTBOX_CHANNEL]);
      await this.audit.record(
        { userId: actor.id, action: 'delivery_retried', entity: 'delivery', entityId: id, detail: {} },
        m,
      );
    });
    const [row]: DeliveryRow[] = await this.db.query(`${SELECT} WHERE d.id = $1`, [id]);
    return view(row);
  }
}
