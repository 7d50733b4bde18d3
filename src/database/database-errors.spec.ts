import {
  failureOutcome,
  isConnectionBroken,
  isConnectionFailure,
  isDatabaseUnavailable,
  markNotSent,
} from './database-errors.js';

/** An error as node-pg raises it for a server error message. */
function serverError(code: string, severity = 'ERROR', message = 'server says no'): Error {
  return Object.assign(new Error(message), { code, severity });
}

function socketError(code: string): Error {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code });
}

describe('database errors', () => {
  it.each([
    [
      'a terminated session (57P01, FATAL)',
      serverError('57P01', 'FATAL', 'terminating connection due to administrator command'),
    ],
    ['a crash shutdown (57P02)', serverError('57P02', 'FATAL')],
    ['a server starting up (57P03)', serverError('57P03', 'FATAL')],
    ['an idle-in-transaction timeout (25P03)', serverError('25P03', 'FATAL')],
    ['a connection exception (08006)', serverError('08006')],
    ['any FATAL', serverError('XX000', 'FATAL')],
    ['a reset socket', socketError('ECONNRESET')],
    ['a dropped connection', new Error('Connection terminated unexpectedly')],
    ['a client-side read timeout', new Error('Query read timeout')],
    [
      'a client that lost its connection',
      new Error('Client has encountered a connection error and is not queryable'),
    ],
  ])('reads %s as a failed connection, to discard and to answer 503', (_name, error) => {
    expect(isConnectionFailure(error)).toBe(true);
    expect(isConnectionBroken(error)).toBe(true);
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a unique violation', serverError('23505')],
    ['a statement cancelled on its timeout', serverError('57014')],
    ['a bad value', serverError('22P02')],
  ])('keeps the connection after %s: the session is as good as new', (_name, error) => {
    expect(isConnectionFailure(error)).toBe(false);
    expect(isConnectionBroken(error)).toBe(false);
  });

  it('discards a connection after an error with no SQLSTATE, but rolls back rather than assume it failed', () => {
    const ours = new TypeError('cannot read properties of undefined');
    expect(isConnectionBroken(ours)).toBe(true);
    expect(isConnectionFailure(ours)).toBe(false);
    expect(isDatabaseUnavailable(ours)).toBe(false);
  });

  it('knows nothing was applied when no statement was sent or the server cancelled it', () => {
    expect(failureOutcome(markNotSent(new Error('Connection terminated unexpectedly')))).toBe('not_applied');
    const timedOutConnecting = new Error('Connection terminated due to connection timeout', {
      cause: markNotSent(new Error('timeout expired')),
    });
    expect(failureOutcome(timedOutConnecting)).toBe('not_applied');
    expect(failureOutcome(new Error('timeout exceeded when trying to connect'))).toBe('not_applied');
    expect(failureOutcome(socketError('ECONNREFUSED'))).toBe('not_applied');
    expect(failureOutcome(serverError('57P03', 'FATAL'))).toBe('not_applied');
    expect(failureOutcome(serverError('57014'))).toBe('not_applied');
    // TypeORM keeps the driver's error as `driverError`.
    expect(
      failureOutcome(Object.assign(new Error('wrapped'), { driverError: socketError('ECONNREFUSED') })),
    ).toBe('not_applied');
  });

  it('does not know the outcome when the connection failed while a statement may have been running', () => {
    expect(failureOutcome(new Error('Connection terminated unexpectedly'))).toBe('unknown');
    expect(failureOutcome(serverError('57P01', 'FATAL'))).toBe('unknown');
    expect(failureOutcome(new Error('Query read timeout'))).toBe('unknown');
    expect(failureOutcome(socketError('ECONNRESET'))).toBe('unknown');
  });
});
