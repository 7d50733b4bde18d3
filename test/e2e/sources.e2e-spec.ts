import { digestOf } from '../../src/sources/source-text.js';
import { TEST_ENGINES, type EngineName } from '../support/test-database.js';
import { commitmentsApi, expectFieldError, expectProblem, fact, unique } from './e2e-fixtures.js';

const REPORT = [
  'Vietnam proposes key directions for strengthening ASEAN-US cooperation',
  'Prime Minister Chinh emphasised that the United States is among ASEAN’s most comprehensive strategic partners, with strong commitments to regional cooperation.',
  '',
  'They also thanked the US for its technical support in developing the next-generation ASEAN Single Window mechanism.',
].join('\r\n');

describe.each(TEST_ENGINES)('sources on %s', (engineName: EngineName) => {
  const api = commitmentsApi(engineName);

  const register = (body: Record<string, unknown>) => api.post('/sources', body);

  it('registers a source with its text once: the same text again is the same source (200)', async () => {
    const text = `${REPORT}\n${unique('run')}`;
    const first = await register({ title: 'A report', publisher: 'VOV.VN', language: 'en', text });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      title: 'A report',
      publisher: 'VOV.VN',
      language: 'en',
      hasText: true,
      sha256: digestOf(text),
      registeredBy: 'analyst',
    });
    expect(first.body.id).toBe(`s-${digestOf(text).slice(0, 16)}`);
    expect(first.body.text).toBeUndefined();
    // Line ends, trailing spaces and composed characters do not make another text.
    const again = await register({ title: 'Another title', text: `${text.replace(/\r\n/g, '\n')}  \n\n` });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    const read = await api.get(`/sources/${first.body.id}`, { include: 'text' });
    expect(read.status).toBe(200);
    expect(read.body.text).toBe(text);
    const listed = await api.get('/sources', { publisher: 'VOV.VN' });
    expect(listed.body.items.map((source: { id: string }) => source.id)).toContain(first.body.id);
  });

  it('checks a quote against the cited source: 422 with the closest passage when it is not in it', async () => {
    const text = `${REPORT}\n${unique('run')}`;
    const { body: registered } = await register({ title: 'The 13th summit report', text });
    const id = await api.propose();
    const cite = (quote: string) =>
      api.attempt(
        id,
        'statements',
        fact('2025-10-26', {
          speaker: { name: 'Pham Minh Chinh', party: 'VN' },
          stance: 'reaffirms',
          summary: 'On the partnership',
          source: { sourceId: registered.id, quote, locator: 'para. 2' },
        }),
      );
    // Straight quotes and hyphens, other white space: the quote is still found.
    const found = await cite(
      "Prime Minister Chinh emphasised that the United States is among ASEAN's most comprehensive strategic partners",
    );
    expect(found.status).toBe(201);
    const wrong = await cite('the United States is among ASEAN’s most important partners');
    const problem = expectProblem(wrong, 422);
    expect(problem.type).toBe('/problems/quote-not-in-source');
    expect(problem.closestPassage).toMatch(/^Prime Minister Chinh emphasised/);
    expect(problem.detail).toContain('closest passage');

    const history = await api.history(id);
    const cited = history[history.length - 1];
    expect(cited.data.source).toMatchObject({
      sourceId: registered.id,
      quoteVerified: true,
      locator: 'para. 2',
    });
    expect((cited as unknown as { quoteVerified: boolean }).quoteVerified).toBe(true);
    expect(history).toHaveLength(2); // the refused statement appended nothing

    const citations = await api.get(`/sources/${registered.id}/citations`);
    expect(citations.status).toBe(200);
    expect(citations.body.citations).toEqual([
      expect.objectContaining({
        commitmentId: id,
        type: 'StatementRecorded',
        quoteVerified: true,
        retracted: false,
      }),
    ]);
  });

  it('accepts a quote from a source without text, marked unverified; an unknown source is a 422', async () => {
    const { body: registered, status } = await register({
      title: 'A report kept elsewhere',
      sha256: digestOf(unique('elsewhere')),
    });
    expect(status).toBe(201);
    expect(registered.hasText).toBe(false);
    const id = await api.propose();
    await api.develop(
      id,
      'progress',
      fact('2025-01-01', { summary: 'Progress', source: { sourceId: registered.id, quote: 'Anything' } }),
    );
    const history = await api.history(id);
    expect(history[1].data.source).toMatchObject({ quoteVerified: false });
    expect((history[1] as unknown as { quoteVerified: boolean }).quoteVerified).toBe(false);
    const unknown = await api.attempt(
      id,
      'progress',
      fact('2025-01-02', { summary: 'More', source: { sourceId: 'no-such-source' } }),
    );
    expect(expectProblem(unknown, 422).type).toBe('/problems/unknown-source');
  });

  it('supersedes a source with a corrected copy, and refuses what cannot be registered', async () => {
    const { body: original } = await register({ title: 'Draft', text: unique('draft text') });
    const { body: corrected, status } = await register({
      title: 'Final',
      text: unique('final text'),
      supersedes: original.id,
    });
    expect(status).toBe(201);
    expect(corrected.supersedes).toBe(original.id);
    expect((await api.get(`/sources/${original.id}`)).body.supersededBy).toEqual([corrected.id]);
    expect(expectProblem(await register({ title: 'Orphan', supersedes: 'no-such-source' }), 422).type).toBe(
      '/problems/unknown-source',
    );
    expectFieldError(await register({ title: 'Both', text: 'x', sha256: digestOf('x') }), 'sha256');
    expectFieldError(await register({ text: 'no title' }), 'title');
    const taken = await register({ id: original.id, title: 'Same id, other text', text: unique('other') });
    expect(expectProblem(taken, 409).type).toBe('/problems/source-exists');
    expectProblem(await api.get('/sources/no-such-source'), 404);
    expectFieldError(
      await api.attempt(
        'any-commitment',
        'statements',
        fact('2025-01-01', { source: { sourceId: original.id, title: 'x' } }),
      ),
      'source.sourceId',
    );
  });

  it('takes a text far above the API’s 1 MiB limit on this route, and states its own limit when over it', async () => {
    const large = `${unique('large')} ${'word '.repeat(600_000)}`; // about 3 MB
    const accepted = await register({ title: 'A long report', text: large });
    expect(accepted.status).toBe(201);
    expect(accepted.body.textLength).toBe([...large].length);
    const tooLarge = await register({ title: 'Too long', text: 'x'.repeat(17 * 1024 * 1024) });
    expect(expectProblem(tooLarge, 413).detail).toContain('16 MiB (16,777,216 bytes)');
  });
});
