import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the worker undertakes in return under an agreement (returning equipment, a certificate, a sum): a payment
 * order is only available when the worker owes nothing in return (SPEC §9; CPL art. 225).
 */
export class AgreementWorkerObligations1764000000007 implements MigrationInterface {
  name = 'AgreementWorkerObligations1764000000007';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE agreements ADD COLUMN worker_obligations text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE agreements DROP COLUMN worker_obligations`);
  }
}
