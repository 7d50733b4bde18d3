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

export const commandFrom = <Dto>(
  dto: Type<Dto>,
  toCommand: DevelopmentCommand<Dto>['toCommand'],
): DevelopmentCommand<Dto> => ({ dto, toCommand });
