/**
 * A rule of the domain was broken. `code` is stable (clients and the problem+json mapping rely on it);
 * `message` is written for the analyst who sent the request.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export class CommitmentNotFoundError extends DomainError {
  readonly code = 'COMMITMENT.NOT_FOUND';

  constructor(readonly commitmentId: string) {
    super(`No commitment '${commitmentId}' is tracked. Record its proposal first.`);
  }
}

export class CommitmentAlreadyExistsError extends DomainError {
  readonly code = 'COMMITMENT.ALREADY_EXISTS';

  constructor(readonly commitmentId: string) {
    super(
      `A commitment '${commitmentId}' is already tracked. Record new developments on it, or choose another id.`,
    );
  }
}

/** The development would make the commitment's history, folded in world order, illegal. */
export class IllegalTransitionError extends DomainError {
  readonly code = 'COMMITMENT.ILLEGAL_TRANSITION';
}

export class EventNotFoundError extends DomainError {
  readonly code = 'COMMITMENT.EVENT_NOT_FOUND';

  constructor(
    readonly commitmentId: string,
    readonly eventId: string,
  ) {
    super(
      `No entry '${eventId}' exists in the history of '${commitmentId}'. Check the event id in its history.`,
    );
  }
}

/** A reservation withdrawal names an event that is no live reservation, declaration or objection of the commitment. */
export class ReservationNotFoundError extends DomainError {
  readonly code = 'COMMITMENT.RESERVATION_NOT_FOUND';

  constructor(
    readonly commitmentId: string,
    readonly eventId: string,
  ) {
    super(
      `No reservation, declaration or objection '${eventId}' is on record for '${commitmentId}' (it may have been retracted). ` +
        'Check the event id of the ReservationMade entry in its history.',
    );
  }
}

/** `If-Match` named a version the commitment is no longer (or not yet) at. */
export class VersionMismatchError extends DomainError {
  readonly code = 'COMMITMENT.VERSION_MISMATCH';

  constructor(
    readonly commitmentId: string,
    readonly expected: number,
    readonly actual: number,
  ) {
    super(
      `'${commitmentId}' is at version ${actual}, not ${expected}: someone recorded a development in between. ` +
        'Reload it, check the new entries, and send again with the current version.',
    );
  }
}

/** Writers elsewhere kept changing the commitment while this write decided: nothing was recorded. */
export class CommitmentBusyError extends DomainError {
  readonly code = 'COMMITMENT.BUSY';

  constructor(
    readonly commitmentId: string,
    readonly attempts: number,
  ) {
    super(
      `'${commitmentId}' changed ${attempts} times while this development was being decided on it, each time ` +
        'by another writer: nothing was recorded. Send it again (with the same Idempotency-Key, if any).',
    );
  }
}
