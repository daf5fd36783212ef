/**
 * Pure checks for the identifiers a mediation case records: parties' identity documents, employers'
 * unified social credit codes, phone numbers and administrative division codes.
 */
import { IdType } from '../domain';

/** Province-level prefixes of GB/T 2260 (71 Taiwan, 81 Hong Kong, 82 Macao). */
const PROVINCE_CODE = /^(?:1[1-5]|2[1-3]|3[1-7]|4[1-6]|5[0-4]|6[1-5]|71|8[12])/;

/** Resident numbers also take 83, the Taiwan prefix of the 2018 HK/Macao/Taiwan residence permit. */
const RESIDENT_PREFIX = /^(?:1[1-5]|2[1-3]|3[1-7]|4[1-6]|5[0-4]|6[1-5]|71|8[1-3])/;

const MOD11_2_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const MOD11_2_CHECK = '10X98765432';

/** China has kept UTC+8 all year since 1991, so "today" for a birth date is the date in Beijing. */
const BEIJING_OFFSET_MS = 8 * 60 * 60 * 1000;

export function normaliseIdNumber(value: string): string {
  return value.trim().replace(/\s+/g, '').toUpperCase();
}

/** True when y-m-d names a real day of the Gregorian calendar (no 30 February, no 29 February 2023). */
export function isCalendarDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** ISO 7064 MOD 11-2 over the first 17 digits, as GB 11643-1999 §5 prescribes. */
function hasMod11_2Check(value: string): boolean {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(value[i]) * MOD11_2_WEIGHTS[i];
  return MOD11_2_CHECK[sum % 11] === value[17];
}

/** The YYYYMMDD at positions 7–14 must be a real day between 1900-01-01 and today (Beijing time). */
function hasPlausibleBirthDate(value: string, today: Date): boolean {
  const birth = value.slice(6, 14);
  const year = Number(birth.slice(0, 4));
  if (year < 1900 || !isCalendarDate(year, Number(birth.slice(4, 6)), Number(birth.slice(6, 8))))
    return false;
  const todayInBeijing = new Date(today.getTime() + BEIJING_OFFSET_MS)
    .toISOString()
    .slice(0, 10)
    .replace(/-/g, '');
  return birth <= todayInBeijing;
}

/** GB 11643-1999 citizen identity number: 6-digit address code, birth date, sequence, check character. */
export function isValidResidentId(value: string, today: Date = new Date()): boolean {
  return (
    /^\d{17}[\dX]$/.test(value) &&
    RESIDENT_PREFIX.test(value) &&
    hasPlausibleBirthDate(value, today) &&
    hasMod11_2Check(value)
  );
}

/**
 * Mainland Travel Permits for HK/Macao residents (H/M + 8 digits, older H/M + 10 digits), for Taiwan
 * residents (8 or 10 digits), and the residence permit, a GB 11643 number with address code 810000,
 * 820000 or 830000.
 */
export function isValidHkMacaoTaiwanPermit(value: string, today: Date = new Date()): boolean {
  if (/^[HM](?:\d{8}|\d{10})$/.test(value) || /^(?:\d{8}|\d{10})$/.test(value)) return true;
  return /^8[123]0000/.test(value) && isValidResidentId(value, today);
}

/**
 * Foreign Permanent Resident ID Card: the 2004 card is a 3-letter nationality code and 12 digits; the
 * 2023 card is 18 characters starting with 9, with the birth date at positions 7–14 and the GB 11643
 * MOD 11-2 check character.
 */
export function isValidForeignPermanentResidentId(value: string, today: Date = new Date()): boolean {
  if (/^[A-Z]{3}\d{12}$/.test(value)) return true;
  return /^9\d{16}[\dX]$/.test(value) && hasPlausibleBirthDate(value, today) && hasMod11_2Check(value);
}

export function isValidPassport(value: string): boolean {
  return /^(?=.*\d)[A-Z0-9]{5,17}$/.test(value);
}

/** Checks the normalised value against the rules of its document type; an unknown type never passes. */
export function isValidIdNumber(idType: IdType, value: string, today: Date = new Date()): boolean {
  const id = normaliseIdNumber(value);
  switch (idType) {
    case 'resident_id':
      return isValidResidentId(id, today);
    case 'hk_macao_taiwan_permit':
      return isValidHkMacaoTaiwanPermit(id, today);
    case 'foreign_permanent_resident':
      return isValidForeignPermanentResidentId(id, today);
    case 'passport':
      return isValidPassport(id);
    default:
      return false;
  }
}

const ID_NUMBER_MESSAGES: Record<IdType, string> = {
  resident_id: 'must be a valid 18-character resident ID number (check digit and birth date)',
  hk_macao_taiwan_permit:
    'must be a valid mainland travel permit number (H or M and 8 or 10 digits, or 8 or 10 digits) or an 18-character residence permit number starting 810000, 820000 or 830000',
  foreign_permanent_resident:
    'must be a valid foreign permanent resident ID number (3 letters and 12 digits, or 18 characters starting with 9)',
  passport: 'must be a passport number of 5 to 17 capital letters and digits, with at least one digit',
};

export function idNumberFormatMessage(idType: IdType): string {
  return ID_NUMBER_MESSAGES[idType] ?? ID_NUMBER_MESSAGES.resident_id;
}

/** GB 32100-2015 character set: digits and capitals without I, O, Z, S, V. */
const CREDIT_CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/**
 * GB 32100-2015 unified social credit code: authority, type, 6-digit division code, 9-character
 * organisation code, and a check character = 31 − (Σ value × weight mod 31), with 31 written as 0.
 */
export function isValidCreditCode(value: string): boolean {
  if (!/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/.test(value)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CREDIT_CODE_ALPHABET.indexOf(value[i]) * CREDIT_CODE_WEIGHTS[i];
  return CREDIT_CODE_ALPHABET[(31 - (sum % 31)) % 31] === value[17];
}

/** The registering administrative division (characters 3–8) of a credit code. */
export function creditCodeDivision(code: string): string {
  return code.slice(2, 8);
}

export function isValidMainlandMobile(value: string): boolean {
  return /^1[3-9]\d{9}$/.test(value);
}

/** E.164: a plus, a country code (never starting with 0), at most 15 digits in all. */
export function isValidInternationalPhone(value: string): boolean {
  return /^\+[1-9]\d{6,14}$/.test(value);
}

export function isValidWorkerPhone(value: string): boolean {
  return isValidMainlandMobile(value) || isValidInternationalPhone(value);
}

/** Mainland landline: area code 0 + 2–3 digits, 7–8 digit subscriber number (never starting 0 or 1), optional extension. */
const LANDLINE = /^(?:0\d{2,3}-?|\(0\d{2,3}\))[2-9]\d{6,7}(?:-\d{1,6})?$/;

export function isValidContactPhone(value: string): boolean {
  return isValidWorkerPhone(value) || LANDLINE.test(value);
}

/** GB/T 2260 administrative division code; province-level codes (e.g. 430000) are accepted too. */
export function isValidDivisionCode(value: string): boolean {
  return /^\d{6}$/.test(value) && PROVINCE_CODE.test(value);
}

/** Keeps the region prefix and the last four characters, as is customary on Chinese notices. */
export function maskIdNumber(value: string): string {
  const n = value.length;
  // Long numbers keep the area prefix and last 4; shorter ones (permits, passports) hide all but 2 + 2.
  if (n >= 15) return value.slice(0, 6) + '*'.repeat(n - 10) + value.slice(-4);
  if (n >= 5) return value.slice(0, 2) + '*'.repeat(n - 4) + value.slice(-2);
  return '*'.repeat(n);
}
