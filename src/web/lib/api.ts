import type { Session } from './session.js';

/** One failed field of a 400: its path in the body (`source.title`, `metrics[0].value`). */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

/** RFC 9457 problem details, as every error of the API comes. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly errors?: readonly FieldError[];
}

/** An answer of the API other than 2xx, or no answer at all (status 0). */
export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail || problem.title);
  }

  get status(): number {
    return this.problem.status;
  }
}

export interface RequestOptions {
  readonly ifMatch?: number;
  readonly idempotencyKey?: string;
  readonly signal?: AbortSignal;
}

/** Called when the key stops being accepted (401): the app signs out. */
let onUnauthorized: (problem: Problem) => void = () => undefined;
export function setUnauthorizedHandler(handler: (problem: Problem) => void): void {
  onUnauthorized = handler;
}

async function request(
  key: string,
  method: 'GET' | 'POST',
  path: string,
  accept: string,
  body?: unknown,
  options: RequestOptions = {},
): Promise<Response> {
  const headers: Record<string, string> = { Authorization: `Bearer ${key}`, Accept: accept };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (options.ifMatch !== undefined) headers['If-Match'] = `"${options.ifMatch}"`;
  if (options.idempotencyKey !== undefined) headers['Idempotency-Key'] = options.idempotencyKey;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: options.signal,
      credentials: 'omit',
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError({
      type: 'about:blank',
      title: 'No answer',
      status: 0,
      detail: 'The server could not be reached. Nothing is lost: try again.',
    });
  }
  if (response.ok) return response;
  const problem = await problemOf(response);
  if (problem.status === 401) onUnauthorized(problem);
  throw new ApiError(problem);
}

async function problemOf(response: Response): Promise<Problem> {
  try {
    const body = (await response.json()) as Partial<Problem>;
    if (typeof body.status === 'number' && typeof body.title === 'string') return body as Problem;
  } catch {
    // Not a problem document (a proxy's page, say): described from the status below.
  }
  return { type: 'about:blank', title: response.statusText, status: response.status, detail: '' };
}

/** The public REST API, called with the signed-in key. */
export function apiFor(session: Pick<Session, 'key'>) {
  return {
    async get<T>(path: string, signal?: AbortSignal): Promise<T> {
      return (await (
        await request(session.key, 'GET', path, 'application/json', undefined, { signal })
      ).json()) as T;
    },
    async csv(path: string): Promise<Blob> {
      return (await request(session.key, 'GET', path, 'text/csv')).blob();
    },
    async post<T>(path: string, body: unknown, options: RequestOptions = {}): Promise<T> {
      return (await (
        await request(session.key, 'POST', path, 'application/json', body, options)
      ).json()) as T;
    },
  };
}

export type Api = ReturnType<typeof apiFor>;

/** A query string from the set values, in the order given (empty ones left out). */
export function queryString(params: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value) search.set(name, value);
  const text = search.toString();
  return text ? `?${text}` : '';
}
