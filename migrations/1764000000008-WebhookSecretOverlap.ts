import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A rotated webhook secret keeps signing, next to the new one, for a day (Standard Webhooks allows several
 * signatures in `webhook-signature`), so a receiver can switch to the new secret without refusing deliveries.
 */
export class WebhookSecretOverlap1764000000008 implements MigrationInterface {
  name = 'WebhookSecretOverlap1764000000008';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE webhooks ADD COLUMN previous_secret_cipher text, ADD COLUMN previous_secret_until timestamptz`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE webhooks DROP COLUMN previous_secret_cipher, DROP COLUMN previous_secret_until`,
    );
  }
}
