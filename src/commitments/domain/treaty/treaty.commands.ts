import { bodyOf, type Command, type CommandAddress } from '../shared/command.js';
import { ReservationNotFoundError } from '../shared/commitment.errors.js';
import type { CommandRules } from '../shared/development-rules.js';
import type { PartySigned, ReservationMade, ReservationWithdrawn, TreatyEvent } from './treaty.events.js';
import { reservationOf } from './treaty.snapshot.js';

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
