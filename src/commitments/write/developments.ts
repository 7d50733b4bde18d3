import { CORRECTIONS_DEVELOPMENTS } from './corrections.developments.js';
import type { DevelopmentDescription } from './development-description.js';
import { LIFECYCLE_DEVELOPMENTS } from './lifecycle.developments.js';
import { MEMBERSHIP_DEVELOPMENTS } from './membership.developments.js';
import { SCHEDULE_DEVELOPMENTS } from './schedule.developments.js';
import { TREATY_DEVELOPMENTS } from './treaty.developments.js';

/**
 * Every kind of development, family by family, in the order the web app offers them. The server's routes,
 * its OpenAPI document, the seed, the import and the web app's forms all read this list.
 */
export const DEVELOPMENTS = [
  ...LIFECYCLE_DEVELOPMENTS,
  ...SCHEDULE_DEVELOPMENTS,
  ...MEMBERSHIP_DEVELOPMENTS,
  ...TREATY_DEVELOPMENTS,
  ...CORRECTIONS_DEVELOPMENTS,
] as const satisfies readonly DevelopmentDescription[];

/** The name of a development: the last segment of its endpoint's path (`propose` is `POST /commitments`). */
export type DevelopmentAction = (typeof DEVELOPMENTS)[number]['action'];

/** Every action, in the list's order. */
export const DEVELOPMENT_ACTION_NAMES: readonly DevelopmentAction[] = DEVELOPMENTS.map(
  (description) => description.action,
);

const BY_ACTION = new Map<string, DevelopmentDescription<DevelopmentAction>>(
  DEVELOPMENTS.map((description) => [description.action, description]),
);

export function isDevelopmentAction(action: unknown): action is DevelopmentAction {
  return typeof action === 'string' && BY_ACTION.has(action);
}

export function developmentDescription(action: DevelopmentAction): DevelopmentDescription<DevelopmentAction> {
  return BY_ACTION.get(action)!;
}

/** The path of a development of commitment `id`, `{eventId}` filled in when the endpoint has one. */
export function developmentUrl(
  action: DevelopmentAction,
  id: string | null,
  params: { eventId?: string } = {},
) {
  return developmentDescription(action)
    .path.replace('{id}', String(id))
    .replace('{eventId}', String(params.eventId));
}
