import { RESERVATION_KINDS } from '../domain/commitment.events.js';
import { type DevelopmentDescription, optionsOf, partyField } from './development-description.js';

/** What an agreement's parties do with its text: sign it, and make or withdraw reservations to it. */
export const TREATY_DEVELOPMENTS = [
  {
    action: 'signatures',
    path: '/commitments/{id}/signatures',
    operationId: 'signAgreement',
    label: 'Record a signature',
    summary: 'Record a signature (PartySigned): the party signed, it is not bound',
    worldFact: 'required',
    fields: [partyField('party', 'Signing party')],
  },
  {
    action: 'reservations',
    path: '/commitments/{id}/reservations',
    operationId: 'makeReservation',
    label: 'Record a reservation, declaration or objection',
    summary: 'Record a reservation, declaration or objection (ReservationMade)',
    worldFact: 'required',
    fields: [
      partyField('party', 'Party'),
      { name: 'kind', label: 'Kind', kind: 'select', required: true, options: optionsOf(RESERVATION_KINDS) },
      { name: 'text', label: 'Text', kind: 'textarea', required: true },
      {
        ...partyField('objectsTo', 'Objects to', false),
        hint: 'Objections only: the party whose reservation',
      },
    ],
  },
  {
    action: 'reservation-withdrawals',
    path: '/commitments/{id}/reservations/{eventId}/withdrawals',
    operationId: 'withdrawReservation',
    label: 'Withdraw a reservation',
    summary: 'Withdraw a reservation, declaration or objection (ReservationWithdrawn)',
    worldFact: 'required',
    fields: [
      {
        name: 'eventId',
        label: 'Reservation',
        kind: 'event',
        required: true,
        eventTypes: ['ReservationMade'],
      },
    ],
  },
] as const satisfies readonly DevelopmentDescription[];

export type TreatyAction = (typeof TREATY_DEVELOPMENTS)[number]['action'];
