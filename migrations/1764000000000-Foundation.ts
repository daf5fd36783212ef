import { MigrationInterface, QueryRunner } from 'typeorm';

/** People, organisations, cases, their events, the audit log and idempotency records (SPEC §3–§5, §12, §13). */
export class Foundation1764000000000 implements MigrationInterface {
  name = 'Foundation1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await q.query(
      `CREATE TYPE organisation_kind AS ENUM ('committee','court','arbitration_commission','justice_bureau')`,
    );
    await q.query(
      `CREATE TYPE user_role AS ENUM ('admin','coordinator','mediator','court_liaison','agency_observer')`,
    );
    await q.query(
      `CREATE TYPE case_status AS ENUM ('submitted','accepted','in_mediation','performing','defaulted','referred','closed')`,
    );
    await q.query(`CREATE TYPE closure_reason AS ENUM ('rejected','respondent_refused','withdrawn','settled',
      'mediation_failed','returned_to_origin','litigation','enforcement_concluded')`);
    await q.query(`CREATE TYPE case_source AS ENUM ('walk_in','hotline','online','court_delegated','court_entrusted',
      'arbitration_transfer')`);
    await q.query(
      `CREATE TYPE id_type AS ENUM ('resident_id','hk_macao_taiwan_permit','foreign_permanent_resident','passport')`,
    );
    await q.query(`CREATE TYPE claim_type AS ENUM ('wage_arrears','economic_compensation','work_injury_medical',
      'work_injury_benefits','damages','social_insurance','labour_relationship','welfare','other')`);

    await q.query(`CREATE TABLE organisations (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      kind organisation_kind NOT NULL,
      name text NOT NULL,
      code text,
      address text,
      phone text,
      hours text,
      partner_court_ids uuid[] NOT NULL DEFAULT '{}',
      partner_arbitration_commission_id uuid REFERENCES organisations(id),
      partner_justice_bureau_id uuid REFERENCES organisations(id),
      jurisdiction_division_codes text[] NOT NULL DEFAULT '{}',
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT committee_has_code CHECK (kind <> 'committee' OR code IS NOT NULL)
    )`);
    await q.query(
      `CREATE UNIQUE INDEX organisations_code_key ON organisations (code) WHERE code IS NOT NULL`,
    );
    await q.query(`CREATE INDEX organisations_kind_name ON organisations (kind, name)`);
    await q.query(
      `CREATE INDEX organisations_jurisdiction ON organisations USING gin (jurisdiction_division_codes)`,
    );
    await q.query(`CREATE INDEX organisations_partner_courts ON organisations USING gin (partner_court_ids)`);

    await q.query(`CREATE TABLE users (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      username text NOT NULL,
      password_hash text NOT NULL,
      display_name text NOT NULL,
      role user_role NOT NULL,
      organisation_id uuid REFERENCES organisations(id),
      court_rostered boolean NOT NULL DEFAULT false,
      active boolean NOT NULL DEFAULT true,
      email text,
      phone text,
      token_version integer NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT staff_have_organisation CHECK (role = 'admin' OR organisation_id IS NOT NULL)
    )`);
    await q.query(`CREATE UNIQUE INDEX users_username_key ON users (lower(username))`);
    await q.query(`CREATE INDEX users_organisation ON users (organisation_id, role)`);

    await q.query(`CREATE TABLE mediator_conflicts (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      user_id uuid NOT NULL REFERENCES users(id),
      credit_code text NOT NULL,
      note text,
      created_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (user_id, credit_code)
    )`);

    await q.query(`CREATE TABLE case_number_counters (
      committee_id uuid NOT NULL REFERENCES organisations(id),
      year integer NOT NULL,
      last_seq integer NOT NULL,
      PRIMARY KEY (committee_id, year)
    )`);

    await q.query(`CREATE TABLE cases (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      case_no text NOT NULL UNIQUE,
      committee_id uuid NOT NULL REFERENCES organisations(id),
      status case_status NOT NULL,
      closure_reason closure_reason,
      version integer NOT NULL DEFAULT 1,
      source case_source NOT NULL,
      origin_organisation_id uuid REFERENCES organisations(id),
      origin_reference text,
      procedure text,
      application_received_at timestamptz NOT NULL,
      mediator_id uuid REFERENCES users(id),
      access_code_hash text NOT NULL,
      separate_dispute boolean NOT NULL DEFAULT false,
      worker_name text NOT NULL,
      worker_id_type id_type NOT NULL,
      worker_id_cipher text NOT NULL,
      worker_id_index text NOT NULL,
      worker_id_masked text NOT NULL,
      worker_phone text NOT NULL,
      worker_email text,
      worker_address text,
      employer_name text NOT NULL,
      employer_credit_code text,
      employer_person_id_type id_type,
      employer_person_id_cipher text,
      employer_person_id_index text,
      employer_person_id_masked text,
      employer_key text NOT NULL,
      employer_address text,
      employer_domicile_division_code text,
      employer_whereabouts_unknown boolean NOT NULL DEFAULT false,
      employer_contact_name text,
      employer_contact_phone text,
      employer_contact_email text,
      employment_start_date date NOT NULL,
      employment_end_date date,
      employment_position text,
      knew_of_infringement_on date,
      facts text,
      claimed_total_fen bigint NOT NULL DEFAULT 0 CHECK (claimed_total_fen >= 0),
      created_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      closed_at timestamptz,
      CONSTRAINT closed_has_reason CHECK ((status = 'closed') = (closure_reason IS NOT NULL)),
      CONSTRAINT employment_dates CHECK (employment_end_date IS NULL OR employment_end_date >= employment_start_date)
    )`);
    // Lists are newest first within a scope; the id breaks ties for a stable cursor.
    await q.query(`CREATE INDEX cases_committee_list ON cases (committee_id, created_at DESC, id DESC)`);
    await q.query(
      `CREATE INDEX cases_committee_status_list ON cases (committee_id, status, created_at DESC, id DESC)`,
    );
    await q.query(
      `CREATE INDEX cases_mediator_list ON cases (mediator_id, created_at DESC, id DESC) WHERE mediator_id IS NOT NULL`,
    );
    await q.query(`CREATE INDEX cases_origin_list ON cases (origin_organisation_id, created_at DESC, id DESC)
      WHERE origin_organisation_id IS NOT NULL`);
    await q.query(`CREATE INDEX cases_worker_id_index ON cases (worker_id_index)`);
    await q.query(
      `CREATE INDEX cases_open_duplicates ON cases (worker_id_index, employer_key) WHERE status <> 'closed'`,
    );
    await q.query(`CREATE INDEX cases_worker_name_trgm ON cases USING gin (worker_name gin_trgm_ops)`);
    await q.query(`CREATE INDEX cases_employer_name_trgm ON cases USING gin (employer_name gin_trgm_ops)`);

    await q.query(`CREATE TABLE case_claims (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      case_id uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
      position integer NOT NULL,
      type claim_type NOT NULL,
      amount_fen bigint NOT NULL CHECK (amount_fen >= 0),
      description text,
      UNIQUE (case_id, position)
    )`);

    await q.query(`CREATE TABLE case_events (
      id bigserial PRIMARY KEY,
      case_id uuid NOT NULL REFERENCES cases(id),
      at timestamptz NOT NULL DEFAULT now(),
      actor_kind text NOT NULL,
      actor_user_id uuid REFERENCES users(id),
      action text NOT NULL,
      from_status case_status,
      to_status case_status NOT NULL,
      closure_reason closure_reason,
      reason text,
      payload jsonb NOT NULL DEFAULT '{}'
    )`);
    await q.query(`CREATE INDEX case_events_case ON case_events (case_id, id)`);
    // SPEC §5: events are never updated or deleted, and the database itself refuses it.
    await q.query(`CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege'; END $$`);
    await q.query(`CREATE TRIGGER case_events_append_only BEFORE UPDATE OR DELETE ON case_events
      FOR EACH ROW EXECUTE FUNCTION refuse_change()`);
    await q.query(`CREATE TRIGGER case_events_no_truncate BEFORE TRUNCATE ON case_events
      FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()`);

    await q.query(`CREATE TABLE audit_log (
      id bigserial PRIMARY KEY,
      at timestamptz NOT NULL DEFAULT now(),
      user_id uuid REFERENCES users(id),
      action text NOT NULL,
      entity text NOT NULL,
      entity_id text,
      detail jsonb NOT NULL DEFAULT '{}',
      client text
    )`);
    await q.query(`CREATE INDEX audit_log_at ON audit_log (at DESC, id DESC)`);
    await q.query(`CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, at DESC)`);
    await q.query(`CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
      FOR EACH ROW EXECUTE FUNCTION refuse_change()`);

    await q.query(`CREATE TABLE idempotency_keys (
      scope_hash text PRIMARY KEY,
      request_hash text NOT NULL,
      state text NOT NULL CHECK (state IN ('in_progress','done')),
      response_status integer,
      response_cipher text,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL
    )`);
    await q.query(`CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'idempotency_keys',
      'audit_log',
      'case_events',
      'case_claims',
      'cases',
      'case_number_counters',
      'mediator_conflicts',
      'users',
      'organisations',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${t} CASCADE`);
    }
    await q.query(`DROP FUNCTION IF EXISTS refuse_change`);
    for (const t of [
      'claim_type',
      'id_type',
      'case_source',
      'closure_reason',
      'case_status',
      'user_role',
      'organisation_kind',
    ]) {
      await q.query(`DROP TYPE IF EXISTS ${t}`);
    }
  }
}
