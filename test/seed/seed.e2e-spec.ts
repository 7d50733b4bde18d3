import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SEED_CORPUS, SeedLoader } from '../../src/seed/seed-loader.js';
import { settledReading } from '../projections/projection-fixtures.js';
import { bearer, createTestApp, type TestApp } from '../support/test-app.js';
import { createTestDatabase, TEST_ENGINES } from '../support/test-database.js';

/** The developments the first corpus held, before its record was corrected through the log. */
const EARLIER_RECORD = 40;

interface Expected {
  status: string;
  adoptedAt?: string;
  completedAt?: string;
  parties: string[];
  events: number;
}

/** What the two summit reports (and the few public-record facts they rest on) add up to: src/seed/README.md. */
const EXPECTED: Record<string, Expected> = {
  'asean-us-plan-of-action-2021-2025': {
    status: 'completed',
    adoptedAt: '2020-09-10',
    completedAt: '2025-10-26',
    parties: ['ASEAN', 'US'],
    events: 3,
  },
  'south-china-sea-code-of-conduct': { status: 'under_negotiation', parties: ['ASEAN', 'CN'], events: 4 },
  'asean-us-leaders-statement-ai-2024': {
    status: 'adopted',
    adoptedAt: '2024-10-11',
    parties: ['ASEAN', 'US'],
    events: 5,
  },
  'asean-us-joint-vision-statement-2025': {
    status: 'adopted',
    adoptedAt: '2025-10-26',
    parties: ['ASEAN', 'US'],
    events: 2,
  },
  'cambodia-thailand-joint-peace-declaration-2025': {
    status: 'adopted',
    adoptedAt: '2025-10-26',
    parties: ['KH', 'TH'],
    events: 4,
  },
  'asean-single-window-us-support': { status: 'under_negotiation', parties: ['US', 'ASEAN'], events: 4 },
  'asean-us-comprehensive-strategic-partnership': {
    status: 'in_progress',
    adoptedAt: '2022-11-12',
    parties: ['ASEAN', 'US'],
    events: 6,
  },
  'mekong-us-partnership': {
    status: 'adopted',
    adoptedAt: '2020-09-11',
    parties: ['US', 'KH', 'LA', 'MM', 'TH', 'VN'],
    events: 4,
  },
  'asean-us-economic-trade-investment-cooperation': {
    status: 'in_progress',
    adoptedAt: '2024-10-11',
    parties: ['ASEAN', 'US'],
    events: 4,
  },
  'us-pledge-cybercrime-online-fraud-2024': { status: 'proposed', parties: ['US', 'ASEAN'], events: 2 },
};

describe.each(TEST_ENGINES)('seed corpus on %s', (engineName) => {
  let app: TestApp;
  const get = (path: string) => app.http.get(path).set('Authorization', bearer(app.keys.reader));
  const totalEvents = async () =>
    Number((await app.query<{ n: string }>('SELECT count(*) AS n FROM events'))[0].n);

  beforeAll(async () => {
    app = await createTestApp(engineName, { SEED: 'true' });
  });
  afterAll(() => app.close());

  it.each(Object.entries(EXPECTED))(
    'loads %s with its status, dates, parties and events',
    async (id, expected) => {
      const res = await get(`/commitments/${id}`).expect(200);
      expect(res.body.status).toBe(expected.status);
      expect(res.body.adoptedAt?.slice(0, 10) ?? undefined).toBe(expected.adoptedAt);
      expect(res.body.completedAt?.slice(0, 10) ?? undefined).toBe(expected.completedAt);
      expect(res.body.parties.map((p: { party: string }) => p.party).sort()).toEqual(
        [...expected.parties].sort(),
      );
      expect(res.body.eventCount).toBe(expected.events);
    },
  );

  it('records the Cambodia–Thailand declaration as witnessed by the US and Malaysia', async () => {
    const history = await get('/commitments/cambodia-thailand-joint-peace-declaration-2025/history').expect(
      200,
    );
    const adoption = history.body.events.find((e: { type: string }) => e.type === 'CommitmentAdopted');
    expect(adoption.data.adoptedBy.sort()).toEqual(['KH', 'TH']);
    expect(adoption.data.witnessedBy.sort()).toEqual(['MY', 'US']);
  });

  it('lists every commitment Viet Nam is involved in, with its roles (GET /parties/VN)', async () => {
    const expected = [
      ['asean-us-comprehensive-strategic-partnership', ['speaker']],
      ['cambodia-thailand-joint-peace-declaration-2025', ['speaker']],
      ['mekong-us-partnership', ['party', 'speaker']],
      ['south-china-sea-code-of-conduct', ['speaker']],
      ['us-pledge-cybercrime-online-fraud-2024', ['speaker']],
      ['vietnam-proposal-climate-disaster-resilience', ['proposer']],
      ['vietnam-proposal-cybersecurity-transnational-crime', ['proposer']],
      ['vietnam-proposal-digital-innovation-energy-security', ['proposer']],
      ['vietnam-proposal-economic-trade-investment', ['proposer', 'speaker']],
      ['vietnam-proposal-fugitive-tracking-cooperation', ['proposer']],
      ['vietnam-proposal-regional-peace-security', ['proposer', 'speaker']],
      ['vietnam-proposal-science-technology-innovation-pillar', ['proposer']],
    ];
    const involvement = async () =>
      (
        (await get('/parties/VN').expect(200)).body.commitments as { commitmentId: string; roles: string[] }[]
      ).map((c) => [c.commitmentId, c.roles]);
    expect(await settledReading(involvement, expected)).toEqual(expected);
  });

  it('carries the 2024 trade figures as progress metrics', async () => {
    const history = await get('/commitments/asean-us-economic-trade-investment-cooperation/history').expect(
      200,
    );
    const metrics = history.body.events.flatMap(
      (e: { data: { metrics?: unknown[] } }) => e.data.metrics ?? [],
    );
    expect(metrics).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ value: 453, period: '2024' }),
        expect.objectContaining({ value: 11.8, period: '2024' }),
      ]),
    );
  });

  it('records every seeded event by "seed", citing a source: a registered one, or one with title, publisher and date', async () => {
    const { items } = (await get('/commitments?limit=200').expect(200)).body;
    expect(items.length).toBeGreaterThanOrEqual(Object.keys(EXPECTED).length);
    for (const item of items) {
      const history = await get(`/commitments/${item.id}/history`).expect(200);
      for (const event of history.body.events) {
        expect(event.recordedBy).toBe('seed');
        if (event.type === 'FollowUpScheduled' || event.type === 'EntryRetracted') continue;
        if (event.data.source?.sourceId !== undefined) {
          expect((await get(`/sources/${event.data.source.sourceId}`)).status).toBe(200);
          continue;
        }
        expect(event.data.source).toEqual(
          expect.objectContaining({
            title: expect.any(String),
            publisher: expect.any(String),
            publishedAt: expect.any(String),
          }),
        );
      }
    }
  });

  it('adds nothing when loaded again, twice at once', async () => {
    const before = await totalEvents();
    const loader = app.app.get(SeedLoader);
    const reports = await Promise.all([loader.load(), loader.load()]);
    for (const report of reports) {
      expect(report.failed).toEqual([]);
      expect(report.appended).toBe(0);
    }
    expect(await totalEvents()).toBe(before);
  });

  it('lists the corrections of the seed record with their reason codes', async () => {
    const { items } = (await get('/corrections?limit=200').expect(200)).body as {
      items: {
        commitmentId: string;
        kind: string;
        reason: string;
        recordedBy: string;
        corrected: { type: string };
      }[];
    };
    const seen = items.map(({ commitmentId, kind, reason, corrected }) => ({
      commitmentId,
      kind,
      reason,
      type: corrected.type,
    }));
    expect(seen).toEqual(
      expect.arrayContaining([
        {
          commitmentId: 'cambodia-thailand-joint-peace-declaration-2025',
          kind: 'proposal-correction',
          reason: 'misattributed',
          type: 'CommitmentProposed',
        },
        {
          commitmentId: 'asean-us-leaders-statement-ai-2024',
          kind: 'retraction',
          reason: 'misattributed',
          type: 'StatementRecorded',
        },
        {
          commitmentId: 'asean-single-window-us-support',
          kind: 'retraction',
          reason: 'not_in_source',
          type: 'CommitmentAdopted',
        },
        {
          commitmentId: 'vietnam-proposal-economic-trade-investment',
          kind: 'proposal-correction',
          reason: 'not_in_source',
          type: 'CommitmentProposed',
        },
      ]),
    );
    expect(items.every((item) => item.recordedBy === 'seed')).toBe(true);
    const declaration = (await get('/commitments/cambodia-thailand-joint-peace-declaration-2025').expect(200))
      .body;
    expect(declaration.proposedBy).toBe('KH');
  });

  it('registers the two reports as sources by their digest, without their text', async () => {
    for (const id of SEED_CORPUS.registrations ?? []) {
      const source = (await get(`/sources/${id}`).expect(200)).body;
      expect(source).toMatchObject({ id, hasText: false, sha256: SEED_CORPUS.sources[id].sha256 });
      const citations = (await get(`/sources/${id}/citations`).expect(200)).body.citations as unknown[];
      expect(citations.length).toBeGreaterThan(0);
    }
  });

  it('corrects a database seeded with the earlier record on its next start, appending only what is new', async () => {
    const database = await createTestDatabase(engineName);
    const earlier = await createTestApp(engineName, {}, { database });
    try {
      const loader = earlier.app.get(SeedLoader);
      const before = await loader.load({
        ...SEED_CORPUS,
        registrations: [],
        developments: SEED_CORPUS.developments.slice(0, EARLIER_RECORD),
      });
      expect([before.appended, before.failed]).toEqual([EARLIER_RECORD, []]);
      const next = await loader.load();
      expect(next).toEqual({
        sourcesRegistered: SEED_CORPUS.registrations?.length,
        appended: SEED_CORPUS.developments.length - EARLIER_RECORD,
        alreadyPresent: EARLIER_RECORD,
        failed: [],
      });
      const singleWindow = await earlier.http
        .get('/commitments/asean-single-window-us-support')
        .set('Authorization', bearer(earlier.keys.reader))
        .expect(200);
      expect(singleWindow.body.status).toBe('under_negotiation');
    } finally {
      await earlier.close();
      await database.drop();
    }
  });

  it('adds nothing on a restart', async () => {
    const database = await createTestDatabase(engineName);
    try {
      const first = await createTestApp(
        engineName,
        { SEED: 'true', ...persistentDataDir(engineName) },
        { database },
      );
      const count = Number((await first.query<{ n: string }>('SELECT count(*) AS n FROM events'))[0].n);
      await first.close();
      const second = await createTestApp(
        engineName,
        { SEED: 'true', ...persistentDataDir(engineName) },
        { database },
      );
      const after = Number((await second.query<{ n: string }>('SELECT count(*) AS n FROM events'))[0].n);
      await second.close();
      expect(count).toBeGreaterThan(0);
      expect(after).toBe(count);
    } finally {
      await database.drop();
    }
  });
});

const dataDirs = new Map<string, string>();
/** The embedded engine survives a restart only on disk: one temporary directory per engine run. */
function persistentDataDir(engineName: string): Record<string, string> {
  if (engineName !== 'embedded') return {};
  if (!dataDirs.has(engineName)) {
    dataDirs.set(engineName, fs.mkdtempSync(path.join(os.tmpdir(), 'seed-restart-')));
  }
  return { DATA_DIR: dataDirs.get(engineName)! };
}
