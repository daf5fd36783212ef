/**
 * Typed domain errors with a stable `code` (SPEC §12). Services throw these; one filter turns them into
 * RFC 9457 problem+json. Nothing outside that filter decides an HTTP status.
 */
export interface FieldError {
  field: string;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    detail?: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail ?? title);
  }
}

export class ValidationFailedError extends DomainError {
  constructor(
    readonly errors: FieldError[],
    detail = 'The request has invalid fields.',
  ) {
    super(400, 'VALIDATION_FAILED', 'Validation failed', detail, { errors });
  }
}

export class UnauthorizedError extends DomainError {
  constructor(detail = 'Authentication is required.') {
    super(401, 'UNAUTHORIZED', 'Unauthorized', detail);
  }
}

export class ForbiddenError extends DomainError {
  constructor(detail = 'Your role may not take this action.') {
    super(403, 'FORBIDDEN', 'Forbidden', detail);
  }
}

export class NotFoundError extends DomainError {
  constructor(what = 'Resource') {
    super(404, 'NOT_FOUND', 'Not found', `${what} was not found.`);
  }
}

export class InvalidTransitionError extends DomainError {
  constructor(action: string, currentStatus: string) {
    super(
      409,
      'INVALID_TRANSITION',
      'Invalid transition',
      `The action '${action}' is not allowed while the case is '${currentStatus}'.`,
      { currentStatus, action },
    );
  }
}

export class ConflictError extends DomainError {
  constructor(code: string, title: string, detail: string, extra: Record<string, unknown> = {}) {
    super(409, code, title, detail, extra);
  }
}

export class UnprocessableError extends DomainError {
  constructor(code: string, title: string, detail: string, extra: Record<string, unknown> = {}) {
    super(422, code, title, detail, extra);
  }
}

export class RateLimitedError extends DomainError {
  constructor(readonly retryAfterSeconds: number) {
    super(429, 'RATE_LIMITED', 'Too many requests', `Try again in ${retryAfterSeconds} seconds.`);
  }
}

export class DependencyUnavailableError extends DomainError {
  constructor(dependency: string) {
    super(
      503,
      'DEPENDENCY_UNAVAILABLE',
      'Service unavailable',
      `${dependency} is unavailable; try again shortly.`,
    );
  }
}
