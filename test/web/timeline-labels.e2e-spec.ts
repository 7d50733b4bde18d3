import type { Browser } from 'playwright-core';
import { bearer, createTestApp, type TestApp } from '../support/test-app.js';
import { TEST_ENGINES } from '../support/test-database.js';
import { type AppTab, findChromium, launchChromium, openTab } from './browser.js';
import { signIn, visible } from './web-fixtures.js';

const chromiumPath = findChromium();
const describeInBrowser = chromiumPath ? describe : describe.skip;

const daysFromToday = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

interface LabelBox {
  readonly text: string;
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

describeInBrowser.each(TEST_ENGINES)('the timeline’s labels in Chromium on %s', (engine) => {
  let app: TestApp;
  let browser: Browser;
  let tab: AppTab | undefined;
  let id: string;

  beforeAll(async () => {
    [app, browser] = await Promise.all([createTestApp(engine), launchChromium(chromiumPath!)]);
    const analyst = { Authorization: bearer(app.keys.analyst) };
    id = `crowded-${Date.now().toString(36)}`;
    const post = async (path: string, body: object) => {
      const res = await app.http.post(path).set(analyst).send(body);
      if (res.status !== 201) throw new Error(`${path}: ${res.status} ${res.text}`);
    };
    const source = { title: 'Desk notes', publisher: 'Desk', url: 'https://example.org/notes' };
    await post('/commitments', {
      id,
      title: 'A commitment with many close developments',
      kind: 'pledge',
      parties: ['VN', 'PH', 'MY'],
      proposedBy: 'VN',
      topics: ['water'],
      occurredAt: daysFromToday(-40),
      source,
    });
    // Statements a day or two apart, up to today: their labels cannot all stand side by side.
    for (let i = 0; i < 14; i++) {
      await post(`/commitments/${id}/statements`, {
        occurredAt: daysFromToday(-Math.floor(i * 1.5)),
        speaker: { name: `Spokesperson ${i}`, party: ['VN', 'PH', 'MY'][i % 3] },
        stance: 'supports',
        summary: `Statement ${i}`,
        source,
      });
    }
    // A deadline just before today (its label runs into today's) and a review far right (at the edge).
    await post(`/commitments/${id}/deadlines`, {
      occurredAt: daysFromToday(-3),
      dueDate: daysFromToday(-1),
      source,
    });
    await post(`/commitments/${id}/follow-ups`, {
      reviewOn: '2027-01-01',
      note: 'Check again.',
      assignee: 'desk',
    });
  }, 120_000);
  afterAll(async () => {
    await tab?.context.close();
    await browser?.close();
    await app?.close();
  });

  it.each([1280, 760])(
    'keeps every shown label inside the chart and clear of every other, at %i px wide',
    async (width) => {
      tab = await openTab(
        browser,
        `http://127.0.0.1:${(app.app.getHttpServer().address() as { port: number }).port}`,
      );
      await tab.page.setViewportSize({ width, height: 900 });
      await signIn(tab, app, 'reader');
      await tab.page.goto(`/commitment/${id}`);
      await visible(tab.page.locator('[data-testid=timeline] svg g.timeline-label text'));
      const { frame, shown, hidden, titles } = await tab.page.evaluate(() => {
        const svg = document.querySelector('[data-testid=timeline] svg')!;
        const box = (node: Element) => {
          const r = node.getBoundingClientRect();
          return { text: node.textContent ?? '', left: r.left, right: r.right, top: r.top, bottom: r.bottom };
        };
        const labels = Array.from(svg.querySelectorAll('.timeline-label text, .timeline-rule-label text'));
        const isShown = (node: Element) => getComputedStyle(node).display !== 'none';
        return {
          frame: box(svg),
          shown: labels.filter(isShown).map(box),
          hidden: labels.filter((node) => !isShown(node)).map((node) => node.textContent ?? ''),
          titles: Array.from(svg.querySelectorAll('title')).map((title) => title.textContent ?? ''),
        };
      });
      expect(shown.length).toBeGreaterThan(3);
      const outside = shown.filter(
        (label: LabelBox) =>
          label.left < frame.left - 0.5 ||
          label.right > frame.right + 0.5 ||
          label.top < frame.top - 0.5 ||
          label.bottom > frame.bottom + 0.5,
      );
      expect(outside).toEqual([]);
      const overlapping: string[] = [];
      shown.forEach((a: LabelBox, i: number) =>
        shown.slice(i + 1).forEach((b: LabelBox) => {
          if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) {
            overlapping.push(`${a.text} × ${b.text}`);
          }
        }),
      );
      expect(overlapping).toEqual([]);
      // A label that had to go is still there for the pointer: its mark's tooltip says it.
      for (const text of hidden) expect(titles.some((title) => title.includes(text))).toBe(true);
      expect(shown.map((label: LabelBox) => label.text)).toContain('today');
      expect(tab.incidents).toEqual([]);
      await tab.context.close();
      tab = undefined;
    },
  );
});
