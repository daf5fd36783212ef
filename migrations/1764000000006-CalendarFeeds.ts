import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * SPEC §8, §11: each mediator's revocable iCalendar feed. Only the SHA-256 of the feed token is stored (the token
 * is 32 random bytes, so a plain hash suffices); one feed per user, and a new one replaces the old.
 */
export class CalendarFeeds1764000000006 implements MigrationInterface {
  name = 'CalendarFeeds1764000000006';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE calendar_feeds (
      user_id uuid PRIMARY KEY REFERENCES users(id),
      token_hash text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE UNIQUE INDEX calendar_feeds_token_hash ON calendar_feeds (token_hash)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE calendar_feeds`);
  }
}
