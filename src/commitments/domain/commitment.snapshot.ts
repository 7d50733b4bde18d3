import { type CommitmentEvent, type RecordedCommitmentEvent, unknownEvent } from './commitment.events.js';
import { correctionChanges } from './corrections/corrections.development-rules.js';
import { lifecycleChanges, proposedSnapshot } from './lifecycle/lifecycle.development-rules.js';
import { membershipChanges } from './membership/membership.development-rules.js';
import { scheduleChanges } from './schedule/schedule.development-rules.js';
import { caseFor, caseTable, type SnapshotChanges } from './shared/development-rules.js';
import type { CommitmentSnapshot } from './shared/snapshot.js';
import type { IsoInstant } from './shared/vocabulary.js';
import { instantMs } from './shared/world-time.js';
import { treatyChanges } from './treaty/treaty.development-rules.js';

// The snapshot's shape is shared by every family (shared/snapshot.ts); the rest of the app imports it here.
export { type CommitmentSnapshot, SNAPSHOT_SCHEMA } from './shared/snapshot.js';

const snapshotChanges = caseTable({
  ...lifecycleChanges,
  ...scheduleChanges,
  ...membershipChanges,
  ...treatyChanges,
  ...correctionChanges,
} satisfies SnapshotChanges<CommitmentEvent>);

type SnapshotChange = (
  base: CommitmentSnapshot,
  recorded: RecordedCommitmentEvent,
) => Partial<CommitmentSnapshot>;

function later(a: IsoInstant, b: IsoInstant): IsoInstant {
  return instantMs(b) < instantMs(a) ? a : b;
}

/**
 * Applies one live event, next in world order, to the snapshot, without judging it (see
 * `checkTransition`). Returns null only while nothing has been proposed yet; an event before the
 * proposal is then skipped.
 */
export function apply(
  snapshot: CommitmentSnapshot | null,
  recorded: RecordedCommitmentEvent,
): CommitmentSnapshot | null {
  if (snapshot === null) {
    const { event } = recorded;
    return event.type === 'CommitmentProposed' ? proposedSnapshot(recorded, event.data) : null;
  }
  const next = { ...snapshot };
  applyInPlace(next, recorded);
  return next;
}

/** A snapshot being folded, owned by the fold alone. */
export type WorkingSnapshot = { -readonly [Field in keyof CommitmentSnapshot]: CommitmentSnapshot[Field] };

/**
 * {@link apply} on a working copy that no one else holds, changing it in place: a fold copies the
 * snapshot once rather than once per event.
 */
export function applyInPlace(target: WorkingSnapshot, recorded: RecordedCommitmentEvent): void {
  const { event, occurredAt } = recorded;
  const changes = caseFor<SnapshotChange>(snapshotChanges, event, unknownEvent)(target, recorded);
  target.version = Math.max(target.version, recorded.version);
  target.eventCount += 1;
  // A correction of the proposal has no place in world order; a follow-up is no development of the world.
  if (event.type !== 'ProposalCorrected') {
    if (event.type !== 'FollowUpScheduled')
      target.lastDevelopmentAt = later(target.lastDevelopmentAt, occurredAt);
    target.lastOccurredAt = later(target.lastOccurredAt, occurredAt);
  }
  Object.assign(target, changes);
}
