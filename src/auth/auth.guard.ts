import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Role } from '../common/domain';
import { ForbiddenError, UnauthorizedError } from '../common/errors';
import type { AuthUser } from './auth-user';
import { PUBLIC_KEY, ROLES_KEY } from './decorators';
import { AccessTokens, type TokenClaims } from './tokens';
import { UserCache } from './user-cache';

/** Deny by default: every route needs a valid token of an active user unless marked @Public(). */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: AccessTokens,
    private readonly users: UserCache,
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
      claims = this.tokens.verify(match[1]);
    } catch {
      throw new UnauthorizedError('The access token is invalid or has expired.');
    }
    const found = await this.users.get(claims.sub);
    if (!found || !found.active || found.tokenVersion !== claims.tv) {
      throw new UnauthorizedError('The access token is no longer valid.');
    }
    const user = found.user;
    req.user = user;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.includes(user.role)) throw new ForbiddenError();
    return true;
  }
}
