// The identity checks of src/common/validation/identity.ts, for the browser: GB 11643 resident ID (MOD 11-2 and a
// real birth date), the other document types' formats, and the GB 32100 credit code (weighted MOD 31). The server
// stays the judge; src/console/identity-parity.spec.ts keeps this copy answering exactly as the server does.

const RESIDENT_PREFIX = /^(?:1[1-5]|2[1-3]|3[1-7]|4[1-6]|5[0-4]|6[1-5]|71|8[1-3])/;
const MOD11_2_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const MOD11_2_CHECK = '10X98765432';
const BEIJING_OFFSET_MS = 8 * 60 * 60 * 1000;
const CREDIT_CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export function normaliseIdNumber(value) {
  return String(value).trim().replace(/\s+/g, '').toUpperCase();
}

function isCalendarDate(year, month, day) {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function hasMod11_2Check(value) {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(value[i]) * MOD11_2_WEIGHTS[i];
  return MOD11_2_CHECK[sum % 11] === value[17];
}

function hasPlausibleBirthDate(value, today) {
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

export function isValidResidentId(value, today = new Date()) {
  return (
    /^\d{17}[\dX]$/.test(value) &&
    RESIDENT_PREFIX.test(value) &&
    hasPlausibleBirthDate(value, today) &&
    hasMod11_2Check(value)
  );
}

function isValidHkMacaoTaiwanPermit(value, today) {
  if (/^[HM](?:\d{8}|\d{10})$/.test(value) || /^(?:\d{8}|\d{10})$/.test(value)) return true;
  return /^8[123]0000/.test(value) && isValidResidentId(value, today);
}

function isValidForeignPermanentResidentId(value, today) {
  if (/^[A-Z]{3}\d{12}$/.test(value)) return true;
  return /^9\d{16}[\dX]$/.test(value) && hasPlausibleBirthDate(value, today) && hasMod11_2Check(value);
}

function isValidPassport(value) {
  return /^(?=.*\d)[A-Z0-9]{5,17}$/.test(value);
}

export function isValidIdNumber(idType, value, today = new Date()) {
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

export function isValidCreditCode(value) {
  if (!/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/.test(value)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CREDIT_CODE_ALPHABET.indexOf(value[i]) * CREDIT_CODE_WEIGHTS[i];
  return CREDIT_CODE_ALPHABET[(31 - (sum % 31)) % 31] === value[17];
}

/** What to tell someone typing a resident ID: still typing, the check digit, or a birth-date problem. */
export function residentIdHint(value) {
  const id = normaliseIdNumber(value);
  if (!id) return null;
  if (!/^\d{0,17}[\dX]?$/.test(id)) return 'format';
  if (id.length < 18) return 'short';
  if (!RESIDENT_PREFIX.test(id)) return 'region';
  if (!hasPlausibleBirthDate(id, new Date())) return 'birth';
  if (!hasMod11_2Check(id)) return 'check';
  return 'ok';
}

export function creditCodeHint(value) {
  const code = String(value).trim().toUpperCase();
  if (!code) return null;
  if (/[IOZSV]/.test(code) || !/^[0-9A-Z]*$/.test(code)) return 'alphabet';
  if (code.length < 18) return 'short';
  if (code.length > 18 || !/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}/.test(code)) return 'format';
  return isValidCreditCode(code) ? 'ok' : 'check';
}
