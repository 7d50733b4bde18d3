import { Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { EventStore } from '../../event-store/event-store.js';
import type { StoredIdempotency } from '../../event-store/event-store.errors.js';
import type { AppendResult, EventMetadata, Idempotency } from '../../event-store/event-store.types.js';
import { StreamLocks } from '../../event-store/stream-locks.js';
import { SourcesService } from '../../sources/sources.service.js';
import type { CommitmentCommand } from '../domain/commitment.commands.js';
import {
  CommitmentAlreadyExistsError,
  CommitmentNotFoundError,
  VersionMismatchError,
} from '../domain/shared/commitment.errors.js';
import type { Source } from '../domain/commitment.events.js';
import { CommitmentSnapshotStore } from '../read-models/commitment-status/commitment-snapshot-store.js';
import { commitmentStreamId } from '../stream/commitment.stream.js';
import { type CommitmentStreams, handleCommitment } from './command-handling.js';
import { CommandSequence } from './command-sequence.js';
import { decideInOrder, type DecisionLookups } from './decide-in-order.js';
import { generatedIdWithSuffix, MAX_GENERATED_ID_SUFFIX } from './generated-ids.js';

export interface RecordOptions {
  /** From `If-Match`: the version the client saw; a different current version is refused, not retried. */
  readonly expectedVersion?: number;
  /** The request's `Idempotency-Key`: a retry answers the first append's result and appends nothing. */
  readonly idempotency?: Idempotency;
  /** Who records it, and the correlation id of what it is part of (a request, an import, a seed run). */
  readonly metadata: Omit<EventMetadata, 'causationId'> & { readonly recordedBy: string };
  /** The proposal's id was derived from its title: on a clash, `-2`, `-3`, … is tried instead of a 409. */
  readonly generatedId?: boolean;
  /** The command's own id: the causation of the event it records. */
  readonly causationId: string;
}

const NO_RECORDS: ReadonlyMap<string, StoredIdempotency> = new Map();

/**
 * The one writer of commitments: every development, from the API, the seed or an import, is decided and
 * appended through {@link handleCommitment}. One command at a time ({@link record}), or many in their
 * order with an outcome each ({@link sequence}).
 */
@Injectable()
export class CommitmentWriter {
  private readonly streams: CommitmentStreams;

  constructor(
    store: EventStore,
    snapshots: CommitmentSnapshotStore,
    locks: StreamLocks,
    private readonly sources: SourcesService,
  ) {
    this.streams = { store, snapshots, locks };
  }

  /**
   * This writer, reading and appending through another pool (a long import, on the background pool);
   * it takes turns with this one on each stream.
   */
  through(pool: Pool): CommitmentWriter {
    const store = this.streams.store.through(pool);
    return new CommitmentWriter(
      store,
      new CommitmentSnapshotStore(pool, store),
      this.streams.locks,
      this.sources,
    );
  }

  /** Records one command; a refusal is thrown. An `Idempotency-Key` retry returns the first result. */
  async record(command: CommitmentCommand, options: RecordOptions): Promise<AppendResult> {
    if (options.idempotency) {
      const replay = await this.streams.store.findIdempotentResult(options.idempotency);
      if (replay) return replay;
    }
    if (command.type !== 'ProposeCommitment' || !options.generatedId) return this.recordOne(command, options);
    const base = command.data.commitmentId;
    for (let suffix = 1; ; suffix++) {
      const commitmentId = generatedIdWithSuffix(base, suffix);
      try {
        return await this.recordOne({ ...command, data: { ...command.data, commitmentId } }, options);
      } catch (error) {
        if (!(error instanceof CommitmentAlreadyExistsError) || suffix >= MAX_GENERATED_ID_SUFFIX)
          throw error;
      }
    }
  }

  /** Many commands in their order, batch by batch, each with its outcome (see {@link CommandSequence}). */
  sequence(metadata: { readonly recordedBy: string; readonly correlationId: string }): CommandSequence {
    return new CommandSequence(this.streams, this.sources, metadata);
  }

  private async recordOne(command: CommitmentCommand, options: RecordOptions): Promise<AppendResult> {
    const commitmentId = command.data.commitmentId;
    const lookups = await this.lookupsOf(command, options.metadata.recordedBy);
    const { result } = await handleCommitment(
      this.streams,
      commitmentId,
      (state) => {
        if (state.version === 0 && command.type !== 'ProposeCommitment')
          throw new CommitmentNotFoundError(commitmentId);
        if (options.expectedVersion !== undefined && options.expectedVersion !== state.version)
          throw new VersionMismatchError(commitmentId, options.expectedVersion, state.version);
        const entry = { line: 1, command, causationId: options.causationId };
        const decision = decideInOrder(commitmentId, [entry], state, lookups);
        const outcome = decision.outcomes.get(entry.line);
        if (outcome?.status === 'refused') throw outcome.error;
        return decision;
      },
      { metadata: options.metadata, idempotency: options.idempotency, ifMatch: options.expectedVersion },
    );
    if (!result) throw new Error(`a command on '${commitmentId}' was neither refused nor appended`);
    return result;
  }

  /**
   * Facts `decide` needs from outside the stream, read before it so that it stays pure: whether a
   * successor exists, and the text of the registered source a citation names.
   */
  private async lookupsOf(command: CommitmentCommand, recordedBy: string): Promise<DecisionLookups> {
    const sourceId = (command.data as { source?: Source }).source?.sourceId;
    const checkCitation = await this.sources.citationChecker(sourceId === undefined ? [] : [sourceId]);
    const successorExists =
      command.type === 'SupersedeCommitment' &&
      (await this.streams.store.streamVersion(commitmentStreamId(command.data.supersededBy))) > 0;
    return {
      recordedBy,
      stored: NO_RECORDS,
      successorExists: () => successorExists,
      refusedAt: undefined,
      checkCitation,
      now: () => new Date(),
    };
  }
}
