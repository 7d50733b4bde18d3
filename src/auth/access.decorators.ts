import { SetMetadata } from '@nestjs/common';
import type { Role } from '../config/app-config.js';

export const ACCESS_METADATA = 'access:required-role';
export type RequiredAccess = Role | 'public';

/** The least role a route needs; routes without a declaration are treated as admin-only. */
export const RequireRole = (role: Role) => SetMetadata(ACCESS_METADATA, role);

/** Open to anyone, without a key (health only: `/docs` is served outside Nest's router). */
export const Public = () => SetMetadata(ACCESS_METADATA, 'public' satisfies RequiredAccess);
