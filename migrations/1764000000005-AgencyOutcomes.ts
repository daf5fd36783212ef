import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Agencies answer back (SPEC §7): what became of a case after it left mediation, as the court, the arbitration
 * commission or another agency that received it reports (award, mediation document, judgment, withdrawal).
 * Also the indexes the periodic report's range queries use (figures by local date range per committee).
 */
export class AgencyOutcomes1764000000005 implements MigrationInterface {
  name = 'AgencyOutcomes1764000000005';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE agency_outcomes (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      case_id uuid NOT NULL REFERENCES cases(id),
      organisation_id uuid NOT NULL REFERENCES organisations(id),
      kind text NOT NULL CHECK (kind IN ('arbitration_award','arbitration_mediation','court_mediation','judgment',
        'withdrawal','other')),
      decided_on date NOT NULL,
      reference text,
      amount_awarded_fen bigint CHECK (amount_awarded_fen >= 0),
      note text,
      recorded_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX agency_outcomes_case ON agency_outcomes (case_id, created_at)`);
    await q.query(
      `CREATE INDEX agency_outcomes_organisation ON agency_outcomes (organisation_id, created_at)`,
    );
    // What agencies reported is a record of fact, like the case events: never changed or removed.
    await q.query(`CREATE TRIGGER agency_outcomes_append_only BEFORE UPDATE OR DELETE ON agency_outcomes
      FOR EACH ROW EXECUTE FUNCTION refuse_change()`);

    // The report counts by committee and local date range: these keep it an index range scan per figure.
    await q.query(`CREATE INDEX cases_committee_received ON cases (committee_id, application_received_at)`);
    await q.query(`CREATE INDEX case_events_at ON case_events (at)`);
    await q.query(`CREATE INDEX agreements_signed_on ON agreements (signed_on)`);
    await q.query(`CREATE INDEX payments_paid_on ON payments (paid_on)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS payments_paid_on`);
    await q.query(`DROP INDEX IF EXISTS agreements_signed_on`);
    await q.query(`DROP INDEX IF EXISTS case_events_at`);
    await q.query(`DROP INDEX IF EXISTS cases_committee_received`);
    await q.query(`DROP TABLE IF EXISTS agency_outcomes`);
  }
}
