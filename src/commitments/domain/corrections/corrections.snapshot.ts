import type { SnapshotChanges } from '../shared/development-rules.js';
import type { CommitmentSnapshot } from '../shared/snapshot.js';
import type { CorrectableDetails, CorrectionEvent } from './corrections.events.js';

/** The snapshot fields a correction of the proposal sets (only those it names). */
function correctedDetails(corrections: CorrectableDetails): Partial<CommitmentSnapshot> {
  return {
    ...(corrections.title !== undefined ? { title: corrections.title } : {}),
    ...(corrections.kind !== undefined ? { kind: corrections.kind } : {}),
    ...(corrections.proposedBy !== undefined ? { proposedBy: corrections.proposedBy } : {}),
    ...(corrections.summary !== undefined ? { summary: corrections.summary } : {}),
    ...(corrections.topics !== undefined ? { topics: [...corrections.topics] } : {}),
  };
}

/** A retraction changes nothing itself: the fold leaves out the event it retracts (commitment.fold.ts). */
export const correctionChanges: SnapshotChanges<CorrectionEvent> = {
  EntryRetracted: () => ({}),
  ProposalCorrected: (_base, { event }) => correctedDetails(event.data.corrections),
};
