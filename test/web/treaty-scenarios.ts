import type { Page } from 'playwright-core';
import { bearer } from '../support/test-app.js';
import { checkAndSave } from './browser.js';
import { containsText, hasText, signIn, until, type WebScenarioContext } from './web-fixtures.js';

/** Fills the source title every world fact needs and sends the form of `action`. */
async function send(page: Page, action: string, button: string): Promise<void> {
  const form = page.locator(`form[data-action=${action}]`);
  await form.getByLabel('Source title').fill('Depositary notification');
  await form.getByRole('button', { name: button }).click();
}

/** An analyst records a treaty's signature, ratification and reservation through the forms. */
export function treatyScenarios(context: WebScenarioContext): void {
  const { engine } = context;

  it('records a signature, a ratification and a reservation withdrawn, and shows the agreement in force', async () => {
    const app = context.app();
    const id = `web-treaty-${engine}`;
    const post = (path: string, body: object) =>
      app.http.post(path).set('Authorization', bearer(app.keys.analyst)).send(body);
    const source = { title: 'Final act' };
    const proposed = await post('/commitments', {
      id,
      title: 'Convention on Shared Watercourses',
      kind: 'agreement',
      parties: ['FR', 'DE'],
      proposedBy: 'FR',
      occurredAt: '2020-01-10',
      source,
      entryIntoForce: { instruments: 1, daysAfter: 0 },
    });
    expect(proposed.status).toBe(201);
    const adoption = { adoptedBy: ['FR', 'DE'], occurredAt: '2020-02-01', source };
    expect((await post(`/commitments/${id}/adoptions`, adoption)).status).toBe(201);

    const tab = await context.open();
    await signIn(tab, app, 'analyst', `/commitment/${id}`);
    const { page } = tab;
    const choose = (action: string) => page.getByLabel('Development', { exact: true }).selectOption(action);

    await choose('signatures');
    await page.locator('form[data-action=signatures]').getByLabel('Signing party').fill('FR');
    await send(page, 'signatures', 'Record a signature');
    await hasText(page.locator('form[data-action=signatures] .recorded'), 'Recorded as version 3.');

    await choose('accessions');
    const accession = page.locator('form[data-action=accessions]');
    await accession.getByLabel('Joining party').fill('FR');
    await accession.getByLabel('As', { exact: true }).selectOption('ratification');
    await send(page, 'accessions', 'Record an accession');
    await hasText(accession.locator('.recorded'), 'Recorded as version 4.');

    await choose('reservations');
    const reservation = page.locator('form[data-action=reservations]');
    await reservation.getByLabel('Party (required)', { exact: true }).fill('FR');
    await reservation.getByLabel('Kind').selectOption('reservation');
    await reservation.getByLabel('Text').fill('Article 9 does not apply to FR.');
    await send(page, 'reservations', 'Record a reservation, declaration or objection');
    await hasText(reservation.locator('.recorded'), 'Recorded as version 5.');

    await choose('reservation-withdrawals');
    const withdrawal = page.locator('form[data-action=reservation-withdrawals]');
    const entry = withdrawal.getByLabel('Reservation');
    const option = await until(
      () => entry.locator('option', { hasText: 'Reservation made' }).getAttribute('value'),
      (value) => expect(value).toBeTruthy(),
    );
    await entry.selectOption(option!);
    await send(page, 'reservation-withdrawals', 'Withdraw a reservation');
    await hasText(withdrawal.locator('.recorded'), 'Recorded as version 6.');

    const today = new Date().toISOString().slice(0, 10);
    const row = page.locator('section[aria-labelledby=parties-title] tbody tr', {
      has: page.locator('th', { hasText: 'FR' }),
    });
    await containsText(row, `Ratification, deposited ${today}, effective ${today}`);
    await containsText(row, `withdrawn ${today}`);
    await containsText(page.locator('dl.facts'), `In force from${today}`);
    expect(await checkAndSave(page, engine, 'commitment-treaty')).toEqual([]);
  });
}
