import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/config';
import type { AuthUser } from './auth-user';

interface Entry {
  user: AuthUser;
  active: boolean;
  tokenVersion: number;
  expiresAt: number;
}

/** How long a process trusts its copy of a user when no change notice reached it (Redis down). */
const TTL_MS = 5000;

/**
 * The guard's view of users, kept per process so that an authenticated request costs no extra query.
 * A change to a user (deactivation, role, password) is published on Redis and every API process drops its
 * copy at once; if Redis is away the copy still expires within a few seconds.
 */
@Injectable()
export class UserCache implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('UserCache');
  private readonly entries = new Map<string, Entry>();
  /** Raised by every change notice: a read that was running when one came may be stale and is not kept. */
  private changes = 0;
  private subscriber: Redis | null = null;
  private readonly publisher: Redis;
  private readonly channel: string;

  constructor(
    private readonly db: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.channel = `${config.queuePrefix}user-changed`;
    this.publisher = new Redis(config.redisUrl, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      lazyConnect: false,
    });
    this.publisher.on('error', () => undefined);
    this.subscriber = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
    this.subscriber.on('error', () => undefined);
  }

  async onModuleInit(): Promise<void> {
    this.subscriber?.on('message', (_channel: string, userId: string) => this.forget(userId));
    // After a reconnect, notices sent meanwhile are lost: forget everything rather than trust it.
    this.subscriber?.on('ready', () => {
      this.changes += 1;
      this.entries.clear();
    });
    this.subscriber
      ?.subscribe(this.channel)
      .catch((e: Error) => this.logger.warn(`user-change notices off: ${e.message}`));
  }

  async onApplicationShutdown(): Promise<void> {
    this.subscriber?.disconnect();
    this.publisher.disconnect();
  }

  async get(userId: string): Promise<{ user: AuthUser; active: boolean; tokenVersion: number } | null> {
    const now = Date.now();
    const hit = this.entries.get(userId);
    if (hit && hit.expiresAt > now) return hit;
    const changesBefore = this.changes;
    const rows: Array<AuthUser & { active: boolean; tokenVersion: number }> = await this.db.query(
      `SELECT id, username, display_name AS "displayName", role, organisation_id AS "organisationId",
              court_rostered AS "courtRostered", active, token_version AS "tokenVersion"
         FROM users WHERE id = $1`,
      [userId],
    );
    const row = rows[0];
    if (!row) return null;
    const { active, tokenVersion, ...user } = row;
    const entry = { user, active, tokenVersion, expiresAt: now + TTL_MS };
    if (this.entries.size > 50_000) this.entries.clear();
    // A deactivation that committed while this read ran would otherwise be undone for TTL_MS.
    if (this.changes === changesBefore) this.entries.set(userId, entry);
    return entry;
  }

  /** Call after the change committed. */
  async changed(userId: string): Promise<void> {
    this.forget(userId);
    await this.publisher.publish(this.channel, userId).catch(() => undefined);
  }

  private forget(userId: string): void {
    this.changes += 1;
    this.entries.delete(userId);
  }
}
