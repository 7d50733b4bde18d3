import { randomUUID } from 'node:crypto';
import { maxHeaderSize, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from './config/app-config.js';
import { AppModule } from './app.module.js';
import { createRootLogger, PinoNestLogger } from './logging/logger.js';
import { ProblemDetailsFilter } from './http/problem-details.filter.js';
import { serveOpenApiDocument } from './openapi-document.js';
import {
  BODY_LIMIT_BYTES,
  MAX_PATH_PARAMETER_LENGTH,
  PROBLEM_CONTENT_TYPE,
  toProblem,
} from './http/problem-details.js';
import { acceptStreamedBodies } from './http/streamed-body.js';
import { acceptStrictJsonBodiesOnly } from './http/strict-json-body.js';
import { parseQueryStrictly, refuseMalformedQueryStrings } from './http/strict-query.js';
import { createValidationPipe } from './http/validation.js';
import { findWebAppRoot, serveWebApp } from './http/web-app.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/** Builds the whole HTTP application, for `main.ts` and for the end-to-end tests alike. */
export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  const rootLogger = createRootLogger(config.logLevel);
  const adapter = new FastifyAdapter({
    loggerInstance: rootLogger,
    bodyLimit: BODY_LIMIT_BYTES,
    routerOptions: { querystringParser: parseQueryStrictly, maxParamLength: MAX_PATH_PARAMETER_LENGTH },
    requestIdHeader: false,
    genReqId: (request: { headers: Record<string, string | string[] | undefined> }) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    return503OnClosing: true,
    // Malformed HTTP (a Content-Length shorter than the body, oversized headers) never reaches the router.
    clientErrorHandler: (error: Error & { code?: string }, socket: Socket) => {
      if (error.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
      const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
      const status = tooLarge ? 431 : 400;
      const body = JSON.stringify({
        type: 'about:blank',
        title: STATUS_CODES[status],
        status,
        detail: tooLarge
          ? `The request's headers are larger than the limit of ${maxHeaderSize.toLocaleString('en-US')} ` +
            'bytes (the request line and every header together).'
          : 'The request is not well-formed HTTP.',
      });
      socket.end(
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    },
    // Errors the router raises before Nest sees the request (a malformed percent-encoding) are problems too.
    frameworkErrors: (error: Error, _request: FastifyRequest, reply: FastifyReply) => {
      const { problem } = toProblem(error);
      void reply.status(problem.status).header('content-type', PROBLEM_CONTENT_TYPE).send(problem);
    },
    forceCloseConnections: 'idle',
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    logger: new PinoNestLogger(rootLogger),
    abortOnError: false,
    // Fastify's own JSON parser is the only one: a form or text body is a 415.
    bodyParser: false,
  });

  const fastify = app.getHttpAdapter().getInstance();
  acceptStrictJsonBodiesOnly(fastify, BODY_LIMIT_BYTES);
  acceptStreamedBodies(fastify);
  refuseMalformedQueryStrings(fastify);
  // A route that takes larger bodies than the API's 1 MiB says so in its config (`@RouteConfig`).
  fastify.addHook('onRoute', (route) => {
    const limit = (route.config as { bodyLimit?: unknown } | undefined)?.bodyLimit;
    if (typeof limit === 'number') route.bodyLimit = limit;
  });
  fastify.addHook('onSend', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });

  app.useGlobalFilters(new ProblemDetailsFilter());
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  serveOpenApiDocument(app);

  const webAppRoot = findWebAppRoot();
  if (webAppRoot) serveWebApp(app, webAppRoot);
  else rootLogger.warn('the web app is not built (npm run build builds it): / serves nothing');
  return app;
}
