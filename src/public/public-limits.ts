import { Inject, Injectable, Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { DependencyUnavailableError, RateLimitedError } from '../common/errors';
import { APP_CONFIG, AppConfig } from '../config/config';
import { REDIS } from '../redis/redis.module';

/** Online applications per client (IP) and hour: a person applies once or twice; a script would not stop. */
export const APPLICATIONS_PER_HOUR = 20;
/** SPEC §10: the sixth failure of one client on one case number within 15 minutes answers 429. */
export const STATUS_FAILURES_PER_CLIENT = 5;
export const STATUS_CLIENT_WINDOW_SECONDS = 15 * 60;
/** SPEC §10: 50 failures an hour on one case number, over all clients, lock it for everyone. */
export const STATUS_FAILURES_PER_CASE = 50;
export const STATUS_CASE_WINDOW_SECONDS = 60 * 60;

/** A status check under way: its attempt is counted as a failure until the code proves right. */
export interface StatusAttempt {
  clientKey: string;
  caseKey: string;
}

/**
 * The public routes' limits (SPEC §10, §13), in Redis so that every API process shares them. A status check
 * counts as a failure before the code is compared and is given back when the code is right: concurrent
 * guesses cannot slip past the limit between a check and a count. Redis missing answers 503 at once, never
 * an unlimited route.
 */
@Injectable()
export class PublicLimits {
  private readonly logger = new Logger('PublicLimits');
  private readonly applications: RateLimiterRedis;
  private readonly statusPerClient: RateLimiterRedis;
  private readonly statusPerCase: RateLimiterRedis;

  constructor(@Inject(APP_CONFIG) config: AppConfig, @Inject(REDIS) redis: Redis) {
    const limiter = (name: string, points: number, duration: number) =>
      new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: `${config.queuePrefix}${name}`,
        points,
        duration,
        useRedisPackage: false,
        rejectIfRedisNotReady: true,
      });
    this.applications = limiter('public-applications', APPLICATIONS_PER_HOUR, 60 * 60);
    this.statusPerClient = limiter('status-client', STATUS_FAILURES_PER_CLIENT, STATUS_CLIENT_WINDOW_SECONDS);
    this.statusPerCase = limiter('status-case', STATUS_FAILURES_PER_CASE, STATUS_CASE_WINDOW_SECONDS);
  }

  async application(client: string): Promise<void> {
    await consume(this.applications, client);
  }

  /**
   * Counts a status check against its client and its case number. Throws 429 when either is spent; with
   * `onCaseLocked` called once, by the one request that first went over the case number's limit.
   */
  async beginStatusAttempt(
    caseNo: string,
    client: string,
    onCaseLocked: () => Promise<void>,
  ): Promise<StatusAttempt> {
    const attempt = { clientKey: `${caseNo}|${client}`, caseKey: caseNo };
    await consume(this.statusPerClient, attempt.clientKey);
    try {
      await consume(this.statusPerCase, attempt.caseKey);
    } catch (e) {
      if (e instanceof CountedRateLimitedError && e.consumedPoints === STATUS_FAILURES_PER_CASE + 1) {
        await onCaseLocked().catch((err: Error) =>
          this.logger.warn(`could not tell the coordinators of a locked case: ${err.message}`),
        );
      }
      throw e;
    }
    return attempt;
  }

  /** The code was right: the attempt was no failure. Best effort (a lost give-back only tightens the limit). */
  async succeeded(attempt: StatusAttempt): Promise<void> {
    await Promise.all([
      this.statusPerClient.reward(attempt.clientKey, 1).catch(() => undefined),
      this.statusPerCase.reward(attempt.caseKey, 1).catch(() => undefined),
    ]);
  }
}

class CountedRateLimitedError extends RateLimitedError {
  constructor(
    retryAfterSeconds: number,
    readonly consumedPoints: number,
  ) {
    super(retryAfterSeconds);
  }
}

async function consume(limiter: RateLimiterRedis, key: string): Promise<void> {
  try {
    await limiter.consume(key, 1);
  } catch (e) {
    if (e instanceof RateLimiterRes) {
      throw new CountedRateLimitedError(Math.max(1, Math.ceil(e.msBeforeNext / 1000)), e.consumedPoints);
    }
    throw new DependencyUnavailableError('Redis');
  }
}
