import { MigrationInterface, QueryRunner } from 'typeorm';
import { chineseCalendarSeed, coveredYears } from '../src/deadlines/calendar-seed';

/**
 * The working-day calendar, statutory deadlines with their reminders, and the staff inbox (SPEC §6, §7).
 *
 * The calendar is seeded from the `chinese-days` package as it is when this migration runs (2004–2026 today);
 * later years are entered by admins through `PUT /calendar/days/{date}` when the State Council publishes them.
 */
export class Deadlines1764000000002 implements MigrationInterface {
  name = 'Deadlines1764000000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE calendar_days (
      date date PRIMARY KEY,
      working boolean NOT NULL,
      note text,
      source text NOT NULL DEFAULT 'seed' CHECK (source IN ('seed', 'admin')),
      updated_by uuid REFERENCES users(id),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    // A year is covered when the official arrangement for it is in the table (otherwise Monday–Friday applies).
    await q.query(`CREATE TABLE calendar_years (
      year integer PRIMARY KEY CHECK (year BETWEEN 1900 AND 2999),
      source text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    // Bumped by every edit, so that each process notices a changed calendar with one tiny query.
    await q.query(`CREATE TABLE calendar_state (
      id boolean PRIMARY KEY DEFAULT true CHECK (id),
      version bigint NOT NULL DEFAULT 1
    )`);
    await q.query(`INSERT INTO calendar_state DEFAULT VALUES`);
    const seed = chineseCalendarSeed();
    await q.query(
      `INSERT INTO calendar_days (date, working, note, source)
       SELECT d, w, n, 'seed' FROM unnest($1::date[], $2::boolean[], $3::text[]) AS x(d, w, n)`,
      [seed.map((r) => r.date), seed.map((r) => r.working), seed.map((r) => r.note)],
    );
    await q.query(
      `INSERT INTO calendar_years (year, source) SELECT y, 'chinese-days' FROM unnest($1::int[]) AS y`,
      [coveredYears()],
    );

    await q.query(
      `CREATE TYPE deadline_status AS ENUM ('pending','fired','met','cancelled','superseded','skipped')`,
    );
    await q.query(`CREATE TYPE reminder_status AS ENUM ('pending','fired','skipped','cancelled')`);
    await q.query(`CREATE TABLE deadlines (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      case_id uuid NOT NULL REFERENCES cases(id),
      kind text NOT NULL,
      subject_id uuid,
      start_date date NOT NULL,
      period_unit text NOT NULL CHECK (period_unit IN ('days','working_days','years','calendar_days','instant')),
      period_length integer NOT NULL CHECK (period_length >= 0),
      extensions integer[] NOT NULL DEFAULT '{}',
      last_day date NOT NULL,
      due_at timestamptz NOT NULL,
      legal_basis text NOT NULL,
      status deadline_status NOT NULL DEFAULT 'pending',
      data jsonb NOT NULL DEFAULT '{}',
      superseded_by uuid REFERENCES deadlines(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX deadlines_case ON deadlines (case_id, created_at, id)`);
    await q.query(`CREATE INDEX deadlines_subject ON deadlines (subject_id) WHERE subject_id IS NOT NULL`);
    await q.query(`CREATE INDEX deadlines_pending_due ON deadlines (due_at) WHERE status = 'pending'`);
    // A calendar edit finds the pending deadlines whose period it touches.
    await q.query(
      `CREATE INDEX deadlines_pending_period ON deadlines (start_date, last_day) WHERE status = 'pending'`,
    );

    await q.query(`CREATE TABLE deadline_reminders (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      deadline_id uuid NOT NULL REFERENCES deadlines(id),
      kind text NOT NULL,
      fire_at timestamptz NOT NULL,
      status reminder_status NOT NULL DEFAULT 'pending',
      recipients jsonb NOT NULL DEFAULT '[]',
      fired_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (deadline_id, kind)
    )`);
    // The horizon scheduler reads the pending reminders of the next hour, every minute.
    await q.query(
      `CREATE INDEX deadline_reminders_pending ON deadline_reminders (fire_at) WHERE status = 'pending'`,
    );

    // Set by the mediation deadline's lapse, cleared by an extension (SPEC §6); shown as `mediationOverdue`.
    await q.query(`ALTER TABLE cases ADD COLUMN mediation_overdue boolean NOT NULL DEFAULT false`);

    await q.query(`CREATE TABLE notifications (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      user_id uuid NOT NULL REFERENCES users(id),
      case_id uuid REFERENCES cases(id),
      kind text NOT NULL,
      title text NOT NULL,
      body text NOT NULL,
      payload jsonb NOT NULL DEFAULT '{}',
      source_key text,
      created_at timestamptz NOT NULL DEFAULT now(),
      read_at timestamptz
    )`);
    await q.query(`CREATE INDEX notifications_user ON notifications (user_id, created_at DESC, id DESC)`);
    // One entry per user per cause (e.g. per reminder), whatever retries happen.
    await q.query(
      `CREATE UNIQUE INDEX notifications_source ON notifications (user_id, source_key) WHERE source_key IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS notifications`);
    await q.query(`ALTER TABLE cases DROP COLUMN IF EXISTS mediation_overdue`);
    for (const t of [
      'deadline_reminders',
      'deadlines',
      'calendar_state',
      'calendar_years',
      'calendar_days',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${t}`);
    }
    await q.query(`DROP TYPE IF EXISTS reminder_status`);
    await q.query(`DROP TYPE IF EXISTS deadline_status`);
  }
}
