import { Inject, Injectable } from '@nestjs/common';
import { createSigner, createVerifier } from 'fast-jwt';
import { APP_CONFIG, AppConfig } from '../config/config';

export interface TokenClaims {
  sub: string;
  /** The user's token version when the token was issued: raised on password change or deactivation. */
  tv: number;
}

/**
 * Short-lived HS256 access tokens (SPEC §13). fast-jwt keeps a small cache of verified tokens, so the guard
 * does not recompute the HMAC of a token it has just seen; expiry is still checked on every call.
 */
@Injectable()
export class AccessTokens {
  private readonly signer: (claims: TokenClaims) => string;
  private readonly verifier: (token: string) => TokenClaims;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.signer = createSigner({
      key: config.jwtSecret,
      algorithm: 'HS256',
      expiresIn: config.jwtTtlSeconds * 1000,
    });
    this.verifier = createVerifier({
      key: config.jwtSecret,
      algorithms: ['HS256'],
      cache: 10_000,
      cacheTTL: 60_000,
    });
  }

  sign(claims: TokenClaims): string {
    return this.signer(claims);
  }

  /** Throws when the token is malformed, forged or expired. */
  verify(token: string): TokenClaims {
    const claims = this.verifier(token);
    if (typeof claims.sub !== 'string' || typeof claims.tv !== 'number') throw new Error('claims missing');
    return claims;
  }
}
