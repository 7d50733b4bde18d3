import type { StreamFold } from '../../projections/stream-state.projection.js';
import {
  type CommitmentSnapshot,
  type CommitmentStatus,
  foldCommitment,
  liveEventsInWorldOrder,
} from '../commitment.decider.js';
import type { RecordedCommitmentEvent } from '../commitment.events.js';
import { commitmentIdOfStream, commitmentStreamId, toRecordedCommitmentEvent } from '../commitment.stream.js';
import { statusTimeline, type Timeline } from './status-timeline.js';

/** A commitment stream folded once for every read model built from it (follow-ups, party view). */
export interface FoldedCommitment {
  readonly commitmentId: string;
  readonly snapshot: CommitmentSnapshot;
  /** Live facts in world order (retractions applied). */
  readonly live: readonly RecordedCommitmentEvent[];
  readonly status: Timeline<CommitmentStatus>;
}

/** The fold of a commitment stream that the asynchronous read models share; null before the proposal. */
export const COMMITMENT_FOLD: StreamFold<FoldedCommitment> = {
  streamPrefix: commitmentStreamId(''),
  fold: (streamId, events) => {
    const commitmentId = commitmentIdOfStream(streamId);
    if (commitmentId === null) return null;
    const recorded = events.map(toRecordedCommitmentEvent);
    const snapshot = foldCommitment(recorded);
    if (snapshot === null) return null;
    return {
      commitmentId,
      snapshot,
      live: liveEventsInWorldOrder(recorded),
      status: statusTimeline(snapshot),
    };
  },
};
