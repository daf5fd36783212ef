/**
 * The console's browser copy of the identity checks (assets/console/identity.js) must answer as the server does
 * (src/common/validation/identity.ts): checked here over valid, mistyped and malformed values of every kind.
 */
import * as server from '../common/validation/identity';
import type { IdType } from '../common/domain';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const browser = require('../../assets/console/identity.js');

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CC = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CC_W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

function residentIds(): string[] {
  const out: string[] = [];
  for (const area of ['430102', '110105', '810000', '990000', '000000']) {
    for (const birth of ['19900101', '20000229', '19990229', '18991231', '20991231', '19881308']) {
      for (let seq = 0; seq < 12; seq++) {
        const body = `${area}${birth}${String(seq * 37)
          .padStart(3, '0')
          .slice(-3)}`;
        const sum = body.split('').reduce((s, ch, i) => s + Number(ch) * WEIGHTS[i], 0);
        out.push(body + '10X98765432'[sum % 11]);
        out.push(body + '10X98765432'[(sum + 1) % 11]);
      }
    }
  }
  return out;
}

function creditCodes(): string[] {
  const out: string[] = [];
  for (let n = 0; n < 200; n++) {
    const body = `91${String(430000 + n * 13).slice(0, 6)}MA${String(n * 7919)
      .padStart(7, '0')
      .slice(-7)}`.slice(0, 17);
    const sum = body.split('').reduce((s, ch, i) => s + CC.indexOf(ch) * CC_W[i], 0);
    out.push(body + CC[(31 - (sum % 31)) % 31]);
    out.push(body + CC[(31 - (sum % 31) + 1) % 31]);
  }
  return out.concat(['91350100M000100Y43', '91350100M000100Y44', '9135010OM000100Y43', 'short', '']);
}

describe('the console identity checks match the server', () => {
  const today = new Date('2026-03-02T00:00:00Z');
  const odd = [
    'H12345678',
    'M1234567890',
    '12345678',
    'ABC123456789012',
    'E12345678',
    'ABCDE',
    '',
    ' 430102 ',
    'x',
  ];

  it.each(['resident_id', 'hk_macao_taiwan_permit', 'foreign_permanent_resident', 'passport'] as IdType[])(
    '%s',
    (idType) => {
      const values = [...residentIds(), ...odd, ...residentIds().map((v) => `9${v.slice(1)}`)];
      for (const v of values) {
        expect([v, browser.isValidIdNumber(idType, v, today)]).toEqual([
          v,
          server.isValidIdNumber(idType, v, today),
        ]);
      }
    },
  );

  it('credit codes', () => {
    for (const v of creditCodes()) {
      expect([v, browser.isValidCreditCode(v)]).toEqual([v, server.isValidCreditCode(v)]);
    }
  });

  it('hints say ok exactly when the value is valid', () => {
    for (const v of residentIds()) {
      expect([v, browser.residentIdHint(v) === 'ok']).toEqual([v, server.isValidResidentId(v)]);
    }
    for (const v of creditCodes()) {
      expect([v, browser.creditCodeHint(v) === 'ok']).toEqual([v, server.isValidCreditCode(v.toUpperCase())]);
    }
  });
});
