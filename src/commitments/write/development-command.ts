import type { Type } from '@nestjs/common';
import type { CommitmentCommand } from '../domain/commitment.commands.js';

/** Path parameters besides the commitment's id: the reservation a withdrawal names. */
export interface DevelopmentPathParams {
  readonly eventId?: string;
}

/** The server's half of a development's description: the body it validates and the command it becomes. */
export interface DevelopmentCommand<Dto> {
  readonly dto: Type<Dto>;
  toCommand(commitmentId: string, body: Dto, now: string, params: DevelopmentPathParams): CommitmentCommand;
}

export interface DevelopmentRequest {
  readonly command: CommitmentCommand;
  /** The id was derived from the title, so a clash picks a suffix instead of failing. */
  readonly generatedId: boolean;
}

export const commandFrom = <Dto>(
  dto: Type<Dto>,
  toCommand: DevelopmentCommand<Dto>['toCommand'],
): DevelopmentCommand<Dto> => ({ dto, toCommand });

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

/** What a proposal's body says of its commitment's id: none, and the id comes from the title. */
interface ProposalBody {
  readonly id?: string;
  readonly title: string;
}

/**
 * Turns a validated body into its command by its development's rule; a proposal without `id` gets one
 * from its title.
 */
export function requestFrom<Dto>(
  rule: DevelopmentCommand<Dto>,
  action: string,
  commitmentId: string | undefined,
  body: Dto,
  now: Date = new Date(),
  params: DevelopmentPathParams = {},
): DevelopmentRequest {
  const proposal = action === 'propose' ? (body as ProposalBody) : null;
  const id = proposal ? (proposal.id ?? slugFromTitle(proposal.title)) : commitmentId;
  if (id === undefined) throw new Error(`${action} needs a commitment id`);
  return {
    command: rule.toCommand(id, body, now.toISOString(), params),
    generatedId: proposal !== null && proposal.id === undefined,
  };
}
