import { CommitmentNotFoundError, ReservationNotFoundError } from '../domain/shared/commitment.errors.js';
import { COMMITMENT_ID, EVENT_ID } from './patterns.js';

export function isCommitmentId(id: string): boolean {
  return COMMITMENT_ID.test(id);
}

/** A commitment id that cannot exist is simply not found. */
export function commitmentIdParam(id: string): string {
  if (!isCommitmentId(id)) throw new CommitmentNotFoundError(id);
  return id;
}

/** A reservation id that cannot exist is simply not found. */
export function reservationIdParam(commitment: string, eventId: string): string {
  if (!EVENT_ID.test(eventId)) throw new ReservationNotFoundError(commitment, eventId);
  return eventId.toLowerCase();
}
