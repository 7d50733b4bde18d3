import { randomUUID } from 'node:crypto';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventStore } from '../../event-store/event-store.js';
import { ConcurrencyError } from '../../event-store/event-store.errors.js';
import { StreamLocks } from '../../event-store/stream-locks.js';
import { uuidV7 } from '../../event-store/uuid-v7.js';
import type { AppendResult, EventMetadata } from '../../event-store/event-store.types.js';
import { commitmentIdOfStream, commitmentStreamId } from '../stream/commitment.stream.js';
import type { CommitmentCommand } from '../domain/commitment.commands.js';
import { type DecisionState, decide, evolve, needsHistory } from '../domain/commitment.decider.js';
import {
  CommitmentAlreadyExistsError,
  CommitmentBusyError,
  CommitmentNotFoundError,
  VersionMismatchError,
} from '../domain/shared/commitment.errors.js';
import type { RecordedCommitmentEvent, Source } from '../domain/commitment.events.js';
import { SourcesService } from '../../sources/sources.service.js';
import { toIsoInstant } from '../domain/shared/world-time.js';
import { CommitmentSnapshotStore } from '../read-models/commitment-status/commitment-snapshot-store.js';
import { commitmentStatusWrite } from '../read-models/commitment-status/commitment-status.projection.js';

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

const MAX_GENERATED_ID_SUFFIX = 50;

/**
 * How often a write without `If-Match` decides again after losing a race for the next version. Writers
 * of one commitment in one process take turns (`StreamLocks`), so only a writer in another instance can
 * get in first; each attempt decides on the commitment as it then stands, and the pause before each
 * retry is random and grows, so competing instances spread out instead of colliding again.
 */
export const MAX_WRITE_ATTEMPTS = 50;
const MAX_BACKOFF_MS = 100;

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

/**
 * Load → decide → append, for every command. The load is the commitment's stored snapshot when the new
 * entry lands at the end of world order (no stream read: the cost does not grow with the history), its
 * stream for a backdated entry or a retraction. Without `If-Match`, a writer that loses a race decides
 * again on the fresh state, up to {@link MAX_WRITE_ATTEMPTS} times.
 */
@CommandHandler(RecordDevelopment)
export class RecordDevelopmentHandler implements ICommandHandler<RecordDevelopment, DevelopmentRecorded> {
  constructor(
    private readonly store: EventStore,
    private readonly states: CommitmentSnapshotStore,
    private readonly locks: StreamLocks,
    private readonly sources: SourcesService,
  ) {}

  async execute(request: RecordDevelopment): Promise<DevelopmentRecorded> {
    const { command, options } = request;
    if (options.idempotency) {
      const replay = await this.store.findIdempotentResult(options.idempotency);
      if (replay) return answer(replay);
    }
    if (command.type !== 'ProposeCommitment' || !options.generatedId) return this.record(request, command);
    const base = command.data.commitmentId;
    for (let suffix = 1; ; suffix++) {
      const commitmentId = suffix === 1 ? base : `${base.slice(0, 80 - String(suffix).length - 1)}-${suffix}`;
      try {
        return await this.record(request, { ...command, data: { ...command.data, commitmentId } });
      } catch (error) {
        if (!(error instanceof CommitmentAlreadyExistsError) || suffix >= MAX_GENERATED_ID_SUFFIX)
          throw error;
      }
    }
  }

  private record(request: RecordDevelopment, command: CommitmentCommand): Promise<DevelopmentRecorded> {
    return this.locks.withLock(commitmentStreamId(command.data.commitmentId), () =>
      this.decideAndAppend(request, command),
    );
  }

  private async decideAndAppend(
    request: RecordDevelopment,
    command: CommitmentCommand,
  ): Promise<DevelopmentRecorded> {
    const { options } = request;
    const commitmentId = command.data.commitmentId;
    for (let attempt = 1; ; attempt++) {
      const state = await this.load(command);
      if (state.version === 0 && command.type !== 'ProposeCommitment')
        throw new CommitmentNotFoundError(commitmentId);
      if (options.expectedVersion !== undefined && options.expectedVersion !== state.version) {
        throw new VersionMismatchError(commitmentId, options.expectedVersion, state.version);
      }
      const now = new Date();
      const [event] = decide(await this.resolveLookups(command), state, { now });
      const recorded: RecordedCommitmentEvent = {
        eventId: uuidV7(now.getTime()),
        version: state.version + 1,
        occurredAt: toIsoInstant(command.data.occurredAt),
        recordedAt: now.toISOString(),
        recordedBy: options.metadata.recordedBy,
        event,
      };
      const after = evolve(state, recorded).current;
      if (!after) throw new Error(`decide accepted an event that leaves '${commitmentId}' unfolded`);
      try {
        const result = await this.store.appendToStream(
          commitmentStreamId(commitmentId),
          [
            {
              eventId: recorded.eventId,
              type: event.type,
              data: event.data,
              occurredAt: recorded.occurredAt,
            },
          ],
          {
            expectedVersion: state.version,
            metadata: { ...options.metadata, causationId: request.commandId },
            idempotency: options.idempotency,
            projections: [commitmentStatusWrite(after)],
          },
        );
        return answer(result);
      } catch (error) {
        if (!(error instanceof ConcurrencyError)) throw error;
        if (options.expectedVersion !== undefined) {
          throw new VersionMismatchError(
            commitmentId,
            options.expectedVersion,
            error.actualVersion ?? state.version + 1,
          );
        }
        if (attempt >= MAX_WRITE_ATTEMPTS) throw new CommitmentBusyError(commitmentId, attempt);
        await backOff(attempt);
      }
    }
  }

  private async load(command: CommitmentCommand): Promise<DecisionState> {
    const commitmentId = command.data.commitmentId;
    const state = await this.states.decisionState(commitmentId);
    return needsHistory(command, state) && state.history === 'unread'
      ? this.states.decisionStateWithHistory(commitmentId)
      : state;
  }

  /**
   * Facts `decide` needs from outside its stream are looked up here, so that it stays pure: whether a
   * successor exists, and whether a quote is in the text of the registered source it cites (a refusal
   * when it is not).
   */
  private async resolveLookups(command: CommitmentCommand): Promise<CommitmentCommand> {
    const source = (command.data as { source?: Source }).source;
    const cited =
      source?.sourceId === undefined
        ? command
        : ({
            ...command,
            data: {
              ...command.data,
              source: { ...source, ...(await this.sources.verifyCitation(source.sourceId, source.quote)) },
            },
          } as CommitmentCommand);
    if (cited.type !== 'SupersedeCommitment') return cited;
    const successorVersion = await this.store.streamVersion(commitmentStreamId(cited.data.supersededBy));
    return { ...cited, data: { ...cited.data, successorExists: successorVersion > 0 } };
  }
}

function backOff(attempt: number): Promise<void> {
  const ceiling = Math.min(MAX_BACKOFF_MS, 2 ** Math.min(attempt, 6));
  return new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
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
