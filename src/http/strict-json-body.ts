import type { FastifyInstance } from 'fastify';
import { jsonKeyFlaw } from './json-keys.js';
import { ProblemError } from './problem-details.js';
import { invalidUtf8Offset } from './unicode-text.js';
import { validationProblem } from './validation.js';

/** `fatal`: a byte sequence that is not UTF-8 throws instead of turning into U+FFFD. Stateless when not streaming. */
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A JSON document as the API reads one, in a body or a line of an import: `JSON.parse`'s grammar (a
 * leading BOM allowed), and no key repeated in an object nor reaching a prototype — a 400 naming it.
 * Throws a `SyntaxError` for text that is not JSON.
 */
export function parseJsonDocument(text: string): unknown {
  const json = text.startsWith('\ufeff') ? text.slice(1) : text;
  const value: unknown = JSON.parse(json);
  const flaw = jsonKeyFlaw(json);
  if (flaw) {
    throw validationProblem(
      [flaw],
      `The body is valid JSON, but not as the API reads it: at ${flaw.field}, ${flaw.message}.`,
    );
  }
  return value;
}

/**
 * The charset a `Content-Type` names, if it is not UTF-8: the API reads text as UTF-8 only, so a body that
 * says it is Latin-1 is refused rather than read as something it says it is not.
 */
export function foreignCharset(contentType: string | undefined): string | null {
  const charset = /;\s*charset\s*=\s*"?([^";\s]*)"?/i.exec(contentType ?? '')?.[1];
  return charset === undefined || charset.toLowerCase() === 'utf-8' ? null : charset;
}

/**
 * Makes JSON the only body the API accepts, decoded strictly as UTF-8 (RFC 8259 §8.1): Fastify's own parser
 * decodes leniently, so invalid bytes were stored as U+FFFD without a word to the client. A `charset` other
 * than UTF-8 is a 415, as for imports; the JSON itself is read by {@link parseJsonDocument}; any other
 * content type is a 415.
 */
export function acceptStrictJsonBodiesOnly(fastify: FastifyInstance, bodyLimit: number): void {
  const { onProtoPoisoning, onConstructorPoisoning } = fastify.initialConfig;
  // Fastify's parser answers for the text that is not JSON at all (empty, malformed), in its own words.
  const parseJson = fastify.getDefaultJsonParser(
    onProtoPoisoning ?? 'error',
    onConstructorPoisoning ?? 'error',
  );
  fastify.removeContentTypeParser(['application/json', 'text/plain']);
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer', bodyLimit },
    (request, body: Buffer, done) => {
      const charset = foreignCharset(request.headers['content-type']);
      if (charset !== null) {
        done(
          new ProblemError(
            415,
            'unsupported-charset',
            'Unsupported Media Type',
            `The body says charset=${charset.slice(0, 40)}: send JSON encoded as UTF-8 (charset=utf-8, or no charset).`,
          ),
          undefined,
        );
        return;
      }
      let text: string;
      try {
        text = STRICT_UTF8.decode(body);
      } catch {
        done(
          new ProblemError(
            400,
            'invalid-utf8',
            'Body is not UTF-8',
            `The body is not valid UTF-8 (the first invalid byte is at offset ${invalidUtf8Offset(body)}): ` +
              'send JSON encoded as UTF-8.',
          ),
          undefined,
        );
        return;
      }
      let value: unknown;
      try {
        value = parseJsonDocument(text);
      } catch (error) {
        if (error instanceof SyntaxError) void parseJson(request, text, done);
        else done(error as Error, undefined);
        return;
      }
      done(null, value);
    },
  );
}
