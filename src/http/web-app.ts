import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PROBLEM_CONTENT_TYPE } from './problem-details.js';

/**
 * The pages of the analyst's web app: each answers with the app's one HTML document, which routes on
 * the client. They are paths the REST API does not use (the API's are plural collections: /commitments,
 * /parties, /follow-ups), so a page URL can be shared and reloaded and no API answer changes.
 */
export const WEB_APP_PAGES = [
  '/',
  '/sign-in',
  '/commitment/:id',
  '/party/:party',
  '/agenda',
  '/projections',
] as const;

/**
 * Scripts and styles only from the app's own files: a recorded text that smuggled markup in could not
 * run, load or style anything. Trusted Types make the DOM refuse HTML strings in script sinks altogether.
 */
export const WEB_APP_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "require-trusted-types-for 'script'",
  'trusted-types',
].join('; ');

const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': WEB_APP_CSP,
  'cache-control': 'no-cache',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'cross-origin-opener-policy': 'same-origin',
};

/**
 * The built app: `dist/web` beside the compiled server (`dist/src/http`), or, when the server runs from
 * its sources (the test suites), the `dist/web` that `npm run build` wrote.
 */
export function findWebAppRoot(): string | null {
  const candidates = [
    path.resolve(import.meta.dirname, '../../web'),
    path.resolve(import.meta.dirname, '../../dist/web'),
  ];
  return candidates.find((dir) => fs.existsSync(path.join(dir, 'index.html'))) ?? null;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

interface Asset {
  readonly type: string;
  readonly raw: Buffer;
  /** Gzipped once at start-up (a few milliseconds for the whole app), sent to every client that takes it. */
  readonly gzip: Buffer;
}

function loadAssets(dir: string): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  for (const file of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
    const raw = fs.readFileSync(path.join(dir, file));
    const type = CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream';
    assets.set(file, { type, raw, gzip: gzipSync(raw, { level: 9 }) });
  }
  return assets;
}

/**
 * Serves the web app from `root`: its pages (see {@link WEB_APP_PAGES}) with their security headers,
 * and its content-hashed assets under /assets/, from memory, gzipped when the client accepts it and
 * cached for good. Outside Nest's router, as Swagger UI is: these need no key (the app asks for one
 * and sends it with each API call).
 */
export function serveWebApp(app: NestFastifyApplication, root: string): void {
  const page = fs.readFileSync(path.join(root, 'index.html'));
  const assets = loadAssets(path.join(root, 'assets'));
  const fastify = app.getHttpAdapter().getInstance();
  const sendPage = (_request: unknown, reply: FastifyReply) => reply.headers(PAGE_HEADERS).send(page);
  for (const url of WEB_APP_PAGES) fastify.get(url, sendPage);
  fastify.get(
    '/assets/:file',
    (request: FastifyRequest<{ Params: { file: string } }>, reply: FastifyReply) => {
      const asset = assets.get(request.params.file);
      if (!asset) {
        const problem = { type: 'about:blank', title: 'Not Found', status: 404, detail: 'No such file.' };
        return reply.status(404).header('content-type', PROBLEM_CONTENT_TYPE).send(problem);
      }
      const gzip = /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
      void reply.headers({
        'content-type': asset.type,
        'cache-control': 'public, max-age=31536000, immutable',
        'x-content-type-options': 'nosniff',
        vary: 'accept-encoding',
      });
      if (gzip) void reply.header('content-encoding', 'gzip');
      return reply.send(gzip ? asset.gzip : asset.raw);
    },
  );
}
