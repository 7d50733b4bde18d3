import type { CommitmentCommand } from '../domain/commitment.commands.js';
import type { DevelopmentPathParams } from './development-command.js';
import { DEVELOPMENTS, type DevelopmentAction } from './developments.js';
import { CORRECTIONS_COMMANDS } from './corrections.dto.js';
import { LIFECYCLE_COMMANDS } from './lifecycle.dto.js';
import { MEMBERSHIP_COMMANDS } from './membership.dto.js';
import { TREATY_COMMANDS } from './treaty.dto.js';
import type { ProposeCommitmentDto } from './lifecycle.dto.js';

export type { DevelopmentPathParams } from './development-command.js';
export { DEVELOPMENT_ACTION_NAMES, type DevelopmentAction, developmentUrl } from './developments.js';

export interface DevelopmentRequest {
  readonly command: CommitmentCommand;
  /** The id was derived from the title, so a clash picks a suffix instead of failing. */
  readonly generatedId: boolean;
}

/**
 * Each development's validated body and the command it becomes, by action. The write routes, the seed
 * loader and the import all turn bodies into commands here, so a seeded or imported development obeys
 * exactly the rules an analyst's does.
 */
export const DEVELOPMENT_ACTIONS = {
  ...LIFECYCLE_COMMANDS,
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

export function slugFromTitle(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
  return slug.length >= 3 ? slug : `commitment-${slug || 'untitled'}`;
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
  const proposal = action === 'propose' ? (body as ProposeCommitmentDto) : null;
  const id = proposal ? (proposal.id ?? slugFromTitle(proposal.title)) : commitmentId;
  if (id === undefined) throw new Error(`${action} needs a commitment id`);
  const toCommand = DEVELOPMENT_ACTIONS[action].toCommand as (
    id: string,
    body: unknown,
    now: string,
    params: DevelopmentPathParams,
  ) => CommitmentCommand;
  return {
    command: toCommand(id, body, now.toISOString(), params),
    generatedId: proposal !== null && proposal.id === undefined,
  };
}
