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

/** SPEC §7: a webhook receiver on a private, loopback or otherwise non-public address (unless allowed), or unresolvable. */
export class WebhookUrlNotAllowedError extends UnprocessableError {
  constructor(reason: 'private_address' | 'unresolvable', detail: string) {
    super('WEBHOOK_URL_NOT_ALLOWED', 'Webhook URL not allowed', detail, { reason });
  }
}

/** A delivery that is not dead cannot be retried by hand: pending ones are already being retried, delivered ones are done. */
export class DeliveryNotRetryableError extends ConflictError {
  constructor(currentStatus: string) {
    super(
      'DELIVERY_NOT_RETRYABLE',
      'Delivery not retryable',
      `Only dead deliveries can be retried; this one is '${currentStatus}'.`,
      { currentStatus },
    );
  }
}

/** SPEC §5 refer row, §9: the case may not be referred for a payment order; every reason is given. */
export class PaymentOrderNotEligibleError extends DomainError {
  constructor(reasons: string[], extra: Record<string, unknown> = {}) {
    super(
      422,
      'PAYMENT_ORDER_NOT_ELIGIBLE',
      'Not eligible for a payment order',
      `The case is not eligible for a payment order: ${reasons.join('; ')}.`,
      { reasons, ...extra },
    );
  }
}
