import { randomUUID } from 'node:crypto';
import { commitmentStreamId } from '../../src/commitments/stream/commitment.stream.js';
import type { Pool } from 'pg';
import { PG_POOL } from '../../src/database/database.module.js';
import { EventStore } from '../../src/event-store/event-store.js';
import { TEST_ENGINES, type EngineName } from '../support/test-database.js';
import { commitmentsApi, expectFieldError, fact, instantBetweenWrites, parseCsv } from './e2e-fixtures.js';

interface Correction {
  eventId: string;
  commitmentId: string;
  kind: string;
  reason: string;
  note: string | null;
  recordedBy: string;
  corrected: { eventId: string; type: string; occurredAt: string; summary: string };
  corrections?: Record<string, unknown>;
}

describe.each(TEST_ENGINES)('the corrections log on %s', (engineName: EngineName) => {
  const api = commitmentsApi(engineName);

  const statement = (summary: string) =>
    fact('2025-03-01', { speaker: { name: 'A Spokesperson', party: 'NP' }, stance: 'supports', summary });
  const corrections = async (query: Record<string, string> = {}) => {
    const res = await api.get('/corrections', query);
    expect(res.status).toBe(200);
    return res.body as { items: Correction[]; nextCursor: string | null };
  };

  it('lists every retraction and corrected proposal, newest first, with its coded reason and what it corrected', async () => {
    const id = await api.propose({ parties: ['NP', 'BT'] });
    const said = await api.develop(id, 'statements', statement('Said on the record'));
    const retraction = await api.develop(id, 'retractions', {
      eventId: said.eventId,
      reason: 'misattributed',
      note: 'Another spokesperson said it',
    });
    const correction = await api.develop(id, 'corrections', { proposedBy: 'BT', reason: 'wrong_party' });
    const { items } = await corrections({ commitment: id });
    expect(items).toEqual([
      expect.objectContaining({
        eventId: correction.eventId,
        kind: 'proposal-correction',
        reason: 'wrong_party',
        note: null,
        recordedBy: 'analyst',
        corrected: expect.objectContaining({
          type: 'CommitmentProposed',
          occurredAt: '2024-03-01T00:00:00.000Z',
        }),
        corrections: { proposedBy: 'BT' },
      }),
      expect.objectContaining({
        eventId: retraction.eventId,
        kind: 'retraction',
        reason: 'misattributed',
        note: 'Another spokesperson said it',
        corrected: {
          eventId: said.eventId,
          type: 'StatementRecorded',
          occurredAt: '2025-03-01T00:00:00.000Z',
          summary: 'The statement by A Spokesperson (NP): Said on the record',
        },
      }),
    ]);
    expect((await api.view(id)).proposedBy).toBe('BT');
  });

  it('takes a free-text reason as other, and reads an old free-text retraction back the same way', async () => {
    const id = await api.propose();
    const first = await api.develop(id, 'statements', statement('First'));
    await api.develop(id, 'retractions', { eventId: first.eventId, reason: 'It was a rumour' });
    // A retraction recorded before reasons were coded, appended as it was stored then: by a bare store,
    // past the writer (the app's store would refuse an append to a commitment without its snapshot).
    const second = await api.develop(id, 'statements', statement('Second'));
    await new EventStore(api.app.app.get<Pool>(PG_POOL)).appendToStream(
      commitmentStreamId(id),
      [
        {
          eventId: randomUUID(),
          type: 'EntryRetracted',
          data: { eventId: second.eventId, reason: 'Old free text' },
        },
      ],
      { expectedVersion: 4, metadata: { recordedBy: 'analyst' } },
    );
    const { items } = await corrections({ commitment: id });
    expect(items.map(({ reason, note }) => ({ reason, note }))).toEqual([
      { reason: 'other', note: 'Old free text' },
      { reason: 'other', note: 'It was a rumour' },
    ]);
    const history = await api.history(id);
    expect(history[history.length - 1].data).toEqual({
      eventId: second.eventId,
      reason: 'other',
      note: 'Old free text',
    });
    expect(history.filter((event) => event.retracted)).toHaveLength(2);
  });

  it('refuses a correction without a note for other, a note with free text, and one that names no detail', async () => {
    const id = await api.propose();
    const said = await api.develop(id, 'statements', statement('To retract'));
    expectFieldError(
      await api.attempt(id, 'retractions', { eventId: said.eventId, reason: 'other' }),
      'note',
    );
    expectFieldError(
      await api.attempt(id, 'retractions', {
        eventId: said.eventId,
        reason: 'free text',
        note: 'and a note',
      }),
      'note',
    );
    expectFieldError(await api.attempt(id, 'corrections', { reason: 'wrong_party' }), 'title');
    expect((await api.attempt(id, 'corrections', { proposedBy: 'NP', reason: 'wrong_party' })).status).toBe(
      409,
    );
    expect(await api.history(id)).toHaveLength(2);
  });

  it('filters by the time of recording, pages, and exports as CSV and as an Atom feed (text escaped)', async () => {
    const id = await api.propose({ title: 'The <script>alert(1)</script> accord' });
    const since = await instantBetweenWrites();
    for (const summary of ['One', 'Two', 'Three']) {
      const said = await api.develop(id, 'statements', statement(`<img src=x onerror=alert(1)> ${summary}`));
      await api.develop(id, 'retractions', { eventId: said.eventId, reason: 'duplicate' });
    }
    const all = await corrections({ commitment: id, since });
    expect(all.items).toHaveLength(3);
    const first = await corrections({ commitment: id, limit: '2' });
    expect(first.items).toHaveLength(2);
    const rest = await corrections({ commitment: id, limit: '2', cursor: first.nextCursor as string });
    expect([...first.items, ...rest.items].map((item) => item.eventId)).toEqual(
      all.items.map((item) => item.eventId),
    );
    expect(rest.nextCursor).toBeNull();
    expect((await corrections({ commitment: id, since: '2999-01-01' })).items).toEqual([]);

    const csv = await api.app.http
      .get('/corrections')
      .query({ commitment: id })
      .set(api.auth('reader'))
      .set('Accept', 'text/csv');
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const rows = parseCsv(csv.text);
    expect(rows[0]).toEqual(
      expect.arrayContaining(['recordedAt', 'commitmentId', 'reason', 'correctedSummary']),
    );
    expect(rows).toHaveLength(4);

    const atom = await api.app.http
      .get('/corrections')
      .query({ commitment: id })
      .set(api.auth('reader'))
      .set('Accept', 'application/atom+xml');
    expect(atom.headers['content-type']).toMatch(/^application\/atom\+xml/);
    expect(atom.text).toMatch(
      /^<\?xml version="1.0" encoding="utf-8"\?>\n<feed xmlns="http:\/\/www.w3.org\/2005\/Atom">/,
    );
    expect(atom.text.match(/<entry>/g)).toHaveLength(3);
    expect(atom.text).not.toContain('<img');
    expect(atom.text).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});
