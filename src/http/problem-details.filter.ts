import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PROBLEM_CONTENT_TYPE, RETRY_AFTER_SECONDS, toProblem } from './problem-details.js';

/**
 * The one exception filter: every error leaves as problem+json (API.md "Errors"). Nest installs its
 * exception layer as Fastify's error handler, so body-size, media-type and JSON errors arrive here too.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const { problem, unexpected, unavailable } = toProblem(error, {
      method: request.method,
      idempotencyKey: request.headers['idempotency-key'] !== undefined,
      bodyLimitBytes: request.routeOptions?.bodyLimit,
    });
    if (unexpected !== undefined) {
      const err = unexpected instanceof Error ? unexpected : new Error(String(unexpected));
      this.logger.error(
        `request ${request.id} (${request.method} ${request.url}) failed: ${err.message}`,
        err.stack,
      );
    }
    if (unavailable !== undefined) {
      const message = unavailable instanceof Error ? unavailable.message : String(unavailable);
      this.logger.warn(
        `request ${request.id} (${request.method} ${request.url}): database unavailable: ${message}`,
      );
    }
    if (reply.sent) return;
    if (problem.status === 401) void reply.header('www-authenticate', 'Bearer');
    if (problem.status === 503) void reply.header('retry-after', String(RETRY_AFTER_SECONDS));
    void reply.status(problem.status).header('content-type', PROBLEM_CONTENT_TYPE).send(problem);
  }
}
