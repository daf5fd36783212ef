import { validateSync } from 'class-validator';
import {
  IsContactPhone,
  IsCreditCode,
  IsDivisionCode,
  IsFen,
  IsIdNumber,
  IsLocalDate,
  IsOffsetDateTime,
  IsWorkerPhone,
} from './decorators';

/** The messages of one property, or [] when it passes. */
function messages(instance: object, property: string): string[] {
  const error = validateSync(instance).find((e) => e.property === property);
  return Object.values(error?.constraints ?? {});
}

function build<T extends object>(Class: new () => T, values: Partial<T>): T {
  return Object.assign(new Class(), values);
}

class Party {
  idType?: unknown;
  @IsIdNumber() idNumber?: unknown;
}

class Guardian {
  documentKind?: unknown;
  @IsIdNumber('documentKind', { message: 'is not a valid document number' }) documentNumber?: unknown;
}

class Formats {
  @IsCreditCode() creditCode: unknown = '91350100M000100Y43';
  @IsWorkerPhone() workerPhone: unknown = '13812345678';
  @IsContactPhone() contactPhone: unknown = '0731-88888888';
  @IsDivisionCode() divisionCode: unknown = '430102';
  @IsLocalDate() date: unknown = '2024-02-29';
  @IsOffsetDateTime() at: unknown = '2026-03-02T10:00:00+08:00';
  @IsFen() amountFen: unknown = 1234500;
  @IsDivisionCode({ each: true }) divisions: unknown = ['430102', '110000'];
}

describe('IsIdNumber', () => {
  it.each([
    ['resident_id', '11010519491231002X'],
    ['resident_id', ' 11010519491231002x '],
    ['hk_macao_taiwan_permit', 'H12345678'],
    ['foreign_permanent_resident', 'USA310112345678'],
    ['passport', 'E12345678'],
    [undefined, '11010519491231002X'],
  ])('accepts %s %j', (idType, idNumber) => {
    expect(messages(build(Party, { idType, idNumber }), 'idNumber')).toEqual([]);
  });

  it('rejects a bad resident ID with the resident ID message', () => {
    expect(
      messages(build(Party, { idType: 'resident_id', idNumber: '110105194912310021' }), 'idNumber'),
    ).toEqual(['must be a valid 18-character resident ID number (check digit and birth date)']);
  });

  it('checks against the type given, so a passport number is not a resident ID', () => {
    expect(messages(build(Party, { idNumber: 'E12345678' }), 'idNumber')).toEqual([
      'must be a valid 18-character resident ID number (check digit and birth date)',
    ]);
    expect(messages(build(Party, { idType: 'passport', idNumber: 'ABCDEFGH' }), 'idNumber')).toEqual([
      'must be a passport number of 5 to 17 capital letters and digits, with at least one digit',
    ]);
  });

  it('rejects an unknown document type', () => {
    expect(
      messages(build(Party, { idType: 'driving_licence', idNumber: '11010519491231002X' }), 'idNumber'),
    ).toHaveLength(1);
  });

  it.each([123, null, undefined, ['11010519491231002X']])('rejects the non-string %j', (idNumber) => {
    expect(messages(build(Party, { idNumber }), 'idNumber')).toEqual(['must be a string']);
  });

  it('reads the type from the named property and honours a custom message', () => {
    expect(
      messages(build(Guardian, { documentKind: 'passport', documentNumber: 'E12345678' }), 'documentNumber'),
    ).toEqual([]);
    expect(
      messages(build(Guardian, { documentKind: 'passport', documentNumber: 'E1' }), 'documentNumber'),
    ).toEqual(['is not a valid document number']);
  });
});

describe('format decorators', () => {
  it('accept good values', () => {
    expect(validateSync(new Formats())).toEqual([]);
  });

  it.each([
    [
      'creditCode',
      '91350100M000100Y44',
      'must be a valid 18-character unified social credit code (GB 32100 check character)',
    ],
    [
      'creditCode',
      '91350100m000100y43',
      'must be a valid 18-character unified social credit code (GB 32100 check character)',
    ],
    ['creditCode', 91350100, 'must be a string'],
    [
      'workerPhone',
      '0731-88888888',
      'must be a mainland mobile number (11 digits starting 13–19) or an international number such as +85291234567',
    ],
    ['workerPhone', 13812345678, 'must be a string'],
    [
      'contactPhone',
      '12345',
      'must be a mobile number, an international number such as +85291234567 or a landline such as 0731-88888888',
    ],
    ['divisionCode', '990000', 'must be a 6-digit administrative division code'],
    ['date', '2023-02-29', 'must be a date in YYYY-MM-DD form'],
    ['date', '2024-2-9', 'must be a date in YYYY-MM-DD form'],
    ['date', '2024-02-29T00:00:00Z', 'must be a date in YYYY-MM-DD form'],
    ['at', '2026-03-02T10:00:00', 'must be an ISO 8601 date-time with a time zone offset'],
    ['at', '2026-02-30T10:00:00+08:00', 'must be an ISO 8601 date-time with a time zone offset'],
    ['at', '2026-03-02 10:00:00+08:00', 'must be an ISO 8601 date-time with a time zone offset'],
    ['at', '2026-03-02T24:00:00Z', 'must be an ISO 8601 date-time with a time zone offset'],
    ['at', '2026-03-02', 'must be an ISO 8601 date-time with a time zone offset'],
    ['amountFen', -1, 'must be a non-negative whole number of fen'],
    ['amountFen', 12.5, 'must be a non-negative whole number of fen'],
    ['amountFen', '100', 'must be a non-negative whole number of fen'],
    ['amountFen', Number.NaN, 'must be a non-negative whole number of fen'],
    ['amountFen', 2 ** 53, 'must be a non-negative whole number of fen'],
    ['divisions', ['430102', '99'], 'must be a 6-digit administrative division code'],
  ])('%s rejects %j', (property, value, message) => {
    expect(messages(Object.assign(new Formats(), { [property]: value }), property)).toEqual([message]);
  });

  it.each([
    ['workerPhone', '+85291234567'],
    ['contactPhone', '(0731)88888888-123'],
    ['contactPhone', '+8613812345678'],
    ['divisionCode', '810000'],
    ['date', '2000-02-29'],
    ['at', '2026-03-02T02:00:00Z'],
    ['at', '2026-03-02T10:00:00.123+08:00'],
    ['at', '2026-03-01T21:00-05:00'],
    ['amountFen', 0],
    ['amountFen', Number.MAX_SAFE_INTEGER],
  ])('%s accepts %j', (property, value) => {
    expect(messages(Object.assign(new Formats(), { [property]: value }), property)).toEqual([]);
  });
});
