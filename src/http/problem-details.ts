import { STATUS_CODES } from 'node:http';
import { HttpException } from '@nestjs/common';
import { failureOutcome, isDatabaseUnavailable } from '../database/database-errors.js';

/** One failed field of a validation error: its path in the body or query (`source.title`, `metrics[0].value`). */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

/** RFC 9457 problem details, as every error of the API is sent (`application/problem+json`). */
export interface ProblemDetails {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly errors?: readonly FieldError[];
  readonly [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** An error that already knows its problem document (validation, preconditions, …). */
export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly slug: string,
    readonly title: string,
    detail: string,
    readonly errors?: readonly FieldError[],
    readonly extensions: Readonly<Record<string, unknown>> = {},
  ) {
    super(detail);
  }
}

/** What a stable error code means over HTTP: its status, and its problem type (`/problems/<slug>`) and title. */
export interface ProblemType {
  readonly status: number;
  readonly slug: string;
  readonly title: string;
}

/** Error codes and what each one means over HTTP, as a feature registers them. */
export type ProblemTypes = Readonly<Record<string, ProblemType>>;

/**
 * The event store's codes. The store is generic and knows no HTTP, so the HTTP layer maps them itself;
 * every feature registers its own codes (`registerProblemTypes`).
 */
const EVENT_STORE_PROBLEMS: ProblemTypes = {
  'EVENT_STORE.CONCURRENCY': { status: 409, slug: 'concurrent-update', title: 'Concurrent update' },
  'EVENT_STORE.STREAM_NOT_FOUND': { status: 404, slug: 'stream-not-found', title: 'Not found' },
  'EVENT_STORE.EVENT_NOT_FOUND': { status: 404, slug: 'event-not-found', title: 'Event not found' },
  'EVENT_STORE.IDEMPOTENCY_KEY_REUSED': {
    status: 422,
    slug: 'idempotency-key-reused',
    title: 'Idempotency-Key reused with a different request',
  },
};

/**
 * Every code `toProblem` maps. It lives with the process, not with one app: the CLIs and the import
 * runner turn errors into problems outside any request, and tests start several apps in one process.
 */
const problemTypes = new Map<string, ProblemType>(Object.entries(EVENT_STORE_PROBLEMS));

/**
 * Registers a feature's error codes with the one mapping to problem+json; its module calls this in
 * `onModuleInit`. Registering the same meaning again is harmless (each app of a process registers);
 * a code that would mean something else is a programming error.
 */
export function registerProblemTypes(types: ProblemTypes): void {
  for (const [code, type] of Object.entries(types)) {
    const known = problemTypes.get(code);
    if (known && (known.status !== type.status || known.slug !== type.slug || known.title !== type.title)) {
      throw new Error(`error code ${code} is already registered as ${known.status} /problems/${known.slug}`);
    }
    problemTypes.set(code, type);
  }
}

/** The largest request body, in bytes: Fastify's limit and the figure the 413 states. */
export const BODY_LIMIT_BYTES = 1024 * 1024;

/** Fastify's router refuses longer path parameters; no id of the API comes near it. */
export const MAX_PATH_PARAMETER_LENGTH = 100;

/** A limit in words: "1 MiB (1,048,576 bytes)". */
function bytesInWords(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  const rounded = Number.isInteger(mib) ? `${mib} MiB` : `${mib.toFixed(1)} MiB`;
  return `${rounded} (${bytes.toLocaleString('en-US')} bytes)`;
}

const FASTIFY_DETAIL: Readonly<Record<string, string>> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE:
    'The request body must be JSON: send it with "Content-Type: application/json", the only type accepted.',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'The Content-Length header does not match the body.',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'The body is empty, but Content-Type says JSON: send a JSON document.',
  FST_ERR_CTP_INVALID_JSON_BODY: 'The body is not valid JSON.',
  FST_ERR_BAD_URL:
    'The path is not valid: its percent-encoding must decode to UTF-8 text (e.g. %C3%A9 for é; a literal % is %25).',
  FST_ERR_MAX_PARAM_LENGTH: `A path segment is longer than ${MAX_PATH_PARAMETER_LENGTH} characters; no id is that long.`,
};

export interface ProblemOutcome {
  readonly problem: ProblemDetails;
  /** Set for errors the client did not cause: they are logged with their stack. */
  readonly unexpected?: unknown;
  /** Set when the database could not serve the request: logged in one line, no stack (it is not a bug). */
  readonly unavailable?: unknown;
}

/**
 * A domain or store error whose problem document carries more than its message (e.g. the passage of a
 * source closest to a quote that is not in it).
 */
export interface WithProblemExtensions {
  readonly problemExtensions: Readonly<Record<string, unknown>>;
}

/** What the problem document may say about the request that failed. */
export interface FailedRequest {
  readonly method: string;
  /** Whether it carried an Idempotency-Key (a write sent again with it is applied at most once). */
  readonly idempotencyKey: boolean;
  /** The limit of the route, when it refused a body as too large. */
  readonly bodyLimitBytes?: number;
}

/**
 * Every 503 says when to try again (`Retry-After`): a dropped connection is replaced on the next request,
 * and a restarted server takes seconds.
 */
export const RETRY_AFTER_SECONDS = 2;

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Turns anything thrown while serving a request into its problem document. Never exposes a stack or SQL. */
export function toProblem(error: unknown, request?: FailedRequest): ProblemOutcome {
  if (error instanceof ProblemError) {
    return {
      problem: {
        ...error.extensions,
        type: `/problems/${error.slug}`,
        title: error.title,
        status: error.status,
        detail: error.message,
        ...(error.errors ? { errors: error.errors } : {}),
      },
    };
  }
  const fastifyError = fastifyCause(error);
  if (fastifyError?.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return {
      problem: plain(
        413,
        `The request body is larger than the limit of ${bytesInWords(request?.bodyLimitBytes ?? BODY_LIMIT_BYTES)}.`,
      ),
    };
  }
  if (fastifyError)
    return {
      problem: plain(fastifyError.statusCode, FASTIFY_DETAIL[fastifyError.code] ?? fastifyError.message),
    };
  const code = (error as { code?: unknown } | null)?.code;
  const known = typeof code === 'string' ? problemTypes.get(code) : undefined;
  if (known) {
    const extensions = (error as Partial<WithProblemExtensions>).problemExtensions ?? {};
    return {
      problem: {
        ...extensions,
        type: `/problems/${known.slug}`,
        title: known.title,
        status: known.status,
        detail: (error as Error).message,
      },
    };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const response = error.getResponse();
    const message =
      typeof response === 'string'
        ? response
        : ((response as { message?: unknown }).message ?? error.message);
    return {
      problem: plain(status, Array.isArray(message) ? message.join('; ') : String(message)),
      unexpected: status >= 500 ? error : undefined,
    };
  }
  const statusCode = (error as { statusCode?: unknown } | null)?.statusCode;
  if (error instanceof SyntaxError && statusCode === 400) {
    return { problem: plain(400, FASTIFY_DETAIL.FST_ERR_CTP_INVALID_JSON_BODY) };
  }
  if (code === '22P05' || code === '22021') {
    // Text PostgreSQL cannot store (e.g. an escaped NUL inside JSON): the input's fault, and nothing was written.
    return {
      problem: plain(400, 'The request contains characters that cannot be stored (such as \\u0000).'),
    };
  }
  if (isDatabaseUnavailable(error)) {
    return { problem: databaseUnavailable(error, request), unavailable: error };
  }
  return {
    problem: plain(500, 'An unexpected error occurred. It has been logged with the request id.'),
    unexpected: error,
  };
}

interface FastifyClientError {
  readonly code: string;
  readonly statusCode: number;
  readonly message: string;
}

/**
 * A 4xx error Fastify raised (body size, media type, JSON syntax, a bad URL): as it is when it comes from
 * the router, or as Nest's adapter hands it to the filter, wrapped in an HttpException as its `cause`.
 */
function fastifyCause(error: unknown): FastifyClientError | null {
  const candidate = error instanceof HttpException ? error.cause : error;
  const { code, statusCode, message } = (candidate ?? {}) as Partial<FastifyClientError>;
  return typeof code === 'string' &&
    code.startsWith('FST_') &&
    typeof statusCode === 'number' &&
    statusCode >= 400 &&
    statusCode < 500 &&
    typeof message === 'string'
    ? { code, statusCode, message }
    : null;
}

/**
 * The 503 tells a writer what it can know of its write: that nothing was changed only when that is
 * certain (no statement reached the server, or the server cancelled it); otherwise that the outcome is
 * unknown, and how to find out safely.
 */
function databaseUnavailable(error: unknown, request: FailedRequest | undefined): ProblemDetails {
  const problem = { type: '/problems/database-unavailable', title: 'Database unavailable', status: 503 };
  const retry = `Try again in ${RETRY_AFTER_SECONDS} seconds or so.`;
  if (!request || SAFE_METHODS.has(request.method)) {
    return { ...problem, detail: `The database cannot be reached right now. ${retry}` };
  }
  if (failureOutcome(error) === 'not_applied') {
    return {
      ...problem,
      detail: `The database could not carry out the request right now. Nothing was changed. ${retry}`,
      outcome: 'not_applied',
    };
  }
  const safely = request.idempotencyKey
    ? 'Sending it again with the same Idempotency-Key is safe: it is recorded at most once, and the ' +
      'answer then says how it went.'
    : 'Check before sending it again (for instance in the commitment history): without an ' +
      'Idempotency-Key a second attempt may be recorded twice; with one, sending it again with the same ' +
      'Idempotency-Key is always safe.';
  return {
    ...problem,
    detail:
      'The connection to the database failed while the request was being carried out: whether it was ' +
      `recorded is unknown. ${safely}`,
    outcome: 'unknown',
  };
}

function plain(status: number, detail: string): ProblemDetails {
  return { type: 'about:blank', title: statusTitle(status), status, detail };
}

function statusTitle(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}
