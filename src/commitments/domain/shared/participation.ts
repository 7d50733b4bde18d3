import type { ConsentRecord, PartyRecord } from './party-record.js';
import { type CommitmentSnapshot, recordOf } from './snapshot.js';
import type { IsoDate, PartyCode } from './vocabulary.js';

/**
 * A party's standing on a date, read from its record: every family's rules ask it, and the status rules
 * (status-rules.ts) build the commitment's status on it.
 */

/** `signatory`: signed, not bound; `pending`: consent deposited, not yet in effect for the party. */
export type Participation = 'active' | 'withdrawing' | 'withdrawn' | 'suspended' | 'signatory' | 'pending';

export const PARTICIPATIONS: readonly Participation[] = [
  'active',
  'withdrawing',
  'withdrawn',
  'suspended',
  'signatory',
  'pending',
];

/** Standings of a state that is not (yet) bound: it counts as no party for the commitment's status. */
export function isBound(participation: Participation): boolean {
  return participation !== 'signatory' && participation !== 'pending';
}

/** A party's standing on a date; `null` from `participationOn` means it is not (yet) a party then. */
export interface PartyStanding {
  readonly participation: Participation;
  readonly joinedAt: IsoDate | null;
  readonly withdrewAt: IsoDate | null;
}

/**
 * A party's participation on `date`. Membership changes apply from their `effectiveOn`, in the order
 * they were announced; a change that takes effect clears any earlier-announced change still pending
 * (a rejoining announced before a pending withdrawal takes effect rescinds it). A state not bound on
 * `date` (never, or withdrawn) is `pending` while its latest instrument of consent deposited by then has
 * not taken effect, and `signatory` when it has signed and was never bound.
 */
export function participationOn(
  snapshot: CommitmentSnapshot,
  party: PartyCode,
  date: IsoDate,
): PartyStanding | null {
  const record = recordOf(snapshot, party);
  if (!record) return null;
  const membership = membershipOn(record, date);
  if (membership !== null && membership.participation !== 'withdrawn') return membership;
  const consent = consentOn(record, date);
  if (consent !== null && (consent.effectiveOn === null || consent.effectiveOn > date)) {
    return { participation: 'pending', joinedAt: null, withdrewAt: null };
  }
  if (membership === null && record.signedOn !== undefined && record.signedOn <= date) {
    return { participation: 'signatory', joinedAt: null, withdrewAt: null };
  }
  return membership;
}

/** The latest instrument of consent the party had deposited by `date`. */
export function consentOn(record: PartyRecord, date: IsoDate): ConsentRecord | null {
  let latest: ConsentRecord | null = null;
  for (const consent of record.consents ?? []) if (consent.depositedOn <= date) latest = consent;
  return latest;
}

function membershipOn(record: PartyRecord, date: IsoDate): PartyStanding | null {
  let everEffective = false;
  let member = false;
  let joinedAt: IsoDate | null = null;
  let withdrewAt: IsoDate | null = null;
  let pendingWithdrawal: IsoDate | null = null;
  for (const change of record.changes) {
    if (change.effectiveOn === null || change.effectiveOn <= date) {
      everEffective = true;
      member = change.kind === 'joined';
      if (member) {
        joinedAt = change.effectiveOn;
        withdrewAt = null;
      } else {
        withdrewAt = change.effectiveOn;
      }
      pendingWithdrawal = null;
    } else if (change.kind === 'withdrew' && pendingWithdrawal === null) {
      pendingWithdrawal = change.effectiveOn;
    }
  }
  if (!everEffective) return null;
  if (!member) return { participation: 'withdrawn', joinedAt, withdrewAt };
  if (pendingWithdrawal !== null)
    return { participation: 'withdrawing', joinedAt, withdrewAt: pendingWithdrawal };
  return { participation: record.suspendedSince ? 'suspended' : 'active', joinedAt, withdrewAt: null };
}

/** Every party that is a party on `date` has withdrawn (and there is at least one). */
export function everyPartyWithdrawnOn(snapshot: CommitmentSnapshot, date: IsoDate): boolean {
  let parties = 0;
  for (const record of snapshot.parties) {
    const standing = participationOn(snapshot, record.party, date);
    if (standing === null || !isBound(standing.participation)) continue;
    if (standing.participation !== 'withdrawn') return false;
    parties++;
  }
  return parties > 0;
}
