import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  DEVELOPMENT_ACTION_NAMES,
  type DevelopmentAction,
  developmentRequest,
} from '../commitments/write/development-actions.js';
import { decide, evolve, initialDecisionState } from '../commitments/domain/commitment.decider.js';
import { toCommitmentView } from '../commitments/domain/commitment.view.js';
import { toIsoInstant } from '../commitments/domain/shared/world-time.js';
import { digestOf, normaliseForQuotes } from '../sources/source-text.js';

interface SourceRef {
  sourceId?: string;
  title?: string;
  publisher?: string;
  publishedAt?: string;
  url?: string;
  quote?: string;
}

interface SourceEntry {
  title: string;
  publisher: string;
  publishedAt: string;
  url?: string;
  file?: string;
  note?: string;
  sha256?: string;
}

interface Development {
  commitmentId: string;
  action: string;
  retracts?: number;
  body: Record<string, unknown> & { occurredAt?: string; source?: SourceRef };
}

interface SeedCorpus {
  sources: Record<string, SourceEntry>;
  registrations: string[];
  developments: Development[];
}

const corpus = JSON.parse(
  fs.readFileSync(path.join(import.meta.dirname, 'seed-corpus.json'), 'utf8'),
) as SeedCorpus;
const seedsDir = path.resolve(import.meta.dirname, '../../../shared/seeds');

const ID = /^[a-z0-9][a-z0-9-]{2,79}$/;
const PARTY = /^[A-Z][A-Z0-9-]{1,15}$/;
const TOPIC = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const ACTIONS: readonly string[] = DEVELOPMENT_ACTION_NAMES;
const KINDS = [
  'plan_of_action',
  'code_of_conduct',
  'statement',
  'declaration',
  'agreement',
  'initiative',
  'pledge',
  'proposal',
];
const STANCES = ['supports', 'reaffirms', 'urges', 'welcomes', 'notes', 'concerned', 'opposes'];
// docs/API.md: these developments may omit `source` (and `occurredAt`); retractions and corrections
// correct the record at the time they are recorded.
const SOURCE_OPTIONAL = ['follow-ups', 'assessments', 'deadlines', 'retractions', 'corrections'];
const RECORD_CORRECTIONS = ['retractions', 'corrections'];

/** Status, dates and event count each commitment must reach when the corpus is loaded (see README.md). */
const EXPECTED: Record<string, { status: string; events: number; adoptedAt?: string; completedAt?: string }> =
  {
    'asean-us-plan-of-action-2021-2025': {
      status: 'completed',
      events: 3,
      adoptedAt: '2020-09-10',
      completedAt: '2025-10-26',
    },
    'south-china-sea-code-of-conduct': { status: 'under_negotiation', events: 4 },
    'mekong-us-partnership': { status: 'adopted', events: 4, adoptedAt: '2020-09-11' },
    'asean-us-leaders-statement-ai-2024': { status: 'adopted', events: 5, adoptedAt: '2024-10-11' },
    'asean-us-joint-vision-statement-2025': { status: 'adopted', events: 2, adoptedAt: '2025-10-26' },
    'cambodia-thailand-joint-peace-declaration-2025': {
      status: 'adopted',
      events: 4,
      adoptedAt: '2025-10-26',
    },
    'asean-single-window-us-support': { status: 'under_negotiation', events: 4 },
    'asean-us-economic-trade-investment-cooperation': {
      status: 'in_progress',
      events: 4,
      adoptedAt: '2024-10-11',
    },
    'us-pledge-disease-prevention-2024': { status: 'proposed', events: 1 },
    'us-pledge-regional-power-grid-2024': { status: 'proposed', events: 1 },
    'us-pledge-cybercrime-online-fraud-2024': { status: 'proposed', events: 2 },
    'us-pledge-cultural-exchanges-2024': { status: 'proposed', events: 1 },
    'vietnam-proposal-economic-trade-investment': { status: 'proposed', events: 3 },
    'vietnam-proposal-climate-disaster-resilience': { status: 'proposed', events: 1 },
    'vietnam-proposal-science-technology-innovation-pillar': { status: 'proposed', events: 1 },
    'vietnam-proposal-regional-peace-security': { status: 'proposed', events: 2 },
    'vietnam-proposal-digital-innovation-energy-security': { status: 'proposed', events: 1 },
    'vietnam-proposal-cybersecurity-transnational-crime': { status: 'proposed', events: 1 },
    'asean-us-comprehensive-strategic-partnership': {
      status: 'in_progress',
      events: 6,
      adoptedAt: '2022-11-12',
    },
    'vietnam-proposal-fugitive-tracking-cooperation': { status: 'proposed', events: 1 },
    'us-initiative-countering-online-scams': { status: 'proposed', events: 1 },
  };

/** The normalisation the app finds quotes with (src/sources/source-text.ts). */
const normalise = normaliseForQuotes;

// A full stop after a lone capital is an abbreviation ("U.S. Partnership"), not a sentence end.
function sentenceCount(quote: string): number {
  return normalise(quote)
    .split(/(?<![A-Z])[.!?]["')]*\s+(?=["'(]?[A-Z0-9])/)
    .filter((part) => part.trim().length > 0).length;
}

function sourceEntryOf(ref: SourceRef): SourceEntry | undefined {
  if (ref.sourceId !== undefined) return corpus.sources[ref.sourceId];
  return Object.values(corpus.sources).find(
    (entry) =>
      entry.title === ref.title && entry.publisher === ref.publisher && entry.publishedAt === ref.publishedAt,
  );
}

function partiesOf(dev: Development): unknown[] {
  const b = dev.body;
  const speakerParty = (b.speaker as { party?: unknown } | undefined)?.party;
  return [
    ...((b.parties as unknown[] | undefined) ?? []),
    ...((b.adoptedBy as unknown[] | undefined) ?? []),
    ...((b.witnessedBy as unknown[] | undefined) ?? []),
    ...(b.proposedBy !== undefined ? [b.proposedBy] : []),
    ...(b.party !== undefined ? [b.party] : []),
    ...(speakerParty !== undefined ? [speakerParty] : []),
  ];
}

/** Each commitment's developments through the real decider, in corpus order: its view today. */
function foldThroughDecider(devs: readonly Development[]): {
  status: string;
  adoptedAt?: string;
  completedAt?: string;
} {
  const now = new Date();
  let state = initialDecisionState;
  const eventIds = new Map<Development, string>();
  for (const dev of devs) {
    const target = dev.retracts === undefined ? undefined : eventIds.get(corpus.developments[dev.retracts]);
    const body = target === undefined ? dev.body : { ...dev.body, eventId: target };
    const { command } = developmentRequest(
      dev.action as DevelopmentAction,
      dev.commitmentId,
      body as never,
      now,
    );
    const [event] = decide(command, state, { now });
    const eventId = randomUUID();
    eventIds.set(dev, eventId);
    state = evolve(state, {
      eventId,
      version: state.version + 1,
      occurredAt: toIsoInstant(command.data.occurredAt),
      recordedAt: now.toISOString(),
      event,
    });
  }
  if (state.current === null) throw new Error(`${devs[0]?.commitmentId}: nothing proposed`);
  const view = toCommitmentView(state.current, now.toISOString().slice(0, 10));
  return {
    status: view.status,
    ...(view.adoptedAt ? { adoptedAt: view.adoptedAt.slice(0, 10) } : {}),
    ...(view.completedAt ? { completedAt: view.completedAt.slice(0, 10) } : {}),
  };
}

describe('seed corpus', () => {
  it('has a known action and a well-formed occurredAt on every development', () => {
    const tomorrow = new Date(Date.now() + 24 * 3600 * 1000).toISOString().slice(0, 10);
    for (const dev of corpus.developments) {
      expect(ACTIONS).toContain(dev.action);
      if (dev.action === 'follow-ups' || RECORD_CORRECTIONS.includes(dev.action)) continue;
      expect(dev.body.occurredAt).toMatch(DATE);
      expect(Number.isNaN(Date.parse(dev.body.occurredAt as string))).toBe(false);
      expect((dev.body.occurredAt as string) <= tomorrow).toBe(true);
    }
  });

  it('cites a listed source with title, publisher and publication date on every world fact', () => {
    for (const dev of corpus.developments) {
      const ref = dev.body.source;
      if (!ref && SOURCE_OPTIONAL.includes(dev.action)) continue;
      expect(ref).toBeDefined();
      const s = ref as SourceRef;
      if (s.sourceId !== undefined) {
        expect(corpus.registrations).toContain(s.sourceId);
        expect(sourceEntryOf(s)?.sha256).toMatch(/^[0-9a-f]{64}$/);
        continue;
      }
      expect(typeof s.title).toBe('string');
      expect((s.title as string).length).toBeGreaterThan(0);
      expect(typeof s.publisher).toBe('string');
      expect(s.publishedAt).toMatch(DATE);
      expect(sourceEntryOf(s)).toBeDefined();
      if (s.url !== undefined) expect(s.url).toBe(sourceEntryOf(s)?.url);
    }
  });

  it('keeps every quote to at most one sentence and 1000 characters', () => {
    for (const dev of corpus.developments) {
      const quote = dev.body.source?.quote;
      if (quote === undefined) continue;
      expect(quote.length).toBeGreaterThan(0);
      expect(quote.length).toBeLessThanOrEqual(1000);
      expect({ id: dev.commitmentId, sentences: sentenceCount(quote) }).toEqual({
        id: dev.commitmentId,
        sentences: 1,
      });
    }
  });

  it('counts a second sentence, but not an abbreviation, in a quote', () => {
    expect(sentenceCount('They launch the Mekong-U.S. Partnership today.')).toBe(1);
    expect(sentenceCount('They met. They agreed.')).toBe(2);
  });

  it('proposes every commitment, with a valid id, before any other development of it', () => {
    const proposed = new Set<string>();
    for (const dev of corpus.developments) {
      expect(dev.commitmentId).toMatch(ID);
      if (dev.action === 'propose') {
        expect(proposed.has(dev.commitmentId)).toBe(false);
        expect(dev.body.id).toBe(dev.commitmentId);
        proposed.add(dev.commitmentId);
      } else {
        expect({ id: dev.commitmentId, proposed: proposed.has(dev.commitmentId) }).toEqual({
          id: dev.commitmentId,
          proposed: true,
        });
      }
    }
  });

  it('uses party codes, topics, kinds and stances as API.md defines them', () => {
    for (const dev of corpus.developments) {
      for (const party of partiesOf(dev)) expect(party).toMatch(PARTY);
      for (const topic of (dev.body.topics as unknown[] | undefined) ?? []) expect(topic).toMatch(TOPIC);
      if (dev.action === 'propose') {
        expect(KINDS).toContain(dev.body.kind);
        expect((dev.body.parties as unknown[]).length).toBeGreaterThan(0);
      }
      if (dev.action === 'statements') {
        expect(STANCES).toContain(dev.body.stance);
        expect(typeof dev.body.summary).toBe('string');
      }
      if (dev.action === 'adoptions') expect((dev.body.adoptedBy as unknown[]).length).toBeGreaterThan(0);
    }
  });

  it('folds every commitment to the status, dates and event count in the README', () => {
    const byId = new Map<string, Development[]>();
    for (const dev of corpus.developments)
      byId.set(dev.commitmentId, [...(byId.get(dev.commitmentId) ?? []), dev]);
    expect([...byId.keys()].sort()).toEqual(Object.keys(EXPECTED).sort());
    for (const [id, devs] of byId) {
      const want = EXPECTED[id];
      expect({ id, ...foldThroughDecider(devs), events: devs.length }).toEqual({
        id,
        status: want.status,
        adoptedAt: want.adoptedAt,
        completedAt: want.completedAt,
        events: want.events,
      });
    }
  });
});

/**
 * The reports are inputs beside the project (`../shared/seeds`), not part of it: a clone without them
 * skips these checks, but CI (`CI=true`, set by .ci/run) always has them, so there their absence fails.
 */
const seedsPresent = fs.existsSync(seedsDir);
const seedsRequired = process.env.CI === 'true';
const describeIfSeeds = seedsPresent || seedsRequired ? describe : describe.skip;

describeIfSeeds('seed corpus against the seed reports', () => {
  it('has the seed reports to check against', () => {
    expect({ seedsDir, present: seedsPresent }).toEqual({ seedsDir, present: true });
  });

  it("registers each report with the digest of the report's text", () => {
    expect(corpus.registrations.length).toBeGreaterThan(0);
    for (const id of corpus.registrations) {
      const entry = corpus.sources[id];
      expect(entry.file).toBeDefined();
      const text = fs.readFileSync(path.join(seedsDir, entry.file as string), 'utf8');
      expect({ id, sha256: entry.sha256 }).toEqual({ id, sha256: digestOf(text) });
    }
  });

  it('names an existing report file for each source that has one', () => {
    for (const entry of Object.values(corpus.sources)) {
      if (entry.file !== undefined) expect(fs.existsSync(path.join(seedsDir, entry.file))).toBe(true);
    }
  });

  it('finds every quote from a report word for word in that report', () => {
    const reports = new Map<string, string>();
    let checked = 0;
    for (const dev of corpus.developments) {
      const ref = dev.body.source;
      const file = ref ? sourceEntryOf(ref)?.file : undefined;
      if (!ref?.quote || !file) continue;
      if (!reports.has(file))
        reports.set(file, normalise(fs.readFileSync(path.join(seedsDir, file), 'utf8')));
      expect({
        id: dev.commitmentId,
        found: (reports.get(file) as string).includes(normalise(ref.quote)),
      }).toEqual({
        id: dev.commitmentId,
        found: true,
      });
      checked += 1;
    }
    expect(checked).toBeGreaterThan(0);
  });
});
