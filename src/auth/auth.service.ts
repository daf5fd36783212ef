import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import * as argon2 from 'argon2';
import Redis from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import {
  DependencyUnavailableError,
  RateLimitedError,
  UnauthorizedError,
  ValidationFailedError,
} from '../common/errors';
import { APP_CONFIG, AppConfig } from '../config/config';
import { REDIS } from '../redis/redis.module';
import type { AuthUser } from './auth-user';
import { AccessTokens } from './tokens';
import { UserCache } from './user-cache';

/** A hash of a password nobody has, so that an unknown username costs the same time as a wrong password. */
let dummyHash: Promise<string> | null = null;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

@Injectable()
export class AuthService implements OnApplicationBootstrap {
  private readonly logger = new Logger('AuthService');
  private readonly limiter: RateLimiterRedis;

  constructor(
    private readonly db: DataSource,
    private readonly tokens: AccessTokens,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(REDIS) redis: Redis,
    private readonly userCache: UserCache,
  ) {
    // 10 failed logins per username in 15 minutes (SPEC §13), shared by every API process. Per username, not
    // per client: the client address comes from X-Forwarded-For, which a guesser can change at every try.
    this.limiter = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${config.queuePrefix}login`,
      points: 10,
      duration: 15 * 60,
      useRedisPackage: false,
    });
  }

  /** SPEC §11: the first admin comes from ADMIN_USERNAME / ADMIN_PASSWORD when no admin exists. */
  async onApplicationBootstrap(): Promise<void> {
    const { adminUsername, adminPassword } = this.config;
    if (!adminUsername || !adminPassword) return;
    const hash = await hashPassword(adminPassword);
    const inserted: unknown[] = await this.db.query(
      `INSERT INTO users (username, password_hash, display_name, role)
       SELECT $1, $2, $1, 'admin' WHERE NOT EXISTS (SELECT 1 FROM users WHERE role = 'admin')
       ON CONFLICT DO NOTHING RETURNING id`,
      [adminUsername, hash],
    );
    if (inserted.length) this.logger.log('created the first admin user');
  }

  async login(
    username: string,
    password: string,
    client: string,
  ): Promise<{ accessToken: string; user: unknown }> {
    const key = username.toLowerCase();
    await this.consumeOrCheck(key, 0);
    const rows: Array<AuthUser & { passwordHash: string; active: boolean; tokenVersion: number }> =
      await this.db.query(
        `SELECT id, username, display_name AS "displayName", role, organisation_id AS "organisationId",
              court_rostered AS "courtRostered", active, token_version AS "tokenVersion", password_hash AS "passwordHash"
         FROM users WHERE lower(username) = lower($1)`,
        [username],
      );
    const row = rows[0];
    dummyHash ??= hashPassword('not-a-real-password');
    const ok = await argon2.verify(row?.passwordHash ?? (await dummyHash), password).catch(() => false);
    if (!row || !ok || !row.active) {
      await this.consumeOrCheck(key, 1);
      await this.audit.record({
        userId: row?.id ?? null,
        action: 'login_failed',
        entity: 'user',
        entityId: row?.id,
        client,
      });
      throw new UnauthorizedError('The username or password is wrong, or the account is inactive.');
    }
    await this.audit.record({ userId: row.id, action: 'login', entity: 'user', entityId: row.id, client });
    const accessToken = this.tokens.sign({ sub: row.id, tv: row.tokenVersion });
    return {
      accessToken,
      user: {
        id: row.id,
        username: row.username,
        displayName: row.displayName,
        role: row.role,
        organisationId: row.organisationId,
        courtRostered: row.courtRostered,
      },
    };
  }

  async changePassword(user: AuthUser, currentPassword: string, newPassword: string): Promise<void> {
    const rows: Array<{ passwordHash: string }> = await this.db.query(
      `SELECT password_hash AS "passwordHash" FROM users WHERE id = $1`,
      [user.id],
    );
    if (!rows[0] || !(await argon2.verify(rows[0].passwordHash, currentPassword).catch(() => false))) {
      throw new ValidationFailedError([
        { field: 'currentPassword', message: 'is not your current password' },
      ]);
    }
    const hash = await hashPassword(newPassword);
    await this.db.transaction(async (m) => {
      // Raising the token version ends every session that used the old password.
      await m.query(
        `UPDATE users SET password_hash = $2, token_version = token_version + 1, updated_at = now() WHERE id = $1`,
        [user.id, hash],
      );
      await this.audit.record(
        { userId: user.id, action: 'password_changed', entity: 'user', entityId: user.id },
        m,
      );
    });
    await this.userCache.changed(user.id);
  }

  /** points=0 only checks; Redis down answers 503 at once rather than letting logins through unlimited. */
  private async consumeOrCheck(key: string, points: number): Promise<void> {
    try {
      if (points > 0) {
        await this.limiter.consume(key, points);
      } else {
        const res = await this.limiter.get(key);
        if (res && res.consumedPoints >= 10) throw res;
      }
    } catch (e) {
      if (e instanceof RateLimiterRes)
        throw new RateLimitedError(Math.max(1, Math.ceil(e.msBeforeNext / 1000)));
      throw new DependencyUnavailableError('Redis');
    }
  }
}
