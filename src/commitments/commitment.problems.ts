import type { ProblemType } from '../http/problem-details.js';
import type {
  CommitmentAlreadyExistsError,
  CommitmentBusyError,
  CommitmentNotFoundError,
  EventNotFoundError,
  IllegalTransitionError,
  ReservationNotFoundError,
  VersionMismatchError,
} from './domain/shared/commitment.errors.js';

type CommitmentErrorCode = (
  | CommitmentNotFoundError
  | CommitmentAlreadyExistsError
  | IllegalTransitionError
  | EventNotFoundError
  | ReservationNotFoundError
  | VersionMismatchError
  | CommitmentBusyError
)['code'];

/**
 * What each error of the commitment domain means over HTTP. The domain knows no HTTP, so the mapping
 * lives here, beside it; `CommitmentsModule` registers it. Keyed by the errors' own codes: a code left
 * out or misspelt does not compile.
 */
export const COMMITMENT_PROBLEMS: Readonly<Record<CommitmentErrorCode, ProblemType>> = {
  'COMMITMENT.NOT_FOUND': { status: 404, slug: 'commitment-not-found', title: 'Commitment not found' },
  'COMMITMENT.EVENT_NOT_FOUND': { status: 404, slug: 'event-not-found', title: 'Event not found' },
  'COMMITMENT.RESERVATION_NOT_FOUND': {
    status: 404,
    slug: 'reservation-not-found',
    title: 'Reservation not found',
  },
  'COMMITMENT.ALREADY_EXISTS': { status: 409, slug: 'commitment-exists', title: 'Commitment already exists' },
  'COMMITMENT.ILLEGAL_TRANSITION': {
    status: 409,
    slug: 'illegal-development',
    title: 'Development not allowed',
  },
  'COMMITMENT.BUSY': { status: 409, slug: 'concurrent-update', title: 'Concurrent update' },
  'COMMITMENT.VERSION_MISMATCH': { status: 412, slug: 'version-mismatch', title: 'Precondition failed' },
};
