import {
  creditCodeDivision,
  idNumberFormatMessage,
  isValidContactPhone,
  isValidCreditCode,
  isValidDivisionCode,
  isValidForeignPermanentResidentId,
  isValidHkMacaoTaiwanPermit,
  isValidIdNumber,
  isValidInternationalPhone,
  isValidMainlandMobile,
  isValidPassport,
  isValidResidentId,
  isValidWorkerPhone,
  maskIdNumber,
  normaliseIdNumber,
} from './identity';
import { ID_TYPES } from '../domain';

/**
 * Independent ISO 7064 MOD 11-2: weight of position i (from the left, 18 positions) is 2^(17-i) mod 11,
 * and the check character c satisfies Σ + c ≡ 1 (mod 11), with 10 written X.
 */
function withMod11Check(body17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(body17[i]) * (2 ** (17 - i) % 11);
  const check = (12 - (sum % 11)) % 11;
  return body17 + (check === 10 ? 'X' : String(check));
}

/** Independent GB 32100: weight of position i is 3^i mod 31; characters are 0–9 then A–Z less I, O, S, V, Z. */
function withCreditCheck(body17: string): string {
  const chars = [...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'].filter((c) => !'IOSVZ'.includes(c));
  let sum = 0;
  let weight = 1;
  for (const c of body17) {
    sum += chars.indexOf(c) * weight;
    weight = (weight * 3) % 31;
  }
  return body17 + chars[(31 - (sum % 31)) % 31];
}

/** Replaces the last character with a different one of the same kind. */
function withWrongCheck(value: string): string {
  const last = value[value.length - 1];
  return value.slice(0, -1) + (last === '1' ? '2' : '1');
}

const TODAY = new Date('2026-03-02T10:00:00+08:00');

describe('independent check helpers', () => {
  it('agree with the published examples', () => {
    expect(withMod11Check('11010519491231002')).toBe('11010519491231002X');
    expect(withCreditCheck('91350100M000100Y4')).toBe('91350100M000100Y43');
    expect(withMod11Check('43010219900101123')).toBe('430102199001011238');
  });
});

describe('normaliseIdNumber', () => {
  it.each([
    [' 11010519491231002x ', '11010519491231002X'],
    ['1101 0519 4912 3100 2x', '11010519491231002X'],
    ['h12345678', 'H12345678'],
    ['\t91350100m000100y43\n', '91350100M000100Y43'],
    ['', ''],
  ])('%j → %j', (input, expected) => {
    expect(normaliseIdNumber(input)).toBe(expected);
  });
});

describe('isValidResidentId', () => {
  it.each([
    ['the GB 11643 example', '11010519491231002X'],
    ['Changsha, 1990', withMod11Check('43010219900101123')],
    ['Shenzhen, 1985', withMod11Check('44030519850615001')],
    ['Xinjiang, 2010', withMod11Check('65010220100520004')],
    ['leap day 2000-02-29', withMod11Check('43010220000229123')],
    ['leap day 2024-02-29', withMod11Check('11010120240229001')],
    ['earliest birth date 1900-01-01', withMod11Check('31010119000101001')],
    ['born today', withMod11Check('11010120260302001')],
    ['Hong Kong residence permit', withMod11Check('81000019900101001')],
    ['Macao residence permit', withMod11Check('82000019900101001')],
    ['Taiwan residence permit', withMod11Check('83000019900101001')],
    ['Taiwan province prefix', withMod11Check('71000019900101001')],
  ])('accepts %s (%s)', (_label, id) => {
    expect(isValidResidentId(id, TODAY)).toBe(true);
  });

  it.each([
    ['a wrong check digit', withWrongCheck('11010519491231002X')],
    ['X where the check digit is 8', '43010219900101123X'],
    ['17 characters', '11010519491231002'],
    ['19 characters', '11010519491231002X1'],
    ['a letter inside', '1101051949A231002X'],
    ['X before the end', '1101051949123100X2'],
    ['a lower-case x (not normalised)', '11010519491231002x'],
    ['an inner space', '110105 19491231002X'],
    ['the empty string', ''],
    ['province 00', withMod11Check('00010219900101123')],
    ['province 19', withMod11Check('19010219900101123')],
    ['province 24', withMod11Check('24010219900101123')],
    ['province 72', withMod11Check('72010219900101123')],
    ['province 84', withMod11Check('84000019900101001')],
    ['province 99', withMod11Check('99010219900101123')],
    ['30 February', withMod11Check('43010219900230123')],
    ['19490230', withMod11Check('11010519490230002')],
    ['month 13', withMod11Check('43010219901301123')],
    ['month 00', withMod11Check('43010219900001123')],
    ['day 00', withMod11Check('43010219900100123')],
    ['31 April', withMod11Check('43010219900431123')],
    ['2023-02-29', withMod11Check('43010220230229123')],
    ['1900-02-29 (1900 is not a leap year)', withMod11Check('43010219000229123')],
    ['born before 1900', withMod11Check('43010218991231123')],
    ['born tomorrow', withMod11Check('43010220260303123')],
    ['born next year', withMod11Check('43010220270101123')],
  ])('rejects %s (%s)', (_label, id) => {
    expect(isValidResidentId(id, TODAY)).toBe(false);
  });

  it('judges "today" by the date in Beijing, not the server time zone', () => {
    const id = withMod11Check('11010120240601001');
    expect(isValidResidentId(id, new Date('2024-05-31T16:00:00Z'))).toBe(true);
    expect(isValidResidentId(id, new Date('2024-05-31T15:59:59Z'))).toBe(false);
  });

  it('defaults "today" to now', () => {
    expect(isValidResidentId('11010519491231002X')).toBe(true);
    expect(isValidResidentId(withMod11Check('11010129991231001'))).toBe(false);
  });
});

describe('isValidHkMacaoTaiwanPermit', () => {
  it.each([
    ['Hong Kong travel permit', 'H12345678'],
    ['Macao travel permit', 'M87654321'],
    ['older 10-digit Hong Kong permit', 'H1234567890'],
    ['older 10-digit Macao permit', 'M0123456789'],
    ['Taiwan travel permit', '12345678'],
    ['older 10-digit Taiwan permit', '1234567890'],
    ['Hong Kong residence permit', withMod11Check('81000019900101001')],
    ['Macao residence permit', withMod11Check('82000020000229002')],
    ['Taiwan residence permit', withMod11Check('83000019751231003')],
  ])('accepts a %s (%s)', (_label, id) => {
    expect(isValidHkMacaoTaiwanPermit(id, TODAY)).toBe(true);
  });

  it.each([
    ['H and 7 digits', 'H1234567'],
    ['H and 9 digits', 'H123456789'],
    ['H and 11 digits', 'H12345678901'],
    ['another letter', 'A12345678'],
    ['a lower-case h (not normalised)', 'h12345678'],
    ['7 digits', '1234567'],
    ['9 digits', '123456789'],
    ['11 digits', '12345678901'],
    ['an ordinary resident ID', '11010519491231002X'],
    ['a residence permit with a district below 810000', withMod11Check('81010119900101001')],
    ['a residence permit with a wrong check digit', withWrongCheck(withMod11Check('81000019900101001'))],
    ['a residence permit with an impossible birth date', withMod11Check('82000019900230001')],
    ['a residence permit with prefix 840000', withMod11Check('84000019900101001')],
    ['the empty string', ''],
  ])('rejects %s (%s)', (_label, id) => {
    expect(isValidHkMacaoTaiwanPermit(id, TODAY)).toBe(false);
  });
});

describe('isValidForeignPermanentResidentId', () => {
  it.each([
    ['the 2004 card', 'USA310112345678'],
    ['the 2004 card (another nationality)', 'GBR440385061501'],
    ['the 2023 card', withMod11Check('93184019850615001')],
    ['the 2023 card born on a leap day', withMod11Check('94482620000229002')],
  ])('accepts %s (%s)', (_label, id) => {
    expect(isValidForeignPermanentResidentId(id, TODAY)).toBe(true);
  });

  it.each([
    ['2 letters and 13 digits', 'US3101123456789'],
    ['3 letters and 11 digits', 'USA31011234567'],
    ['3 letters and 13 digits', 'USA3101123456789'],
    ['lower-case letters (not normalised)', 'usa310112345678'],
    ['15 digits', '123310112345678'],
    ['the 2023 card with a wrong check digit', withWrongCheck(withMod11Check('93184019850615001'))],
    ['18 digits not starting with 9', withMod11Check('83184019850615001')],
    ['the 2023 card with 30 February', withMod11Check('93184019850230001')],
    ['the 2023 card born in the future', withMod11Check('93184020260303001')],
    ['the 2023 card, 17 characters', '93184019850615001'],
    ['the empty string', ''],
  ])('rejects %s (%s)', (_label, id) => {
    expect(isValidForeignPermanentResidentId(id, TODAY)).toBe(false);
  });
});

describe('isValidPassport', () => {
  it.each(['E12345678', 'EA1234567', 'G12345678', '123456789', 'A1234', '12345', 'AB1234567890CDEFG'])(
    'accepts %s',
    (id) => {
      expect(isValidPassport(id)).toBe(true);
    },
  );

  it.each([
    ['no digit', 'ABCDEFGH'],
    ['4 characters', 'E123'],
    ['18 characters', 'AB1234567890CDEFGH'],
    ['a dash', 'E1234-567'],
    ['a space', 'E1234 567'],
    ['lower case (not normalised)', 'e12345678'],
    ['a non-ASCII character', 'Ｅ12345678'],
    ['the empty string', ''],
  ])('rejects %s (%s)', (_label, id) => {
    expect(isValidPassport(id)).toBe(false);
  });
});

describe('isValidIdNumber', () => {
  it.each([
    ['resident_id', ' 1101 0519 4912 3100 2x '],
    ['hk_macao_taiwan_permit', 'h12345678'],
    ['hk_macao_taiwan_permit', withMod11Check('81000019900101001')],
    ['foreign_permanent_resident', 'usa 310112345678'],
    ['passport', ' e12345678 '],
  ] as const)('normalises and accepts %s %j', (idType, value) => {
    expect(isValidIdNumber(idType, value, TODAY)).toBe(true);
  });

  it.each([
    ['resident_id', 'H12345678'],
    ['resident_id', withMod11Check('43010220260303123')],
    ['hk_macao_taiwan_permit', '11010519491231002X'],
    ['foreign_permanent_resident', 'E12345678'],
    ['passport', 'ABCDEFGH'],
  ] as const)('rejects %s %j', (idType, value) => {
    expect(isValidIdNumber(idType, value, TODAY)).toBe(false);
  });

  it('passes "today" on to the birth-date checks', () => {
    const bornTomorrow = withMod11Check('81000020260303001');
    expect(isValidIdNumber('hk_macao_taiwan_permit', bornTomorrow, TODAY)).toBe(false);
    expect(
      isValidIdNumber('hk_macao_taiwan_permit', bornTomorrow, new Date('2026-03-03T00:00:00+08:00')),
    ).toBe(true);
  });

  it('rejects an unknown document type', () => {
    expect(isValidIdNumber('driving_licence' as never, '11010519491231002X', TODAY)).toBe(false);
  });
});

describe('idNumberFormatMessage', () => {
  it('describes the resident ID rule', () => {
    expect(idNumberFormatMessage('resident_id')).toBe(
      'must be a valid 18-character resident ID number (check digit and birth date)',
    );
  });

  it.each(ID_TYPES)('gives a distinct "must be" message for %s', (idType) => {
    expect(idNumberFormatMessage(idType)).toMatch(/^must be /);
    const others = ID_TYPES.filter((t) => t !== idType).map(idNumberFormatMessage);
    expect(others).not.toContain(idNumberFormatMessage(idType));
  });
});

describe('isValidCreditCode', () => {
  const computed = [
    withCreditCheck('91110108MA01ABCDE'),
    withCreditCheck('91430102MA4L0XYWU'),
    withCreditCheck('12100000400000770'),
    withCreditCheck('51110000500000124'),
    withCreditCheck('93440300MAFGHJKLN'),
    withCreditCheck('Y1310115PQRTUWXY9'),
  ];

  it.each(['91350100M000100Y43', ...computed])('accepts %s', (code) => {
    expect(isValidCreditCode(code)).toBe(true);
  });

  it('accepts a code whose check sum leaves 31, written as 0', () => {
    const code = [...'0123456789ABCDEFGHJKLMNPQRTUWXY']
      .map((c) => withCreditCheck(`9143010200000000${c}`))
      .find((candidate) => candidate.endsWith('0'));
    expect(code).toBeDefined();
    expect(isValidCreditCode(code as string)).toBe(true);
  });

  it.each([
    ['a wrong check character', '91350100M000100Y44'],
    ['a wrong check character (computed code)', withWrongCheck(computed[0])],
    ['two transposed characters', '91350100M000010Y43'],
    ...['I', 'O', 'Z', 'S', 'V'].map((c) => [`the forbidden letter ${c}`, `91350100M${c}00100Y43`]),
    ['a forbidden letter as check character', '91350100M000100Y4I'],
    ['17 characters', '91350100M000100Y4'],
    ['19 characters', '91350100M000100Y433'],
    ['lower case', '91350100m000100y43'],
    ['a space', '91350100M000100Y4 3'],
    ['letters in the division code', withCreditCheck('91AB0100M000100Y4')],
    ['the empty string', ''],
  ])('rejects %s (%s)', (_label, code) => {
    expect(isValidCreditCode(code)).toBe(false);
  });

  it('accepts lower case only once normalised', () => {
    expect(isValidCreditCode(normaliseIdNumber(' 91350100m000100y43 '))).toBe(true);
  });
});

describe('creditCodeDivision', () => {
  it('returns characters 3–8', () => {
    expect(creditCodeDivision('91350100M000100Y43')).toBe('350100');
    expect(creditCodeDivision(withCreditCheck('91430102MA4L0XYWU'))).toBe('430102');
  });
});

describe('phones', () => {
  it.each([
    '13812345678',
    '14712345678',
    '15012345678',
    '16612345678',
    '17712345678',
    '18912345678',
    '19912345678',
  ])('mainland mobile %s', (phone) => {
    expect(isValidMainlandMobile(phone)).toBe(true);
    expect(isValidWorkerPhone(phone)).toBe(true);
    expect(isValidContactPhone(phone)).toBe(true);
  });

  it.each([
    '12812345678',
    '10012345678',
    '1381234567',
    '138123456789',
    '138-1234-5678',
    '+8613812345678',
    '',
  ])('not a mainland mobile: %j', (phone) => {
    expect(isValidMainlandMobile(phone)).toBe(false);
  });

  it.each([
    '+8613812345678',
    '+85291234567',
    '+85366123456',
    '+886912345678',
    '+1234567',
    '+123456789012345',
  ])('international %s', (phone) => {
    expect(isValidInternationalPhone(phone)).toBe(true);
    expect(isValidWorkerPhone(phone)).toBe(true);
    expect(isValidContactPhone(phone)).toBe(true);
  });

  it.each([
    '+123456',
    '+1234567890123456',
    '+0123456789',
    '8613812345678',
    '+86 13812345678',
    '+86-13812345678',
    '+',
  ])('not international: %j', (phone) => {
    expect(isValidInternationalPhone(phone)).toBe(false);
  });

  it.each([
    '0731-88888888',
    '073188888888',
    '(0731)88888888',
    '0731-88888888-123',
    '(0731)88888888-1',
    '010-62345678',
    '01062345678',
    '(010)62345678',
    '0755-2345678',
  ])('landline %s is a contact phone but not a worker phone', (phone) => {
    expect(isValidContactPhone(phone)).toBe(true);
    expect(isValidWorkerPhone(phone)).toBe(false);
  });

  it.each([
    '0731-8888',
    '731-88888888',
    '0731-08888888',
    '0731-18888888',
    '0731 88888888',
    '(0731-88888888',
    '(0731)-88888888',
    '0731-88888888-',
    '0731-88888888-1234567',
    '07311-88888888',
    '88888888',
    '12812345678',
    '',
  ])('not a contact phone: %j', (phone) => {
    expect(isValidContactPhone(phone)).toBe(false);
    expect(isValidWorkerPhone(phone)).toBe(false);
  });
});

describe('isValidDivisionCode', () => {
  it.each(['430102', '430000', '110000', '110105', '650102', '710000', '810000', '820000'])(
    'accepts %s',
    (code) => {
      expect(isValidDivisionCode(code)).toBe(true);
    },
  );

  it.each(['43010', '4301021', '43010a', '000000', '100000', '240000', '830000', '990000', ' 430102', ''])(
    'rejects %j',
    (code) => {
      expect(isValidDivisionCode(code)).toBe(false);
    },
  );
});

describe('maskIdNumber', () => {
  it.each([
    ['430102199001011234', '430102********1234'],
    ['11010519491231002X', '110105********002X'],
    ['USA310112345678', 'USA310*****5678'],
    ['H1234567890', 'H1*******90'],
    ['E12345678', 'E1*****78'],
    ['A1234', 'A1*34'],
    ['1234', '****'],
    ['', ''],
  ])('%j → %j', (value, masked) => {
    expect(maskIdNumber(value)).toBe(masked);
    expect(maskIdNumber(value)).toHaveLength(value.length);
  });
});
