import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { type Browser, chromium, type Page } from 'playwright-core';
import { appendStatements, proposeCommitments, request, type Server, startServer } from './http-server.js';
import { scratchDatabase } from './scratch-database.js';
import { SEED_CORPUS } from '../src/seed/seed-loader.js';

const SEEDED_COMMITMENTS = new Set(SEED_CORPUS.developments.map((d) => d.commitmentId)).size;

/**
 * `npm run bench:web`: the web app in Debian's Chromium (playwright-core), against the real server in a
 * child process on a database of its own (DATABASE_URL's server, or the embedded engine). Measures the
 * time to a rendered board and commitment page — from navigation start to the list, the timeline chart
 * and the whole history on screen — on the seed corpus and with 10,000 generated commitments, one of
 * them with 1,000 developments; and the JavaScript each page ships, gzipped. Targets: ≤ 150 KB of
 * gzipped JS for the first page; board and commitment page rendered in ≤ 1 s at 10,000 commitments.
 */

const MANY = 10_000;
const LONG_HISTORY = 1_000;
const RUNS = 5;
const JS_TARGET_KB = 150;
const RENDER_TARGET_MS = 1000;
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const WEB_DIR = path.resolve(import.meta.dirname, '..', 'web');

interface Timing {
  readonly page: string;
  readonly corpus: string;
  readonly coldMs: number;
  readonly warmMedianMs: number;
}

/** The server with an admin key (it waits for the projections through the admin API). */
async function startAdminServer(
  database: Awaited<ReturnType<typeof scratchDatabase>>,
  seed: boolean,
): Promise<Server> {
  const secret = randomBytes(24).toString('base64url');
  const started = await startServer(database, [], { SEED: String(seed), API_KEYS: `bench:admin:${secret}` });
  return { ...started, headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' } };
}

/** Waits until every projection has applied the whole log: the pages are timed on a settled server. */
async function projectionsCaughtUp(server: Server): Promise<void> {
  const deadline = Date.now() + 300_000;
  for (;;) {
    const answer = await request(server, 'GET', '/admin/projections');
    const { projections } = JSON.parse(answer.text) as {
      projections: { state: string; lag: { events: number } }[];
    };
    if (projections.every((p) => p.state === 'live' && p.lag.events === 0)) return;
    if (Date.now() > deadline) throw new Error(`projections still behind: ${answer.text}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** The entry script's size and the lazily loaded chunks' (the timeline chart), gzipped at level 9. */
function shippedJs(): { firstPageKb: number; commitmentPageKb: number; files: Record<string, number> } {
  const html = fs.readFileSync(path.join(WEB_DIR, 'index.html'), 'utf8');
  const entry = /<script type="module"[^>]*src="\/(assets\/[^"]+\.js)"/.exec(html)?.[1];
  if (!entry) throw new Error('dist/web/index.html names no entry script: run npm run build');
  const preloaded = [...html.matchAll(/<link rel="modulepreload"[^>]*href="\/(assets\/[^"]+\.js)"/g)].map(
    (m) => m[1],
  );
  const gz = (file: string) =>
    gzipSync(fs.readFileSync(path.join(WEB_DIR, file)), { level: 9 }).length / 1024;
  const all = fs
    .readdirSync(path.join(WEB_DIR, 'assets'))
    .filter((f) => f.endsWith('.js'))
    .map((f) => `assets/${f}`);
  const files = Object.fromEntries(all.map((file) => [file, gz(file)]));
  const firstPage = [entry, ...preloaded];
  const firstPageKb = firstPage.reduce((sum, file) => sum + files[file], 0);
  return { firstPageKb, commitmentPageKb: all.reduce((sum, file) => sum + files[file], 0), files };
}

/** Milliseconds from navigation start until `ready` resolves, first in a fresh context, then reloaded. */
async function timePage(browser: Browser, server: Server, url: string, ready: (page: Page) => Promise<void>) {
  const context = await browser.newContext({
    baseURL: server.baseUrl,
    viewport: { width: 1280, height: 900 },
  });
  const key = server.headers.authorization.replace(/^Bearer /, '');
  // Signed in as the app keeps it (sessionStorage), so the timing is the page's own.
  await context.addInitScript(
    `sessionStorage.setItem('commitments-tracker.session', ${JSON.stringify(JSON.stringify({ key, name: 'bench', role: 'admin' }))})`,
  );
  const page = await context.newPage();
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    if (run === 0) await page.goto(url);
    else await page.reload();
    await ready(page);
    times.push((await page.evaluate('performance.now()')) as number);
  }
  await context.close();
  const warm = times.slice(1).sort((a, b) => a - b);
  return { coldMs: times[0], warmMedianMs: warm[Math.floor(warm.length / 2)] };
}

const boardReady = (rows: number) => async (page: Page) => {
  await page
    .locator('table.board tbody tr')
    .nth(rows - 1)
    .waitFor();
  await page.locator('.counts .count').first().waitFor();
};

const commitmentReady = (entries: number) => async (page: Page) => {
  await page.locator('[data-testid=timeline] svg').waitFor();
  await page.locator(`table.history tbody tr#v${entries}`).waitFor();
};

async function measureCorpus(
  browser: Browser,
  server: Server,
  corpus: string,
  pages: [string, string, (p: Page) => Promise<void>][],
) {
  const timings: Timing[] = [];
  for (const [name, url, ready] of pages) {
    const timing = await timePage(browser, server, url, ready);
    timings.push({ page: name, corpus, ...timing });
    console.log(
      `  ${corpus}, ${name}: cold ${timing.coldMs.toFixed(0)} ms, warm median ${timing.warmMedianMs.toFixed(0)} ms`,
    );
  }
  return timings;
}

async function main(): Promise<void> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!fs.existsSync(executablePath))
    throw new Error(`no Chromium at ${executablePath}: apt-get install -y chromium`);
  const js = shippedJs();
  const engine = process.env.DATABASE_URL ? 'postgres' : 'embedded';
  const browser = await chromium.launch({ executablePath, headless: true, args: FLAGS });
  const timings: Timing[] = [];
  try {
    const seeded = await scratchDatabase('web_bench_seed');
    const seedServer = await startAdminServer(seeded, true);
    try {
      await projectionsCaughtUp(seedServer);
      timings.push(
        ...(await measureCorpus(browser, seedServer, 'seed corpus', [
          ['board', '/', boardReady(SEEDED_COMMITMENTS)],
          ['commitment (4 entries)', '/commitment/south-china-sea-code-of-conduct', commitmentReady(4)],
        ])),
      );
    } finally {
      await seedServer.stop();
      await seeded.drop();
    }

    const generated = await scratchDatabase('web_bench_many');
    const server = await startAdminServer(generated, false);
    try {
      const started = Date.now();
      const ids = await proposeCommitments(server, 'w', MANY);
      const long = ids[Math.floor(ids.length / 2)];
      await appendStatements(server, long, LONG_HISTORY - 1);
      await projectionsCaughtUp(server);
      console.log(
        `  ${MANY} commitments, ${long} with ${LONG_HISTORY} entries, written and projected in ${((Date.now() - started) / 1000).toFixed(0)} s`,
      );
      timings.push(
        ...(await measureCorpus(browser, server, `${MANY.toLocaleString('en-US')} commitments`, [
          ['board (first 100 rows)', '/', boardReady(100)],
          ['commitment (1 entry)', `/commitment/${ids[0]}`, commitmentReady(1)],
          [`commitment (${LONG_HISTORY} entries)`, `/commitment/${long}`, commitmentReady(LONG_HISTORY)],
        ])),
      );
    } finally {
      await server.stop();
      await generated.drop();
    }
  } finally {
    await browser.close();
  }

  console.log(
    `\nWeb app, ${engine} engine, Chromium headless, ${RUNS} loads per page (first in a fresh context)`,
  );
  for (const t of timings) {
    const target = t.corpus.startsWith('10,000')
      ? ` — target ≤ ${RENDER_TARGET_MS} ms ${Math.max(t.coldMs, t.warmMedianMs) <= RENDER_TARGET_MS ? 'met' : 'NOT met'}`
      : '';
    console.log(
      `${t.corpus.padEnd(20)} ${t.page.padEnd(28)} cold ${t.coldMs.toFixed(0).padStart(5)} ms   warm ${t.warmMedianMs.toFixed(0).padStart(5)} ms${target}`,
    );
  }
  console.log(
    `JS shipped, gzipped: first page (board) ${js.firstPageKb.toFixed(1)} KB — target ≤ ${JS_TARGET_KB} KB ` +
      `${js.firstPageKb <= JS_TARGET_KB ? 'met' : 'NOT met'}; commitment page (with the chart) ${js.commitmentPageKb.toFixed(1)} KB`,
  );

  const resultsDir = path.resolve(import.meta.dirname, '..', '..', 'bench', 'results');
  fs.mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `web-${engine}.json`);
  const report = {
    bench: 'web',
    engine,
    runs: RUNS,
    cpus: os.cpus().length,
    node: process.version,
    finishedAt: new Date().toISOString(),
    js,
    timings,
  };
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`results written to ${path.relative(process.cwd(), file)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
