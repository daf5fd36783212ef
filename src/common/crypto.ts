import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';

/**
 * Personal data at rest (SPEC §4): AES-256-GCM for ID numbers and other secrets, a keyed hash (HMAC-SHA256)
 * as a blind index for exact search, and a keyed hash for access codes — fast, unlike a password hash,
 * because the access code is random and checked on a hot public route. Sub-keys are derived with HKDF so
 * that one configured key never serves two purposes.
 */
export class DataProtector {
  private readonly encKey: Buffer;
  private readonly indexKey: Buffer;
  private readonly codeKey: Buffer;

  constructor(masterKey: Buffer) {
    const derive = (info: string) => Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), info, 32));
    this.encKey = derive('mediation/encryption');
    this.indexKey = derive('mediation/blind-index');
    this.codeKey = derive('mediation/access-code');
  }

  /** `v1.<iv>.<tag>.<ciphertext>` in base64url: self-describing so the scheme can change later. */
  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.encKey, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [
      'v1',
      iv.toString('base64url'),
      cipher.getAuthTag().toString('base64url'),
      body.toString('base64url'),
    ].join('.');
  }

  decrypt(token: string): string {
    const [version, iv, tag, body] = token.split('.');
    if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('Unknown ciphertext format');
    const decipher = createDecipheriv('aes-256-gcm', this.encKey, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  }

  blindIndex(normalisedValue: string): string {
    return createHmac('sha256', this.indexKey).update(normalisedValue).digest('base64url');
  }

  accessCodeHash(normalisedCode: string): string {
    return createHmac('sha256', this.codeKey).update(normalisedCode).digest('base64url');
  }
}

export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

/** Crockford base32 (no I, L, O, U): easy to read aloud and to type on a phone. */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** 8 characters = 40 random bits. */
export function newAccessCode(): string {
  const bytes = randomBytes(5);
  let bits = 0n;
  for (const b of bytes) bits = (bits << 8n) | BigInt(b);
  let out = '';
  for (let i = 7; i >= 0; i--) out += CROCKFORD[Number((bits >> BigInt(i * 5)) & 31n)];
  return out;
}

/** Case-insensitive, spaces and hyphens ignored, and Crockford's look-alikes read as what they look like. */
export function normaliseAccessCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
}

export function isWellFormedAccessCode(normalised: string): boolean {
  return /^[0-9A-HJKMNP-TV-Z]{8}$/.test(normalised);
}
