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
    // The queues' backlog, from PostgreSQL (the source of truth): work overdue by minutes means no worker is taking it.
    const backlog = database.ok ? await this.backlog().catch(() => null) : null;
    if (backlog?.remindersLate) {
      warnings.push(`queues: ${backlog.remindersLate} reminders overdue by more than 5 minutes; is a worker running?`);
    }
    if (backlog?.deliveriesLate) {
      warnings.push(`queues: ${backlog.deliveriesLate} deliveries overdue by more than 5 minutes; is a worker running?`);
    }
    if (backlog?.deliveriesDead) {
      warnings.push(`queues: ${backlog.deliveriesDead} dead deliveries; see GET /api/v1/deliveries?status=dead`);
    }
    return {
      status: ok ? 'ok' : 'degraded',
      checks: {
        database,
        redis,
        calendar: coverage ? { ok: true, ...coverage } : { ok: false },
        queues: backlog ? { ok: !backlog.remindersLate && !backlog.deliveriesLate, ...backlog } : { ok: false },
      },
      warnings,
    };
  }

  /** Counts over partial indexes (pending by due time, deliveries by status): cheap at any size. */
  private async backlog(): Promise<{ remindersLate: number; deliveriesLate: number; deliveriesDead: number }> {
    const [r]: Array<{ reminders_late: number; deliveries_late: number; deliveries_dead: number }> =
      await this.db.query(
        `SELECT (SELECT count(*) FROM deadline_reminders
                  WHERE status = 'pending' AND fire_at < now() - interval '5 minutes')::int AS reminders_late,
                (SELECT count(*) FROM deliveries
                  WHERE status = 'pending' AND next_attempt_at < now() - interval '5 minutes')::int AS deliveries_late,
                (SELECT count(*) FROM deliveries WHERE status = 'dead')::int AS deliveries_dead`,
      );
    return {
      remindersLate: r.reminders_late,
      deliveriesLate: r.deliveries_late,
      deliveriesDead: r.deliveries_dead,
    };
  }
}
