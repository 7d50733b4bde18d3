import type { Page } from 'playwright-core';
import { checkAndSave } from './browser.js';
import {
  containsText,
  hasCount,
  hasText,
  signIn,
  until,
  visible,
  type WebScenarioContext,
} from './web-fixtures.js';

const COC = '/commitment/south-china-sea-code-of-conduct';
const STATEMENT = 'The Philippines urges a legally binding code by the next summit';

interface Statement {
  readonly speaker: string;
  readonly party: string;
  readonly summary: string;
  readonly sourceUrl?: string;
  readonly quote?: string;
}

/** Fills the statement form (the default development) and sends it. */
async function recordStatement(page: Page, statement: Statement): Promise<void> {
  const form = page.locator('form[data-action=statements]');
  await form.getByLabel('Speaker (required)').fill(statement.speaker);
  await form.getByLabel('Speaker’s party').fill(statement.party);
  await form.getByLabel('Stance').selectOption('urges');
  await form.getByLabel('Summary').fill(statement.summary);
  await form.getByLabel('Source title').fill('Chairman’s statement');
  await form.getByLabel('Source address (URL)').fill(statement.sourceUrl ?? 'https://asean.org/statement');
  await form.getByLabel('Quote, word for word').fill(statement.quote ?? '');
  // A double click, as an impatient analyst does: the form sends once (and its Idempotency-Key would
  // make a second request a replay).
  await form.getByRole('button', { name: 'Record a statement' }).dblclick();
}

const version = (page: Page) => page.getByTestId('version');

/** What an analyst does on a commitment's page, in the order of a working day. */
export function commitmentScenarios(context: WebScenarioContext): void {
  const { engine } = context;

  it('logs a statement through the form and sees it on the timeline, in the statements and in the history', async () => {
    const tab = await context.open();
    await signIn(tab, context.app(), 'analyst', COC);
    const { page } = tab;
    await hasText(version(page), 'Version 4');
    await recordStatement(page, {
      speaker: 'Enrique Manalo',
      party: 'PH',
      summary: STATEMENT,
      quote: 'A code, now.',
    });
    await hasText(page.locator('.recorded'), 'Recorded as version 5.');
    await hasText(version(page), 'Version 5');
    await hasCount(page.locator('table.history tbody tr'), 5);
    await visible(
      page.locator('[data-testid=timeline] g.timeline-label text', { hasText: 'Statement recorded · PH' }),
    );
    await containsText(
      page.locator('.statements li', { hasText: STATEMENT }).locator('blockquote'),
      'A code, now.',
    );
    const row = page.locator('table.history tbody tr#v5');
    await containsText(row, 'Statement recorded');
    await containsText(row, STATEMENT);
    await containsText(row, 'analyst');
    expect(await checkAndSave(page, engine, 'commitment-statement-logged')).toEqual([]);
  });

  it('time-travels to 2019-01-01 from the controls, with the view in the address', async () => {
    const tab = await context.open();
    await signIn(tab, context.app(), 'analyst', COC);
    const { page } = tab;
    await page.getByLabel('As of (world date)').fill('2019-01-01');
    await page.getByRole('button', { name: 'Travel' }).click();
    await page.waitForURL(/asOf=2019-01-01/);
    await containsText(page.locator('.notice'), 'As the world stood on 2019-01-01');
    await hasText(version(page), 'Version 2');
    await hasText(page.locator('.head-facts .badge').first(), 'Under negotiation');
    await containsText(page.locator('#statements-title + p'), 'No statement recorded');
    // Nothing is hidden from the audit trail: later entries are marked, not left out.
    await hasCount(page.locator('table.history tbody tr.outside'), 3);
    await visible(page.getByText('Developments are logged against the commitment as it stands'));
    expect(await checkAndSave(page, engine, 'commitment-as-of-2019')).toEqual([]);

    await page.getByRole('button', { name: 'Back to now' }).click();
    await hasText(version(page), 'Version 5');
  });

  it("shows the server's validation error beside the field its path names", async () => {
    const tab = await context.open();
    await signIn(tab, context.app(), 'analyst', COC);
    const { page } = tab;
    await recordStatement(page, {
      speaker: 'Spokesperson',
      party: 'PH',
      summary: 'Sent with a source address that is not a web address',
      sourceUrl: 'ftp://files.example.org/statement.txt',
    });
    const field = page.locator('form[data-action=statements] [data-field="source.url"]');
    await hasText(field.locator('.field-error'), 'url must be an http(s) URL');
    expect(await field.locator('input').getAttribute('aria-invalid')).toBe('true');
    await hasCount(page.locator('form[data-action=statements] .field-error'), 1);
    await hasText(version(page), 'Version 5');
    expect(await checkAndSave(page, engine, 'commitment-validation-error')).toEqual([]);
  });

  it('tells an analyst whose page is out of date what changed (412), and records after a reload', async () => {
    const first = await context.open();
    const second = await context.open();
    await signIn(first, context.app(), 'analyst', COC);
    await signIn(second, context.app(), 'admin', COC);
    await hasText(version(first.page), 'Version 5');
    await hasText(version(second.page), 'Version 5');

    await recordStatement(second.page, {
      speaker: 'Wang Yi',
      party: 'CN',
      summary: 'China welcomes progress',
    });
    await hasText(second.page.locator('.recorded'), 'Recorded as version 6.');

    await recordStatement(first.page, {
      speaker: 'Penny Wong',
      party: 'AU',
      summary: 'Australia urges restraint',
    });
    const conflict = first.page.getByTestId('conflict');
    await containsText(conflict, 'This commitment changed since you opened it');
    await containsText(conflict, 'You saw version 5');
    await containsText(
      conflict.locator('.changes'),
      'Version 6: Statement recorded — China welcomes progress (by admin',
    );
    await hasText(version(first.page), 'Version 5');
    expect(await checkAndSave(first.page, engine, 'commitment-changed-412')).toEqual([]);

    await first.page.getByRole('button', { name: 'Reload the commitment' }).click();
    await hasText(version(first.page), 'Version 6');
    await hasCount(conflict, 0);
    const summary = first.page.locator('form[data-action=statements]').getByLabel('Summary');
    expect(await summary.inputValue()).toBe('Australia urges restraint');
    await first.page
      .locator('form[data-action=statements]')
      .getByRole('button', { name: 'Record a statement' })
      .click();
    await hasText(first.page.locator('.recorded'), 'Recorded as version 7.');
    await containsText(first.page.locator('table.history tbody tr#v7'), 'Australia urges restraint');
  });

  it('retracts the statement and shows it struck through on the timeline, in the statements and the history', async () => {
    const tab = await context.open();
    await signIn(tab, context.app(), 'analyst', COC);
    const { page } = tab;
    await page.getByLabel('Development', { exact: true }).selectOption('retractions');
    const form = page.locator('form[data-action=retractions]');
    const entry = form.getByLabel('Entry');
    const option = await until(
      () => entry.locator('option', { hasText: STATEMENT.slice(0, 40) }).getAttribute('value'),
      (value) => expect(value).toBeTruthy(),
    );
    await entry.selectOption(option!);
    await form.getByLabel('Reason').fill('Attributed to the wrong minister');
    await form.getByRole('button', { name: 'Retract an entry' }).click();
    await hasText(form.locator('.recorded'), 'Recorded as version 8.');

    const struck = page.locator('[data-testid=timeline] g.timeline-retracted text', {
      hasText: 'Statement recorded · PH',
    });
    await visible(struck);
    expect(await struck.evaluate((node) => getComputedStyle(node).textDecorationLine)).toContain(
      'line-through',
    );
    const statement = page.locator('.statements li.retracted', { hasText: STATEMENT });
    await containsText(statement, '(retracted)');
    expect(
      await statement
        .locator('.statement-summary')
        .evaluate((node) => getComputedStyle(node).textDecorationLine),
    ).toContain('line-through');
    const row = page.locator('table.history tbody tr#v5');
    await until(
      () => row.getAttribute('class'),
      (classes) => expect(classes).toContain('retracted'),
    );
    await hasText(row.locator('td').nth(5), 'version 8');
    expect(await checkAndSave(page, engine, 'commitment-retracted')).toEqual([]);
  });
}
