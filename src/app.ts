import { RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import type { DestinationStream } from 'pino';
import { AppModule } from './app.module';
import { createPino, PinoNestLogger } from './common/logger';
import { createValidationPipe } from './common/validation';
import { ApiMetrics } from './health/metrics';
import type { AppConfig } from './config/config';

const BODY_LIMIT = 1024 * 1024;

/** Builds the HTTP API (not listening yet): used by main.ts and by the e2e tests alike. */
export async function createApi(
  config: AppConfig,
  options: { logDestination?: DestinationStream } = {},
): Promise<NestFastifyApplication> {
  const logger = createPino(config.logLevel, 'api', options.logDestination);
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    bodyLimit: BODY_LIMIT,
    trustProxy: config.trustProxy === false ? false : config.trustProxy.join(','),
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w-]{1,100}$/.test(given) ? given : randomUUID();
    },
  });
  const fastify = adapter.getInstance();
  // JSON only (SPEC §12: 415 for other content types).
  fastify.removeContentTypeParser(['text/plain']);
  fastify.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    if (!reply.hasHeader('content-security-policy')) {
      reply.header(
        'content-security-policy',
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
      );
    }
    reply.header('cache-control', reply.getHeader('cache-control') ?? 'no-store');
  });

  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    logger: new PinoNestLogger(logger),
    bufferLogs: false,
    // Fastify's own JSON parser only: Nest would add a form parser, and the API speaks JSON (415 otherwise).
    bodyParser: false,
  });
  app.get(ApiMetrics).instrument(fastify);
  app.setGlobalPrefix('api/v1', {
    exclude: [
      { path: 'health', method: RequestMethod.GET },
      { path: 'metrics', method: RequestMethod.GET },
      // The workers' page (SPEC §10) and its files.
      { path: '/', method: RequestMethod.GET },
      { path: 'assets/:file', method: RequestMethod.GET },
      // The staff console's pages and files, and the mediators' calendar feeds (src/console).
      { path: 'console', method: RequestMethod.GET },
      { path: 'console/*path', method: RequestMethod.GET },
      { path: 'calendar-feeds/:file', method: RequestMethod.GET },
    ],
  });
  app.useGlobalPipes(createValidationPipe());
  if (config.corsOrigins.length) app.enableCors({ origin: config.corsOrigins });
  app.enableShutdownHooks();

  const doc = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Labour-dispute mediation case service')
      .setDescription(
        'Case management for trade-union labour-dispute mediation committees. Errors are RFC 9457 problem+json.',
      )
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  documentProblems(doc);
  SwaggerModule.setup('api/docs', app, doc, { jsonDocumentUrl: 'api/docs-json', useGlobalPrefix: false });
  return app;
}

const PROBLEMS: Record<string, string> = {
  '400': 'VALIDATION_FAILED (with errors[] naming each field), IDEMPOTENCY_KEY_REQUIRED',
  '401': 'UNAUTHORIZED: no valid access token',
  '403': 'FORBIDDEN: your role may not take this action',
  '404': 'NOT_FOUND: unknown, or outside your scope',
  '409':
    'INVALID_TRANSITION, STALE_VERSION, CONFLICT_OF_INTEREST, DUPLICATE_OPEN_CASE, IDEMPOTENCY_IN_PROGRESS, …',
  '413': 'PAYLOAD_TOO_LARGE: body over 1 MB',
  '415': 'UNSUPPORTED_MEDIA_TYPE: send application/json',
  '422': 'PAYMENT_ORDER_NOT_ELIGIBLE, OVERPAYMENT, IDEMPOTENCY_KEY_REUSED',
  '429': 'RATE_LIMITED (see Retry-After)',
  '503': 'DEPENDENCY_UNAVAILABLE: PostgreSQL or Redis is unavailable',
};

/** Every operation lists the RFC 9457 problem answers it can give (SPEC §12), with one shared schema. */
function documentProblems(doc: OpenAPIObject): void {
  doc.components ??= {};
  doc.components.schemas ??= {};
  doc.components.schemas.Problem = {
    type: 'object',
    required: ['type', 'title', 'status', 'detail', 'code'],
    properties: {
      type: { type: 'string' },
      title: { type: 'string' },
      status: { type: 'integer' },
      detail: { type: 'string' },
      code: { type: 'string' },
      instance: { type: 'string' },
      errors: {
        type: 'array',
        items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } },
      },
    },
  };
  for (const item of Object.values(doc.paths)) {
    for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
      const op = item[method];
      if (!op) continue;
      const secured = (op.security ?? []).length > 0;
      const hasBody = method !== 'get' && method !== 'delete';
      const codes = [
        '400',
        '404',
        '429',
        '503',
        ...(secured ? ['401', '403'] : []),
        ...(hasBody ? ['409', '413', '415', '422'] : []),
      ];
      for (const code of codes) {
        op.responses[code] ??= {
          description: PROBLEMS[code],
          content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
        };
      }
    }
  }
}
