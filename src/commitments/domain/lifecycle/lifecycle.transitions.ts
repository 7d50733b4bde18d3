import type { TransitionRules } from '../shared/development-rules.js';
import { everyPartyWithdrawnOn, isBound, participationOn } from '../shared/participation.js';
import {
  dateOfOrNull,
  firstRefusal,
  notAParty,
  type Refusal,
  refuse,
  refuseIfCompleted,
  refuseIfSuperseded,
} from '../shared/refusal.js';
import { type CommitmentSnapshot, recordOf } from '../shared/snapshot.js';
import type { IsoDate } from '../shared/vocabulary.js';
import { utcDateOf } from '../shared/world-time.js';
import type { LifecycleEvent } from './lifecycle.events.js';

/** What may follow what in a commitment's life (see transitions.ts). */

function refuseIfWithdrawn(snapshot: CommitmentSnapshot, date: IsoDate): Refusal | null {
  if (!everyPartyWithdrawnOn(snapshot, date)) return null;
  return refuse(
    'every party had withdrawn from it by then',
    'Record an accession first if a party has rejoined.',
  );
}

function refuseIfSuspended(snapshot: CommitmentSnapshot): Refusal | null {
  if (snapshot.suspendedSince === null) return null;
  return refuse(
    `it was suspended on ${utcDateOf(snapshot.suspendedSince)} and had not been resumed by then`,
    'Record the resumption first.',
  );
}

export const lifecycleTransitions: TransitionRules<LifecycleEvent> = {
  CommitmentProposed: (snapshot) => refuse(`it was already proposed on ${utcDateOf(snapshot.proposedAt)}`),
  StatementRecorded: () => null,
  FollowUpScheduled: () => null,
  ComplianceAssessed: (snapshot, { event }) =>
    recordOf(snapshot, event.data.party) ? null : notAParty(event.data.party),
  CommitmentAdopted: (snapshot, _recorded, date) =>
    firstRefusal(
      () => refuseIfSuperseded(snapshot),
      () => refuseIfCompleted(snapshot),
      () => refuseIfWithdrawn(snapshot, date),
      () => refuseIfSuspended(snapshot),
      () =>
        snapshot.stage === 'adopted' || snapshot.stage === 'in_progress'
          ? refuse(`it had already been adopted on ${dateOfOrNull(snapshot.adoptedAt)}`)
          : null,
    ),
  ProgressReported: (snapshot, _recorded, date) =>
    firstRefusal(
      () => refuseIfSuperseded(snapshot),
      () => refuseIfCompleted(snapshot),
      () => refuseIfWithdrawn(snapshot, date),
      () => refuseIfSuspended(snapshot),
    ),
  CommitmentCompleted: (snapshot, _recorded, date) =>
    firstRefusal(
      () => refuseIfSuperseded(snapshot),
      () => refuseIfCompleted(snapshot),
      () => refuseIfWithdrawn(snapshot, date),
      () => refuseIfSuspended(snapshot),
      () =>
        snapshot.stage === 'proposed' || snapshot.stage === 'under_negotiation'
          ? refuse('it has not been adopted by then', 'Record the adoption first (backdated if needed).')
          : null,
    ),
  CommitmentSuspended: (snapshot, { event }, date) =>
    firstRefusal(
      () => refuseIfSuperseded(snapshot),
      () => refuseIfCompleted(snapshot),
      () => refuseIfWithdrawn(snapshot, date),
      () => {
        const party = event.data.party;
        if (party === undefined) {
          return snapshot.suspendedSince === null
            ? null
            : refuse(`it had already been suspended on ${utcDateOf(snapshot.suspendedSince)}`);
        }
        const standing = participationOn(snapshot, party, date);
        if (standing === null || standing.participation === 'withdrawn' || !isBound(standing.participation))
          return notAParty(party);
        if (standing.participation === 'suspended') {
          return refuse(
            `${party} had already suspended its part on ${dateOfOrNull(recordOf(snapshot, party)?.suspendedSince ?? null)}`,
          );
        }
        return null;
      },
    ),
  CommitmentResumed: (snapshot, { event }) =>
    firstRefusal(
      () => refuseIfSuperseded(snapshot),
      () => {
        const party = event.data.party;
        if (party === undefined) {
          return snapshot.suspendedSince !== null
            ? null
            : refuse(
                'the commitment as a whole was not suspended by then',
                'A resumption must match an earlier suspension: name the party if only one party suspended its part.',
              );
        }
        return recordOf(snapshot, party)?.suspendedSince
          ? null
          : refuse(
              `${party} had not suspended its part by then`,
              'A resumption must match an earlier suspension: leave the party out to resume the whole commitment.',
            );
      },
    ),
  CommitmentSuperseded: (snapshot, { event }) => {
    if (event.data.supersededBy === snapshot.id) {
      return refuse('a commitment cannot supersede itself', "Name the successor commitment's id.");
    }
    return firstRefusal(
      () =>
        snapshot.supersededBy === null
          ? null
          : refuse(
              `it had already been superseded by '${snapshot.supersededBy}' on ${dateOfOrNull(snapshot.supersededAt)}`,
            ),
      () =>
        snapshot.completedAt === null
          ? null
          : refuse(
              `it had already been completed on ${utcDateOf(snapshot.completedAt)}, and a completed commitment is not superseded`,
              'Mention the follow-on commitment in a statement instead.',
            ),
    );
  },
  DeadlineSet: (snapshot) =>
    firstRefusal(
      () => refuseIfSuperseded(snapshot),
      () => refuseIfCompleted(snapshot),
    ),
};
