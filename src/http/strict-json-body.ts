import type { FastifyInstance } from 'fastify';
import { ProblemError } from './problem-details.js';
import { invalidUtf8Offset } from './unicode-text.js';

/** `fatal`: a byte sequence that is not UTF-8 throws instead of turning into U+FFFD. Stateless when not streaming. */
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Makes JSON the only body the API accepts, decoded strictly as UTF-8 (RFC 8259 §8.1). Fastify's own parser
 * decodes leniently, so invalid bytes were stored as U+FFFD without a word to the client; a `charset`
 * parameter is ignored, as RFC 8259 says a JSON recipient does. Parsing itself stays Fastify's, with its
 * refusal of `__proto__` and `constructor.prototype` keys; any other content type is a 415.
 */
export function acceptStrictJsonBodiesOnly(fastify: FastifyInstance, bodyLimit: number): void {
  const { onProtoPoisoning, onConstructorPoisoning } = fastify.initialConfig;
  const parseJson = fastify.getDefaultJsonParser(
    onProtoPoisoning ?? 'error',
    onConstructorPoisoning ?? 'error',
  );
  fastify.removeContentTypeParser(['application/json', 'text/plain']);
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer', bodyLimit },
    (request, body: Buffer, done) => {
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
      void parseJson(request, text, done);
    },
  );
}
