import type { Browser } from 'playwright-core';
import { SEED_CORPUS } from '../../src/seed/seed-loader.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { TEST_ENGINES } from '../support/test-database.js';
import { type AppTab, checkAndSave, findChromium, launchChromium, openTab } from './browser.js';
import { commitmentScenarios } from './commitment-scenarios.js';
import { treatyScenarios } from './treaty-scenarios.js';
import {
  containsText,
  hasCount,
  hasText,
  signIn,
  visible,
  SCRIPT_QUOTE,
  XSS_TITLE,
  type WebScenarioContext,
} from './web-fixtures.js';

const chromiumPath = findChromium();
const missing = `no Chromium at ${process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'}`;
if (!chromiumPath && process.env.CI === 'true') {
  // CI installs Chromium (.ci/run): there a missing browser is a failure, not a reason to skip.
  it('runs in Chromium on CI', () => {
    throw new Error(`${missing}: CI must install it (apt-get install -y chromium)`);
  });
} else if (!chromiumPath) {
  process.stderr.write(
    `Browser tests (test/web) skipped: ${missing} — install it (apt-get install -y chromium) or set CHROMIUM_PATH to run them.\n`,
  );
}
const describeInBrowser = chromiumPath ? describe : describe.skip;

describeInBrowser.each(TEST_ENGINES)('the web app in Chromium on %s', (engine) => {
  let app: TestApp;
  let browser: Browser;
  const tabs: AppTab[] = [];
  const context: WebScenarioContext = {
    engine,
    app: () => app,
    open: async () => {
      const tab = await openTab(browser, baseUrl(app));
      tabs.push(tab);
      return tab;
    },
  };

  beforeAll(async () => {
    [app, browser] = await Promise.all([
      createTestApp(engine, { SEED: 'true' }),
      launchChromium(chromiumPath!),
    ]);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });
  afterEach(async () => {
    // Nothing a page did may have been refused by its CSP or thrown: checked after every scenario.
    const incidents = tabs.flatMap((tab) => tab.incidents);
    await Promise.all(tabs.splice(0).map((tab) => tab.context.close()));
    expect(incidents).toEqual([]);
  });

  it('signs in with a pasted key kept in sessionStorage only, shows its name and role, and signs out', async () => {
    const { page } = await context.open();
    await page.goto('/');
    await page.getByLabel('API key').fill('not-a-key-000000');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await hasText(page.locator('#api-key-error'), 'This key is not known to the server.');
    expect(await checkAndSave(page, engine, 'sign-in-refused')).toEqual([]);

    await page.getByLabel('API key').fill(app.keys.analyst);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await hasText(page.getByTestId('who-name'), 'analyst');
    await hasText(page.getByTestId('who-role'), 'analyst');
    const storage = await page.evaluate(() => ({
      session: JSON.stringify(sessionStorage),
      local: localStorage.length,
      url: location.href,
    }));
    expect(storage.session).toContain(app.keys.analyst);
    expect(storage.local).toBe(0);
    expect(storage.url).not.toContain(app.keys.analyst);
    expect(await checkAndSave(page, engine, 'signed-in')).toEqual([]);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await visible(page.getByLabel('API key'));
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
  });

  it('filters the board to under_negotiation and finds the South China Sea code of conduct', async () => {
    const tab = await context.open();
    await signIn(tab, app, 'analyst');
    const { page } = tab;
    await page.getByLabel('Status', { exact: true }).selectOption('under_negotiation');
    await page.waitForURL(/[?&]status=under_negotiation/);
    await visible(page.getByRole('link', { name: 'Code of Conduct in the South China Sea' }));
    const rows = page.locator('table.board tbody tr');
    // The code of conduct and the single-window support the seed's correction moved back to talks.
    await hasCount(rows, 2);
    await containsText(page.locator('.count[aria-pressed=true]'), 'Under negotiation 2');
    expect(await checkAndSave(page, engine, 'board-under-negotiation')).toEqual([]);

    // The view is in the address: a reload (or a colleague with the link) sees the same.
    await page.reload();
    await hasCount(page.locator('table.board tbody tr'), 2);
    await page.getByRole('button', { name: 'Clear' }).click();
    await hasCount(
      page.locator('table.board tbody tr'),
      new Set(SEED_CORPUS.developments.map((d) => d.commitmentId)).size,
    );
    expect(await checkAndSave(page, engine, 'board')).toEqual([]);
  });

  commitmentScenarios(context);
  treatyScenarios(context);

  it('shows a reader no write controls, and an admin the projections with a live rebuild', async () => {
    const reader = await context.open();
    await signIn(reader, app, 'reader');
    await hasText(reader.page.getByTestId('who-role'), 'reader');
    await visible(reader.page.locator('table.board tbody tr').first());
    await hasCount(reader.page.getByRole('button', { name: 'Propose a commitment' }), 0);
    await hasCount(reader.page.getByRole('link', { name: 'Projections' }), 0);
    await reader.page.getByRole('link', { name: 'Code of Conduct in the South China Sea' }).click();
    await visible(reader.page.getByRole('heading', { name: 'History' }));
    await hasCount(reader.page.getByRole('heading', { name: 'Log a development' }), 0);
    await hasCount(reader.page.locator('form.development-form'), 0);
    expect(await checkAndSave(reader.page, engine, 'reader-commitment')).toEqual([]);

    const admin = await context.open();
    await signIn(admin, app, 'admin');
    await admin.page.getByRole('link', { name: 'Projections' }).click();
    await visible(admin.page.locator('tr[data-projection=party-commitments]'));
    await admin.page.getByRole('button', { name: 'Rebuild read models' }).click();
    await admin.page.getByRole('button', { name: 'Yes, rebuild every read model' }).click();
    await containsText(admin.page.locator('.rebuild'), 'Rebuild completed');
    await hasCount(admin.page.locator('progress'), 2);
    expect(await checkAndSave(admin.page, engine, 'projections')).toEqual([]);
  });

  it('renders a recorded <img onerror> title and a <script> quote as text', async () => {
    const post = (path: string, body: object) =>
      app.http.post(path).set('Authorization', `Bearer ${app.keys.analyst}`).send(body);
    const source = { title: 'A <b>bold</b> report', url: 'https://example.org/report' };
    const proposed = await post('/commitments', {
      id: 'markup-in-the-record',
      title: XSS_TITLE,
      kind: 'pledge',
      parties: ['US', 'VN'],
      proposedBy: 'VN',
      occurredAt: '2025-01-01',
      source,
    });
    expect(proposed.status).toBe(201);
    const statement = await post('/commitments/markup-in-the-record/statements', {
      speaker: { name: '<img src=y onerror="window.__injected=3">', party: 'VN' },
      stance: 'supports',
      summary: 'Quoted with markup',
      occurredAt: '2025-01-02',
      source: { ...source, quote: SCRIPT_QUOTE },
    });
    expect(statement.status).toBe(201);

    const tab = await context.open();
    await signIn(tab, app, 'analyst');
    const { page } = tab;
    await page.getByLabel('Search', { exact: true }).fill('fisheries');
    await page.getByRole('button', { name: 'Apply' }).click();
    await visible(page.getByRole('link', { name: XSS_TITLE }));
    await page.getByRole('link', { name: XSS_TITLE }).click();
    await hasText(page.getByRole('heading', { level: 1 }), XSS_TITLE);
    await hasText(page.locator('.statements blockquote'), SCRIPT_QUOTE);
    await hasText(page.locator('.statements .source a'), 'A <b>bold</b> report');
    await containsText(page.locator('.statements .statement-head'), '<img src=y');
    await hasCount(page.locator('main img, main script, main b'), 0);
    expect(
      await page.evaluate(() => (window as unknown as { __injected?: number }).__injected),
    ).toBeUndefined();
    expect(await checkAndSave(page, engine, 'markup-as-text')).toEqual([]);
  });
});

function baseUrl(app: TestApp): string {
  const address = app.app.getHttpServer().address();
  if (address === null || typeof address === 'string')
    throw new Error('the test app is not listening on a port');
  return `http://127.0.0.1:${address.port}`;
}
