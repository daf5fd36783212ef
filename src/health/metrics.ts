import { Controller, Get, Injectable, Res } from '@nestjs/common';
import { ApiExcludeEndpoint } from '@nestjs/swagger';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { Public } from '../auth/decorators';

/**
 * Prometheus metrics (SPEC §11 `GET /metrics`): the process's own, request durations by route template (never the
 * path itself, which can carry ids or a calendar feed's token), and the queues' backlog read from PostgreSQL at
 * scrape time. No personal data. One registry per API instance, so tests can start several.
 */
@Injectable()
export class ApiMetrics {
  readonly registry = new Registry();
  readonly requests = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route template and status code',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  constructor(db: DataSource) {
    collectDefaultMetrics({ register: this.registry });
    new Gauge({
      name: 'mediation_queue_backlog',
      help: 'Pending work by kind: reminders and deliveries overdue by 5+ minutes, dead deliveries',
      labelNames: ['kind'] as const,
      registers: [this.registry],
      async collect() {
        const [r]: Array<Record<string, number>> = await db
          .query(
            `SELECT (SELECT count(*) FROM deadline_reminders
                      WHERE status = 'pending' AND fire_at < now() - interval '5 minutes')::int AS reminders_late,
                    (SELECT count(*) FROM deliveries
                      WHERE status = 'pending' AND next_attempt_at < now() - interval '5 minutes')::int AS deliveries_late,
                    (SELECT count(*) FROM deliveries WHERE status = 'dead')::int AS deliveries_dead`,
          )
          .catch(() => [undefined]);
        if (!r) return;
        for (const [kind, n] of Object.entries(r)) this.set({ kind }, n);
      },
    });
  }

  /** Times every request that reached a route; unmatched paths are counted under one label. */
  instrument(fastify: FastifyInstance): void {
    fastify.addHook('onResponse', async (req, reply) => {
      this.requests.observe(
        { method: req.method, route: req.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
        reply.elapsedTime / 1000,
      );
    });
  }
}

@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: ApiMetrics) {}

  @Public()
  @Get()
  @ApiExcludeEndpoint()
  async scrape(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    void reply.type(this.metrics.registry.contentType);
    return this.metrics.registry.metrics();
  }
}
