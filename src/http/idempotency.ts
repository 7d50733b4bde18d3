import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { validationProblem } from './validation.js';

/** 1–200 visible ASCII characters. */
export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

/** The request's `Idempotency-Key`, scoped to the API key that sent it; undefined when absent. */
export function idempotencyOf(
  req: FastifyRequest,
  apiKeyName: string,
): { readonly key: string; readonly requestHash: string } | undefined {
  const key = headerOf(req, 'idempotency-key');
  if (key === undefined) return undefined;
  if (!IDEMPOTENCY_KEY.test(key)) {
    throw validationProblem([
      { field: 'Idempotency-Key', message: 'Idempotency-Key must be 1–200 visible ASCII characters' },
    ]);
  }
  return { key: `${apiKeyName}:${key}`, requestHash: requestHash(req) };
}

export function headerOf(req: FastifyRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Same method, path and JSON body (whatever its key order) → same hash: a retry, not a new request. */
function requestHash(req: FastifyRequest): string {
  return requestHashOf(req.method, req.url.split('?')[0], req.body ?? null);
}

/** The request hash of a request given by its parts (an imported line is hashed as its POST would be). */
export function requestHashOf(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method} ${path}\n${canonicalJson(body)}`)
    .digest('hex');
}

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
