import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { QueryFailedError } from 'typeorm';
import { DomainError, RateLimitedError } from './errors';

interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  [k: string]: unknown;
}

const PROBLEM_BASE = 'https://mediation.example/problems/';

/** PostgreSQL and driver failures that mean "the database is not there", not "your input is wrong". */
export function isDatabaseUnavailable(err: unknown): boolean {
  const e = (err instanceof QueryFailedError ? err.driverError : err) as
    { code?: string; message?: string } | undefined;
  if (!e) return false;
  const code = e.code ?? '';
  if (/^(08|57P0|53)/.test(code)) return true;
  if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH'].includes(code))
    return true;
  const msg = e.message ?? '';
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Connection terminated unexpectedly|the database system is (starting|shutting) up/i.test(
    msg,
  );
}

/** Redis commands that failed because Redis is not there (ioredis with its offline queue off). */
export function isRedisUnavailable(err: unknown): boolean {
  const msg = (err as { message?: string } | undefined)?.message ?? '';
  return /Stream isn't writeable|Connection is closed|ECONNREFUSED|MaxRetriesPerRequest|enableOfflineQueue/i.test(
    msg,
  );
}

function fromFastify(err: { statusCode?: number; code?: string; message?: string }): Problem | null {
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return problem(413, 'PAYLOAD_TOO_LARGE', 'Payload too large', 'The request body is larger than 1 MB.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return problem(
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        'Unsupported media type',
        'Send the body as application/json.',
      );
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return {
        ...problem(400, 'VALIDATION_FAILED', 'Validation failed', 'The body is not valid JSON.'),
        errors: [{ field: '', message: 'the body is not valid JSON' }],
      };
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return problem(
        400,
        'VALIDATION_FAILED',
        'Validation failed',
        'The Content-Length header does not match the body.',
      );
  }
  if (err.statusCode === 413)
    return problem(413, 'PAYLOAD_TOO_LARGE', 'Payload too large', 'The request body is larger than 1 MB.');
  if (err.statusCode === 415)
    return problem(
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      'Unsupported media type',
      'Send the body as application/json.',
    );
  return null;
}

function problem(status: number, code: string, title: string, detail: string): Problem {
  return { type: PROBLEM_BASE + code.toLowerCase().replace(/_/g, '-'), title, status, detail, code };
}

const HTTP_CODES: Record<number, [string, string]> = {
  400: ['VALIDATION_FAILED', 'Bad request'],
  401: ['UNAUTHORIZED', 'Unauthorized'],
  403: ['FORBIDDEN', 'Forbidden'],
  404: ['NOT_FOUND', 'Not found'],
  405: ['METHOD_NOT_ALLOWED', 'Method not allowed'],
  413: ['PAYLOAD_TOO_LARGE', 'Payload too large'],
  415: ['UNSUPPORTED_MEDIA_TYPE', 'Unsupported media type'],
  429: ['RATE_LIMITED', 'Too many requests'],
};

/** Builds the problem+json body for any thrown value (SPEC §12). Unknown errors are 500 and logged. */
export function toProblem(exception: unknown): { problem: Problem; headers: Record<string, string> } {
  const headers: Record<string, string> = {};
  if (exception instanceof DomainError) {
    const p = {
      ...problem(exception.status, exception.code, exception.title, exception.message),
      ...exception.extra,
    };
    if (exception instanceof RateLimitedError) headers['retry-after'] = String(exception.retryAfterSeconds);
    return { problem: p, headers };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const [code, title] = HTTP_CODES[status] ?? ['HTTP_' + status, exception.message];
    const detail = status === 404 ? 'No such route.' : exception.message;
    return { problem: problem(status, code, title, detail), headers };
  }
  const fastify = fromFastify((exception ?? {}) as { statusCode?: number; code?: string });
  if (fastify) return { problem: fastify, headers };
  // A unique index caught a race the service's own check could not see (two creations at once): a conflict.
  if (
    exception instanceof QueryFailedError &&
    (exception.driverError as { code?: string })?.code === '23505'
  ) {
    return {
      problem: problem(
        409,
        'ALREADY_EXISTS',
        'Already exists',
        'Something with the same unique value was created at the same time.',
      ),
      headers,
    };
  }
  if (isDatabaseUnavailable(exception)) {
    headers['retry-after'] = '5';
    return {
      problem: problem(
        503,
        'DEPENDENCY_UNAVAILABLE',
        'Service unavailable',
        'The database is unavailable; try again shortly.',
      ),
      headers,
    };
  }
  if (isRedisUnavailable(exception)) {
    headers['retry-after'] = '5';
    return {
      problem: problem(
        503,
        'DEPENDENCY_UNAVAILABLE',
        'Service unavailable',
        'Redis is unavailable; try again shortly.',
      ),
      headers,
    };
  }
  return {
    problem: problem(500, 'INTERNAL', 'Internal error', 'Something went wrong on our side.'),
    headers,
  };
}

@Catch()
export class ProblemFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const reply = ctx.getResponse<FastifyReply>();
    const req = ctx.getRequest<FastifyRequest>();
    const { problem: body, headers } = toProblem(exception);
    body.instance = req.url.split('?')[0];
    if (body.status >= 500 && body.status !== 503) req.log?.error({ err: exception }, 'request failed');
    void reply
      .status(body.status)
      .headers(headers)
      .header('content-type', 'application/problem+json; charset=utf-8')
      .send(body);
  }
}
