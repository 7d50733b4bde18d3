import type { Locator } from 'playwright-core';
import type { TestApp, TestKeys } from '../support/test-app.js';
import type { EngineName } from '../support/test-database.js';
import type { AppTab } from './browser.js';

/** A title an attacker might record: rendered as markup it would run a script. */
export const XSS_TITLE = 'Pledge <img src=x onerror="window.__injected=1"> on fisheries';
export const SCRIPT_QUOTE = '<script>window.__injected = 2</script>';

export interface WebScenarioContext {
  readonly engine: EngineName;
  app(): TestApp;
  /** A new browser context (its own sessionStorage) with one tab, closed after the scenario. */
  open(): Promise<AppTab>;
}

/** Signs in on the board with one of the test app's keys and waits for the app to say who it is. */
export async function signIn(tab: AppTab, app: TestApp, role: keyof TestKeys, path = '/'): Promise<void> {
  await tab.page.goto(path);
  await tab.page.getByLabel('API key').fill(app.keys[role]);
  await tab.page.getByRole('button', { name: 'Sign in' }).click();
  await hasText(tab.page.getByTestId('who-role'), role);
}

const TIMEOUT_MS = 15_000;

/** Polls `read` until `check` (Jest expectations) passes; fails with the last failure after the timeout. */
export async function until<T>(read: () => Promise<T>, check: (value: T) => void): Promise<T> {
  const deadline = Date.now() + TIMEOUT_MS;
  for (;;) {
    const value = await read();
    try {
      check(value);
      return value;
    } catch (failure) {
      if (Date.now() > deadline) throw failure;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function hasText(locator: Locator, expected: string | RegExp): Promise<void> {
  await until(
    async () => ((await locator.count()) > 0 ? ((await locator.first().textContent()) ?? '').trim() : null),
    (text) => (typeof expected === 'string' ? expect(text).toBe(expected) : expect(text).toMatch(expected)),
  );
}

export async function containsText(locator: Locator, expected: string): Promise<void> {
  await until(
    async () => ((await locator.count()) > 0 ? ((await locator.first().textContent()) ?? '') : ''),
    (text) => expect(text).toContain(expected),
  );
}

export async function hasCount(locator: Locator, expected: number): Promise<void> {
  await until(
    () => locator.count(),
    (count) => expect(count).toBe(expected),
  );
}

export async function visible(locator: Locator): Promise<void> {
  await locator.first().waitFor({ state: 'visible', timeout: TIMEOUT_MS });
}
