import { randomUUID } from 'node:crypto';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { AppendResult, EventMetadata } from '../../event-store/event-store.types.js';
import type { CommitmentCommand } from '../domain/commitment.commands.js';
import { commitmentIdOfStream } from '../stream/commitment.stream.js';
import { CommitmentWriter } from './commitment-writer.js';

/** What every POST answers: the commitment, the event appended, and the stream version after it. */
export interface DevelopmentRecorded {
  readonly commitmentId: string;
  readonly eventId: string;
  readonly version: number;
  /** True when an Idempotency-Key retry returned the first answer and appended nothing. */
  readonly replayed: boolean;
}

export interface RecordDevelopmentOptions {
  /** From `If-Match`: the version the client saw; a different current version is refused, not retried. */
  readonly expectedVersion?: number;
  readonly idempotency?: { readonly key: string; readonly requestHash: string };
  /** Who records it, and the correlation id of what it is part of (a request, an import, a seed run). */
  readonly metadata: Omit<EventMetadata, 'causationId'> & { readonly recordedBy: string };
  /** The proposal's id was derived from its title: on a clash, `-2`, `-3`, … is tried instead of a 409. */
  readonly generatedId?: boolean;
}

/** Every development of a commitment, whatever its kind, goes through this one command. */
export class RecordDevelopment extends Command<DevelopmentRecorded> {
  /** The causation id of the event it records. */
  readonly commandId = randomUUID();

  constructor(
    readonly command: CommitmentCommand,
    readonly options: RecordDevelopmentOptions,
  ) {
    super();
  }
}

/** The command bus's way to the {@link CommitmentWriter}, for the API and the seed. */
@CommandHandler(RecordDevelopment)
export class RecordDevelopmentHandler implements ICommandHandler<RecordDevelopment, DevelopmentRecorded> {
  constructor(private readonly writer: CommitmentWriter) {}

  async execute({ command, options, commandId }: RecordDevelopment): Promise<DevelopmentRecorded> {
    return answer(await this.writer.record(command, { ...options, causationId: commandId }));
  }
}

function answer(result: AppendResult): DevelopmentRecorded {
  const commitmentId = commitmentIdOfStream(result.streamId);
  if (commitmentId === null) throw new Error(`stream ${result.streamId} is not a commitment's`);
  return {
    commitmentId,
    eventId: result.events[0].eventId,
    version: result.streamVersion,
    replayed: result.replayed,
  };
}
