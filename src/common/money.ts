/**
 * Money is carried as an integer number of fen (分, 1/100 yuan) everywhere; these helpers only format it.
 */

function assertFen(fen: number): void {
  if (!Number.isSafeInteger(fen)) {
    throw new RangeError(`Expected an integer number of fen, got ${fen}`);
  }
}

/** `123450` → `'¥1,234.50'`; `-5` → `'-¥0.05'`. */
export function formatYuan(fen: number): string {
  assertFen(fen);
  const abs = Math.abs(fen);
  const yuan = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const cents = (abs % 100).toString().padStart(2, '0');
  return `${fen < 0 ? '-' : ''}¥${yuan}.${cents}`;
}

const DIGITS = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'] as const;
const PLACES = ['', '拾', '佰', '仟'] as const;

/** 1..9999 → e.g. 1005 → 壹仟零伍, 10 → 壹拾 (financial writing always keeps the 壹 of 壹拾). */
function fourDigits(n: number): string {
  let out = '';
  let pendingZero = false;
  for (let place = 3; place >= 0; place--) {
    const digit = Math.floor(n / 10 ** place) % 10;
    if (digit === 0) {
      pendingZero = out !== '';
    } else {
      if (pendingZero) out += '零';
      out += DIGITS[digit] + PLACES[place];
      pendingZero = false;
    }
  }
  return out;
}

/**
 * A positive whole number of yuan in words. A run of zeros between two non-zero digits is written as one 零,
 * also across the 万 and 亿 boundaries when the lower group starts with a zero (100050 → 壹拾万零伍拾); a zero only
 * in the 万 or 亿 place itself, followed by a non-zero 仟, gets none (107000 → 壹拾万柒仟).
 */
function integerInWords(n: number): string {
  if (n >= 1e8) {
    const low = n % 1e8;
    return (
      integerInWords(Math.floor(n / 1e8)) +
      '亿' +
      (low === 0 ? '' : (low < 1e7 ? '零' : '') + integerInWords(low))
    );
  }
  if (n >= 1e4) {
    const low = n % 1e4;
    return (
      fourDigits(Math.floor(n / 1e4)) + '万' + (low === 0 ? '' : (low < 1e3 ? '零' : '') + fourDigits(low))
    );
  }
  return fourDigits(n);
}

/**
 * 人民币大写金额 as written on Chinese financial and legal documents (rules of the PBoC's
 * 《正确填写票据和结算凭证的基本规定》). Amounts in integer fen.
 *
 * - Whole yuan end in 整: 0 → 零元整, 100 → 壹元整, 1250000 → 壹万贰仟伍佰元整.
 * - No 整 after 角 or 分 (the rules make 整 after 角 optional; we never write it): 150 → 壹元伍角,
 *   123450 → 壹仟贰佰叁拾肆元伍角, 155 → 壹元伍角伍分.
 * - A zero yuan digit before a non-zero 角 is written 零 (100010 → 壹仟元零壹角), and a zero 角 before a
 *   non-zero 分 is always written 零 (10000005 → 壹拾万元零伍分); one 零 covers both (1005 → 壹拾元零伍分).
 * - Under one yuan there is no 元: 50 → 伍角, 5 → 伍分.
 * - Units 万 and 亿 (100 million); 亿 groups nest (壹万亿 is 10^12 yuan).
 * - A negative amount is prefixed with 负 (rarely wanted on a document; callers should normally reject it).
 */
export function toChineseCapital(fen: number): string {
  assertFen(fen);
  if (fen < 0) return '负' + toChineseCapital(-fen);
  const yuan = Math.floor(fen / 100);
  const jiao = Math.floor(fen / 10) % 10;
  const fenDigit = fen % 10;

  if (jiao === 0 && fenDigit === 0) return (yuan === 0 ? '零' : integerInWords(yuan)) + '元整';

  let out = yuan === 0 ? '' : integerInWords(yuan) + '元';
  if (jiao !== 0) {
    if (yuan !== 0 && yuan % 10 === 0) out += '零';
    out += DIGITS[jiao] + '角';
  } else if (yuan !== 0) {
    out += '零';
  }
  if (fenDigit !== 0) out += DIGITS[fenDigit] + '分';
  return out;
}
