import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { AppendResult } from '../../event-store/event-store.types.js';
import { commitmentIdOfStream } from '../stream/commitment.stream.js';
import { CommitmentWriter } from './commitment-writer.js';
import { type DevelopmentRecorded, RecordDevelopment } from './record-development.command.js';

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
