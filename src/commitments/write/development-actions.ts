import {
  type DevelopmentCommand,
  type DevelopmentPathParams,
  type DevelopmentRequest,
  requestFrom,
} from './development-command.js';
import { DEVELOPMENTS, type DevelopmentAction } from './developments.js';
import { CORRECTIONS_COMMANDS } from './corrections.controller.js';
import { LIFECYCLE_COMMANDS } from './lifecycle.controller.js';
import { MEMBERSHIP_COMMANDS } from './membership.controller.js';
import { SCHEDULE_COMMANDS } from './schedule.controller.js';
import { TREATY_COMMANDS } from './treaty.controller.js';

export { type DevelopmentPathParams, type DevelopmentRequest, slugFromTitle } from './development-command.js';
export { DEVELOPMENT_ACTION_NAMES, type DevelopmentAction, developmentUrl } from './developments.js';

/**
 * Each development's validated body and the command it becomes, by action, from its family's controller
 * file. The write routes, the seed loader and the import all turn bodies into commands by these rules,
 * so a seeded or imported development obeys exactly the rules an analyst's does.
 */
export const DEVELOPMENT_ACTIONS = {
  ...LIFECYCLE_COMMANDS,
  ...SCHEDULE_COMMANDS,
  ...MEMBERSHIP_COMMANDS,
  ...TREATY_COMMANDS,
  ...CORRECTIONS_COMMANDS,
} satisfies Record<DevelopmentAction, unknown>;

const NEST_PATHS = new Map<string, string>(
  DEVELOPMENTS.map(({ action, path }) => [
    action,
    path.replace(/^\/commitments\/?/, '').replace(/\{(\w+)\}/g, ':$1'),
  ]),
);

/** The endpoint of an action relative to `/commitments`, parameters written `:id` (empty for a proposal). */
export function developmentPath(action: DevelopmentAction): string {
  return NEST_PATHS.get(action)!;
}

/** The validated body of an action's endpoint. */
export type DevelopmentBody<A extends DevelopmentAction> = InstanceType<
  (typeof DEVELOPMENT_ACTIONS)[A]['dto']
>;

/** Turns a validated body into its command; a proposal without `id` gets one from its title. */
export function developmentRequest<A extends DevelopmentAction>(
  action: A,
  commitmentId: string | undefined,
  body: DevelopmentBody<A>,
  now: Date = new Date(),
  params: DevelopmentPathParams = {},
): DevelopmentRequest {
  const rule = DEVELOPMENT_ACTIONS[action] as DevelopmentCommand<DevelopmentBody<A>>;
  return requestFrom(rule, action, commitmentId, body, now, params);
}
