import { TEST_ENGINES, type EngineName } from '../support/test-database.js';
import { commitmentsApi, fact, parseCsv, unique } from './e2e-fixtures.js';

/**
 * Text a spreadsheet would run as a formula, as an attacker would hide it, and the cell every CSV of the
 * service must hold for it: the text itself after an apostrophe. Written out by hand, not derived from the
 * code's own rule.
 */
const HOSTILE_CELLS: readonly (readonly [string, string])[] = [
  ['=HYPERLINK("http://evil.example","x")', `'=HYPERLINK("http://evil.example","x")`],
  ['+1+cmd|calc', `'+1+cmd|calc`],
  ['-2+3', `'-2+3`],
  ['@SUM(A1:A2)', `'@SUM(A1:A2)`],
  ['\t=1+1', `'\t=1+1`],
  [' =1+1', `' =1+1`],
  ['   @SUM(A1)', `'   @SUM(A1)`],
  ['\u00a0=1+1', `'\u00a0=1+1`],
  ['\u200b=1+1', `'\u200b=1+1`],
  ['\u200b \u00a0+A1', `'\u200b \u00a0+A1`],
  ['\n=1+1', `'\n=1+1`],
  ['\r\n-1', `'\r\n-1`],
  ['\uff1d1+1', `'\uff1d1+1`],
  [' \uff0b1', `' \uff0b1`],
  ['\ufe62A1', `'\ufe62A1`],
  ['\ufeff@A1', `'\ufeff@A1`],
];

/** Look alike but are not formulas: written as they are. */
const HARMLESS_CELLS: readonly string[] = [
  'Pledge on = terms',
  'a-b',
  'x=1',
  '\u2212 minus sign is not a formula sign',
  "'already quoted",
];

const CSV_REQUESTS: readonly { accept: string; query: Record<string, string> }[] = [
  { accept: 'text/csv', query: {} },
  { accept: '*/*', query: { format: 'csv' } },
];

describe.each(TEST_ENGINES)('formulas in every CSV on %s', (engineName: EngineName) => {
  const api = commitmentsApi(engineName);

  it('prefixes each disguised formula with an apostrophe in the commitments list CSV (the web download too)', async () => {
    const topic = unique('formula');
    const titles = new Map<string, string>();
    for (const text of [...HOSTILE_CELLS.map(([given]) => given), ...HARMLESS_CELLS]) {
      const id = await api.propose({ title: text, summary: text, topics: [topic] });
      titles.set(id, text);
    }
    // The web app's download asks this very route for text/csv; ?format=csv is the same choice.
    for (const ask of CSV_REQUESTS) {
      const res = await api.app.http
        .get('/commitments')
        .query({ topic, ...ask.query })
        .set(api.auth('reader'))
        .set('Accept', ask.accept);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      const [header, ...rows] = parseCsv(res.text);
      const cellOf = (text: string, column: string) => {
        const id = [...titles].find(([, given]) => given === text)![0];
        return rows.find((row) => row[header.indexOf('id')] === id)![header.indexOf(column)];
      };
      for (const [given, expected] of HOSTILE_CELLS) {
        expect([given, cellOf(given, 'title')]).toEqual([given, expected]);
        expect([given, cellOf(given, 'summary')]).toEqual([given, expected]);
      }
      for (const given of HARMLESS_CELLS) expect(cellOf(given, 'title')).toBe(given);
    }
  });

  it('prefixes them in the corrections CSV (a retraction’s note)', async () => {
    const id = await api.propose({ parties: ['NP', 'BT'] });
    const expected = new Map<string, string>();
    for (const [given, cell] of HOSTILE_CELLS) {
      const said = await api.develop(
        id,
        'statements',
        fact('2025-03-01', {
          speaker: { name: 'A Spokesperson', party: 'NP' },
          stance: 'supports',
          summary: given,
        }),
      );
      const retraction = await api.develop(id, 'retractions', {
        eventId: said.eventId,
        reason: 'misattributed',
        note: given,
      });
      expected.set(retraction.eventId, cell);
    }
    for (const ask of CSV_REQUESTS) {
      const res = await api.app.http
        .get('/corrections')
        .query({ commitment: id, limit: '100', ...ask.query })
        .set(api.auth('reader'))
        .set('Accept', ask.accept);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      const [header, ...rows] = parseCsv(res.text);
      expect(rows).toHaveLength(HOSTILE_CELLS.length);
      for (const row of rows) {
        const cell = expected.get(row[header.indexOf('eventId')]);
        expect(row[header.indexOf('note')]).toBe(cell);
      }
    }
  });
});
