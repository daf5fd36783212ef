import {
  createParamDecorator,
  CallHandler,
  ExecutionContext,
  Inject,
  Injectable,
  NestInterceptor,
  SetMetadata,
  applyDecorators,
  UseInterceptors,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, Observable } from 'rxjs';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { DataProtector } from '../common/crypto';
import { ConflictError, DomainError, UnprocessableError, ValidationFailedError } from '../common/errors';
import { DATA_PROTECTOR } from '../common/tokens';

const REQUIRED_KEY = 'idempotency:required';
const TTL_HOURS = 24;

/**
 * SPEC §12: `Idempotency-Key` on POSTs that create things, scoped to the route and the caller, kept 24 hours.
 * The first answer is stored encrypted (it may hold an access code) and replayed for the same key and body;
 * another body answers 422, a request still running 409. Failures of our own (5xx) release the key.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly db: DataSource,
    private readonly reflector: Reflector,
    @Inject(DATA_PROTECTOR) private readonly protector: DataProtector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<FastifyRequest & { user?: AuthUser }>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const required = this.reflector.get<boolean>(REQUIRED_KEY, context.getHandler());
    const key = req.headers['idempotency-key'];
    if (key === undefined || key === '') {
      if (required) {
        throw new DomainError(
          400,
          'IDEMPOTENCY_KEY_REQUIRED',
          'Idempotency key required',
          'Send an Idempotency-Key header with this request.',
        );
      }
      return next.handle();
    }
    if (typeof key !== 'string' || !/^[\x21-\x7e]{8,200}$/.test(key)) {
      throw new ValidationFailedError([
        { field: 'Idempotency-Key', message: 'must be 8–200 printable characters' },
      ]);
    }
    const caller = req.user ? `user:${req.user.id}` : `client:${req.ip}`;
    const route = `${req.method} ${req.routeOptions.url ?? req.url}`;
    const scopeHash = createHash('sha256').update(`${route}\n${caller}\n${key}`).digest('base64url');
    const requestHash = createHash('sha256')
      .update(`${req.url}\n${stableJson(req.body)}`)
      .digest('base64url');
    return from(this.run(scopeHash, requestHash, req as IdempotentRequest, reply, next));
  }

  private async run(
    scopeHash: string,
    requestHash: string,
    req: IdempotentRequest,
    reply: FastifyReply,
    next: CallHandler,
  ): Promise<unknown> {
    // Expired keys, and claims left 'in progress' by a process that died (no request runs two minutes:
    // statements time out after 30 s), free the key for this request.
    await this.db.query(
      `DELETE FROM idempotency_keys WHERE scope_hash = $1
          AND (expires_at < now() OR (state = 'in_progress' AND created_at < now() - interval '2 minutes'))`,
      [scopeHash],
    );
    const claimed: unknown[] = await this.db.query(
      `INSERT INTO idempotency_keys (scope_hash, request_hash, state, expires_at)
       VALUES ($1, $2, 'in_progress', now() + interval '${TTL_HOURS} hours') ON CONFLICT DO NOTHING RETURNING 1`,
      [scopeHash, requestHash],
    );
    if (!claimed.length) {
      const rows: Array<{
        request_hash: string;
        state: string;
        response_status: number;
        response_cipher: string;
      }> = await this.db.query(
        `SELECT request_hash, state, response_status, response_cipher FROM idempotency_keys WHERE scope_hash = $1`,
        [scopeHash],
      );
      const rec = rows[0];
      if (!rec) return this.run(scopeHash, requestHash, req, reply, next);
      if (rec.request_hash !== requestHash) {
        throw new UnprocessableError(
          'IDEMPOTENCY_KEY_REUSED',
          'Idempotency key reused',
          'This Idempotency-Key was used with another request body.',
        );
      }
      if (rec.state === 'in_progress') {
        throw new ConflictError(
          'IDEMPOTENCY_IN_PROGRESS',
          'Request in progress',
          'A request with this Idempotency-Key is still being processed.',
        );
      }
      void reply.status(rec.response_status).header('idempotent-replayed', 'true');
      const body = JSON.parse(this.protector.decrypt(rec.response_cipher)) as {
        problem?: unknown;
        body?: unknown;
      };
      if (body.problem)
        throw new ReplayedProblem(rec.response_status, body.problem as Record<string, unknown>);
      return body.body;
    }
    let completedInTx = false;
    // A service that creates in one transaction records the answer in that same transaction, so a crash
    // between its commit and ours can never leave a created thing whose key would let it be created again.
    req.idempotencyCompleteInTx = async (m, answer) => {
      await this.complete(scopeHash, 201, { body: answer }, m);
      completedInTx = true;
    };
    try {
      const result = await new Promise<unknown>((resolve, reject) =>
        next.handle().subscribe({ next: resolve, error: reject }),
      );
      const status = reply.statusCode >= 200 && reply.statusCode < 300 ? reply.statusCode : 201;
      if (!completedInTx) await this.complete(scopeHash, status, { body: result });
      return result;
    } catch (e) {
      if (e instanceof DomainError && e.status < 500) {
        // A refused request is refused again the same way; a server failure lets the client retry.
        await this.complete(scopeHash, e.status, {
          problem: { status: e.status, code: e.code, title: e.title, detail: e.message, ...e.extra },
        });
      } else {
        await this.db
          .query(`DELETE FROM idempotency_keys WHERE scope_hash = $1`, [scopeHash])
          .catch(() => undefined);
      }
      throw e;
    }
  }

  private async complete(
    scopeHash: string,
    status: number,
    stored: object,
    m: EntityManager = this.db.manager,
  ): Promise<void> {
    await m.query(
      `UPDATE idempotency_keys SET state = 'done', response_status = $2, response_cipher = $3 WHERE scope_hash = $1`,
      [scopeHash, status, this.protector.encrypt(JSON.stringify(stored))],
    );
  }
}

export type CompleteInTx = (m: EntityManager, answer: object) => Promise<void>;
type IdempotentRequest = FastifyRequest & { idempotencyCompleteInTx?: CompleteInTx };

/** The hook a creating service calls inside its transaction (undefined when no key was sent). */
export const IdempotencyHook = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): CompleteInTx | undefined =>
    ctx.switchToHttp().getRequest<IdempotentRequest>().idempotencyCompleteInTx,
);

/** A stored refusal replayed as it was first answered. */
export class ReplayedProblem extends DomainError {
  constructor(status: number, problem: Record<string, unknown>) {
    const {
      code,
      title,
      detail,
      status: _s,
      ...extra
    } = problem as { code: string; title: string; detail: string; status: number };
    super(status, code, title, detail, extra);
  }
}

/** Marks a creating POST: the key is honoured, and with `required` it must be sent. */
export function Idempotent(options: { required?: boolean } = {}) {
  return applyDecorators(
    SetMetadata(REQUIRED_KEY, options.required ?? false),
    UseInterceptors(IdempotencyInterceptor),
  );
}

/** JSON with sorted keys, so that the same body hashes the same whatever the key order. */
export function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${stableJson(obj[k])}`)
    .join(',')}}`;
}
