import type { IsoDate, IsoInstant, PartyCode, RecordedCommitmentEvent } from './commitment.events.js';
import { type CommitmentSnapshot, recordOf } from './commitment.snapshot.js';
import { everyPartyWithdrawnOn, isBound, participationOn } from './status-rules.js';
import { type Refusal, refuse } from './refusal.js';
import {
  refuseAccession,
  refuseReservation,
  refuseReservationWithdrawal,
  refuseSignature,
} from './treaty.transitions.js';
import { utcDateOf } from './world-time.js';

/**
 * What may follow what: whether one development is legal after the fold of everything before it in
 * world order. The decider asks this of a new entry, and of every later entry a backdated one precedes.
 */

export type { Refusal } from './refusal.js';

function dateOfOrNull(instant: IsoInstant | null): string {
  return instant === null ? 'an unknown date' : utcDateOf(instant);
}

function refuseIfSuperseded(snapshot: CommitmentSnapshot): Refusal | null {
  if (snapshot.supersededBy === null) return null;
  return refuse(
    `it was superseded by '${snapshot.supersededBy}' on ${dateOfOrNull(snapshot.supersededAt)}, and a superseded commitment takes no further developments`,
    'Only statements, compliance assessments, follow-ups and retractions can still be recorded on it.',
  );
}

function refuseIfCompleted(snapshot: CommitmentSnapshot): Refusal | null {
  if (snapshot.completedAt === null) return null;
  return refuse(
    `it had already been completed on ${dateOfOrNull(snapshot.completedAt)}`,
    'Only statements, compliance assessments, follow-ups and retractions can still be recorded on it.',
  );
}

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

function firstRefusal(...checks: Array<() => Refusal | null>): Refusal | null {
  for (const check of checks) {
    const refusal = check();
    if (refusal) return refusal;
  }
  return null;
}

function notAParty(party: PartyCode): Refusal {
  return refuse(`${party} was not a party to it by then`, `Record the accession of ${party} first.`);
}

/**
 * Whether `recorded` may follow `snapshot` (the fold of everything before it in world order).
 * Effective dates are judged on the step's own date. Returns null when legal.
 */
export function checkTransition(
  snapshot: CommitmentSnapshot | null,
  recorded: RecordedCommitmentEvent,
): Refusal | null {
  const { event } = recorded;
  if (snapshot === null) {
    return event.type === 'CommitmentProposed'
      ? null
      : refuse('it had not been proposed yet by then', 'Every entry must be dated on or after the proposal.');
  }
  const date = utcDateOf(recorded.occurredAt);
  switch (event.type) {
    case 'CommitmentProposed':
      return refuse(`it was already proposed on ${utcDateOf(snapshot.proposedAt)}`);
    case 'StatementRecorded':
    case 'FollowUpScheduled':
    case 'EntryRetracted':
    case 'ProposalCorrected':
      return null;
    case 'ComplianceAssessed':
      return recordOf(snapshot, event.data.party) ? null : notAParty(event.data.party);
    case 'CommitmentAdopted':
      return firstRefusal(
        () => refuseIfSuperseded(snapshot),
        () => refuseIfCompleted(snapshot),
        () => refuseIfWithdrawn(snapshot, date),
        () => refuseIfSuspended(snapshot),
        () =>
          snapshot.stage === 'adopted' || snapshot.stage === 'in_progress'
            ? refuse(`it had already been adopted on ${dateOfOrNull(snapshot.adoptedAt)}`)
            : null,
      );
    case 'ProgressReported':
      return firstRefusal(
        () => refuseIfSuperseded(snapshot),
        () => refuseIfCompleted(snapshot),
        () => refuseIfWithdrawn(snapshot, date),
        () => refuseIfSuspended(snapshot),
      );
    case 'CommitmentCompleted':
      return firstRefusal(
        () => refuseIfSuperseded(snapshot),
        () => refuseIfCompleted(snapshot),
        () => refuseIfWithdrawn(snapshot, date),
        () => refuseIfSuspended(snapshot),
        () =>
          snapshot.stage === 'proposed' || snapshot.stage === 'under_negotiation'
            ? refuse('it has not been adopted by then', 'Record the adoption first (backdated if needed).')
            : null,
      );
    case 'PartyWithdrew':
      return firstRefusal(
        () => refuseIfSuperseded(snapshot),
        () => refuseIfCompleted(snapshot),
        () => {
          const standing = participationOn(snapshot, event.data.party, date);
          if (standing === null || !isBound(standing.participation)) return notAParty(event.data.party);
          if (standing.participation === 'withdrawn') {
            return refuse(
              `${event.data.party} had already withdrawn (effective ${standing.withdrewAt ?? 'from the start'})`,
              `Record its accession first if ${event.data.party} rejoined in between.`,
            );
          }
          return null;
        },
      );
    case 'PartyJoined':
      return firstRefusal(
        () => refuseIfSuperseded(snapshot),
        () => refuseIfCompleted(snapshot),
        () => refuseAccession(snapshot, event.data, date),
        () => {
          const standing = participationOn(snapshot, event.data.party, date);
          if (standing?.participation === 'active' || standing?.participation === 'suspended') {
            return refuse(
              `${event.data.party} was already a party to it by then`,
              standing.participation === 'suspended'
                ? `Record a resumption by ${event.data.party} instead.`
                : undefined,
            );
          }
          return null;
        },
      );
    case 'CommitmentSuspended':
      return firstRefusal(
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
      );
    case 'CommitmentResumed':
      return firstRefusal(
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
      );
    case 'CommitmentSuperseded':
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
    case 'DeadlineSet':
      return firstRefusal(
        () => refuseIfSuperseded(snapshot),
        () => refuseIfCompleted(snapshot),
      );
    case 'PartySigned':
      return firstRefusal(
        () => refuseIfSuperseded(snapshot),
        () => refuseIfCompleted(snapshot),
        () => refuseSignature(snapshot, event.data.party),
      );
    case 'ReservationMade':
      return firstRefusal(
        () => refuseIfSuperseded(snapshot),
        () => refuseReservation(snapshot, event.data, date),
      );
    case 'ReservationWithdrawn':
      return firstRefusal(
        () => refuseIfSuperseded(snapshot),
        () => refuseReservationWithdrawal(snapshot, event.data.eventId),
      );
    default: {
      const unreachable: never = event;
      throw new Error(`Unknown commitment event ${JSON.stringify(unreachable)}`);
    }
  }
}
