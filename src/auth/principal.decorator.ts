import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AuthenticatedRequest } from './api-key.guard.js';
import type { ApiPrincipal } from './api-keys.service.js';

/** The caller the guard authenticated. */
export const Principal = createParamDecorator((_: unknown, context: ExecutionContext): ApiPrincipal => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw new Error('Principal used on a public route');
  return principal;
});
