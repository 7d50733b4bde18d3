import type { SnapshotChanges } from '../shared/development-rules.js';
import { type PartyRecord, withMembershipChange, withPartyRecord } from '../shared/party-record.js';
import type { EntryIntoForce, ReservationRecord } from '../shared/snapshot.js';
import type {
  ConsentAction,
  EntryIntoForceRule,
  IsoDate,
  IsoInstant,
  PartyCode,
} from '../shared/vocabulary.js';
import { addDays, addMonths, utcDateOf } from '../shared/world-time.js';
import type { ReservationMade, TreatyEvent } from './treaty.events.js';

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
