import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '../../../database/database.module.js';
import { EventStore } from '../../../event-store/event-store.js';
import type { RecordedEvent } from '../../../event-store/event-store.types.js';
import type { StreamStates, VersionedState } from '../../../projections/stream-read-model.js';
import {
  COMMITMENT_STREAM_PREFIX,
  commitmentIdOfStream,
  commitmentStreamId,
  toRecordedCommitmentEvent,
} from '../../stream/commitment.stream.js';
import {
  type DecisionState,
  decisionStateFromSnapshot,
  decisionStateFromStream,
} from '../../domain/commitment.decider.js';
import { foldCommitment } from '../../domain/commitment.fold.js';
import { type CommitmentSnapshot, SNAPSHOT_SCHEMA } from '../../domain/commitment.snapshot.js';

/** Commitments per query when reading every state. */
const PAGE = 1000;

interface StoredRow {
  id: string;
  snapshot: CommitmentSnapshot;
  snapshot_schema: number;
}

/**
 * The current state of each commitment: the snapshot its inline projection writes with every append,
 * or, where that row is missing or of an older snapshot schema (written by an earlier version, or by
 * appends that bypassed the command path), the fold of its stream. Writes decide from it, a plain GET
 * shows it, and the asynchronous read models derive their rows from it, so none of them costs more for
 * a long history.
 */
@Injectable()
export class CommitmentSnapshotStore implements StreamStates<CommitmentSnapshot> {
  readonly streamPrefix = COMMITMENT_STREAM_PREFIX;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly store: EventStore,
  ) {}

  /** The stored snapshot, when there is one of the current schema. */
  async storedSnapshot(commitmentId: string): Promise<CommitmentSnapshot | null> {
    const { rows } = await this.pool.query<StoredRow>({
      name: 'commitment_states_one',
      text: 'SELECT id, snapshot, snapshot_schema FROM commitment_status WHERE id = $1',
      values: [commitmentId],
    });
    return rows.length === 1 && rows[0].snapshot_schema === SNAPSHOT_SCHEMA ? rows[0].snapshot : null;
  }

  /** The commitment as it stands; null when it does not exist. */
  async current(commitmentId: string): Promise<CommitmentSnapshot | null> {
    return (
      (await this.storedSnapshot(commitmentId)) ?? (await this.decisionStateWithHistory(commitmentId)).current
    );
  }

  /** What the decider needs for an entry at the end of world order: the stored snapshot when it can. */
  async decisionState(commitmentId: string): Promise<DecisionState> {
    const stored = await this.storedSnapshot(commitmentId);
    return stored ? decisionStateFromSnapshot(stored) : this.decisionStateWithHistory(commitmentId);
  }

  /**
   * The decision states of many commitments at once (a bulk import's batch): their stored snapshots in one
   * query, and in one more the streams of those `withHistory` picks (its entries are backdated or
   * retractions) or whose row is missing or of an older schema. A commitment that does not exist has the
   * initial state.
   */
  async decisionStates(
    commitmentIds: readonly string[],
    withHistory: (commitmentId: string, snapshot: CommitmentSnapshot) => boolean,
  ): Promise<Map<string, DecisionState>> {
    const { rows } = await this.pool.query<StoredRow>({
      name: 'commitment_states_many',
      text: 'SELECT id, snapshot, snapshot_schema FROM commitment_status WHERE id = ANY($1::text[])',
      values: [commitmentIds],
    });
    const states = new Map<string, DecisionState>();
    for (const row of rows) {
      if (row.snapshot_schema === SNAPSHOT_SCHEMA && !withHistory(row.id, row.snapshot))
        states.set(row.id, decisionStateFromSnapshot(row.snapshot));
    }
    const unread = commitmentIds.filter((id) => !states.has(id));
    if (unread.length === 0) return states;
    const streams = await this.store.readStreams(unread.map(commitmentStreamId));
    for (const id of unread) {
      const events = streams.get(commitmentStreamId(id)) ?? [];
      states.set(id, decisionStateFromStream(events.map(toRecordedCommitmentEvent)));
    }
    return states;
  }

  /** The state with the stream's events, for backdated entries and retractions. */
  async decisionStateWithHistory(commitmentId: string): Promise<DecisionState> {
    const events = await this.store.readStream(commitmentStreamId(commitmentId));
    return decisionStateFromStream(events.map(toRecordedCommitmentEvent));
  }

  async load(streamIds: readonly string[]): Promise<Map<string, VersionedState<CommitmentSnapshot>>> {
    const ids = streamIds.flatMap((streamId) => commitmentIdOfStream(streamId) ?? []);
    const { rows } = await this.pool.query<StoredRow>({
      name: 'commitment_states_many',
      text: 'SELECT id, snapshot, snapshot_schema FROM commitment_status WHERE id = ANY($1::text[])',
      values: [ids],
    });
    const states = new Map<string, VersionedState<CommitmentSnapshot>>();
    for (const row of rows) {
      if (row.snapshot_schema !== SNAPSHOT_SCHEMA) continue;
      states.set(commitmentStreamId(row.id), { version: row.snapshot.version, state: row.snapshot });
    }
    const unfolded = ids.map(commitmentStreamId).filter((streamId) => !states.has(streamId));
    if (unfolded.length === 0) return states;
    for (const [streamId, events] of await this.store.readStreams(unfolded)) {
      states.set(streamId, {
        version: events[events.length - 1].streamVersion,
        state: this.foldEvents(streamId, events),
      });
    }
    return states;
  }

  foldEvents(_streamId: string, events: readonly RecordedEvent[]): CommitmentSnapshot | null {
    return foldCommitment(events.map(toRecordedCommitmentEvent));
  }

  async forEach(
    onState: (streamId: string, state: VersionedState<CommitmentSnapshot>) => void,
  ): Promise<void> {
    // From the log rather than the table: a stream whose row is missing is folded, not left out.
    const streamIds = await this.store.streamIdsStartingWith(COMMITMENT_STREAM_PREFIX);
    for (let start = 0; start < streamIds.length; start += PAGE) {
      for (const [streamId, state] of await this.load(streamIds.slice(start, start + PAGE)))
        onState(streamId, state);
    }
  }
}
