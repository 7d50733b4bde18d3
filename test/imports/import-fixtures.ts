import type { HttpAgent, TestApp } from '../support/test-app.js';
import { bearer } from '../support/test-app.js';

/** One line of an import file: the action, the commitment, the line's own keys, and the POST body. */
export interface ImportLine {
  readonly action: string;
  readonly commitmentId?: string;
  readonly idempotencyKey?: string;
  readonly retractsKey?: string;
  readonly [field: string]: unknown;
}

const PARTIES = ['US', 'VN', 'MY', 'ASEAN', 'EU'];
const STANCES = ['supports', 'urges', 'concerned', 'opposes', 'welcomes'];
const DAY_MS = 86_400_000;
const BASE_MS = Date.parse('2022-01-01T00:00:00Z');
const ACTIONS = [
  'statements',
  'adoptions',
  'progress',
  'completions',
  'withdrawals',
  'accessions',
  'suspensions',
  'resumptions',
  'assessments',
  'supersessions',
  'deadlines',
  'follow-ups',
  'retractions',
] as const;

/** A small deterministic generator (mulberry32), so a failing file can be generated again. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const source = (n: number) => ({ title: `Record ${n}`, publisher: 'Generated for the import suite' });

/**
 * Lines of `commitments` commitments, interleaved in file order: a proposal each (every third without an
 * id, so its id comes from its title), then developments of every action — most dated after the last,
 * some backdated, retractions naming an earlier line by its idempotency key, supersessions naming a
 * commitment proposed earlier in the file. Some are illegal where they fall (a completion before the
 * adoption, say): a file as an analyst's spreadsheet might be.
 */
export function generatedLines(commitments: number, stepsEach: number, seed = 7): ImportLine[] {
  const next = random(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)];
  const queues: ImportLine[][] = [];
  let lineNo = 0;
  for (let c = 0; c < commitments; c++) {
    const generated = c % 3 === 2;
    const id = generated ? `import-suite-commitment-${c}` : `imp-${seed}-${c}`;
    const lines: ImportLine[] = [];
    let latest = BASE_MS + c * DAY_MS;
    const proposedAt = latest;
    lines.push({
      action: 'propose',
      ...(generated ? {} : { commitmentId: id }),
      title: generated ? `Import suite commitment ${c}` : `Imported commitment ${c}`,
      kind: 'agreement',
      parties: ['US', 'VN'],
      proposedBy: 'US',
      topics: ['imported'],
      dueDate: day(latest + 300 * DAY_MS),
      occurredAt: day(latest),
      source: source(++lineNo),
    });
    const state = {
      adopted: false,
      terminal: false,
      suspended: false,
      parties: new Set(['US', 'VN']),
      suspendedParties: new Set<string>(),
    };
    const safe: string[] = [];
    const add = (action: (typeof ACTIONS)[number], party: string) => {
      const sinceProposal = Math.floor((latest - proposedAt) / DAY_MS);
      const backdated = next() < 0.15 && sinceProposal > 1 && ['statements', 'assessments'].includes(action);
      const at = backdated
        ? latest - Math.floor(next() * (sinceProposal - 1) + 1) * DAY_MS
        : latest + Math.floor(next() * 30 + 1) * DAY_MS;
      if (!backdated) latest = at;
      const n = ++lineNo;
      const key = next() < 0.5 ? `key-${seed}-${n}` : undefined;
      const world = { occurredAt: day(at), source: source(n) };
      const line = ((): Record<string, unknown> | null => {
        switch (action) {
          case 'statements':
            return {
              ...world,
              speaker: { name: `Speaker ${n}`, party },
              stance: pick(STANCES),
              summary: `Statement ${n}`,
            };
          case 'adoptions':
            state.adopted = true;
            return { ...world, adoptedBy: ['US', 'VN'] };
          case 'progress':
            return {
              ...world,
              summary: `Progress ${n}`,
              metrics: [{ name: 'trade', value: n, unit: 'USD bn' }],
            };
          case 'completions':
            state.terminal = true;
            return { ...world, summary: `Completed ${n}` };
          case 'withdrawals':
            state.parties.delete(party);
            return { ...world, party, ...(next() < 0.5 ? { effectiveOn: day(at + 60 * DAY_MS) } : {}) };
          case 'accessions':
            state.parties.add(party);
            return { ...world, party };
          case 'suspensions':
            if (next() < 0.5 && state.parties.has(party)) {
              state.suspendedParties.add(party);
              return { ...world, party, reason: `Suspended ${n}` };
            }
            state.suspended = true;
            return { ...world, reason: `Suspended ${n}` };
          case 'resumptions': {
            const suspendedParty = [...state.suspendedParties][0];
            if (!state.suspended && suspendedParty) {
              state.suspendedParties.delete(suspendedParty);
              return { ...world, party: suspendedParty };
            }
            state.suspended = false;
            return { ...world };
          }
          case 'assessments':
            return {
              ...world,
              party: pick([...state.parties]),
              score: Math.floor(next() * 3) - 1,
              rationale: `Assessed ${n}`,
            };
          case 'supersessions':
            if (c === 0) return null;
            state.terminal = true;
            return { ...world, supersededBy: `imp-${seed}-0` };
          case 'deadlines':
            return { ...world, dueDate: day(at + 100 * DAY_MS), reason: `Deadline ${n}` };
          case 'follow-ups':
            return { reviewOn: day(Date.now() + 20 * DAY_MS), note: `Review ${n}` };
          case 'retractions':
            return safe.length === 0
              ? null
              : { retractsKey: safe.splice(Math.floor(next() * safe.length), 1)[0], reason: `Mistaken ${n}` };
        }
      })();
      if (line === null) return;
      if (key && ['statements', 'progress', 'assessments'].includes(action)) safe.push(key);
      lines.push({ action, commitmentId: id, ...(key ? { idempotencyKey: key } : {}), ...line });
    };
    for (let s = 0; s < stepsEach; s++) {
      const party = pick(PARTIES);
      const legalNow = ACTIONS.filter((a) => legal(a, state, party, safe.length > 0, c));
      add(next() < 0.08 ? pick(ACTIONS) : pick(legalNow), party);
    }
    // Every action is in the file: the second commitment ends superseded, the third completed.
    if (c === 1 && !state.terminal) add('supersessions', 'US');
    if (c === 2 && !state.terminal) {
      if (state.suspended) add('resumptions', 'US');
      if (!state.adopted) add('adoptions', 'US');
      add('completions', 'US');
    }
    queues.push(lines);
  }
  // Interleaved as a spreadsheet sorted by anything but commitment would be, each commitment's lines in order.
  const file: ImportLine[] = [queues[0].shift()!];
  while (queues.some((queue) => queue.length > 0)) {
    const queue = pick(queues.filter((q) => q.length > 0));
    file.push(queue.shift()!);
  }
  return file;
}

interface GeneratedState {
  adopted: boolean;
  terminal: boolean;
  suspended: boolean;
  parties: Set<string>;
  suspendedParties: Set<string>;
}

/** Whether an action is (very likely) legal next: most lines are, so that a file imports mostly whole. */
function legal(
  action: (typeof ACTIONS)[number],
  state: GeneratedState,
  party: string,
  retractable: boolean,
  c: number,
): boolean {
  switch (action) {
    case 'adoptions':
      return !state.adopted && !state.terminal && !state.suspended;
    case 'completions':
      return state.adopted && !state.terminal && !state.suspended;
    case 'withdrawals':
      return (
        !state.terminal &&
        state.parties.has(party) &&
        state.parties.size > 1 &&
        !state.suspendedParties.has(party)
      );
    case 'accessions':
      return !state.terminal && !state.parties.has(party);
    case 'suspensions':
      return !state.terminal && !state.suspended && state.suspendedParties.size === 0;
    case 'resumptions':
      return !state.terminal && (state.suspended || state.suspendedParties.size > 0);
    case 'supersessions':
      return !state.terminal && c > 0 && c !== 2;
    case 'progress':
    case 'deadlines':
      return !state.terminal && !state.suspended;
    case 'retractions':
      return retractable;
    default:
      return true;
  }
}

export const toNdjson = (lines: readonly ImportLine[]) =>
  lines.map((line) => JSON.stringify(line)).join('\n') + '\n';

export interface PostedLines {
  /** File line numbers (1-based) the API refused, or that followed a refused line of their commitment. */
  readonly refused: number[];
  /** The problem the API answered for each line it refused (lines not sent are not in it). */
  readonly problems: Map<number, Record<string, unknown>>;
  readonly commitmentIds: string[];
}

/**
 * Posts the lines one by one through the API, as an analyst would, following the import's rules: a
 * line's `idempotencyKey` is its Idempotency-Key, `retractsKey` becomes the eventId that key's POST
 * answered, and after a refused line its commitment's later lines are not sent.
 */
export async function postOneByOne(
  http: HttpAgent,
  analystKey: string,
  lines: readonly ImportLine[],
): Promise<PostedLines> {
  const eventIds = new Map<string, string>();
  const refusedCommitments = new Set<string>();
  const refused: number[] = [];
  const problems = new Map<number, Record<string, unknown>>();
  const commitmentIds = new Set<string>();
  for (const [index, line] of lines.entries()) {
    const { action, commitmentId, idempotencyKey, retractsKey, ...body } = line;
    const id = commitmentId ?? (action === 'propose' ? slug(String(body.title)) : undefined);
    if (id !== undefined && refusedCommitments.has(id)) {
      refused.push(index + 1);
      continue;
    }
    const eventId = retractsKey === undefined ? undefined : eventIds.get(retractsKey);
    const request = http
      .post(action === 'propose' ? '/commitments' : `/commitments/${commitmentId}/${action}`)
      .set('Authorization', bearer(analystKey));
    if (idempotencyKey) void request.set('Idempotency-Key', idempotencyKey);
    const res =
      retractsKey !== undefined && eventId === undefined
        ? null
        : await request.send({
            ...body,
            ...(action === 'propose' && commitmentId ? { id: commitmentId } : {}),
            ...(eventId ? { eventId } : {}),
          });
    if (res?.status === 201) {
      if (idempotencyKey) eventIds.set(idempotencyKey, (res.body as { eventId: string }).eventId);
      commitmentIds.add((res.body as { commitmentId: string }).commitmentId);
      continue;
    }
    if (res && res.status !== 409 && res.status !== 404)
      throw new Error(`line ${index + 1}: ${res.status} ${res.text}`);
    refused.push(index + 1);
    if (res) problems.set(index + 1, res.body as Record<string, unknown>);
    if (id !== undefined) refusedCommitments.add(id);
  }
  return { refused, problems, commitmentIds: [...commitmentIds].sort() };
}

function slug(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

export interface ImportJobView {
  readonly jobId: string;
  readonly state: string;
  readonly linesRead: number;
  readonly appended: number;
  readonly alreadyPresent: number;
  readonly refused: number;
  readonly error: string | null;
  readonly refusals: {
    line: number;
    commitmentId: string | null;
    field: string | null;
    problem: Record<string, unknown> & { status: number; type: string; detail: string };
  }[];
}

/** Posts a file to /imports and waits until its job is no longer running. */
export async function importFile(
  app: TestApp,
  body: string | Buffer,
  contentType = 'application/x-ndjson',
): Promise<ImportJobView> {
  const res = await app.http
    .post('/imports')
    .set('Authorization', bearer(app.keys.analyst))
    .set('Content-Type', contentType)
    .send(body);
  if (res.status !== 202) throw new Error(`POST /imports: ${res.status} ${res.text}`);
  const { jobId } = res.body as { jobId: string };
  expect(res.headers.location).toBe(`/imports/${jobId}`);
  for (;;) {
    const job = await app.http.get(`/imports/${jobId}`).set('Authorization', bearer(app.keys.reader));
    if (job.status !== 200) throw new Error(`GET /imports/${jobId}: ${job.status} ${job.text}`);
    if ((job.body as ImportJobView).state !== 'running') return job.body as ImportJobView;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
