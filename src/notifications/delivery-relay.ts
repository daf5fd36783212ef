import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { DeliveryQueue, type DueDelivery } from './delivery-queue';
import { OUTBOX_CHANNEL } from './event-types';

const PAGE = 500;
/** Deliveries due within this much time are handed to BullMQ as delayed jobs; later ones wait in PostgreSQL. */
const HORIZON_MS = 10 * 60_000;
/** How often every pending delivery within the horizon is offered again (repairs a Redis that lost its data). */
const REPAIR_EVERY_MS = 60_000;
/** How often newly due retries are looked for, besides the wake-up a committed outbox write sends. */
const POLL_EVERY_MS = 15_000;

/**
 * The outbox relay (SPEC §7), in each worker. A committed outbox write NOTIFYs `outbox`; the relay then hands
 * the new deliveries to BullMQ and records which attempt it enqueued, so the next pass skips them. A repair pass
 * offers every pending delivery within the horizon again (deterministic job ids make that a no-op when the job
 * is there): a Redis restarted empty, a relay that died between adding and recording, or a worker down for a day
 * lose nothing. With Redis away, passes fail quietly and PostgreSQL keeps everything until it returns.
 */
@Injectable()
export class DeliveryRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('DeliveryRelay');
  private listener: Client | null = null;
  private timers: NodeJS.Timeout[] = [];
  private running: Promise<void> | null = null;
  private again = false;
  private repairNext = false;
  private listenFailing = false;
  private closed = false;

  constructor(
    private readonly db: DataSource,
    private readonly queue: DeliveryQueue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.listen();
    this.wake(true);
    this.queue.onReady(() => this.wake(true));
    this.timers.push(setInterval(() => this.wake(false), POLL_EVERY_MS).unref());
    this.timers.push(setInterval(() => this.wake(true), REPAIR_EVERY_MS).unref());
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearInterval(t);
    await this.running?.catch(() => undefined);
    await this.listener?.end().catch(() => undefined);
  }

  private async listen(): Promise<void> {
    if (this.closed) return;
    const client = new Client({ connectionString: this.config.databaseUrl, connectionTimeoutMillis: 5_000 });
    const retry = () => {
      if (this.listener !== client) return;
      this.listener = null;
      client.end().catch(() => undefined);
      if (!this.closed) setTimeout(() => void this.listen(), 1_000).unref();
    };
    client.on('error', retry);
    client.on('end', retry);
    client.on('notification', () => this.wake(false));
    this.listener = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
      if (this.listenFailing) this.logger.log('listening for outbox writes again');
      this.listenFailing = false;
      // What was committed while nobody listened.
      this.wake(false);
    } catch (e) {
      // Once per outage, not once a second; the poll keeps deliveries moving meanwhile.
      if (!this.listenFailing) this.logger.warn(`cannot listen for outbox writes: ${(e as Error).message}`);
      this.listenFailing = true;
      retry();
    }
  }

  /** Runs a pass now, or once more after the running one (wake-ups arriving meanwhile are merged). */
  wake(repair: boolean): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      if (repair) this.repairNext = true;
      return;
    }
    this.running = this.pass(repair)
      .then(() => undefined)
      .catch((e: Error) => this.logger.warn(`relay pass deferred: ${e.message}`))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          const r = this.repairNext;
          this.repairNext = false;
          this.wake(r);
        }
      });
  }

  /** Enqueues the pending deliveries due within the horizon: new ones only, or with `repair` all of them. */
  async pass(repair = false, now: Date = new Date()): Promise<{ enqueued: number }> {
    if (!this.queue.ready) return { enqueued: 0 };
    const until = new Date(now.getTime() + HORIZON_MS);
    let enqueued = 0;
    let after: { at: Date; id: string } | null = null;
    for (;;) {
      const rows: DueDelivery[] = await this.db.query(
        `SELECT id, attempts, next_attempt_at FROM deliveries
          WHERE status = 'pending' AND next_attempt_at < $1
            AND ($2 OR enqueued_attempt IS DISTINCT FROM attempts)
            AND ($3::timestamptz IS NULL OR (next_attempt_at, id) > ($3, $4::uuid))
          ORDER BY next_attempt_at, id LIMIT ${PAGE}`,
        [until, repair, after?.at ?? null, after?.id ?? null],
      );
      if (!rows.length) break;
      // Recorded before the jobs exist, so a job never finds its row locked by this update. Rows being sent right
      // now are skipped, not waited for. Should the add fail, the repair pass offers them again.
      await this.db.query(
        `UPDATE deliveries d SET enqueued_attempt = x.a
           FROM unnest($1::uuid[], $2::int[]) AS x(id, a)
          WHERE d.id = x.id AND d.id IN (SELECT id FROM deliveries WHERE id = ANY($1::uuid[]) FOR UPDATE SKIP LOCKED)`,
        [rows.map((r) => r.id), rows.map((r) => r.attempts)],
      );
      await this.queue.add(rows);
      enqueued += rows.length;
      if (rows.length < PAGE) break;
      const last = rows[rows.length - 1];
      after = { at: last.next_attempt_at, id: last.id };
    }
    return { enqueued };
  }
}
