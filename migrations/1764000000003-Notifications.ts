import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The transactional outbox of SPEC §7: an event is written in the transaction of the change that causes it,
 * with one delivery per channel and recipient (webhook, e-mail, SMS); the worker hands deliveries to BullMQ
 * and records each attempt. Organisations' webhook endpoints live here too.
 */
export class Notifications1764000000003 implements MigrationInterface {
  name = 'Notifications1764000000003';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE webhooks (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organisation_id uuid NOT NULL REFERENCES organisations(id),
      url text NOT NULL,
      events text[] NOT NULL,
      -- The signing secret, encrypted (it must be read back to sign; it is shown to the organisation once).
      secret_cipher text NOT NULL,
      enabled boolean NOT NULL DEFAULT true,
      created_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX webhooks_organisation ON webhooks (organisation_id) WHERE enabled`);
    await q.query(`CREATE TABLE outbox_events (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      type text NOT NULL,
      case_id uuid REFERENCES cases(id),
      committee_id uuid REFERENCES organisations(id),
      -- The webhook body's data: ids, case number, status and what receivers need; never a full ID number.
      data jsonb NOT NULL,
      -- What caused it, when a cause may be processed twice (a reminder's job): one event per cause.
      source_key text UNIQUE,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX outbox_events_case ON outbox_events (case_id, created_at) WHERE case_id IS NOT NULL`);
    await q.query(`CREATE TABLE deliveries (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      event_id uuid NOT NULL REFERENCES outbox_events(id),
      channel text NOT NULL CHECK (channel IN ('webhook', 'email', 'sms')),
      -- Whose delivery it is: the organisation that receives it (agencies), else the committee of the case.
      owner_organisation_id uuid REFERENCES organisations(id),
      webhook_id uuid REFERENCES webhooks(id),
      -- E-mail address or phone number (personal data: never logged; the delivery log shows it masked).
      recipient text,
      recipient_masked text,
      -- What to send, rendered when the event was written (e-mail: subject, text, html, attachments; SMS: text).
      message jsonb NOT NULL DEFAULT '{}',
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
      attempts integer NOT NULL DEFAULT 0,
      attempt_limit integer NOT NULL,
      next_attempt_at timestamptz NOT NULL DEFAULT now(),
      -- The attempt number last handed to BullMQ: the relay skips what it already enqueued.
      enqueued_attempt integer,
      last_attempt_at timestamptz,
      last_status_code integer,
      last_error text,
      delivered_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX deliveries_owner ON deliveries (owner_organisation_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX deliveries_status ON deliveries (status, channel, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX deliveries_event ON deliveries (event_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE deliveries`);
    await q.query(`DROP TABLE outbox_events`);
    await q.query(`DROP TABLE webhooks`);
  }
}
