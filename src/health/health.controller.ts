import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { Public } from '../auth/decorators';
import { CalendarService } from '../deadlines/calendar.service';
import { REDIS } from '../redis/redis.module';

async function check(fn: () => Promise<unknown>, timeoutMs = 2000): Promise<{ ok: boolean; error?: string }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timed out')), timeoutMs);
      }),
    ]);
    return { ok: true };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

/** SPEC §11: database and Redis reachability; 200 when all are up, 503 otherwise. */
@ApiExcludeController()
@Controller('health')
export class HealthController {
  constructor(
    private readonly db: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly calendar: CalendarService,
  ) {}

  @Public()
  @Get()
  async health(@Res({ passthrough: true }) reply: FastifyReply) {
    const [database, redis] = await Promise.all([
      check(() => this.db.query('SELECT 1')),
      check(() => this.redis.ping()),
    ]);
    const ok = database.ok && redis.ok;
    void reply.status(ok ? 200 : 503);
    // SPEC §6: a year without the official arrangement falls back to Monday–Friday; say so (a warning, not a failure).
    const coverage = database.ok ? await this.calendar.coverage().catch(() => null) : null;
    const warnings = (coverage?.missing ?? []).map(
      (y) =>
        `working-day calendar: no official arrangement for ${y} (Asia/Shanghai); Monday–Friday fallback in use`,
    );
    return {
      status: ok ? 'ok' : 'degraded',
      checks: { database, redis, calendar: coverage ? { ok: true, ...coverage } : { ok: false } },
      warnings,
    };
  }
}
