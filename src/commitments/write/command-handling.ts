import type { EventStore } from '../../event-store/event-store.js';
import {
  ConcurrencyError,
  IdempotentEventsPresentError,
  type StoredIdempotency,
} from '../../event-store/event-store.errors.js';
import type { AppendResult, EventMetadata, Idempotency } from '../../event-store/event-store.types.js';
import type { StreamLocks } from '../../event-store/stream-locks.js';
import type { DecisionState } from '../domain/commitment.decider.js';
import { CommitmentBusyError, VersionMismatchError } from '../domain/shared/commitment.errors.js';
import type { CommitmentSnapshotStore } from '../read-models/commitment-status/commitment-snapshot-store.js';
import { commitmentStreamId } from '../stream/commitment.stream.js';
import { type Decision, HistoryNeeded } from './decide-in-order.js';

/**
 * How often a write decides again after losing a race for the next version. Writers of one commitment
 * in one process take turns (`StreamLocks`), so only a writer in another instance can get in first;
 * each attempt decides on the commitment as it then stands, and the pause before each retry is random
 * and grows, so competing instances spread out instead of colliding again.
 */
export const MAX_WRITE_ATTEMPTS = 50;
const MAX_BACKOFF_MS = 100;

/** What the writer reads and appends through. */
export interface CommitmentStreams {
  readonly store: EventStore;
  readonly snapshots: CommitmentSnapshotStore;
  /** The turns of this process's writers on each stream. */
  readonly locks: StreamLocks;
}

export interface HandleOptions {
  /** The decision state read already (a batch's); otherwise the commitment's is read here. */
  readonly loaded?: DecisionState;
  readonly metadata: EventMetadata;
  /** One idempotency record for the whole append (an API request's `Idempotency-Key`). */
  readonly idempotency?: Idempotency;
  /** From `If-Match`: a lost race is then a {@link VersionMismatchError}, not decided again. */
  readonly ifMatch?: number;
  /** Records of the events' own keys that another writer stored first; the next decision counts them present. */
  onPresent?(records: readonly StoredIdempotency[]): void;
}

/**
 * The one write loop of commitments, in the shape of Emmett's command handling: load the decision state
 * (the stored snapshot, or the stream when a command needs its history), decide one command or many
 * (`decideAll`, which evolves the state as it goes), and append the events with the version the
 * decision was made on as the expected version. The store writes the commitment's inline read models
 * from the state after them, passed along. A lost race is decided again on the fresh state, up to
 * {@link MAX_WRITE_ATTEMPTS} times; the commitment's writers in this process take turns.
 */
export function handleCommitment(
  streams: CommitmentStreams,
  commitmentId: string,
  decideAll: (state: DecisionState) => Decision,
  options: HandleOptions,
): Promise<{ readonly decision: Decision; readonly result: AppendResult | null }> {
  const streamId = commitmentStreamId(commitmentId);
  return streams.locks.withLock(streamId, async () => {
    let state = options.loaded ?? (await streams.snapshots.decisionState(commitmentId));
    for (let attempt = 1; ; attempt++) {
      let decision: Decision;
      try {
        decision = decideAll(state);
      } catch (error) {
        if (!(error instanceof HistoryNeeded)) throw error;
        state = await streams.snapshots.decisionStateWithHistory(commitmentId);
        continue;
      }
      if (decision.events.length === 0) return { decision, result: null };
      const after = decision.state.current;
      if (!after) throw new Error(`decide accepted events that leave '${commitmentId}' unfolded`);
      try {
        const result = await streams.store.appendToStream(streamId, decision.events, {
          expectedVersion: state.version,
          metadata: options.metadata,
          idempotency: options.idempotency,
          state: after,
        });
        return { decision, result };
      } catch (error) {
        if (error instanceof IdempotentEventsPresentError && options.onPresent) {
          options.onPresent(error.present);
        } else if (!(error instanceof ConcurrencyError)) {
          throw error;
        } else if (options.ifMatch !== undefined) {
          const actual = error.actualVersion ?? state.version + 1;
          throw new VersionMismatchError(commitmentId, options.ifMatch, actual);
        }
        if (attempt >= MAX_WRITE_ATTEMPTS) throw new CommitmentBusyError(commitmentId, attempt);
        await backOff(attempt);
        state = await streams.snapshots.decisionState(commitmentId);
      }
    }
  });
}

function backOff(attempt: number): Promise<void> {
  const ceiling = Math.min(MAX_BACKOFF_MS, 2 ** Math.min(attempt, 6));
  return new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
}
