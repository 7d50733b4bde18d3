/**
 * Every write endpoint of API.md with a valid body and its string fields: free text with its limit in
 * characters, or `null` for fields with a format (party codes, dates, ids, enumerations).
 */
export interface WriteEndpoint {
  /** The path segment after `/commitments/:id/`, or `propose` for `POST /commitments`. */
  readonly action: string;
  /** What must be recorded on the fresh commitment first for the development to be legal. */
  readonly needs?: 'adoption' | 'suspension' | 'statement';
  body(context: {
    readonly id: string;
    readonly eventId: string;
    readonly successor: string;
  }): Record<string, unknown>;
  readonly fields: Readonly<Record<string, number | null>>;
}

export const PARTIES = ['AA', 'BB'];

const source = { title: 'Desk notes', publisher: 'The desk', quote: 'A sentence, quoted.' };
const world = (occurredAt = '2024-03-01') => ({ occurredAt, source, meeting: 'Fuzz summit' });
const WORLD_FIELDS = {
  meeting: 300,
  'source.title': 500,
  'source.publisher': 200,
  'source.quote': 1000,
  occurredAt: null,
  'source.url': null,
  'source.publishedAt': null,
};

export function proposal(id: string | undefined): Record<string, unknown> {
  return {
    ...(id === undefined ? {} : { id }),
    title: 'Fuzz accord',
    kind: 'agreement',
    parties: PARTIES,
    proposedBy: 'AA',
    topics: ['fuzz'],
    summary: 'What was agreed.',
    dueDate: '2030-01-01',
    ...world('2024-01-01'),
  };
}

const PROPOSAL_FIELDS = {
  title: 300,
  summary: 5000,
  ...WORLD_FIELDS,
  kind: null,
  'parties[0]': null,
  proposedBy: null,
  'topics[0]': null,
  dueDate: null,
};

export const WRITE_ENDPOINTS: readonly WriteEndpoint[] = [
  { action: 'propose', body: ({ id }) => proposal(id), fields: { ...PROPOSAL_FIELDS, id: null } },
  // Without an id, the id is derived from the title: hostile titles go through that derivation too.
  { action: 'propose-untitled-id', body: () => proposal(undefined), fields: PROPOSAL_FIELDS },
  {
    action: 'statements',
    body: () => ({
      speaker: { name: 'A. Speaker', role: 'Envoy', party: 'AA' },
      stance: 'supports',
      summary: 'Said so.',
      ...world(),
    }),
    fields: {
      'speaker.name': 200,
      'speaker.role': 200,
      summary: 5000,
      ...WORLD_FIELDS,
      'speaker.party': null,
      stance: null,
    },
  },
  {
    action: 'adoptions',
    body: () => ({ adoptedBy: PARTIES, witnessedBy: ['CC'], documentTitle: 'The accord', ...world() }),
    fields: { documentTitle: 500, ...WORLD_FIELDS, 'adoptedBy[0]': null, 'witnessedBy[0]': null },
  },
  {
    action: 'progress',
    body: () => ({
      summary: 'Halfway.',
      metrics: [{ name: 'sites', value: 3, unit: 'sites', period: '2024' }],
      ...world(),
    }),
    fields: {
      summary: 5000,
      'metrics[0].name': 200,
      'metrics[0].unit': 50,
      'metrics[0].period': 50,
      ...WORLD_FIELDS,
      'metrics[0].value': null,
    },
  },
  {
    action: 'completions',
    needs: 'adoption',
    body: () => ({ summary: 'Done.', ...world('2024-04-01') }),
    fields: { summary: 5000, ...WORLD_FIELDS },
  },
  {
    action: 'withdrawals',
    body: () => ({ party: 'BB', effectiveOn: '2024-04-01', reason: 'Changed course.', ...world() }),
    fields: { reason: 2000, ...WORLD_FIELDS, party: null, effectiveOn: null },
  },
  {
    action: 'accessions',
    body: () => ({ party: 'CC', effectiveOn: '2024-04-01', ...world() }),
    fields: { ...WORLD_FIELDS, party: null, effectiveOn: null },
  },
  {
    action: 'suspensions',
    body: () => ({ reason: 'Paused.', ...world() }),
    fields: { reason: 2000, ...WORLD_FIELDS, party: null },
  },
  {
    action: 'resumptions',
    needs: 'suspension',
    body: () => ({ ...world('2024-04-01') }),
    fields: { ...WORLD_FIELDS, party: null },
  },
  {
    action: 'assessments',
    body: () => ({ party: 'AA', score: 1, rationale: 'Complied.', period: '2024 final', ...world() }),
    fields: { rationale: 5000, period: 100, ...WORLD_FIELDS, party: null, score: null },
  },
  {
    action: 'supersessions',
    body: ({ successor }) => ({ supersededBy: successor, ...world() }),
    fields: { ...WORLD_FIELDS, supersededBy: null },
  },
  {
    action: 'deadlines',
    body: () => ({ dueDate: '2031-01-01', reason: 'Extended.', ...world() }),
    fields: { reason: 2000, ...WORLD_FIELDS, dueDate: null },
  },
  {
    action: 'follow-ups',
    body: () => ({ reviewOn: '2030-06-01', note: 'Check again.', assignee: 'desk' }),
    fields: { note: 2000, assignee: 200, reviewOn: null },
  },
  {
    action: 'retractions',
    needs: 'statement',
    body: ({ eventId }) => ({ eventId, reason: 'Misattributed.' }),
    fields: { reason: 2000, eventId: null },
  },
];

/** The developments a `needs` stands for, recorded on the fresh commitment before the one under test. */
export const PREREQUISITES = {
  adoption: { action: 'adoptions', body: { adoptedBy: PARTIES, ...world('2024-02-01') } },
  suspension: { action: 'suspensions', body: { reason: 'Paused.', ...world('2024-02-01') } },
  statement: {
    action: 'statements',
    body: {
      speaker: { name: 'A. Speaker', party: 'AA' },
      stance: 'notes',
      summary: 'Said so.',
      ...world('2024-02-01'),
    },
  },
} as const;
