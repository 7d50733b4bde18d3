import { randomBytes } from 'node:crypto';
import type { Response } from 'supertest';
import { developmentPath, type DevelopmentAction } from '../../src/commitments/write/development-actions.js';
import { bearer, createTestApp, type TestApp } from '../support/test-app.js';
import type { EngineName } from '../support/test-database.js';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Lower-case, kebab-safe and unique within the run: ids, topics and party codes that no other test shares. */
export function unique(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** A party code (`^[A-Z][A-Z0-9-]{1,15}$`) that no other test uses. */
export function uniqueParty(): string {
  return `P-${randomBytes(3).toString('hex').toUpperCase()}`;
}

export function source(title = 'Joint communiqué of the Northern Rivers Commission'): Record<string, string> {
  return {
    title,
    publisher: 'Northern Rivers Commission Secretariat',
    url: 'https://example.org/northern-rivers/communique',
    publishedAt: '2024-03-02',
  };
}

/** A valid `POST /commitments` body; override any field. */
export function proposal(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: unique('c'),
    title: 'Upper Basin Sediment Monitoring Pledge',
    kind: 'pledge',
    parties: ['NP', 'BT'],
    proposedBy: 'NP',
    topics: ['water'],
    occurredAt: '2024-03-01',
    source: source(),
    ...overrides,
  };
}

/** The calendar date `days` from today (UTC), `YYYY-MM-DD`. */
export function daysFromToday(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

const STACK_TRACE = /\n\s+at .+:\d+:\d+|\bat (?:async )?[\w.<>]+ \(.+:\d+:\d+\)/;
const SQL_TEXT =
  /\b(?:SELECT|INSERT INTO|UPDATE|DELETE FROM)\b[\s\S]*\b(?:FROM|VALUES|SET|WHERE)\b|\bpg_\w+\(|relation "/;

/** An RFC 9457 problem document with `status`, as API.md "Errors" describes, without internals. */
export function expectProblem(res: Response, status: number): Record<string, unknown> {
  if (res.status !== status) {
    throw new Error(`expected ${status}, got ${res.status}: ${res.text.slice(0, 600)}`);
  }
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json\b/);
  const body = JSON.parse(res.text) as Record<string, unknown>;
  expect(body).toEqual(
    expect.objectContaining({
      type: expect.any(String),
      title: expect.any(String),
      status,
      detail: expect.any(String),
    }),
  );
  expect(body).not.toHaveProperty('stack');
  expect(res.text).not.toMatch(STACK_TRACE);
  expect(res.text).not.toMatch(SQL_TEXT);
  return body;
}

/** A 400 whose `errors` name `field` (exactly, or a field path starting with it when `prefix` is set). */
export function expectFieldError(res: Response, field: string, prefix = false): void {
  const body = expectProblem(res, 400);
  const errors = body.errors as { field: string; message: string }[] | undefined;
  expect(Array.isArray(errors)).toBe(true);
  for (const error of errors ?? []) {
    expect(error).toEqual({ field: expect.any(String), message: expect.any(String) });
  }
  const fields = (errors ?? []).map((e) => e.field);
  if (prefix) expect(fields.some((f) => f === field || f.startsWith(field))).toBe(true);
  else expect(fields).toContain(field);
}

/** RFC 4180: quoted fields with doubled quotes, commas and line breaks inside quotes. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"' && field === '') {
      quoted = true;
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      // CRLF ends the row on the next character.
    } else if (c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else {
      field += c;
    }
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

export type Role = 'reader' | 'analyst' | 'admin';
export type Body = Record<string, unknown>;

/** The development endpoints under `/commitments/:id`: every action of the table but the proposal. */
export type Development = Exclude<DevelopmentAction, 'propose'>;

/**
 * The URL of an action's endpoint: `/commitments` for a proposal, `/commitments/<id>/<action>` otherwise
 * (a reservation withdrawal: `/commitments/<id>/reservations/<eventId>/withdrawals`).
 */
export function developmentUrl(
  action: DevelopmentAction,
  commitmentId: string,
  eventId = commitmentId,
): string {
  const path = developmentPath(action);
  return path === ''
    ? '/commitments'
    : `/commitments/${path.replace(':id', commitmentId).replace(':eventId', eventId)}`;
}

/** A world fact's shared fields (`occurredAt` and the default `source`), plus the action's own. */
export const fact = (occurredAt: string, extra: Body = {}): Body => ({
  occurredAt,
  source: source(),
  ...extra,
});

/** What every POST answers (API.md "Writing"). */
export interface Written {
  commitmentId: string;
  eventId: string;
  version: number;
}

/** The response shapes of API.md "Reading", written from the contract as a client would, not imported from src/. */
export interface PartyView {
  party: string;
  participation: 'active' | 'withdrawing' | 'withdrawn' | 'suspended' | 'signatory' | 'pending';
  stance?: string;
  score?: number;
  joinedAt?: string;
  withdrewAt?: string;
  signedOn?: string;
  consent?: { action: string; depositedOn: string; effectiveOn: string | null };
  reservations?: {
    eventId: string;
    kind: string;
    text: string;
    objectsTo?: string;
    madeOn: string;
    withdrawnOn?: string;
  }[];
}

export interface CommitmentView {
  id: string;
  title: string;
  kind: string;
  status: string;
  parties: PartyView[];
  entryIntoForce?: {
    rule: { instruments: number; daysAfter?: number; monthsAfter?: number };
    instrumentsDeposited: number;
    reachedOn: string | null;
    inForceOn: string | null;
  };
  proposedBy: string;
  topics: string[];
  summary: string | null;
  meeting: string | null;
  proposedAt: string;
  adoptedAt: string | null;
  completedAt: string | null;
  supersededBy: string | null;
  dueDate: string | null;
  missedDeadlines: number;
  overdue: boolean;
  compliance: number | null;
  nextReviewOn: string | null;
  lastDevelopmentAt: string;
  version: number;
  eventCount: number;
}

export interface HistoryEvent {
  eventId: string;
  version: number;
  type: string;
  occurredAt: string;
  recordedAt: string;
  recordedBy: string;
  data: Body;
  retracted: boolean;
  retractedBy?: string;
}

export const participation = (v: CommitmentView, party: string): PartyView | undefined =>
  v.parties.find((p) => p.party === party);

/** A 201 with exactly `{ commitmentId, eventId, version }`. */
export function expectCreated(res: Response): Written {
  if (res.status !== 201) throw new Error(`expected 201, got ${res.status}: ${res.text.slice(0, 800)}`);
  expect(res.body).toEqual({
    commitmentId: expect.any(String),
    eventId: expect.stringMatching(UUID),
    version: expect.any(Number),
  });
  return res.body as Written;
}

/** The app a commitments suite runs against, and the requests its tests make, as the analyst or a reader. */
export interface CommitmentsApi {
  /** The running app (only inside tests and hooks: it starts in `beforeAll`). */
  readonly app: TestApp;
  auth(role?: Role): Record<string, string>;
  /** A POST as the analyst. */
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  /** A GET, as a reader unless told otherwise. */
  get(path: string, query?: Record<string, string>, role?: Role): Promise<Response>;
  /** POSTs a development whatever the answer: for the refusals. */
  attempt(id: string, action: Development, body: Body, headers?: Record<string, string>): Promise<Response>;
  /** Appends a development that must succeed; returns its 201 body. */
  develop(id: string, action: Development, body: Body, headers?: Record<string, string>): Promise<Written>;
  /** Proposes `proposal(overrides)`, which must be version 1; returns the commitment id. */
  propose(overrides?: Body): Promise<string>;
  /** An adopted commitment among NP, BT and BD: proposed 2024-03-01, adopted 2024-06-15. */
  adopted(overrides?: Body): Promise<string>;
  /** `GET /commitments/:id`, which must answer 200. */
  view(id: string, query?: Record<string, string>): Promise<CommitmentView>;
  /** `GET /commitments/:id/history`'s events, which must answer 200 for that commitment. */
  history(id: string): Promise<HistoryEvent[]>;
}

/**
 * Starts one app on `engineName` for the enclosing `describe` (in `beforeAll`, closed in `afterAll`) and
 * returns the requests the commitments suites share, bound to it.
 */
export function commitmentsApi(engineName: EngineName): CommitmentsApi {
  let started: TestApp | undefined;
  beforeAll(async () => {
    started = await createTestApp(engineName);
  });
  afterAll(() => started?.close());

  const app = (): TestApp => {
    if (!started) throw new Error('the app starts in beforeAll: use it inside a test or a hook');
    return started;
  };
  const auth = (role: Role = 'analyst') => ({ Authorization: bearer(app().keys[role]) });
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    app()
      .http.post(path)
      .set(auth('analyst'))
      .set(headers)
      .send(body as object);
  const get = (path: string, query: Record<string, string> = {}, role: Role = 'reader') =>
    app().http.get(path).query(query).set(auth(role));
  const attempt = (id: string, action: Development, body: Body, headers: Record<string, string> = {}) =>
    post(developmentUrl(action, id), body, headers);
  const develop = async (id: string, action: Development, body: Body, headers: Record<string, string> = {}) =>
    expectCreated(await attempt(id, action, body, headers));
  const propose = async (overrides: Body = {}) => {
    const created = expectCreated(await post('/commitments', proposal(overrides)));
    expect(created.version).toBe(1);
    return created.commitmentId;
  };

  return {
    get app() {
      return app();
    },
    auth,
    post,
    get,
    attempt,
    develop,
    propose,
    async adopted(overrides = {}) {
      const id = await propose({ parties: ['NP', 'BT', 'BD'], ...overrides });
      await develop(id, 'adoptions', fact('2024-06-15', { adoptedBy: ['NP', 'BT', 'BD'] }));
      return id;
    },
    async view(id, query = {}) {
      const res = await get(`/commitments/${id}`, query);
      if (res.status !== 200)
        throw new Error(`GET ${id} ${JSON.stringify(query)}: ${res.status} ${res.text}`);
      return res.body as CommitmentView;
    },
    async history(id) {
      const res = await get(`/commitments/${id}/history`);
      expect(res.status).toBe(200);
      expect(res.body.commitmentId).toBe(id);
      return res.body.events as HistoryEvent[];
    },
  };
}

/** Resolves once the clock reads a later millisecond than it did when called (or than `after`). */
export async function nextMillisecond(after = Date.now()): Promise<void> {
  while (Date.now() <= after) await new Promise((resolve) => setTimeout(resolve, 1));
}

/**
 * A `knownAt` that splits the record here: an instant strictly after the recording of every write already
 * answered, and strictly before that of any write sent once it has resolved. It waits for the clock to
 * move on, never for a set time, so a slow machine only makes it later.
 */
export async function instantBetweenWrites(): Promise<string> {
  await nextMillisecond();
  const instant = Date.now();
  await nextMillisecond(instant);
  return new Date(instant).toISOString();
}

/** The commitments the listing and CSV suites read back: all tagged with `topic`, one with `party`. */
export interface ListingFixture {
  readonly topic: string;
  readonly party: string;
  readonly ids: {
    /** Adopted, the only one with `party`. */
    readonly glacier: string;
    /** "sediment" only in its summary. */
    readonly sediment: string;
    /** Due 2024-12-31, so overdue. */
    readonly overdue: string;
    /** Quotes, a comma and line breaks in its title and summary; also tagged `csv-check`. */
    readonly csv: string;
    readonly plain: string;
  };
}

export async function proposeListingFixture(api: CommitmentsApi): Promise<ListingFixture> {
  const topic = unique('list');
  const party = uniqueParty();
  const glacier = await api.propose({
    title: 'Glacier Monitoring Protocol',
    kind: 'agreement',
    topics: [topic],
    parties: ['NP', party],
  });
  await api.develop(glacier, 'adoptions', fact('2024-06-01', { adoptedBy: ['NP', party] }));
  const sediment = await api.propose({
    title: 'Basin Cooperation Charter',
    summary: 'Covers sediment transport and dredging.',
    kind: 'declaration',
    topics: [topic],
  });
  const overdue = await api.propose({
    title: 'Fish Ladder Construction Pledge',
    kind: 'pledge',
    topics: [topic],
    dueDate: '2024-12-31',
  });
  const csv = await api.propose({
    title: 'Accord on "Rivers", Lakes\nand Wetlands',
    kind: 'pledge',
    topics: [topic, 'csv-check'],
    summary: 'Line one\nline "two", with comma',
  });
  const plain = await api.propose({
    title: 'Navigation Safety Initiative',
    kind: 'initiative',
    topics: [topic],
  });
  return { topic, party, ids: { glacier, sediment, overdue, csv, plain } };
}
