import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { FieldError, ValidationFailedError } from './errors';

/** Flattens class-validator's tree into SPEC §12's dotted paths (`worker.idNumber`, `claims.0.amountFen`). */
export function flattenValidationErrors(errors: ValidationError[], prefix = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const e of errors) {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    for (const message of Object.values(e.constraints ?? {})) {
      out.push({
        field,
        message: message.startsWith(`${e.property} `) ? message.slice(e.property.length + 1) : message,
      });
    }
    if (e.children?.length) out.push(...flattenValidationErrors(e.children, field));
  }
  return out;
}

/** Paths of the strings that hold a NUL character: PostgreSQL text cannot store one (it would answer 500). */
export function nulCharacterFields(value: unknown, prefix = '', depth = 0): FieldError[] {
  if (typeof value === 'string')
    return value.includes('\u0000') ? [{ field: prefix, message: 'must not contain NUL characters' }] : [];
  if (value === null || typeof value !== 'object' || depth > 32) return [];
  return Object.entries(value).flatMap(([k, v]) =>
    nulCharacterFields(v, prefix ? `${prefix}.${k}` : k, depth + 1),
  );
}

class StrictValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'custom') {
      const errors = nulCharacterFields(value, metadata.type === 'param' ? (metadata.data ?? '') : '');
      if (errors.length) throw new ValidationFailedError(errors);
    }
    return super.transform(value, metadata);
  }
}

/** Unknown fields are rejected, bodies are turned into the DTO classes, nothing is coerced implicitly. */
export function createValidationPipe(): ValidationPipe {
  return new StrictValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new ValidationFailedError(flattenValidationErrors(errors)),
  });
}
