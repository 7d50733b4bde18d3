import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { bearer, createTestApp, type TestApp } from '../support/test-app.js';
import { TEST_ENGINES, type EngineName } from '../support/test-database.js';
import { expectFieldError, fact, parseCsv, proposal } from './e2e-fixtures.js';

const BASE = 'https://tracker.example.org/desk';

interface AtomLink {
  '@_rel': string;
  '@_href': string;
}

interface AtomEntry {
  id: string;
  title: { '#text': string };
  link: AtomLink;
  content: { '#text': string };
}

const parser = new XMLParser({
  ignoreAttributes: false,
  isArray: (name) => name === 'entry',
  textNodeName: '#text',
  alwaysCreateTextNode: false,
});

describe.each(TEST_ENGINES)('the corrections feed and ?format= on %s', (engineName: EngineName) => {
  let app: TestApp;
  let commitmentId: string;

  beforeAll(async () => {
    app = await createTestApp(engineName, { PUBLIC_BASE_URL: `${BASE}/` });
    const body = proposal({ parties: ['NP', 'BT'] });
    commitmentId = body.id as string;
    const analyst = { Authorization: bearer(app.keys.analyst) };
    expect((await app.http.post('/commitments').set(analyst).send(body)).status).toBe(201);
    for (const note of ['Another spokesperson <b>said</b> it & more', 'Wrong day']) {
      const said = await app.http
        .post(`/commitments/${commitmentId}/statements`)
        .set(analyst)
        .send(
          fact('2025-03-01', {
            speaker: { name: 'A Spokesperson', party: 'NP' },
            stance: 'supports',
            summary: 'Said on the record',
          }),
        );
      expect(said.status).toBe(201);
      const retracted = await app.http
        .post(`/commitments/${commitmentId}/retractions`)
        .set(analyst)
        .send({ eventId: said.body.eventId, reason: 'misattributed', note });
      expect(retracted.status).toBe(201);
    }
  });
  afterAll(() => app?.close());

  const reader = () => ({ Authorization: bearer(app.keys.reader) });

  it('answers ?format=atom with a well-formed Atom feed whose links are absolute and lead to the web app’s pages', async () => {
    const res = await app.http
      .get('/corrections')
      .query({ commitment: commitmentId, format: 'atom' })
      .set(reader());
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/atom\+xml/);
    expect(XMLValidator.validate(res.text)).toBe(true);
    const { feed } = parser.parse(res.text) as {
      feed: { '@_xmlns': string; link: AtomLink; entry: AtomEntry[] };
    };
    expect(feed['@_xmlns']).toBe('http://www.w3.org/2005/Atom');
    expect(feed.link['@_rel']).toBe('self');
    expect(new URL(feed.link['@_href']).href).toBe(
      `${BASE}/corrections?commitment=${commitmentId}&format=atom`,
    );
    expect(feed.entry).toHaveLength(2);
    for (const entry of feed.entry) {
      expect(entry.link['@_rel']).toBe('alternate');
      // The web app's page of the commitment (src/web/lib/router.tsx: /commitment/:id), not an API route.
      expect(entry.link['@_href']).toBe(`${BASE}/commitment/${commitmentId}`);
      expect(new URL(entry.link['@_href']).protocol).toBe('https:');
    }
    expect(feed.entry.map((entry) => entry.content['#text'])).toContainEqual(
      expect.stringContaining('Another spokesperson <b>said</b> it & more'),
    );
  });

  it('lets ?format= override Accept, and Accept still chooses without it', async () => {
    const get = (query: Record<string, string>, accept?: string) => {
      const request = app.http
        .get('/corrections')
        .query({ commitment: commitmentId, ...query })
        .set(reader());
      return accept ? request.set('Accept', accept) : request;
    };
    const json = await get({ format: 'json' }, 'text/csv');
    expect(json.headers['content-type']).toMatch(/^application\/json/);
    expect(json.body.items).toHaveLength(2);
    const csv = await get({ format: 'csv' }, 'application/atom+xml');
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(parseCsv(csv.text)).toHaveLength(3);
    expect((await get({}, 'application/atom+xml')).headers['content-type']).toMatch(
      /^application\/atom\+xml/,
    );
    expect((await get({}, 'text/csv')).headers['content-type']).toMatch(/^text\/csv/);
    expect((await get({})).headers['content-type']).toMatch(/^application\/json/);
  });

  it('exports the commitments list with ?format=csv, and refuses a format a route does not offer', async () => {
    const csv = await app.http.get('/commitments').query({ format: 'csv' }).set(reader());
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(parseCsv(csv.text)[0]).toEqual(expect.arrayContaining(['id', 'title']));
    const json = await app.http
      .get('/commitments')
      .query({ format: 'json' })
      .set(reader())
      .set('Accept', 'text/csv');
    expect(json.headers['content-type']).toMatch(/^application\/json/);
    expectFieldError(await app.http.get('/commitments').query({ format: 'atom' }).set(reader()), 'format');
    expectFieldError(await app.http.get('/corrections').query({ format: 'xml' }).set(reader()), 'format');
  });
});
