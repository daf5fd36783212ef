import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Mediation work (SPEC §5, §8): sessions, extensions of the mediation period, the agreement with its items and
 * instalments, and the payment ledger (payments and how each was allocated to instalments).
 */
export class MediationWork1764000000001 implements MigrationInterface {
  name = 'MediationWork1764000000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TYPE session_mode AS ENUM ('in_person','online','phone')`);
    await q.query(`CREATE TYPE session_status AS ENUM ('scheduled','recorded','cancelled')`);
    await q.query(`CREATE TYPE session_outcome AS ENUM ('continued','postponed','no_show_worker','no_show_employer',
      'agreement','failed')`);

    await q.query(`CREATE TABLE sessions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      case_id uuid NOT NULL REFERENCES cases(id),
      mediator_id uuid REFERENCES users(id),
      status session_status NOT NULL DEFAULT 'scheduled',
      starts_at timestamptz NOT NULL,
      duration_minutes integer NOT NULL CHECK (duration_minutes BETWEEN 15 AND 480),
      mode session_mode NOT NULL,
      location text,
      attendees text[],
      notes text,
      outcome session_outcome,
      ended_at timestamptz,
      recorded_at timestamptz,
      recorded_by uuid REFERENCES users(id),
      cancelled_at timestamptz,
      cancelled_by uuid REFERENCES users(id),
      cancel_reason text,
      created_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT recorded_has_record CHECK (status <> 'recorded' OR (outcome IS NOT NULL AND ended_at IS NOT NULL
        AND recorded_at IS NOT NULL)),
      CONSTRAINT ends_after_start CHECK (ended_at IS NULL OR ended_at > starts_at)
    )`);
    await q.query(`CREATE INDEX sessions_case ON sessions (case_id, starts_at, id)`);
    // A mediator's upcoming sessions (calendar feed, reminders).
    await q.query(
      `CREATE INDEX sessions_mediator_upcoming ON sessions (mediator_id, starts_at) WHERE status = 'scheduled'`,
    );

    await q.query(`CREATE TABLE case_extensions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      case_id uuid NOT NULL REFERENCES cases(id),
      days integer NOT NULL CHECK (days BETWEEN 1 AND 30),
      reason text NOT NULL,
      both_parties_consented boolean NOT NULL CHECK (both_parties_consented),
      created_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX case_extensions_case ON case_extensions (case_id, created_at)`);

    await q.query(`CREATE TABLE agreements (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      case_id uuid NOT NULL UNIQUE REFERENCES cases(id),
      signed_at timestamptz NOT NULL,
      signed_on date NOT NULL,
      worker_signed_at timestamptz NOT NULL,
      employer_signed_at timestamptz NOT NULL,
      mediator_signed_at timestamptz NOT NULL,
      committee_sealed_at timestamptz NOT NULL,
      effective_at timestamptz NOT NULL,
      total_fen bigint NOT NULL CHECK (total_fen >= 0),
      acceleration_on_default boolean NOT NULL DEFAULT false,
      paid_at_signing boolean NOT NULL DEFAULT false,
      other_terms text,
      mediator_id uuid REFERENCES users(id),
      created_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT effective_after_signing CHECK (effective_at >= signed_at)
    )`);

    await q.query(`CREATE TABLE agreement_items (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      agreement_id uuid NOT NULL REFERENCES agreements(id),
      case_id uuid NOT NULL REFERENCES cases(id),
      position integer NOT NULL,
      claim_type claim_type NOT NULL,
      amount_fen bigint NOT NULL CHECK (amount_fen >= 0),
      description text,
      UNIQUE (agreement_id, position)
    )`);
    await q.query(`CREATE INDEX agreement_items_case ON agreement_items (case_id)`);

    await q.query(`CREATE TABLE instalments (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      agreement_id uuid NOT NULL REFERENCES agreements(id),
      case_id uuid NOT NULL REFERENCES cases(id),
      seq integer NOT NULL,
      due_on date NOT NULL,
      amount_fen bigint NOT NULL CHECK (amount_fen > 0),
      paid_fen bigint NOT NULL DEFAULT 0,
      CONSTRAINT paid_within_amount CHECK (paid_fen >= 0 AND paid_fen <= amount_fen),
      UNIQUE (agreement_id, seq)
    )`);
    await q.query(`CREATE INDEX instalments_case ON instalments (case_id, due_on, seq)`);
    // Overdue detection scans unpaid instalments by due date.
    await q.query(`CREATE INDEX instalments_unpaid_due ON instalments (due_on) WHERE paid_fen < amount_fen`);

    await q.query(`CREATE TABLE payments (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      case_id uuid NOT NULL REFERENCES cases(id),
      agreement_id uuid NOT NULL REFERENCES agreements(id),
      amount_fen bigint NOT NULL CHECK (amount_fen > 0),
      paid_on date NOT NULL,
      instalment_id uuid REFERENCES instalments(id),
      note text,
      source text NOT NULL DEFAULT 'ledger' CHECK (source IN ('ledger','at_signing','court')),
      recorded_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX payments_case ON payments (case_id, created_at, id)`);

    await q.query(`CREATE TABLE payment_allocations (
      payment_id uuid NOT NULL REFERENCES payments(id),
      instalment_id uuid NOT NULL REFERENCES instalments(id),
      amount_fen bigint NOT NULL CHECK (amount_fen > 0),
      PRIMARY KEY (payment_id, instalment_id)
    )`);
    await q.query(`CREATE INDEX payment_allocations_instalment ON payment_allocations (instalment_id)`);

    // The ledger records money that changed hands: a payment and its allocations are never changed or removed,
    // and the database refuses it, as it does for case events.
    for (const t of ['payments', 'payment_allocations']) {
      await q.query(`CREATE TRIGGER ${t}_append_only BEFORE UPDATE OR DELETE ON ${t}
        FOR EACH ROW EXECUTE FUNCTION refuse_change()`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'payment_allocations',
      'payments',
      'instalments',
      'agreement_items',
      'agreements',
      'case_extensions',
      'sessions',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${t} CASCADE`);
    }
    for (const t of ['session_outcome', 'session_status', 'session_mode']) {
      await q.query(`DROP TYPE IF EXISTS ${t}`);
    }
  }
}
