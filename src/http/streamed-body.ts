import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';

/** The content types a route may take as a raw stream (bulk files), never parsed whole by Fastify. */
export const STREAMED_BODY_TYPES = ['application/x-ndjson', 'text/csv'] as const;

/** Marks a route whose body arrives as a stream (`request.body` is the raw request) in one of {@link STREAMED_BODY_TYPES}. */
export const StreamedBody = () => RouteConfig({ streamedBody: true });

/**
 * Lets routes marked {@link StreamedBody} read an NDJSON or CSV body as it arrives (they enforce their
 * own size limit); on every other route these types stay the `415` any non-JSON body is.
 */
export function acceptStreamedBodies(fastify: FastifyInstance): void {
  fastify.addContentTypeParser([...STREAMED_BODY_TYPES], (request, payload, done) => {
    const config = request.routeOptions.config as { streamedBody?: boolean } | undefined;
    if (config?.streamedBody === true) {
      done(null, payload);
      return;
    }
    done(
      Object.assign(new Error('Unsupported Media Type'), {
        code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE',
        statusCode: 415,
      }),
      undefined,
    );
  });
}
