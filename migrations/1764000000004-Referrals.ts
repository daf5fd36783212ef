import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Court referrals (SPEC §9): a payment-order or judicial-confirmation referral of a case to a court, its
 * application packet as sent, and the append-only history of the court's steps, each with its date.
 */
export class Referrals1764000000004 implements MigrationInterface {
  name = 'Referrals1764000000004';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE referrals (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      case_id uuid NOT NULL REFERENCES cases(id),
      committee_id uuid NOT NULL REFERENCES organisations(id),
      kind text NOT NULL CHECK (kind IN ('payment_order', 'judicial_confirmation')),
      status text NOT NULL DEFAULT 'sent' CHECK (status IN ('sent', 'acknowledged', 'accepted', 'rejected',
        'dismissed', 'order_issued', 'order_served', 'not_served', 'objection_filed', 'terminated', 'enforceable',
        'enforcement', 'concluded', 'withdrawn', 'paid', 'confirmed', 'refused')),
      court_id uuid NOT NULL REFERENCES organisations(id),
      -- false: no court of the service had jurisdiction; the referring user named this one (it may decline).
      court_competent boolean NOT NULL,
      court_case_no text,
      amount_claimed_fen bigint CHECK (amount_claimed_fen >= 0),
      amount_recovered_fen bigint NOT NULL DEFAULT 0 CHECK (amount_recovered_fen >= 0),
      joint_application boolean NOT NULL DEFAULT false,
      warning text,
      -- The application packet as sent, ID numbers masked (the addressed court reads them in full, audited).
      packet jsonb NOT NULL,
      created_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      acknowledged_at timestamptz,
      decided_at timestamptz,
      decided_on date,
      closed_at timestamptz
    )`);
    // The liaison's desk (by court, optionally by status), the committee's list, and a case's referrals.
    await q.query(
      `CREATE INDEX referrals_court_status ON referrals (court_id, status, created_at DESC, id DESC)`,
    );
    await q.query(`CREATE INDEX referrals_court ON referrals (court_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX referrals_committee ON referrals (committee_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX referrals_case ON referrals (case_id)`);
    // One open referral of each kind per case, whatever races.
    await q.query(`CREATE UNIQUE INDEX referrals_one_open ON referrals (case_id, kind)
      WHERE status IN ('sent', 'acknowledged', 'accepted', 'order_issued', 'order_served', 'objection_filed',
                       'enforceable', 'enforcement')`);

    await q.query(`CREATE TABLE referral_steps (
      id bigserial PRIMARY KEY,
      referral_id uuid NOT NULL REFERENCES referrals(id),
      step text NOT NULL,
      from_status text,
      to_status text NOT NULL,
      -- The date the court took the step (local, Asia/Shanghai); 'at' is when it was recorded.
      on_date date NOT NULL,
      actor_user_id uuid REFERENCES users(id),
      reason text,
      data jsonb NOT NULL DEFAULT '{}',
      at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX referral_steps_referral ON referral_steps (referral_id, id)`);
    await q.query(`CREATE TRIGGER referral_steps_append_only BEFORE UPDATE OR DELETE ON referral_steps
      FOR EACH ROW EXECUTE FUNCTION refuse_change()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS referral_steps`);
    await q.query(`DROP TABLE IF EXISTS referrals`);
  }
}
