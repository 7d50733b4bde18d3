import type { TransitionRules } from '../shared/development-rules.js';
import { consentOn, participationOn } from '../shared/participation.js';
import {
  firstRefusal,
  type Refusal,
  refuse,
  refuseIfCompleted,
  refuseIfSuperseded,
} from '../shared/refusal.js';
import { type CommitmentSnapshot, recordOf } from '../shared/snapshot.js';
import {
  type AccessionAction,
  type ConsentAction,
  type IsoDate,
  isConsentAction,
  type PartyCode,
} from '../shared/vocabulary.js';
import type { ReservationMade, TreatyEvent } from './treaty.events.js';
import { reservationOf } from './treaty.snapshot.js';

/** What may follow what for signatures, instruments of consent and reservations (see transitions.ts). */

/** Consents that confirm an earlier signature: the party must have signed first. */
const CONSENTS_AFTER_SIGNATURE: readonly ConsentAction[] = ['ratification', 'acceptance', 'approval'];

/** A state whose consent is pending cannot join again; ratification, acceptance and approval need a signature. */
export function refuseAccession(
  snapshot: CommitmentSnapshot,
  joined: { readonly party: PartyCode; readonly action?: AccessionAction },
  date: IsoDate,
): Refusal | null {
  const record = recordOf(snapshot, joined.party);
  if (participationOn(snapshot, joined.party, date)?.participation === 'pending') {
    const consent = record ? consentOn(record, date) : null;
    return refuse(
      `${joined.party} had already deposited its instrument of consent on ${consent?.depositedOn ?? 'an earlier date'}, which had not taken effect yet`,
      'Retract that instrument first if it was recorded by mistake.',
    );
  }
  const action = joined.action;
  if (
    isConsentAction(action) &&
    CONSENTS_AFTER_SIGNATURE.includes(action) &&
    record?.signedOn === undefined
  ) {
    return refuse(
      `${joined.party} had not signed it by then, and an instrument of ${action} confirms a signature`,
      `Record the signature of ${joined.party} first, or record its consent as an accession.`,
    );
  }
  return null;
}

function refuseSignature(snapshot: CommitmentSnapshot, party: PartyCode): Refusal | null {
  const record = recordOf(snapshot, party);
  if (record?.signedOn !== undefined) return refuse(`${party} had already signed it on ${record.signedOn}`);
  const consent = record?.consents?.[0];
  if (consent !== undefined) {
    return refuse(
      `${party} had already consented to be bound (${consent.action.replace('_', ' ')} deposited on ${consent.depositedOn}), and a signature comes before consent`,
      'Date the signature before the instrument of consent.',
    );
  }
  return null;
}

/** The party made it must have signed or be a party; an objection answers a reservation in force. */
function refuseReservation(
  snapshot: CommitmentSnapshot,
  made: ReservationMade['data'],
  date: IsoDate,
): Refusal | null {
  if (participationOn(snapshot, made.party, date) === null) {
    return refuse(
      `${made.party} had neither signed it nor consented to be bound by then`,
      `Record the signature or the instrument of consent of ${made.party} first.`,
    );
  }
  if (made.kind !== 'objection' || made.objectsTo === undefined) return null;
  if (made.objectsTo === made.party) return refuse(`${made.party} cannot object to its own reservation`);
  const objected = snapshot.reservations.some(
    (reservation) =>
      reservation.party === made.objectsTo &&
      reservation.kind === 'reservation' &&
      reservation.withdrawnOn === null,
  );
  return objected
    ? null
    : refuse(
        `${made.objectsTo} had no reservation in force to object to by then`,
        `Record the reservation of ${made.objectsTo} first (backdated if needed).`,
      );
}

function refuseReservationWithdrawal(snapshot: CommitmentSnapshot, eventId: string): Refusal | null {
  const reservation = reservationOf(snapshot.reservations, eventId);
  if (reservation === undefined) {
    return refuse(
      `the reservation ${eventId} had not been made by then`,
      'Date the withdrawal on or after the reservation.',
    );
  }
  if (reservation.withdrawnOn !== null) {
    return refuse(
      `the ${reservation.kind} by ${reservation.party} had already been withdrawn on ${reservation.withdrawnOn}`,
    );
  }
  return null;
}

export const treatyTransitions: TransitionRules<TreatyEvent> = {
  PartySigned: (snapshot, { event }) =>
    firstRefusal(
      () => refuseIfSuperseded(snapshot),
      () => refuseIfCompleted(snapshot),
      () => refuseSignature(snapshot, event.data.party),
    ),
  ReservationMade: (snapshot, { event }, date) =>
    firstRefusal(
      () => refuseIfSuperseded(snapshot),
      () => refuseReservation(snapshot, event.data, date),
    ),
  ReservationWithdrawn: (snapshot, { event }) =>
    firstRefusal(
      () => refuseIfSuperseded(snapshot),
      () => refuseReservationWithdrawal(snapshot, event.data.eventId),
    ),
};
