import { bodyOf, type Command, type CommandAddress } from '../shared/command.js';
import { ReservationNotFoundError } from '../shared/commitment.errors.js';
import type {
  Descriptions,
  CommandRules,
  SnapshotChanges,
  TransitionRules,
} from '../shared/development-rules.js';
import type { DomainEvent, Provenance } from '../shared/domain-event.js';
import { consentOn, participationOn } from '../shared/participation.js';
import { type PartyRecord, withMembershipChange, withPartyRecord } from '../shared/party-record.js';
import {
  firstRefusal,
  type Refusal,
  refuse,
  refuseIfCompleted,
  refuseIfSuperseded,
} from '../shared/refusal.js';
import {
  type EntryIntoForce,
  type ReservationRecord,
  type CommitmentSnapshot,
  recordOf,
} from '../shared/snapshot.js';
import {
  type PartyCode,
  type ReservationKind,
  type ConsentAction,
  type EntryIntoForceRule,
  type IsoDate,
  type IsoInstant,
  type AccessionAction,
  isConsentAction,
} from '../shared/vocabulary.js';
import { addDays, addMonths, utcDateOf } from '../shared/world-time.js';

/**
 * The treaty's own developments: signatures and reservations. Instruments of consent are accessions
 * (membership/) that the treaty rules count towards entry into force (`withConsent`).
 */

/** The party signed: it is a signatory, not bound. */
export type PartySigned = DomainEvent<'PartySigned', Provenance & { party: PartyCode }>;

/** `objectsTo` (objections only): the party whose reservation is objected to. */
export type ReservationMade = DomainEvent<
  'ReservationMade',
  Provenance & { party: PartyCode; kind: ReservationKind; text: string; objectsTo?: PartyCode }
>;

/** Withdraws the reservation, declaration or objection recorded as event `eventId`. */
export type ReservationWithdrawn = DomainEvent<'ReservationWithdrawn', Provenance & { eventId: string }>;

export type TreatyEvent = PartySigned | ReservationMade | ReservationWithdrawn;

export const treatyDescriptions: Descriptions<TreatyEvent> = {
  PartySigned: ({ data }) => `the signature by ${data.party}`,
  ReservationMade: ({ data }) => `the ${data.kind} by ${data.party}`,
  ReservationWithdrawn: ({ data }) => `the withdrawal of reservation ${data.eventId}`,
};

export type SignAgreement = Command<'SignAgreement', CommandAddress & PartySigned['data']>;
export type MakeReservation = Command<'MakeReservation', CommandAddress & ReservationMade['data']>;
export type WithdrawReservation = Command<
  'WithdrawReservation',
  CommandAddress & ReservationWithdrawn['data']
>;

export type TreatyCommand = SignAgreement | MakeReservation | WithdrawReservation;

export const treatyCommands: CommandRules<TreatyCommand, TreatyEvent> = {
  SignAgreement: { eventFor: ({ data }) => ({ type: 'PartySigned', data: bodyOf(data) }) },
  MakeReservation: { eventFor: ({ data }) => ({ type: 'ReservationMade', data: bodyOf(data) }) },
  WithdrawReservation: {
    eventFor: ({ data }) => ({ type: 'ReservationWithdrawn', data: bodyOf(data) }),
    /** The reservation must be in the commitment's fold: an unknown (or retracted) one is not found. */
    decide(command, event, decision) {
      const { commitmentId, eventId } = command.data;
      if (!reservationOf(decision.current?.reservations ?? [], eventId)) {
        throw new ReservationNotFoundError(commitmentId, eventId);
      }
      decision.refuseIfIllegalInWorldOrder(event);
      return event;
    },
  },
};

/**
 * How the treaty events change a commitment's fold: signatures, instruments of consent and the
 * agreement's entry into force, reservations. The rules that read them on a date are in status-rules.ts.
 */

/** The rule's period after `date`: days, or calendar months clamped to the end of a shorter month. */
function afterEntryIntoForcePeriod(rule: EntryIntoForceRule, date: IsoDate): IsoDate {
  return rule.monthsAfter !== undefined
    ? addMonths(date, rule.monthsAfter)
    : addDays(date, rule.daysAfter ?? 0);
}

/**
 * When a consent deposited on `depositedOn` takes effect, explicit `effectiveOn` aside: on deposit without
 * a rule; under one, on the later of the agreement's entry into force and the deposit plus the rule's
 * period; null while the agreement awaits entry into force.
 */
function consentEffectiveOn(entryIntoForce: EntryIntoForce | null, depositedOn: IsoDate): IsoDate | null {
  if (entryIntoForce === null) return depositedOn;
  if (entryIntoForce.inForceOn === null) return null;
  const own = afterEntryIntoForcePeriod(entryIntoForce.rule, depositedOn);
  return own > entryIntoForce.inForceOn ? own : entryIntoForce.inForceOn;
}

export interface ConsentDeposit {
  readonly action: ConsentAction;
  readonly depositedOn: IsoDate;
  /** The explicit effective date, if one was given. */
  readonly effectiveOn: IsoDate | null;
  readonly announcedAt: IsoInstant;
}

interface TreatyParties {
  readonly parties: readonly PartyRecord[];
  readonly entryIntoForce: EntryIntoForce | null;
}

/** Consents that were waiting for the agreement to enter into force take effect on `inForceOn`. */
function withAwaitingConsentsEffective(
  parties: readonly PartyRecord[],
  inForceOn: IsoDate,
  announcedAt: IsoInstant,
): PartyRecord[] {
  return parties.reduce<PartyRecord[]>(
    (records, record) => {
      if (!record.consents?.some((consent) => consent.effectiveOn === null)) return records;
      const updated = withPartyRecord(records, record.party, (awaiting) => ({
        ...awaiting,
        consents: awaiting.consents?.map((consent) =>
          consent.effectiveOn === null ? { ...consent, effectiveOn: inForceOn } : consent,
        ),
      }));
      return withMembershipChange(updated, record.party, {
        kind: 'joined',
        effectiveOn: inForceOn,
        announcedAt,
      });
    },
    [...parties],
  );
}

/**
 * A deposited instrument of consent: counted towards entry into force (its N-th sets the date, and the
 * consents waiting for it take effect then), and the party's membership from when it takes effect.
 */
export function withConsent(before: TreatyParties, party: PartyCode, deposit: ConsentDeposit): TreatyParties {
  const previous = before.entryIntoForce;
  const counted = previous && { ...previous, instrumentsDeposited: previous.instrumentsDeposited + 1 };
  const reached =
    counted !== null &&
    counted.reachedOn === null &&
    counted.instrumentsDeposited >= counted.rule.instruments;
  const entryIntoForce: EntryIntoForce | null = reached
    ? {
        ...counted,
        reachedOn: deposit.depositedOn,
        inForceOn: afterEntryIntoForcePeriod(counted.rule, deposit.depositedOn),
      }
    : counted;
  const effectiveOn = deposit.effectiveOn ?? consentEffectiveOn(entryIntoForce, deposit.depositedOn);
  let parties = withPartyRecord(before.parties, party, (record) => ({
    ...record,
    ...(record.signedOn === undefined && deposit.action === 'definitive_signature'
      ? { signedOn: deposit.depositedOn }
      : {}),
    consents: [
      ...(record.consents ?? []),
      { action: deposit.action, depositedOn: deposit.depositedOn, effectiveOn },
    ],
  }));
  if (effectiveOn !== null) {
    parties = withMembershipChange(parties, party, {
      kind: 'joined',
      effectiveOn,
      announcedAt: deposit.announcedAt,
    });
  }
  if (reached && entryIntoForce?.inForceOn) {
    parties = withAwaitingConsentsEffective(parties, entryIntoForce.inForceOn, deposit.announcedAt);
  }
  return { parties, entryIntoForce };
}

function withSignature(parties: readonly PartyRecord[], party: PartyCode, date: IsoDate): PartyRecord[] {
  return withPartyRecord(parties, party, (record) => ({ ...record, signedOn: date }));
}

function withReservation(
  reservations: readonly ReservationRecord[],
  made: ReservationMade['data'],
  eventId: string,
  madeOn: IsoDate,
): ReservationRecord[] {
  return [
    ...reservations,
    {
      eventId,
      party: made.party,
      kind: made.kind,
      text: made.text,
      ...(made.objectsTo === undefined ? {} : { objectsTo: made.objectsTo }),
      madeOn,
      withdrawnOn: null,
    },
  ];
}

function withReservationWithdrawn(
  reservations: readonly ReservationRecord[],
  eventId: string,
  withdrawnOn: IsoDate,
): ReservationRecord[] {
  return reservations.map((reservation) =>
    reservation.eventId === eventId ? { ...reservation, withdrawnOn } : reservation,
  );
}

/** The reservation made by event `eventId`, if it is in the fold. */
export function reservationOf(
  reservations: readonly ReservationRecord[],
  eventId: string,
): ReservationRecord | undefined {
  return reservations.find((reservation) => reservation.eventId === eventId);
}

export const treatyChanges: SnapshotChanges<TreatyEvent> = {
  PartySigned: (base, { event, occurredAt }) => ({
    parties: withSignature(base.parties, event.data.party, utcDateOf(occurredAt)),
  }),
  ReservationMade: (base, { event, eventId, occurredAt }) => ({
    reservations: withReservation(base.reservations, event.data, eventId, utcDateOf(occurredAt)),
  }),
  ReservationWithdrawn: (base, { event, occurredAt }) => ({
    reservations: withReservationWithdrawn(base.reservations, event.data.eventId, utcDateOf(occurredAt)),
  }),
};

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
