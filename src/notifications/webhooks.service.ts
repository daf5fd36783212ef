import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../auth/auth-user';
import { DataProtector } from '../common/crypto';
import { NotFoundError, ValidationFailedError, WebhookUrlNotAllowedError } from '../common/errors';
import { DATA_PROTECTOR } from '../common/tokens';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { assertPublicUrl, DestinationRefusedError } from './channels/address-guard';
import { EVENT_TYPES, type EventType } from './event-types';
import type { CreateWebhookDto, UpdateWebhookDto } from './webhooks.dto';

interface WebhookRow {
  id: string;
  organisation_id: string;
  url: string;
  events: string[];
  enabled: boolean;
  created_at: Date;
  updated_at: Date;
}

export interface WebhookView {
  id: string;
  organisationId: string;
  url: string;
  events: string[];
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

const COLUMNS = `id, organisation_id, url, events, enabled, created_at, updated_at`;

function view(r: WebhookRow): WebhookView {
  return {
    id: r.id,
    organisationId: r.organisation_id,
    url: r.url,
    events: r.events,
    enabled: r.enabled,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

/** A Standard Webhooks secret: `whsec_` and 32 random bytes in base64. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/**
 * Organisations' webhook endpoints (SPEC §7, §11). Admins manage any organisation's; an agency's liaison manages
 * its own organisation's (another organisation's answers 404, as if it did not exist). The signing secret is kept
 * encrypted and shown only when made (creation, rotation); every change is audited.
 */
@Injectable()
export class WebhooksService {
  constructor(
    private readonly db: DataSource,
    private readonly audit: AuditService,
    @Inject(DATA_PROTECTOR) private readonly protector: DataProtector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(
    actor: AuthUser,
    organisationId: string,
    dto: CreateWebhookDto,
  ): Promise<WebhookView & { secret: string }> {
    await this.checkOrganisation(actor, organisationId);
    const events = checkEvents(dto.events);
    await this.checkDestination(dto.url);
    const secret = newWebhookSecret();
    return this.db.transaction(async (m) => {
      const [row]: WebhookRow[] = await m.query(
        `INSERT INTO webhooks (organisation_id, url, events, secret_cipher, created_by)
         VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
        [organisationId, dto.url, events, this.protector.encrypt(secret), actor.id],
      );
      await this.record(m, actor, 'webhook_created', row, { organisationId, events, host: hostOf(dto.url) });
      return { ...view(row), secret };
    });
  }

  async list(actor: AuthUser, organisationId: string): Promise<{ items: WebhookView[]; nextCursor: null }> {
    await this.checkOrganisation(actor, organisationId);
    const rows: WebhookRow[] = await this.db.query(
      `SELECT ${COLUMNS} FROM webhooks WHERE organisation_id = $1 ORDER BY created_at, id`,
      [organisationId],
    );
    return { items: rows.map(view), nextCursor: null };
  }

  async update(
    actor: AuthUser,
    organisationId: string,
    webhookId: string,
    dto: UpdateWebhookDto,
  ): Promise<WebhookView> {
    await this.checkOrganisation(actor, organisationId);
    return this.db.transaction(async (m) => {
      const [rows]: [WebhookRow[], number] = await m.query(
        `UPDATE webhooks SET enabled = $3, updated_at = now() WHERE id = $1 AND organisation_id = $2
         RETURNING ${COLUMNS}`,
        [webhookId, organisationId, dto.enabled],
      );
      if (!rows[0]) throw new NotFoundError('Webhook');
      await this.record(m, actor, dto.enabled ? 'webhook_enabled' : 'webhook_disabled', rows[0], {
        organisationId,
      });
      return view(rows[0]);
    });
  }

  /** A new secret at once; the old one stops signing (deliveries still to come are signed with the new one). */
  async rotateSecret(
    actor: AuthUser,
    organisationId: string,
    webhookId: string,
  ): Promise<{ id: string; secret: string }> {
    await this.checkOrganisation(actor, organisationId);
    const secret = newWebhookSecret();
    return this.db.transaction(async (m) => {
      const [rows]: [WebhookRow[], number] = await m.query(
        // The old secret keeps signing next to the new one for a day, so the receiver can switch without a gap.
        `UPDATE webhooks SET previous_secret_cipher = secret_cipher, previous_secret_until = now() + interval '24 hours',
                secret_cipher = $3, updated_at = now()
          WHERE id = $1 AND organisation_id = $2
         RETURNING ${COLUMNS}`,
        [webhookId, organisationId, this.protector.encrypt(secret)],
      );
      if (!rows[0]) throw new NotFoundError('Webhook');
      await this.record(m, actor, 'webhook_secret_rotated', rows[0], { organisationId });
      return { id: rows[0].id, secret };
    });
  }

  /** Admins: any existing organisation; everyone else the route admits: their own organisation only. */
  private async checkOrganisation(actor: AuthUser, organisationId: string): Promise<void> {
    if (actor.role !== 'admin' && actor.organisationId !== organisationId)
      throw new NotFoundError('Organisation');
    const found: unknown[] = await this.db.query(`SELECT 1 FROM organisations WHERE id = $1`, [
      organisationId,
    ]);
    if (!found.length) throw new NotFoundError('Organisation');
  }

  private async checkDestination(url: string): Promise<void> {
    try {
      await assertPublicUrl(url, this.config.webhookAllowPrivate);
    } catch (e) {
      if (!(e instanceof DestinationRefusedError)) throw e;
      if (e.reason === 'private_address' || e.reason === 'unresolvable') {
        throw new WebhookUrlNotAllowedError(
          e.reason,
          e.reason === 'unresolvable'
            ? 'The webhook URL’s host name does not resolve.'
            : 'Webhook receivers must be on public addresses; this URL’s host is private, loopback, link-local or otherwise non-public.',
        );
      }
      throw new ValidationFailedError([{ field: 'url', message: e.message }]);
    }
  }

  private record(
    m: EntityManager,
    actor: AuthUser,
    action: string,
    row: WebhookRow,
    detail: Record<string, unknown>,
  ) {
    return this.audit.record({ userId: actor.id, action, entity: 'webhook', entityId: row.id, detail }, m);
  }
}

/** Each unknown type is named by its index (`events.2`); repeats are dropped. */
function checkEvents(events: string[]): EventType[] {
  const errors = events
    .map((e, i) => ({ e, i }))
    .filter(({ e }) => !(EVENT_TYPES as readonly string[]).includes(e))
    .map(({ i }) => ({
      field: `events.${i}`,
      message: `must be one of the event types: ${EVENT_TYPES.join(', ')}`,
    }));
  if (errors.length) throw new ValidationFailedError(errors);
  return [...new Set(events)] as EventType[];
}

/** The audit log keeps the host only: a URL's path or query can carry the receiver's own token. */
function hostOf(url: string): string {
  return new URL(url).host;
}
