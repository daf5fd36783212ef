/**
 * class-validator decorators for the identifiers and value formats of SPEC DTOs. Messages carry no
 * property name: flattenValidationErrors reports the field separately.
 */
import { ValidateBy, ValidationArguments, ValidationOptions } from 'class-validator';
import { IdType } from '../domain';
import {
  idNumberFormatMessage,
  isCalendarDate,
  isValidContactPhone,
  isValidCreditCode,
  isValidDivisionCode,
  isValidIdNumber,
  isValidWorkerPhone,
} from './identity';

/** A decorator over a string check; anything that is not a string fails with "must be a string". */
function stringFormat(
  name: string,
  check: (value: string, args: ValidationArguments) => boolean,
  message: string | ((args: ValidationArguments) => string),
  options?: ValidationOptions,
): PropertyDecorator {
  return ValidateBy(
    {
      name,
      validator: {
        validate: (value: unknown, args: ValidationArguments) =>
          typeof value === 'string' && check(value, args),
        defaultMessage: (args: ValidationArguments) => {
          // With `each`, args.value is the whole array, so which item failed, and why, is not known here.
          if (typeof args.value !== 'string' && !options?.each) return 'must be a string';
          return typeof message === 'string' ? message : message(args);
        },
      },
    },
    options,
  );
}

/** The document type named by the sibling property, a resident ID when absent; an unknown type never passes. */
function idTypeOf(args: ValidationArguments, idTypeProperty: string): IdType {
  return ((args.object as Record<string, unknown>)[idTypeProperty] ?? 'resident_id') as IdType;
}

/** An identity document number valid for the type in `idTypeProperty`; the value is checked normalised. */
export function IsIdNumber(idTypeProperty = 'idType', options?: ValidationOptions): PropertyDecorator {
  return stringFormat(
    'isIdNumber',
    (value, args) => isValidIdNumber(idTypeOf(args, idTypeProperty), value),
    (args) => idNumberFormatMessage(idTypeOf(args, idTypeProperty)),
    options,
  );
}

export function IsCreditCode(options?: ValidationOptions): PropertyDecorator {
  return stringFormat(
    'isCreditCode',
    isValidCreditCode,
    'must be a valid 18-character unified social credit code (GB 32100 check character)',
    options,
  );
}

export function IsWorkerPhone(options?: ValidationOptions): PropertyDecorator {
  return stringFormat(
    'isWorkerPhone',
    isValidWorkerPhone,
    'must be a mainland mobile number (11 digits starting 13–19) or an international number such as +85291234567',
    options,
  );
}

export function IsContactPhone(options?: ValidationOptions): PropertyDecorator {
  return stringFormat(
    'isContactPhone',
    isValidContactPhone,
    'must be a mobile number, an international number such as +85291234567 or a landline such as 0731-88888888',
    options,
  );
}

export function IsDivisionCode(options?: ValidationOptions): PropertyDecorator {
  return stringFormat(
    'isDivisionCode',
    isValidDivisionCode,
    'must be a 6-digit administrative division code',
    options,
  );
}

export function isLocalDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  return m !== null && isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

export function IsLocalDate(options?: ValidationOptions): PropertyDecorator {
  return stringFormat('isLocalDate', isLocalDate, 'must be a date in YYYY-MM-DD form', options);
}

/**
 * ISO 8601 / RFC 3339 date-time with Z or ±HH:MM. The calendar date is checked on its own because
 * Date.parse rolls 2026-02-30 over into March instead of rejecting it.
 */
export function isOffsetDateTime(value: string): boolean {
  const m =
    /^(\d{4}-\d{2}-\d{2})T(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,9})?)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/.exec(
      value,
    );
  return m !== null && isLocalDate(m[1]) && !Number.isNaN(Date.parse(value));
}

export function IsOffsetDateTime(options?: ValidationOptions): PropertyDecorator {
  return stringFormat(
    'isOffsetDateTime',
    isOffsetDateTime,
    'must be an ISO 8601 date-time with a time zone offset',
    options,
  );
}

/** Money is held as whole fen (0.01 yuan) so that sums never meet floating-point rounding. */
export function isFen(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

export function IsFen(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isFen',
      validator: { validate: isFen, defaultMessage: () => 'must be a non-negative whole number of fen' },
    },
    options,
  );
}
