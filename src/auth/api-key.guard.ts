import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Role } from '../config/app-config.js';
import { ACCESS_METADATA, type RequiredAccess } from './access.decorators.js';
import { type ApiPrincipal, ApiKeysService } from './api-keys.service.js';

const RANK: Record<Role, number> = { reader: 1, analyst: 2, admin: 3 };

export interface AuthenticatedRequest {
  headers: Record<string, string | string[] | undefined>;
  principal?: ApiPrincipal;
}

/** The one global guard: a Bearer key from API_KEYS (or the generated one), and the role the route declares. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeysService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const required =
      this.reflector.getAllAndOverride<RequiredAccess | undefined>(ACCESS_METADATA, [
        context.getHandler(),
        context.getClass(),
      ]) ?? 'admin';
    if (required === 'public') return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match)
      throw new UnauthorizedException('An API key is required: send "Authorization: Bearer <key>".');
    const principal = await this.keys.authenticate(match[1]);
    if (!principal) throw new UnauthorizedException('The API key is not known.');
    if (RANK[principal.role] < RANK[required]) {
      throw new ForbiddenException(
        `This needs the ${required} role; the key "${principal.name}" has ${principal.role}.`,
      );
    }
    request.principal = principal;
    return true;
  }
}
