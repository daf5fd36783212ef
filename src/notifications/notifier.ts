import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { CaseRow } from '../cases/case-view';
import { APP_CONFIG, type AppConfig } from '../config/config';
import type { EmailMessage, SmsMessage } from './channels/channel';
import { OUTBOX_CHANNEL, type EventType } from './event-types';
import { eventText, workerSentence } from './event-texts';
import { InboxService } from './inbox.service';
import { resolveRecipients, type RecipientRole } from './recipients';
import { ROUTES } from './routing';

/** One notification as its cause describes it (SPEC §7). Everything but `type` has a default from the routing table. */
export interface PublishInput {
  type: EventType | `reminder.${string}`;
  /** The case concerned, as its row is now inside the transaction. */
  caseRow?: CaseRow | null;
  /** Webhook data: ids, case number, status, what receivers need. Never an unmasked ID number, never session notes. */
  data?: Record<string, unknown>;
  /** The court a referral is addressed to: its webhooks and its liaisons (inbox, e-mail) hear the event. */
  referralCourtId?: string | null;
  /** Further agencies to tell (a failure referred to arbitration: the commission; a report: the partners). */
  organisationIds?: readonly string[];
  /** Staff of the case to tell in their inbox, by role; replaces the routing table's default. */
  staff?: readonly RecipientRole[];
  /** Staff users named directly (e.g. a report's observers). */
  userIds?: readonly string[];
  /** Inbox and e-mail wording; defaults from the event-text catalogue. */
  text?: { title: string; body: string };
  /** The SMS sentence for the worker (the sender appends their current next step); false: no SMS. */
  workerSms?: string | false;
  /** E-mail the employer's contact too (an instalment falling due). */
  emailEmployerContact?: boolean;
  attachments?: EmailMessage['attachments'];
  /** The cause, when it may be processed twice (a reminder's retried job): one event per cause. */
  sourceKey?: string;
  /** The inbox entry's kind, when it differs from the type (a reminder: `mediation.warn_3wd`). */
  inboxKind?: string;
}

export interface Published {
  eventId: string | null;
  deliveries: number;
  inbox: number;
}

/** Agency roles that hear about cases (liaisons) and, for reports only, observers. */
const AGENCY_ROLES = ['court_liaison'];

/**
 * The transactional outbox (SPEC §7): `publish` writes the event, the staff inbox entries and one delivery per
 * external channel and recipient in the caller's transaction, and NOTIFYs the relay, which Postgres delivers only
 * at commit. A rolled-back change therefore sends nothing; a committed one is delivered by the worker (see
 * `DeliveryRelay`), retried with backoff, and never lost.
 */
@Injectable()
export class Notifier {
  constructor(
    private readonly inbox: InboxService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async publish(m: EntityManager, input: PublishInput): Promise<Published> {
    const route = ROUTES[input.type as EventType] ?? {};
    const c = input.caseRow ?? null;
    const data = {
      ...(c ? { caseId: c.id, caseNo: c.case_no, status: c.status, closureReason: c.closure_reason } : {}),
      ...(input.data ?? {}),
    };
    const inserted: Array<{ id: string }> = await m.query(
      `INSERT INTO outbox_events (type, case_id, committee_id, data, source_key)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (source_key) DO NOTHING RETURNING id`,
      [input.type, c?.id ?? null, c?.committee_id ?? null, data, input.sourceKey ?? null],
    );
    if (!inserted[0]) return { eventId: null, deliveries: 0, inbox: 0 };
    const eventId = inserted[0].id;
    const text = input.text ?? eventText(input.type, data);

    // Agencies whose people hear it: the origin of a sent case (its status changes), the referral's court, any named.
    const orgs = new Set<string>(input.organisationIds ?? []);
    if (route.origin && c?.origin_organisation_id) orgs.add(c.origin_organisation_id);
    if (input.referralCourtId) orgs.add(input.referralCourtId);
    const orgIds = [...orgs];
    // Their systems may subscribe to any event of a case they sent: the webhook's own list is the filter.
    const hookOrgs = c?.origin_organisation_id ? [...new Set([...orgIds, c.origin_organisation_id])] : orgIds;

    // Staff of the case (by role) and of the agencies (liaisons; observers only for reports).
    const staffRoles = input.staff ?? route.staff ?? [];
    const caseStaff = c && staffRoles.length ? (await resolveRecipients(m, c, staffRoles)).userIds : [];
    const agencyRoles =
      input.type === 'report.published' ? [...AGENCY_ROLES, 'agency_observer'] : AGENCY_ROLES;
    const agencyUsers: Array<{ id: string; email: string | null }> = orgIds.length
      ? await m.query(
          `SELECT id, email FROM users
            WHERE active AND organisation_id = ANY($1::uuid[]) AND role::text = ANY($2::text[])`,
          [orgIds, agencyRoles],
        )
      : [];
    const named: Array<{ id: string }> = input.userIds?.length
      ? await m.query(`SELECT id FROM users WHERE active AND id = ANY($1::uuid[])`, [input.userIds])
      : [];
    const userIds = [...new Set([...caseStaff, ...agencyUsers.map((u) => u.id), ...named.map((u) => u.id)])];
    const inbox = await this.inbox.deliver(m, {
      userIds,
      caseId: c?.id ?? null,
      kind: input.inboxKind ?? input.type,
      title: text.title,
      body: text.body,
      payload: data,
      sourceKey: input.sourceKey ?? `event:${eventId}`,
    });

    const limit = this.config.deliveryBackoffMs.length + 1;
    const rows: Array<{
      channel: 'webhook' | 'email' | 'sms';
      owner: string | null;
      webhookId: string | null;
      recipient: string | null;
      masked: string | null;
      message: unknown;
    }> = [];
    const owner = (org: string | null) => org ?? c?.committee_id ?? null;

    if (hookOrgs.length) {
      const hooks: Array<{ id: string; organisation_id: string }> = await m.query(
        `SELECT id, organisation_id FROM webhooks
          WHERE enabled AND organisation_id = ANY($1::uuid[]) AND $2 = ANY(events)`,
        [hookOrgs, input.type],
      );
      for (const h of hooks) {
        rows.push({
          channel: 'webhook',
          owner: h.organisation_id,
          webhookId: h.id,
          recipient: null,
          masked: null,
          message: {},
        });
      }
    }
    if (this.config.smtpUrl) {
      const mail = (to: string, org: string | null) =>
        rows.push({
          channel: 'email',
          owner: owner(org),
          webhookId: null,
          recipient: to,
          masked: maskEmail(to),
          message: renderEmail(text, input.attachments),
        });
      const orgOf = await this.organisationsOf(
        m,
        agencyUsers.filter((u) => u.email).map((u) => u.id),
      );
      for (const u of agencyUsers) if (u.email) mail(u.email, orgOf.get(u.id) ?? null);
      if (input.emailEmployerContact && c?.employer_contact_email) mail(c.employer_contact_email, null);
    }
    const sentence = input.workerSms === undefined ? workerSentence(input.type, data) : input.workerSms;
    if (sentence && c?.worker_phone) {
      rows.push({
        channel: 'sms',
        owner: owner(null),
        webhookId: null,
        recipient: c.worker_phone,
        masked: maskPhone(c.worker_phone),
        message: { text: sentence, caseId: c.id } satisfies SmsMessage,
      });
    }
    if (rows.length) {
      await m.query(
        `INSERT INTO deliveries (event_id, channel, owner_organisation_id, webhook_id, recipient, recipient_masked,
                                 message, attempt_limit)
         SELECT $1, ch, o, w, r, rm, msg, $8
           FROM unnest($2::text[], $3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::jsonb[]) AS x(ch, o, w, r, rm, msg)`,
        [
          eventId,
          rows.map((r) => r.channel),
          rows.map((r) => r.owner),
          rows.map((r) => r.webhookId),
          rows.map((r) => r.recipient),
          rows.map((r) => r.masked),
          rows.map((r) => JSON.stringify(r.message)),
          limit,
        ],
      );
      await m.query(`SELECT pg_notify($1, '')`, [OUTBOX_CHANNEL]);
    }
    return { eventId, deliveries: rows.length, inbox };
  }

  private async organisationsOf(m: EntityManager, userIds: string[]): Promise<Map<string, string>> {
    if (!userIds.length) return new Map();
    const rows: Array<{ id: string; organisation_id: string }> = await m.query(
      `SELECT id, organisation_id FROM users WHERE id = ANY($1::uuid[])`,
      [userIds],
    );
    return new Map(rows.map((r) => [r.id, r.organisation_id]));
  }
}

function renderEmail(
  text: { title: string; body: string },
  attachments?: EmailMessage['attachments'],
): EmailMessage {
  const paragraphs = text.body
    .split('\n')
    .map((l) => `<p>${escapeHtml(l)}</p>`)
    .join('');
  return {
    subject: text.title,
    text: `${text.body}\n\n——劳动争议调解案件管理系统（本邮件由系统发送，请勿直接回复）`,
    html: `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><body><h1 style="font-size:18px">${escapeHtml(
      text.title,
    )}</h1>${paragraphs}<p style="color:#555">劳动争议调解案件管理系统（本邮件由系统发送，请勿直接回复）</p></body></html>`,
    ...(attachments?.length ? { attachments } : {}),
  };
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

export function maskPhone(p: string): string {
  return p.length >= 7 ? `${p.slice(0, 3)}****${p.slice(-4)}` : '****';
}

export function maskEmail(e: string): string {
  const [local, domain] = e.split('@');
  return `${local.slice(0, 1)}***@${domain ?? ''}`;
}
