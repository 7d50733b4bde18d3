/**
 * How a failure of the database is read: "it cannot answer now" (→ 503) or "the request is wrong"; a
 * connection to throw away or one to reuse; a write that certainly did not happen or one whose outcome
 * the client cannot know.
 */

/** Beyond a failed connection (see {@link isConnectionFailure}): the database cannot serve now. */
const UNREACHABLE_CODES = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  '57014', // query_canceled: the statement timeout fired
  '53300', // too_many_connections
  '3D000', // invalid_catalog_name: the database is gone
  '28000', // invalid_authorization_specification
  '28P01', // invalid_password
]);

const UNREACHABLE_MESSAGES = [
  /timeout exceeded when trying to connect/i,
  /Cannot use a pool after calling end/i,
  /is not currently accepting connections/i,
];

/** SQLSTATEs with which the server ends the session (FATAL), whatever the severity field says. */
const SESSION_ENDING_CODES = new Set(['57P01', '57P02', '57P03', '57P05', '25P03']);

/** Socket errors: the connection itself failed, whatever the statement was. */
const SOCKET_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
const CONNECTION_FAILURE_MESSAGES = [
  /Connection terminated/i,
  /Query read timeout/i,
  /timeout expired/i,
  /is not queryable/i,
];

/**
 * Failures before any statement left the client: connecting (refused, unknown host, refused by the
 * server at start-up), waiting for a pooled connection, or a client that refused the query outright.
 */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P03',
  '53300',
  '3D000',
  '28000',
  '28P01',
]);
const NOT_SENT_MESSAGES = [
  /timeout exceeded when trying to connect/i,
  /Cannot use a pool after calling end/i,
  /is not queryable/i,
];

const notSent = new WeakSet<object>();

/** Records that `error` happened while connecting: no statement was sent (see {@link failureOutcome}). */
export function markNotSent<E>(error: E): E {
  if (typeof error === 'object' && error !== null) notSent.add(error);
  return error;
}

/** True when the error means "the database cannot answer now" (→ 503), not "the request is wrong". */
export function isDatabaseUnavailable(error: unknown): boolean {
  return causes(error).some(
    (cause) =>
      isConnectionFailure(cause) ||
      (typeof cause.code === 'string' && UNREACHABLE_CODES.has(cause.code)) ||
      (typeof cause.message === 'string' &&
        UNREACHABLE_MESSAGES.some((p) => p.test(cause.message as string))),
  );
}

/**
 * True when the connection failed, not the statement: the server ended the session (shutdown,
 * pg_terminate_backend, an idle timeout), the socket broke, or the server did not answer in time (the
 * statement may still be running, and its answer would reach whoever queries the connection next).
 */
export function isConnectionFailure(error: unknown): boolean {
  const { code, severity, message } = (error ?? {}) as {
    code?: unknown;
    severity?: unknown;
    message?: unknown;
  };
  if (severity === 'FATAL' || severity === 'PANIC') return true;
  if (
    typeof code === 'string' &&
    (code.startsWith('08') || SESSION_ENDING_CODES.has(code) || SOCKET_CODES.has(code))
  ) {
    return true;
  }
  return typeof message === 'string' && CONNECTION_FAILURE_MESSAGES.some((p) => p.test(message));
}

/**
 * True when the connection that raised `error` on a query must not serve anyone again: it failed (see
 * {@link isConnectionFailure}), or the error carries no SQLSTATE, so nothing says the session is as it was.
 * An ordinary statement error (a constraint violated, a statement timed out and was cancelled) leaves the
 * session as good as new.
 */
export function isConnectionBroken(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return isConnectionFailure(error) || typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code);
}

/**
 * What a client can know of a write that failed this way. `not_applied`: no statement reached the server
 * (connecting failed), or the server cancelled it (statement timeout: the transaction rolled back).
 * `unknown`: the statement may have reached the server and committed before the connection failed, or
 * may still be running; only a retry with the same Idempotency-Key tells.
 */
export function failureOutcome(error: unknown): 'not_applied' | 'unknown' {
  for (const cause of causes(error)) {
    if (notSent.has(cause)) return 'not_applied';
    if (typeof cause.code === 'string' && (NOT_SENT_CODES.has(cause.code) || cause.code === '57014')) {
      return 'not_applied';
    }
    if (typeof cause.message === 'string' && NOT_SENT_MESSAGES.some((p) => p.test(cause.message as string))) {
      return 'not_applied';
    }
  }
  return 'unknown';
}

/** The error and what it wraps: pg-pool's `cause`, TypeORM's `driverError`. */
function causes(error: unknown): { code?: unknown; message?: unknown }[] {
  const chain: { code?: unknown; message?: unknown }[] = [];
  let current: unknown = error;
  while (typeof current === 'object' && current !== null && chain.length < 5 && !chain.includes(current)) {
    chain.push(current as { code?: unknown; message?: unknown });
    const wrapped = current as { cause?: unknown; driverError?: unknown };
    current = wrapped.cause ?? wrapped.driverError;
  }
  return chain;
}
