import type { DomainEvent, Provenance } from '../shared/domain-event.js';
import type { Descriptions } from '../shared/development-rules.js';
import type { PartyCode, ReservationKind } from '../shared/vocabulary.js';

/**
 * The treaty's own developments: signatures and reservations. Instruments of consent are accessions
 * (membership/) that the treaty rules count towards entry into force (treaty.snapshot.ts).
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
