import type {
  ConsentAction,
  EntryIntoForceRule,
  IsoDate,
  IsoInstant,
  PartyCode,
  ReservationKind,
  ReservationMade,
} from './commitment.events.js';
import { type PartyRecord, withMembershipChange, withPartyRecord } from './party-record.js';
import { addDays, addMonths } from './world-time.js';

/**
 * How the treaty events change a commitment's fold: signatures, instruments of consent and the
 * agreement's entry into force, reservations. The rules that read them on a date are in status-rules.ts.
 */

/**
 * An agreement's entry-into-force rule and how far it got: `reachedOn` is the date of deposit of the
 * rule's N-th instrument, `inForceOn` the date the agreement enters into force (both null until then).
 */
export interface EntryIntoForce {
  readonly rule: EntryIntoForceRule;
  readonly instrumentsDeposited: number;
  readonly reachedOn: IsoDate | null;
  readonly inForceOn: IsoDate | null;
}

/** A reservation, declaration or objection, known by the event that made it. */
export interface ReservationRecord {
  readonly eventId: string;
  readonly party: PartyCode;
  readonly kind: ReservationKind;
  readonly text: string;
  readonly objectsTo?: PartyCode;
  readonly madeOn: IsoDate;
  readonly withdrawnOn: IsoDate | null;
}

/** The rule's period after `date`: days, or calendar months clamped to the end of a shorter month. */
export function afterEntryIntoForcePeriod(rule: EntryIntoForceRule, date: IsoDate): IsoDate {
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
export function withConsent(state: TreatyParties, party: PartyCode, deposit: ConsentDeposit): TreatyParties {
  const previous = state.entryIntoForce;
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
  let parties = withPartyRecord(state.parties, party, (record) => ({
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

export function withSignature(
  parties: readonly PartyRecord[],
  party: PartyCode,
  date: IsoDate,
): PartyRecord[] {
  return withPartyRecord(parties, party, (record) => ({ ...record, signedOn: date }));
}

export function withReservation(
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

export function withReservationWithdrawn(
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
