import {
  API_KEY_PROBLEMS,
  ApiKeyNameTakenError,
  ApiKeyNotFoundError,
  KeysFromEnvironmentError,
  LastAdminKeyError,
} from '../auth/api-key.errors.js';
import { COMMITMENT_PROBLEMS } from '../commitments/commitment.problems.js';
import {
  CommitmentAlreadyExistsError,
  CommitmentBusyError,
  CommitmentNotFoundError,
  EventNotFoundError,
  IllegalTransitionError,
  ReservationNotFoundError,
  VersionMismatchError,
} from '../commitments/domain/shared/commitment.errors.js';
import { markNotSent } from '../database/database-errors.js';
import {
  ConcurrencyError,
  EventNotInLogError,
  IdempotencyKeyReusedError,
  StreamNotFoundError,
} from '../event-store/event-store.errors.js';
import {
  QuoteNotInSourceError,
  SOURCE_PROBLEMS,
  SourceIdTakenError,
  SourceNotFoundError,
  UnknownSourceCitedError,
} from '../sources/sources.errors.js';
import { registerProblemTypes, toProblem } from './problem-details.js';

const dropped = () => new Error('Connection terminated unexpectedly');
const refused = () =>
  markNotSent(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }));

describe('the 503 of a database failure', () => {
  it('tells a reader to try again, and nothing about writes', () => {
    const { problem, unavailable, unexpected } = toProblem(dropped(), {
      method: 'GET',
      idempotencyKey: false,
    });
    expect(problem).toEqual({
      type: '/problems/database-unavailable',
      title: 'Database unavailable',
      status: 503,
      detail: 'The database cannot be reached right now. Try again in 2 seconds or so.',
    });
    expect(unavailable).toBeInstanceOf(Error);
    expect(unexpected).toBeUndefined();
  });

  it('says nothing was changed only when no statement reached the server', () => {
    const { problem } = toProblem(refused(), { method: 'POST', idempotencyKey: true });
    expect(problem.outcome).toBe('not_applied');
    expect(problem.detail).toMatch(/Nothing was changed/);
  });

  it('says the outcome is unknown when the connection failed mid-statement, and that a keyed retry is safe', () => {
    const { problem } = toProblem(dropped(), { method: 'POST', idempotencyKey: true });
    expect(problem.outcome).toBe('unknown');
    expect(problem.detail).toMatch(/whether it was recorded is unknown/);
    expect(problem.detail).toMatch(/same Idempotency-Key is safe/);
    expect(problem.detail).not.toMatch(/Nothing was changed/);
  });

  it('warns a writer without an Idempotency-Key that a retry may record the write twice', () => {
    const { problem } = toProblem(dropped(), { method: 'POST', idempotencyKey: false });
    expect(problem.outcome).toBe('unknown');
    expect(problem.detail).toMatch(/Check before sending it again/);
  });

  it('is not a 503 for an error that is not the database being unavailable', () => {
    expect(toProblem(new TypeError('bug'), { method: 'POST', idempotencyKey: true }).problem.status).toBe(
      500,
    );
  });
});

describe('the mapping of error codes', () => {
  beforeAll(() => {
    // The feature modules register these at init; without an app, the test registers what it maps.
    registerProblemTypes(COMMITMENT_PROBLEMS);
    registerProblemTypes(SOURCE_PROBLEMS);
    registerProblemTypes(API_KEY_PROBLEMS);
  });

  it.each<[Error, number, string, string]>([
    [new CommitmentNotFoundError('c-1'), 404, 'commitment-not-found', 'Commitment not found'],
    [new EventNotFoundError('c-1', 'e-1'), 404, 'event-not-found', 'Event not found'],
    [new ReservationNotFoundError('c-1', 'e-1'), 404, 'reservation-not-found', 'Reservation not found'],
    [new CommitmentAlreadyExistsError('c-1'), 409, 'commitment-exists', 'Commitment already exists'],
    [new IllegalTransitionError('not now'), 409, 'illegal-development', 'Development not allowed'],
    [new CommitmentBusyError('c-1', 50), 409, 'concurrent-update', 'Concurrent update'],
    [new VersionMismatchError('c-1', 1, 2), 412, 'version-mismatch', 'Precondition failed'],
    [new SourceNotFoundError('s-1'), 404, 'source-not-found', 'Source not found'],
    [new UnknownSourceCitedError('s-1', 'cited'), 422, 'unknown-source', 'Unknown source'],
    [new SourceIdTakenError('s-1'), 409, 'source-exists', 'Source id in use'],
    [new ApiKeyNameTakenError('k', false), 409, 'api-key-name-taken', 'Key name taken'],
    [new ApiKeyNotFoundError('k'), 404, 'api-key-not-found', 'No such key'],
    [new LastAdminKeyError('k'), 409, 'last-admin-key', 'Last admin key'],
    [new KeysFromEnvironmentError(), 409, 'api-keys-from-environment', 'Keys come from the environment'],
    [new ConcurrencyError('s-1', 1, 2), 409, 'concurrent-update', 'Concurrent update'],
    [new StreamNotFoundError('s-1'), 404, 'stream-not-found', 'Not found'],
    [new EventNotInLogError('e-1'), 404, 'event-not-found', 'Event not found'],
    [
      new IdempotencyKeyReusedError('k'),
      422,
      'idempotency-key-reused',
      'Idempotency-Key reused with a different request',
    ],
  ])('maps %p to its status and problem type', (error, status, slug, title) => {
    expect(toProblem(error)).toEqual({
      problem: { type: `/problems/${slug}`, title, status, detail: error.message },
    });
  });

  it('carries the extensions of an error that has them, under the registered type', () => {
    const error = new QuoteNotInSourceError('s-1', 'the closest words');
    expect(toProblem(error).problem).toEqual({
      sourceId: 's-1',
      closestPassage: 'the closest words',
      type: '/problems/quote-not-in-source',
      title: 'Quote not in source',
      status: 422,
      detail: error.message,
    });
  });

  it('treats a code nobody registered as unexpected', () => {
    const error = Object.assign(new Error('from nowhere'), { code: 'NOBODY.KNOWS' });
    const { problem, unexpected } = toProblem(error);
    expect(problem.status).toBe(500);
    expect(unexpected).toBe(error);
  });

  it('takes the same registration again, and refuses a code that would change its meaning', () => {
    expect(() => registerProblemTypes(SOURCE_PROBLEMS)).not.toThrow();
    expect(() =>
      registerProblemTypes({ 'SOURCE.NOT_FOUND': { status: 410, slug: 'source-gone', title: 'Gone' } }),
    ).toThrow(/SOURCE\.NOT_FOUND is already registered as 404 \/problems\/source-not-found/);
    expect(toProblem(new SourceNotFoundError('s-1')).problem.status).toBe(404);
  });
});
