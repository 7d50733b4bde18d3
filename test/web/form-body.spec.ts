import { worldFactFields } from '../../src/commitments/write/development-description.js';
import { developmentDescription } from '../../src/commitments/write/developments.js';
import { bodyOf, newIdempotencyKey, placeErrors } from '../../src/web/commitment/form-body.js';
import { entriesConsidered } from '../../src/web/lib/time-travel.js';
import type { HistoryEntry } from '../../src/web/lib/types.js';

const statementFields = () => {
  const spec = developmentDescription('statements');
  return [...spec.fields, ...worldFactFields(spec.worldFact)];
};

describe("the web app's forms", () => {
  it('build the request body: nested paths, lists, numbers, empty fields left out', () => {
    expect(
      bodyOf(
        statementFields(),
        {
          'speaker.name': ' Enrique Manalo ',
          'speaker.party': 'PH',
          stance: 'urges',
          summary: 'A code, now',
          occurredAt: '2025-10-26',
          'source.title': 'Chairman’s statement',
          'source.url': '',
          meeting: '',
        },
        0,
      ),
    ).toEqual({
      speaker: { name: 'Enrique Manalo', party: 'PH' },
      stance: 'urges',
      summary: 'A code, now',
      occurredAt: '2025-10-26',
      source: { title: 'Chairman’s statement' },
    });
    const adoption = developmentDescription('adoptions');
    expect(bodyOf(adoption.fields, { adoptedBy: 'KH, TH  MY', witnessedBy: '' }, 0)).toEqual({
      adoptedBy: ['KH', 'TH', 'MY'],
    });
    const assessment = developmentDescription('assessments');
    expect(bodyOf(assessment.fields, { party: 'US', score: '-1', rationale: 'r' }, 0)).toEqual({
      party: 'US',
      score: -1,
      rationale: 'r',
    });
    const progress = developmentDescription('progress');
    const metrics = bodyOf(
      progress.fields,
      { summary: 's', 'metrics[0].name': 'trade', 'metrics[0].value': '453', 'metrics[1].value': 'lots' },
      3,
    );
    expect(metrics.metrics).toEqual([{ name: 'trade', value: 453 }, { value: 'lots' }]);
  });

  it("put each of the server's errors beside the field its path names", () => {
    const names = [...statementFields().map((f) => f.name), 'metrics[0].value', 'adoptedBy'];
    const placed = placeErrors(
      [
        { field: 'source.url', message: 'url must be an http(s) URL' },
        { field: 'source', message: 'source is required' },
        { field: 'speaker', message: 'speaker is required' },
        { field: 'adoptedBy[1]', message: 'must be a party code' },
        { field: 'metrics[0].value', message: 'must be a number' },
        { field: 'If-Match', message: 'If-Match must be a version' },
      ],
      names,
    );
    expect(Object.fromEntries(placed.byField)).toEqual({
      'source.url': ['url must be an http(s) URL'],
      'source.title': ['source is required'],
      'speaker.name': ['speaker is required'],
      adoptedBy: ['must be a party code'],
      'metrics[0].value': ['must be a number'],
    });
    expect(placed.unplaced).toEqual([{ field: 'If-Match', message: 'If-Match must be a version' }]);
  });

  it('make a fresh version-4 UUID for every Idempotency-Key', () => {
    const keys = new Set(Array.from({ length: 100 }, newIdempotencyKey));
    expect(keys.size).toBe(100);
    for (const key of keys)
      expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe("the web app's time travel", () => {
  const entry = (
    version: number,
    type: string,
    occurredAt: string,
    recordedAt: string,
    data = {},
  ): HistoryEntry => ({
    eventId: `e${version}`,
    version,
    type,
    occurredAt,
    recordedAt,
    recordedBy: 'analyst',
    data,
    retracted: false,
  });
  const history = [
    entry(1, 'CommitmentProposed', '2018-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z'),
    entry(2, 'StatementRecorded', '2019-01-01T12:00:00.000Z', '2024-01-02T00:00:00.000Z'),
    entry(3, 'StatementRecorded', '2019-01-02T00:00:00.000Z', '2024-01-03T00:00:00.000Z'),
    entry(4, 'EntryRetracted', '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z', { eventId: 'e2' }),
  ];
  const view = (travel: { asOf?: string; knownAt?: string }) =>
    entriesConsidered(history, travel).map((e) => `${e.version}${e.retractedHere ? ' retracted' : ''}`);

  it('keeps what the server folds: a bare asOf date means the end of that day', () => {
    expect(view({})).toEqual(['1', '2 retracted', '3', '4']);
    expect(view({ asOf: '2019-01-01' })).toEqual(['1', '2 retracted', '4']);
  });

  it('shows as not yet retracted what was believed before the retraction was recorded', () => {
    expect(view({ knownAt: '2024-06-01T00:00:00Z' })).toEqual(['1', '2', '3']);
    expect(view({ knownAt: '2024-01-02T00:00:00Z' })).toEqual(['1', '2']);
  });
});
