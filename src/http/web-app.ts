import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply } from 'fastify';

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

/**
 * Serves the web app from `root`: its pages (see {@link WEB_APP_PAGES}) with their security headers,
 * and its content-hashed assets under /assets/, cached for good. Outside Nest's router, as Swagger UI
 * is: these need no key (the app asks for one and sends it with each API call).
 */
export async function serveWebApp(app: NestFastifyApplication, root: string): Promise<void> {
  const page = fs.readFileSync(path.join(root, 'index.html'));
  await app.register(fastifyStatic, {
    root: path.join(root, 'assets'),
    prefix: '/assets/',
    decorateReply: false,
    index: false,
    immutable: true,
    maxAge: '365d',
    setHeaders: (reply) => void reply.header('x-content-type-options', 'nosniff'),
  });
  const fastify = app.getHttpAdapter().getInstance();
  const sendPage = (_request: unknown, reply: FastifyReply) => reply.headers(PAGE_HEADERS).send(page);
  for (const url of WEB_APP_PAGES) fastify.get(url, sendPage);
}
