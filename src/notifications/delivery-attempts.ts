import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { DataProtector } from '../common/crypto';
import { DATA_PROTECTOR } from '../common/tokens';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { PublicStatusReader } from '../public/public-status.reader';
import type { ChannelResult, EmailMessage, SmsMessage } from './channels/channel';
import { EmailSender } from './channels/email-sender';
import { SMS_PROVIDER, type SmsProvider } from './channels/sms-provider';
import { WebhookSender } from './channels/webhook-sender';
import { OUTBOX_CHANNEL } from './event-types';

export type AttemptResult = 'delivered' | 'retry' | 'dead' | 'stale';

interface AttemptRow {
  id: string;
  channel: 'webhook' | 'email' | 'sms';
  status: string;
  attempts: number;
  attempt_limit: number;
  recipient: string | null;
  message: Record<string, unknown>;
  event_id: string;
  type: string;
  data: Record<string, unknown>;
  event_at: Date;
  webhook_url: string | null;
  webhook_secret: string | null;
  webhook_enabled: boolean | null;
  /** The secret before a rotation, while it still signs too. */
  webhook_previous_secret: string | null;
}

/**
 * One delivery attempt (SPEC §7): read the delivery, send it, record the attempt — recorded only if it is still
 * the attempt this job was for, so an attempt is recorded once however often its job runs. BullMQ runs one job id
 * (delivery + attempt number) at a time, so one attempt is not made twice at once; no connection is held while
 * the channel sends. A worker killed after sending but before recording leaves the attempt unrecorded: it is made
 * again with the same `webhook-id`, which is how Standard Webhooks receivers tell a repeat from a new event.
 */
@Injectable()
export class DeliveryAttempts {
  private readonly logger = new Logger('DeliveryAttempts');

  constructor(
    private readonly db: DataSource,
    private readonly webhooks: WebhookSender,
    private readonly email: EmailSender,
    @Inject(SMS_PROVIDER) private readonly sms: SmsProvider,
    private readonly status: PublicStatusReader,
    @Inject(DATA_PROTECTOR) private readonly protector: DataProtector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async attempt(deliveryId: string, attempt: number): Promise<AttemptResult> {
    const [d]: AttemptRow[] = await this.db.query(
      `SELECT d.id, d.channel, d.status, d.attempts, d.attempt_limit, d.recipient, d.message,
              e.id AS event_id, e.type, e.data, e.created_at AS event_at,
              w.url AS webhook_url, w.secret_cipher AS webhook_secret, w.enabled AS webhook_enabled,
              CASE WHEN w.previous_secret_until > now() THEN w.previous_secret_cipher END AS webhook_previous_secret
         FROM deliveries d JOIN outbox_events e ON e.id = d.event_id LEFT JOIN webhooks w ON w.id = d.webhook_id
        WHERE d.id = $1`,
      [deliveryId],
    );
    // Gone, finished, or this attempt was already made: nothing to do.
    if (!d || d.status !== 'pending' || d.attempts !== attempt) return 'stale';
    const result = await this.send(d).catch((e: Error): ChannelResult => ({
      ok: false,
      error: e.message.slice(0, 300),
    }));
    const made = attempt + 1;
    const outcome: AttemptResult = result.ok ? 'delivered' : made >= d.attempt_limit ? 'dead' : 'retry';
    const wait =
      this.config.deliveryBackoffMs[Math.min(made - 1, this.config.deliveryBackoffMs.length - 1)] ?? 0;
    // (TypeORM answers an UPDATE … RETURNING with [rows, count].)
    const [recorded]: [Array<{ id: string }>, number] = await this.db.query(
      `UPDATE deliveries SET attempts = $2, last_attempt_at = now(), last_status_code = $3, last_error = $4,
              status = $5, delivered_at = CASE WHEN $5 = 'delivered' THEN now() END,
              next_attempt_at = CASE WHEN $5 = 'pending' THEN now() + $6 * interval '1 millisecond' ELSE next_attempt_at END,
              updated_at = now()
        WHERE id = $1 AND attempts = $7 AND status = 'pending'
        RETURNING id`,
      [
        d.id,
        made,
        result.statusCode ?? null,
        result.ok ? null : (result.error ?? 'failed'),
        outcome === 'retry' ? 'pending' : outcome,
        wait,
        attempt,
      ],
    );
    if (!recorded.length) return 'stale';
    // The relay enqueues the next attempt (it listens; the poll would find it too).
    if (outcome === 'retry') await this.db.query(`SELECT pg_notify($1, '')`, [OUTBOX_CHANNEL]);
    if (outcome === 'dead')
      this.logger.warn(`delivery ${d.id} (${d.channel}, ${d.type}) is dead after ${made} attempts`);
    return outcome;
  }

  private async send(d: AttemptRow): Promise<ChannelResult> {
    switch (d.channel) {
      case 'webhook': {
        if (!d.webhook_url || !d.webhook_secret) return { ok: false, error: 'webhook removed' };
        if (!d.webhook_enabled) return { ok: false, error: 'webhook disabled' };
        return this.webhooks.send({
          url: d.webhook_url,
          secret: this.protector.decrypt(d.webhook_secret),
          previousSecret: d.webhook_previous_secret
            ? this.protector.decrypt(d.webhook_previous_secret)
            : null,
          msgId: `msg_${d.event_id}`,
          timestamp: new Date(),
          body: JSON.stringify({ type: d.type, timestamp: d.event_at.toISOString(), data: d.data }),
        });
      }
      case 'email':
        if (!d.recipient) return { ok: false, error: 'no recipient' };
        return this.email.send(d.recipient, d.message as unknown as EmailMessage);
      case 'sms': {
        if (!d.recipient) return { ok: false, error: 'no recipient' };
        const msg = d.message as unknown as SmsMessage;
        return this.sms.send(d.recipient, await this.withNextStep(msg));
      }
    }
  }

  /** The worker's SMS ends with their next step as it is when it is sent (SPEC §7), as the status page says it. */
  private async withNextStep(msg: SmsMessage): Promise<string> {
    if (!msg.caseId) return msg.text;
    try {
      const status = await this.status.read(msg.caseId, 'zh');
      const next = status.nextStep as { text?: string } | null | undefined;
      return next?.text ? `${msg.text}下一步：${next.text}` : msg.text;
    } catch {
      return msg.text;
    }
  }
}
