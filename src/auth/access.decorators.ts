import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension } from '@nestjs/swagger';
import type { Role } from '../config/app-config.js';
import { ApiAccessProblems } from '../http/api-problems.decorator.js';

export const ACCESS_METADATA = 'access:required-role';
export type RequiredAccess = Role | 'public';

/** The OpenAPI security scheme of the API keys (see `openapi-document.ts`). */
export const BEARER_SCHEME = 'bearer';
/** The OpenAPI extension on every operation that names the least role it needs, or `public`. */
export const REQUIRED_ROLE_EXTENSION = 'x-required-role';

/**
 * The least role a route needs; routes without a declaration are treated as admin-only. The same
 * declaration documents the route: its bearer requirement, its role and its 401/403 answers.
 */
export const RequireRole = (role: Role) =>
  applyDecorators(
    SetMetadata(ACCESS_METADATA, role),
    ApiBearerAuth(BEARER_SCHEME),
    ApiExtension(REQUIRED_ROLE_EXTENSION, role),
    ApiAccessProblems(role),
  );

/** Open to anyone, without a key (health; `/docs` is served outside Nest's router and documented apart). */
export const Public = () =>
  applyDecorators(
    SetMetadata(ACCESS_METADATA, 'public' satisfies RequiredAccess),
    ApiExtension(REQUIRED_ROLE_EXTENSION, 'public' satisfies RequiredAccess),
  );
