import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { DataSource } from 'typeorm';
import type { Role } from '../common/domain';
import { ForbiddenError, UnauthorizedError } from '../common/errors';
import type { AuthUser } from './auth-user';
import { PUBLIC_KEY, ROLES_KEY } from './decorators';

export interface TokenClaims {
  sub: string;
  tv: number;
}

/** Deny by default: every route needs a valid token of an active user unless marked @Public(). */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
    private readonly db: DataSource,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const req = context
      .switchToHttp()
      .getRequest<{ headers: Record<string, string | undefined>; user?: AuthUser }>();
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new UnauthorizedError();
    let claims: TokenClaims;
    try {
      claims = await this.jwt.verifyAsync<TokenClaims>(match[1]);
    } catch {
      throw new UnauthorizedError('The access token is invalid or has expired.');
    }
    // One primary-key read per request: a deactivated user or a changed password takes effect at once.
    const rows: Array<AuthUser & { active: boolean; tokenVersion: number }> = await this.db.query(
      `SELECT id, username, display_name AS "displayName", role, organisation_id AS "organisationId",
              court_rostered AS "courtRostered", active, token_version AS "tokenVersion"
         FROM users WHERE id = $1`,
      [claims.sub],
    );
    const row = rows[0];
    if (!row || !row.active || row.tokenVersion !== claims.tv) {
      throw new UnauthorizedError('The access token is no longer valid.');
    }
    const { active: _a, tokenVersion: _t, ...user } = row;
    req.user = user;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.includes(user.role)) throw new ForbiddenError();
    return true;
  }
}
