import { randomUUID } from 'node:crypto';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventStore } from '../event-store/event-store.js';
import { ConcurrencyError } from '../event-store/event-store.errors.js';
import type { AppendResult, EventMetadata } from '../event-store/event-store.types.js';
import {
  decide,
  evolve,
  foldCommitment,
  initialState,
  toIsoInstant,
  type CommitmentCommand,
  type CommitmentState,
} from './commitment.decider.js';
import {
  CommitmentAlreadyExistsError,
  CommitmentNotFoundError,
  VersionMismatchError,
} from './commitment.errors.js';
import type { RecordedCommitmentEvent } from './commitment.events.js';
import { commitmentIdOfStream, commitmentStreamId, toRecordedCommitmentEvent } from './commitment.stream.js';
import { commitmentStatusWrite } from './status/commitment-status.projection.js';

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
  readonly metadata: EventMetadata & { readonly recordedBy: string };
  /** The proposal's id was derived from its title: on a clash, `-2`, `-3`, … is tried instead of a 409. */
  readonly generatedId?: boolean;
}

const MAX_GENERATED_ID_SUFFIX = 50;

/** Every development of a commitment, whatever its kind, goes through this one command. */
export class RecordDevelopment extends Command<DevelopmentRecorded> {
  constructor(
    readonly command: CommitmentCommand,
    readonly options: RecordDevelopmentOptions,
  ) {
    super();
  }
}

/**
 * Load → fold → decide → append, for every command. Without `If-Match`, a writer that loses a race
 * decides once more on the fresh stream (the development may still be legal), then gives up (409).
 */
@CommandHandler(RecordDevelopment)
export class RecordDevelopmentHandler implements ICommandHandler<RecordDevelopment, DevelopmentRecorded> {
  constructor(private readonly store: EventStore) {}

  async execute({ command, options }: RecordDevelopment): Promise<DevelopmentRecorded> {
    if (options.idempotency) {
      const replay = await this.store.findIdempotentResult(options.idempotency);
      if (replay) return answer(replay);
    }
    if (command.type !== 'ProposeCommitment' || !options.generatedId) return this.record(command, options);
    const base = command.data.commitmentId;
    for (let suffix = 1; ; suffix++) {
      const commitmentId = suffix === 1 ? base : `${base.slice(0, 80 - String(suffix).length - 1)}-${suffix}`;
      try {
        return await this.record({ ...command, data: { ...command.data, commitmentId } }, options);
      } catch (error) {
        if (!(error instanceof CommitmentAlreadyExistsError) || suffix >= MAX_GENERATED_ID_SUFFIX)
          throw error;
      }
    }
  }

  private async record(
    command: CommitmentCommand,
    options: RecordDevelopmentOptions,
  ): Promise<DevelopmentRecorded> {
    const commitmentId = command.data.commitmentId;
    const streamId = commitmentStreamId(commitmentId);
    for (let attempt = 0; ; attempt++) {
      const state = (await this.store.readStream(streamId))
        .map(toRecordedCommitmentEvent)
        .reduce(evolve, initialState);
      const version = state.events.length === 0 ? 0 : state.events[state.events.length - 1].version;
      if (version === 0 && command.type !== 'ProposeCommitment')
        throw new CommitmentNotFoundError(commitmentId);
      if (options.expectedVersion !== undefined && options.expectedVersion !== version) {
        throw new VersionMismatchError(commitmentId, options.expectedVersion, version);
      }
      const resolved = await this.resolveLookups(command);
      const now = new Date();
      const [event] = decide(resolved, state, { now });
      const recorded: RecordedCommitmentEvent = {
        eventId: randomUUID(),
        version: version + 1,
        occurredAt: toIsoInstant(command.data.occurredAt),
        recordedAt: now.toISOString(),
        recordedBy: options.metadata.recordedBy,
        event,
      };
      try {
        const result = await this.store.appendToStream(
          streamId,
          [
            {
              eventId: recorded.eventId,
              type: event.type,
              data: event.data,
              occurredAt: recorded.occurredAt,
            },
          ],
          {
            expectedVersion: version,
            metadata: options.metadata,
            idempotency: options.idempotency,
            projections: [commitmentStatusWrite(snapshotAfter(state, recorded))],
          },
        );
        return answer(result);
      } catch (error) {
        if (!(error instanceof ConcurrencyError)) throw error;
        if (options.expectedVersion !== undefined) {
          throw new VersionMismatchError(
            commitmentId,
            options.expectedVersion,
            error.actualVersion ?? version + 1,
          );
        }
        if (attempt >= 1) throw error;
      }
    }
  }

  /** Facts `decide` needs from outside its stream are looked up here, so that it stays pure. */
  private async resolveLookups(command: CommitmentCommand): Promise<CommitmentCommand> {
    if (command.type !== 'SupersedeCommitment') return command;
    const successorVersion = await this.store.streamVersion(commitmentStreamId(command.data.supersededBy));
    return { ...command, data: { ...command.data, successorExists: successorVersion > 0 } };
  }
}

function snapshotAfter(state: CommitmentState, recorded: RecordedCommitmentEvent) {
  const snapshot = foldCommitment([...state.events, recorded], {});
  if (!snapshot)
    throw new Error(`decide accepted an event that leaves ${state.id ?? 'a commitment'} unfolded`);
  return snapshot;
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
