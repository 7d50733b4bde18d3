import type { Response } from 'supertest';
import { projectionsLive, verifyOverHttp } from '../projections/projection-fixtures.js';
import { bearer, createTestApp, pause, type TestApp } from '../support/test-app.js';
import { TEST_ENGINES, type EngineName } from '../support/test-database.js';
import {
  daysFromToday,
  expectFieldError,
  expectProblem,
  parseCsv,
  proposal,
  source,
  unique,
  uniqueParty,
  UUID,
} from './e2e-fixtures.js';

type Role = 'reader' | 'analyst' | 'admin';
type Body = Record<string, unknown>;

interface Written {
  commitmentId: string;
  eventId: string;
  version: number;
}

interface PartyView {
  party: string;
  participation: 'active' | 'withdrawing' | 'withdrawn' | 'suspended';
  stance?: string;
  score?: number;
  joinedAt?: string;
  withdrewAt?: string;
}

interface CommitmentView {
  id: string;
  title: string;
  kind: string;
  status: string;
  parties: PartyView[];
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

interface HistoryEvent {
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

const VIEW_FIELDS = [
  'id',
  'title',
  'kind',
  'status',
  'parties',
  'proposedBy',
  'topics',
  'summary',
  'meeting',
  'proposedAt',
  'adoptedAt',
  'completedAt',
  'supersededBy',
  'dueDate',
  'missedDeadlines',
  'overdue',
  'compliance',
  'nextReviewOn',
  'lastDevelopmentAt',
  'version',
  'eventCount',
];

const fact = (occurredAt: string, extra: Body = {}): Body => ({ occurredAt, source: source(), ...extra });

describe.each(TEST_ENGINES)('commitments over HTTP on %s', (engineName: EngineName) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(engineName);
  });
  afterAll(() => t?.close());

  const auth = (role: Role = 'analyst') => ({ Authorization: bearer(t.keys[role]) });

  function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
    return t.http
      .post(path)
      .set(auth('analyst'))
      .set(headers)
      .send(body as object);
  }

  function get(path: string, query: Record<string, string> = {}, role: Role = 'reader'): Promise<Response> {
    return t.http.get(path).query(query).set(auth(role));
  }

  function expectCreated(res: Response): Written {
    if (res.status !== 201) throw new Error(`expected 201, got ${res.status}: ${res.text.slice(0, 800)}`);
    expect(res.body).toEqual({
      commitmentId: expect.any(String),
      eventId: expect.stringMatching(UUID),
      version: expect.any(Number),
    });
    return res.body as Written;
  }

  async function propose(overrides: Body = {}): Promise<string> {
    const created = expectCreated(await post('/commitments', proposal(overrides)));
    expect(created.version).toBe(1);
    return created.commitmentId;
  }

  /** Appends a development that must succeed; returns its 201 body. */
  async function develop(id: string, endpoint: string, body: Body, headers: Record<string, string> = {}) {
    return expectCreated(await post(`/commitments/${id}/${endpoint}`, body, headers));
  }

  async function view(id: string, query: Record<string, string> = {}): Promise<CommitmentView> {
    const res = await get(`/commitments/${id}`, query);
    if (res.status !== 200) throw new Error(`GET ${id} ${JSON.stringify(query)}: ${res.status} ${res.text}`);
    return res.body as CommitmentView;
  }

  async function history(id: string): Promise<HistoryEvent[]> {
    const res = await get(`/commitments/${id}/history`);
    expect(res.status).toBe(200);
    expect(res.body.commitmentId).toBe(id);
    return res.body.events as HistoryEvent[];
  }

  const participation = (v: CommitmentView, party: string) => v.parties.find((p) => p.party === party);

  /** An adopted commitment among NP, BT and BD: proposed 2024-03-01, adopted 2024-06-15. */
  async function adopted(overrides: Body = {}): Promise<string> {
    const id = await propose({ parties: ['NP', 'BT', 'BD'], ...overrides });
    await develop(id, 'adoptions', fact('2024-06-15', { adoptedBy: ['NP', 'BT', 'BD'] }));
    return id;
  }

  describe('writing developments', () => {
    it('answers 201 { commitmentId, eventId, version } for every endpoint, version counting from 1', async () => {
      const successor = await propose({ title: 'Successor Basin Accord' });
      const id = await propose({
        title: 'Headwaters Flow Data Exchange',
        kind: 'agreement',
        parties: ['NP', 'BT'],
        proposedBy: 'NP',
        topics: ['water', 'data-sharing'],
        summary: 'Daily flow data from every headwater gauge.',
        dueDate: '2030-06-30',
        meeting: '1st Northern Rivers Ministerial, Kathmandu',
      });
      const steps: [string, Body][] = [
        [
          'statements',
          fact('2024-03-05', {
            speaker: { name: 'Minister Dorji', role: 'Foreign Minister', party: 'BT' },
            stance: 'supports',
            summary: 'Welcomed the data exchange.',
          }),
        ],
        ['progress', fact('2024-04-01', { summary: 'Drafting committee met.' })],
        [
          'adoptions',
          fact('2024-06-15', {
            adoptedBy: ['NP', 'BT'],
            witnessedBy: ['UN'],
            documentTitle: 'Thimphu Protocol',
          }),
        ],
        [
          'progress',
          fact('2024-07-01', {
            summary: 'Gauges online.',
            metrics: [{ name: 'gauges', value: 14, unit: 'stations', period: '2024-Q3' }],
          }),
        ],
        ['suspensions', fact('2024-08-01', { party: 'BT', reason: 'Budget review' })],
        ['resumptions', fact('2024-08-20', { party: 'BT' })],
        ['suspensions', fact('2024-09-01', { reason: 'Flood season' })],
        ['resumptions', fact('2024-09-15')],
        ['accessions', fact('2024-10-01', { party: 'BD' })],
        ['withdrawals', fact('2024-10-20', { party: 'BD', reason: 'Domestic review' })],
        ['assessments', { occurredAt: '2024-11-01', party: 'NP', score: 1, rationale: 'All gauges report.' }],
        ['deadlines', { dueDate: '2031-01-31', reason: 'Extension agreed', occurredAt: '2024-11-02' }],
        [
          'follow-ups',
          { reviewOn: '2031-01-15', note: 'Check the data portal', assignee: 'desk-south-asia' },
        ],
        ['completions', fact('2024-12-01', { summary: 'All data exchanged.' })],
      ];
      const written: Written[] = [];
      for (const [endpoint, body] of steps) written.push(await develop(id, endpoint, body));
      expect(written.map((w) => w.version)).toEqual(steps.map((_, i) => i + 2));
      expect(written.every((w) => w.commitmentId === id)).toBe(true);
      expect(new Set(written.map((w) => w.eventId)).size).toBe(written.length);

      const statement = written[0];
      const retraction = await develop(id, 'retractions', {
        eventId: statement.eventId,
        reason: 'Misattributed',
      });
      expect(retraction.version).toBe(steps.length + 2);

      // Supersession needs a commitment that is not completed: a fresh one.
      const other = await adopted();
      const superseded = await develop(
        other,
        'supersessions',
        fact('2024-12-05', { supersededBy: successor }),
      );
      expect(superseded.version).toBe(3);

      const events = await history(id);
      expect(events.map((e) => e.type)).toEqual([
        'CommitmentProposed',
        'StatementRecorded',
        'ProgressReported',
        'CommitmentAdopted',
        'ProgressReported',
        'CommitmentSuspended',
        'CommitmentResumed',
        'CommitmentSuspended',
        'CommitmentResumed',
        'PartyJoined',
        'PartyWithdrew',
        'ComplianceAssessed',
        'DeadlineSet',
        'FollowUpScheduled',
        'CommitmentCompleted',
        'EntryRetracted',
      ]);
      expect(events.map((e) => e.eventId).slice(1)).toEqual([...written, retraction].map((w) => w.eventId));

      const v = await view(id);
      expect(v.status).toBe('completed');
      expect(v.completedAt).toBe('2024-12-01T00:00:00.000Z');
      expect(v.adoptedAt).toBe('2024-06-15T00:00:00.000Z');
      expect(v.dueDate).toBe('2031-01-31');
      expect(v.compliance).toBe(1);
      expect(v.nextReviewOn).toBe('2031-01-15');
      expect(v.version).toBe(16);
      expect(v.eventCount).toBe(16);
      expect(participation(v, 'BD')?.participation).toBe('withdrawn');
      expect(participation(v, 'NP')).toMatchObject({ participation: 'active', score: 1 });
      // The statement was retracted: BT's stance is gone.
      expect(participation(v, 'BT')?.stance).toBeUndefined();
      expect((await view(other)).status).toBe('superseded');
      expect((await view(other)).supersededBy).toBe(successor);
    });

    it('generates the id from the title when none is given', async () => {
      const body = proposal({ title: `Glacier Lake Early Warning ${unique('x')}` });
      delete body.id;
      const created = expectCreated(await post('/commitments', body));
      expect(created.commitmentId).toMatch(/^[a-z0-9][a-z0-9-]{2,79}$/);
      expect(created.commitmentId).toMatch(/^glacier-lake-early-warning/);
      expect((await view(created.commitmentId)).title).toBe(body.title);
    });

    it('stores date-times with offsets as UTC', async () => {
      const id = await propose({ occurredAt: '2024-10-11T09:00:00+07:00' });
      await develop(
        id,
        'statements',
        fact('2024-10-12T23:30:00-05:00', {
          speaker: { name: 'Envoy', party: 'NP' },
          stance: 'welcomes',
          summary: 'Late-night statement.',
        }),
      );
      const v = await view(id);
      expect(v.proposedAt).toBe('2024-10-11T02:00:00.000Z');
      expect(v.lastDevelopmentAt).toBe('2024-10-13T04:30:00.000Z');
      const events = await history(id);
      expect(events.map((e) => e.occurredAt)).toEqual([
        '2024-10-11T02:00:00.000Z',
        '2024-10-13T04:30:00.000Z',
      ]);
      for (const e of events) expect(e.recordedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    });

    it('accepts occurredAt up to a day ahead, refuses it further ahead', async () => {
      const id = await propose();
      const soon = new Date(Date.now() + 3_600_000).toISOString();
      await develop(
        id,
        'statements',
        fact(soon, { speaker: { name: 'A', party: 'NP' }, stance: 'notes', summary: 's' }),
      );
      const later = new Date(Date.now() + 2 * 86_400_000 + 60_000).toISOString();
      expectFieldError(
        await post(
          `/commitments/${id}/statements`,
          fact(later, { speaker: { name: 'A', party: 'NP' }, stance: 'notes', summary: 's' }),
        ),
        'occurredAt',
      );
      expectFieldError(await post('/commitments', proposal({ occurredAt: daysFromToday(3) })), 'occurredAt');
    });

    it('lets deadlines and assessments go without a source, and follow-ups without occurredAt', async () => {
      const id = await adopted();
      await develop(id, 'deadlines', { dueDate: '2032-01-01' });
      await develop(id, 'assessments', {
        party: 'BT',
        score: 0,
        rationale: 'Partly done',
        period: '2025 interim',
      });
      await develop(id, 'follow-ups', { reviewOn: daysFromToday(10), note: 'Ask the secretariat' });
      const v = await view(id);
      expect(v.dueDate).toBe('2032-01-01');
      expect(v.compliance).toBe(0);
      expect(v.nextReviewOn).toBe(daysFromToday(10));
    });
  });

  describe('status rules', () => {
    it('proposed → under_negotiation → adopted → in_progress → completed', async () => {
      const id = await propose({ parties: ['NP', 'BT'] });
      expect((await view(id)).status).toBe('proposed');
      await develop(id, 'progress', fact('2024-04-01', { summary: 'Talks' }));
      expect((await view(id)).status).toBe('under_negotiation');
      await develop(id, 'adoptions', fact('2024-05-01', { adoptedBy: ['NP', 'BT'] }));
      expect((await view(id)).status).toBe('adopted');
      await develop(id, 'progress', fact('2024-06-01', { summary: 'Work started' }));
      expect((await view(id)).status).toBe('in_progress');
      await develop(id, 'completions', fact('2024-07-01'));
      const v = await view(id);
      expect(v.status).toBe('completed');
      expect(v.completedAt).toBe('2024-07-01T00:00:00.000Z');
    });

    it('refuses completing before adoption with 409 and a detail that says why', async () => {
      const id = await propose();
      const body = expectProblem(await post(`/commitments/${id}/completions`, fact('2024-04-01')), 409);
      expect(body.detail).toContain(id);
      expect(body.detail).toMatch(/adopt/i);
      expect(await history(id)).toHaveLength(1);
    });

    it('refuses adopting a completed commitment, or adopting twice', async () => {
      const id = await adopted();
      expectProblem(
        await post(`/commitments/${id}/adoptions`, fact('2024-07-01', { adoptedBy: ['NP'] })),
        409,
      );
      await develop(id, 'completions', fact('2024-08-01'));
      const body = expectProblem(
        await post(`/commitments/${id}/adoptions`, fact('2024-09-01', { adoptedBy: ['NP'] })),
        409,
      );
      expect(body.detail).toMatch(/complet/i);
    });

    it('refuses a backdated development that would make a later entry illegal, naming it', async () => {
      const id = await adopted();
      const completion = await develop(id, 'completions', fact('2024-09-01'));
      // A suspension on 2024-07-01 with no resumption would leave the 2024-09-01 completion illegal.
      const body = expectProblem(
        await post(`/commitments/${id}/suspensions`, fact('2024-07-01', { reason: 'x' })),
        409,
      );
      expect(body.detail).toMatch(/complet/i);
      expect(body.detail).toContain(completion.eventId);
      // A completion dated before the adoption is illegal at its own place in world order.
      const other = await adopted();
      expectProblem(await post(`/commitments/${other}/completions`, fact('2024-06-01')), 409);
    });

    it('withdrawn when every party has withdrawn; completing it is refused; a rejoining restores the status', async () => {
      const id = await propose({ parties: ['NP', 'BT'] });
      await develop(id, 'adoptions', fact('2024-05-01', { adoptedBy: ['NP', 'BT'] }));
      await develop(id, 'progress', fact('2024-05-10', { summary: 'Started' }));
      await develop(id, 'withdrawals', fact('2024-06-01', { party: 'NP' }));
      expect((await view(id)).status).toBe('in_progress');
      await develop(id, 'withdrawals', fact('2024-06-02', { party: 'BT', effectiveOn: '2024-06-10' }));
      expect((await view(id, { asOf: '2024-06-05' })).status).toBe('in_progress');
      expect(participation(await view(id, { asOf: '2024-06-05' }), 'BT')?.participation).toBe('withdrawing');
      const withdrawn = await view(id);
      expect(withdrawn.status).toBe('withdrawn');
      expect(participation(withdrawn, 'BT')).toMatchObject({
        participation: 'withdrawn',
        withdrewAt: '2024-06-10',
      });
      const refused = expectProblem(await post(`/commitments/${id}/completions`, fact('2024-07-01')), 409);
      expect(refused.detail).toMatch(/withdr/i);
      await develop(id, 'accessions', fact('2024-08-01', { party: 'BT' }));
      const back = await view(id);
      expect(back.status).toBe('in_progress');
      expect(participation(back, 'BT')?.participation).toBe('active');
      expect(participation(back, 'NP')?.participation).toBe('withdrawn');
    });

    it('refuses adopting a superseded or a withdrawn commitment', async () => {
      const successor = await propose();
      const superseded = await propose();
      await develop(superseded, 'supersessions', fact('2024-04-01', { supersededBy: successor }));
      const refused = expectProblem(
        await post(`/commitments/${superseded}/adoptions`, fact('2024-05-01', { adoptedBy: ['NP'] })),
        409,
      );
      expect(refused.detail).toMatch(/supersed/i);
      const abandoned = await propose({ parties: ['NP'] });
      await develop(abandoned, 'withdrawals', fact('2024-04-01', { party: 'NP' }));
      expect((await view(abandoned)).status).toBe('withdrawn');
      const withdrawn = expectProblem(
        await post(`/commitments/${abandoned}/adoptions`, fact('2024-05-01', { adoptedBy: ['NP'] })),
        409,
      );
      expect(withdrawn.detail).toMatch(/withdr/i);
    });

    it('refuses withdrawing a party that is not a party, or has already withdrawn', async () => {
      const id = await adopted();
      expectProblem(await post(`/commitments/${id}/withdrawals`, fact('2024-07-01', { party: 'CN' })), 409);
      await develop(id, 'withdrawals', fact('2024-07-01', { party: 'BD' }));
      expectProblem(await post(`/commitments/${id}/withdrawals`, fact('2024-08-01', { party: 'BD' })), 409);
    });

    it('suspends and resumes the whole commitment or one party; a resumption must match a suspension', async () => {
      const id = await adopted();
      expectProblem(await post(`/commitments/${id}/resumptions`, fact('2024-06-20')), 409);
      expectProblem(await post(`/commitments/${id}/resumptions`, fact('2024-06-20', { party: 'BT' })), 409);
      await develop(id, 'suspensions', fact('2024-07-01', { reason: 'Dispute' }));
      expect((await view(id)).status).toBe('suspended');
      expectProblem(await post(`/commitments/${id}/progress`, fact('2024-07-05', { summary: 'x' })), 409);
      await develop(id, 'resumptions', fact('2024-08-01'));
      expect((await view(id)).status).toBe('adopted');
      await develop(id, 'suspensions', fact('2024-09-01', { party: 'BT', reason: 'Elections' }));
      const v = await view(id);
      expect(v.status).toBe('adopted');
      expect(participation(v, 'BT')?.participation).toBe('suspended');
      await develop(id, 'resumptions', fact('2024-10-01', { party: 'BT' }));
      expect(participation(await view(id), 'BT')?.participation).toBe('active');
    });

    it('compliance is the mean of the latest scores; statements set the latest stance', async () => {
      const id = await adopted();
      await develop(id, 'assessments', {
        occurredAt: '2024-07-01',
        party: 'NP',
        score: 1,
        rationale: 'Done',
      });
      await develop(id, 'assessments', {
        occurredAt: '2024-07-01',
        party: 'BT',
        score: 0,
        rationale: 'Partial',
      });
      expect((await view(id)).compliance).toBe(0.5);
      await develop(id, 'assessments', {
        occurredAt: '2024-08-01',
        party: 'NP',
        score: -1,
        rationale: 'Backslid',
      });
      const v = await view(id);
      expect(v.compliance).toBe(-0.5);
      expect(participation(v, 'NP')?.score).toBe(-1);
      expectProblem(
        await post(`/commitments/${id}/assessments`, {
          occurredAt: '2024-08-01',
          party: 'CN',
          score: 1,
          rationale: 'x',
        }),
        409,
      );
      const speaker = { name: 'Minister', party: 'BD' };
      await develop(id, 'statements', fact('2024-07-01', { speaker, stance: 'supports', summary: 'a' }));
      await develop(id, 'statements', fact('2024-09-01', { speaker, stance: 'concerned', summary: 'b' }));
      expect(participation(await view(id), 'BD')?.stance).toBe('concerned');
    });

    it('supersession: terminal, needs an existing successor other than itself', async () => {
      const id = await adopted();
      const missing = expectProblem(
        await post(
          `/commitments/${id}/supersessions`,
          fact('2024-07-01', { supersededBy: 'no-such-successor' }),
        ),
        409,
      );
      expect(missing.detail).toContain('no-such-successor');
      expectProblem(
        await post(`/commitments/${id}/supersessions`, fact('2024-07-01', { supersededBy: id })),
        409,
      );
      const successor = await propose();
      await develop(id, 'supersessions', fact('2024-07-01', { supersededBy: successor }));
      const v = await view(id);
      expect(v.status).toBe('superseded');
      expect(v.supersededBy).toBe(successor);
      expectProblem(await post(`/commitments/${id}/progress`, fact('2024-08-01', { summary: 'x' })), 409);
      expectProblem(await post(`/commitments/${id}/completions`, fact('2024-08-01')), 409);
      expectProblem(
        await post(`/commitments/${id}/supersessions`, fact('2024-08-01', { supersededBy: successor })),
        409,
      );
    });

    it('counts a missed deadline when a passed due date is replaced, not a pending one', async () => {
      const id = await propose({ dueDate: '2024-06-30' });
      await develop(id, 'deadlines', { occurredAt: '2024-05-01', dueDate: '2024-09-30' });
      expect((await view(id)).missedDeadlines).toBe(0);
      await develop(id, 'deadlines', { occurredAt: '2024-11-01', dueDate: '2030-12-31', reason: 'Reset' });
      const v = await view(id);
      expect(v.missedDeadlines).toBe(1);
      expect(v.dueDate).toBe('2030-12-31');
    });

    it('overdue is evaluated on the day it is read (or the asOf date)', async () => {
      const id = await propose({ occurredAt: '2024-01-10' });
      await develop(id, 'deadlines', { occurredAt: '2024-01-15', dueDate: '2024-06-30' });
      expect((await view(id)).overdue).toBe(true);
      expect((await view(id, { asOf: '2024-06-01' })).overdue).toBe(false);
      expect((await view(id, { asOf: '2024-06-30' })).overdue).toBe(false);
      expect((await view(id, { asOf: '2024-07-15' })).overdue).toBe(true);
      const dueToday = await propose({ dueDate: daysFromToday(0) });
      expect((await view(dueToday)).overdue).toBe(false);
      const dueYesterday = await propose({ dueDate: daysFromToday(-1) });
      expect((await view(dueYesterday)).overdue).toBe(true);
      const completed = await adopted({ dueDate: '2024-07-01' });
      await develop(completed, 'completions', fact('2024-08-01'));
      expect((await view(completed)).overdue).toBe(false);
    });

    it('participation after a future effectiveOn is right on the day it is read', async () => {
      const id = await adopted();
      await develop(
        id,
        'withdrawals',
        fact(daysFromToday(-1), { party: 'BD', effectiveOn: daysFromToday(30) }),
      );
      const v = await view(id);
      expect(v.status).toBe('adopted');
      expect(participation(v, 'BD')?.participation).toBe('withdrawing');
      const joiner = uniqueParty();
      await develop(
        id,
        'accessions',
        fact(daysFromToday(-1), { party: joiner, effectiveOn: daysFromToday(20) }),
      );
      expect(participation(await view(id), joiner)).toBeUndefined();
    });
  });

  describe('retractions and history', () => {
    it('lists every event in stream order, retracted ones marked with retractedBy', async () => {
      const id = await adopted();
      const completion = await develop(id, 'completions', fact('2024-09-01'));
      await pause(20);
      const retraction = await develop(id, 'retractions', {
        eventId: completion.eventId,
        reason: 'Wrong commitment',
      });
      const events = await history(id);
      expect(events.map((e) => e.version)).toEqual([1, 2, 3, 4]);
      expect(events.map((e) => e.type)).toEqual([
        'CommitmentProposed',
        'CommitmentAdopted',
        'CommitmentCompleted',
        'EntryRetracted',
      ]);
      for (const e of events) {
        expect(e.eventId).toMatch(UUID);
        expect(e.recordedBy).toBe('analyst');
        expect(typeof e.data).toBe('object');
      }
      expect(events[2]).toMatchObject({
        eventId: completion.eventId,
        retracted: true,
        retractedBy: retraction.eventId,
      });
      expect(events[0].retracted).toBe(false);
      expect(events[0].retractedBy).toBeUndefined();
      expect(events[3]).toMatchObject({
        retracted: false,
        data: { eventId: completion.eventId, reason: 'Wrong commitment' },
      });
      expect(events[1].data).toMatchObject({
        adoptedBy: ['NP', 'BT', 'BD'],
        source: { title: source().title },
      });
      expect(Date.parse(events[3].recordedAt)).toBeGreaterThan(Date.parse(events[2].recordedAt));

      const v = await view(id);
      expect(v.status).toBe('adopted');
      expect(v.completedAt).toBeNull();
      expect(v.version).toBe(4);
      expect(v.eventCount).toBe(4);
    });

    it('retraction errors: 404 unknown event, 409 retracting a retraction or a retracted entry', async () => {
      const id = await adopted();
      const other = await adopted();
      const progress = await develop(id, 'progress', fact('2024-07-01', { summary: 'x' }));
      const foreign = await develop(other, 'progress', fact('2024-07-01', { summary: 'y' }));
      expectProblem(
        await post(`/commitments/${id}/retractions`, {
          eventId: '00000000-0000-4000-8000-000000000000',
          reason: 'r',
        }),
        404,
      );
      expectProblem(
        await post(`/commitments/${id}/retractions`, { eventId: foreign.eventId, reason: 'r' }),
        404,
      );
      const retraction = await develop(id, 'retractions', { eventId: progress.eventId, reason: 'duplicate' });
      expectProblem(
        await post(`/commitments/${id}/retractions`, { eventId: progress.eventId, reason: 'again' }),
        409,
      );
      expectProblem(
        await post(`/commitments/${id}/retractions`, { eventId: retraction.eventId, reason: 'undo' }),
        409,
      );
    });

    it('refuses a retraction that a later entry depends on (409)', async () => {
      const id = await propose();
      const adoption = await develop(id, 'adoptions', fact('2024-06-15', { adoptedBy: ['NP'] }));
      await develop(id, 'completions', fact('2024-09-01'));
      const body = expectProblem(
        await post(`/commitments/${id}/retractions`, { eventId: adoption.eventId, reason: 'r' }),
        409,
      );
      expect(body.detail).toMatch(/complet/i);
    });

    it('404 for the history of an unknown commitment', async () => {
      expectProblem(await get('/commitments/never-proposed-here/history'), 404);
    });
  });

  describe('reading one commitment', () => {
    it('has the full shape and an ETag of its version', async () => {
      const id = await propose({
        parties: ['NP', 'BT'],
        topics: ['water', 'climate-adaptation'],
        summary: 'Shared flood forecasts.',
        meeting: 'Basin Summit, Dhaka',
        dueDate: '2031-12-31',
      });
      await develop(
        id,
        'statements',
        fact('2024-03-10', { speaker: { name: 'PM', party: 'NP' }, stance: 'reaffirms', summary: 's' }),
      );
      const res = await get(`/commitments/${id}`);
      expect(res.status).toBe(200);
      expect(res.headers.etag).toBe('"2"');
      const v = res.body as CommitmentView;
      expect(Object.keys(v).sort()).toEqual(expect.arrayContaining([...VIEW_FIELDS].sort()));
      expect(v).toMatchObject({
        id,
        title: 'Upper Basin Sediment Monitoring Pledge',
        kind: 'pledge',
        status: 'proposed',
        proposedBy: 'NP',
        topics: ['water', 'climate-adaptation'],
        summary: 'Shared flood forecasts.',
        meeting: 'Basin Summit, Dhaka',
        proposedAt: '2024-03-01T00:00:00.000Z',
        adoptedAt: null,
        completedAt: null,
        supersededBy: null,
        dueDate: '2031-12-31',
        missedDeadlines: 0,
        overdue: false,
        compliance: null,
        nextReviewOn: null,
        lastDevelopmentAt: '2024-03-10T00:00:00.000Z',
        version: 2,
        eventCount: 2,
      });
      expect(v.parties).toEqual([
        expect.objectContaining({ party: 'NP', participation: 'active', stance: 'reaffirms' }),
        expect.objectContaining({ party: 'BT', participation: 'active' }),
      ]);
      expect(v.parties[1].stance).toBeUndefined();
      expect(v.parties[1].score).toBeUndefined();
    });

    it('404 for an unknown commitment, and for a malformed id', async () => {
      expectProblem(await get('/commitments/not-tracked-anywhere'), 404);
    });

    it('time travel: asOf (world), knownAt (record), both; 404 when not yet known', async () => {
      const beforeAnything = new Date().toISOString();
      await pause(20);
      const id = await propose({ occurredAt: '2024-03-01' });
      await pause(20);
      const afterProposal = new Date().toISOString();
      await pause(20);
      await develop(id, 'adoptions', fact('2024-06-15', { adoptedBy: ['NP', 'BT'] }));
      await pause(20);
      const afterAdoption = new Date().toISOString();
      await pause(20);
      // Backdated: progress that happened before the adoption, logged after it.
      await develop(id, 'progress', fact('2024-05-01', { summary: 'Negotiators met' }));

      expect((await view(id)).status).toBe('adopted');
      expectProblem(await get(`/commitments/${id}`, { asOf: '2024-02-28' }), 404);
      expectProblem(await get(`/commitments/${id}`, { knownAt: beforeAnything }), 404);

      const asOfMay = await view(id, { asOf: '2024-05-15' });
      expect(asOfMay.status).toBe('under_negotiation');
      expect(asOfMay.version).toBe(3);
      expect(asOfMay.eventCount).toBe(2);
      const asOfDateTime = await view(id, { asOf: '2024-06-15T00:00:00Z' });
      expect(asOfDateTime.status).toBe('adopted');

      const known = await view(id, { knownAt: afterAdoption });
      expect(known.status).toBe('adopted');
      expect(known.version).toBe(2);
      expect(known.eventCount).toBe(2);
      expect((await view(id, { knownAt: afterProposal })).status).toBe('proposed');

      // Bitemporal: in May 2024, as known right after the adoption was recorded, the progress was unknown.
      const both = await view(id, { asOf: '2024-05-15', knownAt: afterAdoption });
      expect(both.status).toBe('proposed');
      expect(both.eventCount).toBe(1);
      expect(both.version).toBe(1);
    });
  });

  describe('listing', () => {
    let topic: string;
    let party: string;
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      topic = unique('list');
      party = uniqueParty();
      ids.glacier = await propose({
        title: 'Glacier Monitoring Protocol',
        kind: 'agreement',
        topics: [topic],
        parties: ['NP', party],
      });
      await develop(ids.glacier, 'adoptions', fact('2024-06-01', { adoptedBy: ['NP', party] }));
      ids.sediment = await propose({
        title: 'Basin Cooperation Charter',
        summary: 'Covers sediment transport and dredging.',
        kind: 'declaration',
        topics: [topic],
      });
      ids.overdue = await propose({
        title: 'Fish Ladder Construction Pledge',
        kind: 'pledge',
        topics: [topic],
        dueDate: '2024-12-31',
      });
      ids.csv = await propose({
        title: 'Accord on "Rivers", Lakes\nand Wetlands',
        kind: 'pledge',
        topics: [topic, 'csv-check'],
        summary: 'Line one\nline "two", with comma',
      });
      ids.plain = await propose({
        title: 'Navigation Safety Initiative',
        kind: 'initiative',
        topics: [topic],
      });
    });

    async function list(
      query: Record<string, string>,
    ): Promise<{ items: CommitmentView[]; nextCursor: string | null }> {
      const res = await get('/commitments', query);
      if (res.status !== 200)
        throw new Error(`GET /commitments ${JSON.stringify(query)}: ${res.status} ${res.text}`);
      expect(Object.keys(res.body).sort()).toEqual(['items', 'nextCursor']);
      expect(Array.isArray(res.body.items)).toBe(true);
      expect(res.body.nextCursor === null || typeof res.body.nextCursor === 'string').toBe(true);
      return res.body;
    }
    const idsOf = (items: CommitmentView[]) => items.map((i) => i.id).sort();

    it('lists items in the same shape as GET /commitments/:id', async () => {
      const { items } = await list({ topic });
      expect(idsOf(items)).toEqual(Object.values(ids).sort());
      const one = items.find((i) => i.id === ids.glacier);
      expect(one).toEqual(await view(ids.glacier));
    });

    it('filters by status, party, topic and kind', async () => {
      expect(idsOf((await list({ topic, status: 'adopted' })).items)).toEqual([ids.glacier]);
      expect(idsOf((await list({ topic, status: 'proposed' })).items)).toEqual(
        [ids.sediment, ids.overdue, ids.csv, ids.plain].sort(),
      );
      expect(idsOf((await list({ party })).items)).toEqual([ids.glacier]);
      expect(idsOf((await list({ topic, kind: 'pledge' })).items)).toEqual([ids.overdue, ids.csv].sort());
      expect(idsOf((await list({ topic: 'csv-check' })).items)).toEqual([ids.csv]);
    });

    it('filters by overdue=true|false on the day it is read', async () => {
      expect(idsOf((await list({ topic, overdue: 'true' })).items)).toEqual([ids.overdue]);
      expect(idsOf((await list({ topic, overdue: 'false' })).items)).not.toContain(ids.overdue);
      expect((await list({ topic, overdue: 'false' })).items).toHaveLength(4);
    });

    it('searches words in title and summary with q', async () => {
      expect(idsOf((await list({ topic, q: 'glacier' })).items)).toEqual([ids.glacier]);
      expect(idsOf((await list({ topic, q: 'Glacier monitoring' })).items)).toEqual([ids.glacier]);
      expect(idsOf((await list({ topic, q: 'sediment' })).items)).toEqual([ids.sediment]);
      expect((await list({ topic, q: 'nonexistentword' })).items).toEqual([]);
    });

    it('pages with limit and nextCursor, without gaps or repeats', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: Record<string, string> = { topic, limit: '2' };
        if (cursor) query.cursor = cursor;
        const page = await list(query);
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map((i) => i.id));
        cursor = page.nextCursor;
        pages++;
      } while (cursor !== null && pages < 10);
      expect(pages).toBe(3);
      expect(seen.sort()).toEqual(Object.values(ids).sort());
      expect((await list({ topic, limit: '200' })).nextCursor).toBeNull();
    });

    it.each([
      ['limit', '0'],
      ['limit', '201'],
      ['limit', 'many'],
      ['overdue', 'maybe'],
      ['status', 'forgotten'],
      ['kind', 'treaty'],
      ['cursor', 'not-a-cursor'],
      ['party', 'lower-case'],
      ['topic', 'Not Kebab'],
    ])('refuses the bad query parameter %s=%s with 400', async (name, value) => {
      expectFieldError(await get('/commitments', { [name]: value }), name);
    });

    it('exports CSV with a header row and RFC 4180 quoting', async () => {
      const res = await t.http
        .get('/commitments')
        .query({ topic })
        .set(auth('reader'))
        .set('Accept', 'text/csv');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      const rows = parseCsv(res.text);
      const [header, ...data] = rows.filter((r) => r.length > 1 || r[0] !== '');
      expect(header).toEqual(expect.arrayContaining(['id', 'title', 'status']));
      expect(data).toHaveLength(Object.keys(ids).length);
      for (const row of data) expect(row).toHaveLength(header.length);
      const column = (row: string[], name: string) => row[header.indexOf(name)];
      const tricky = data.find((row) => column(row, 'id') === ids.csv);
      expect(tricky).toBeDefined();
      expect(column(tricky!, 'title')).toBe('Accord on "Rivers", Lakes\nand Wetlands');
      if (header.includes('summary'))
        expect(column(tricky!, 'summary')).toBe('Line one\nline "two", with comma');
      expect(
        column(
          data.find((row) => column(row, 'id') === ids.glacier)!,
          'status',
        ),
      ).toBe('adopted');
    });
  });

  describe('validation', () => {
    let id: string;
    beforeAll(async () => {
      id = await adopted();
    });

    it.each<[string, Body, string, boolean]>([
      ['source.title missing', { source: { publisher: 'x' } }, 'source.title', false],
      ['source missing', { source: undefined }, 'source', false],
      ['occurredAt missing', { occurredAt: undefined }, 'occurredAt', false],
      ['occurredAt not a date', { occurredAt: '11 October' }, 'occurredAt', false],
      ['title missing', { title: undefined }, 'title', false],
      ['kind unknown', { kind: 'treaty' }, 'kind', false],
      ['parties empty', { parties: [] }, 'parties', false],
      ['party code lower-case', { parties: ['np'] }, 'parties', true],
      ['party code too long', { proposedBy: 'ABCDEFGHIJKLMNOPQ' }, 'proposedBy', false],
      ['topic not kebab-case', { topics: ['Maritime Security'] }, 'topics', true],
      ['id with capitals', { id: 'Bad-ID' }, 'id', false],
      ['dueDate not a date', { dueDate: '2030-13-45' }, 'dueDate', false],
      [
        'source.quote over 1000 chars',
        { source: { title: 't', quote: 'q'.repeat(1001) } },
        'source.quote',
        false,
      ],
      [
        'source.publishedAt not a date',
        { source: { title: 't', publishedAt: 'yesterday' } },
        'source.publishedAt',
        false,
      ],
      ['unknown top-level field', { colour: 'blue' }, 'colour', false],
      ['unknown nested field', { source: { title: 't', secret: 'x' } }, 'source.secret', false],
    ])('POST /commitments: %s → 400 naming the field', async (_name, override, field, prefix) => {
      const body = proposal(override);
      for (const key of Object.keys(override)) if (override[key] === undefined) delete body[key];
      expectFieldError(await post('/commitments', body), field, prefix);
    });

    it.each<[string, string, Body, string, boolean]>([
      [
        'statements',
        'stance unknown',
        fact('2024-07-01', { speaker: { name: 'A', party: 'NP' }, stance: 'loves', summary: 's' }),
        'stance',
        false,
      ],
      [
        'statements',
        'speaker party invalid',
        fact('2024-07-01', { speaker: { name: 'A', party: 'n' }, stance: 'notes', summary: 's' }),
        'speaker.party',
        false,
      ],
      [
        'statements',
        'speaker name missing',
        fact('2024-07-01', { speaker: { party: 'NP' }, stance: 'notes', summary: 's' }),
        'speaker.name',
        false,
      ],
      ['adoptions', 'adoptedBy empty', fact('2024-07-01', { adoptedBy: [] }), 'adoptedBy', false],
      [
        'progress',
        'metric value not a number',
        fact('2024-07-01', { summary: 's', metrics: [{ name: 'm', value: 'ten' }] }),
        'metrics[0].value',
        false,
      ],
      [
        'progress',
        'unknown metric field',
        fact('2024-07-01', { summary: 's', metrics: [{ name: 'm', value: 1, extra: 1 }] }),
        'metrics[0].extra',
        false,
      ],
      [
        'withdrawals',
        'effectiveOn not a date',
        fact('2024-07-01', { party: 'BT', effectiveOn: 'soon' }),
        'effectiveOn',
        false,
      ],
      [
        'assessments',
        'score out of scale',
        { occurredAt: '2024-07-01', party: 'NP', score: 2, rationale: 'r' },
        'score',
        false,
      ],
      [
        'assessments',
        'rationale missing',
        { occurredAt: '2024-07-01', party: 'NP', score: 1 },
        'rationale',
        false,
      ],
      ['supersessions', 'supersededBy missing', fact('2024-07-01'), 'supersededBy', false],
      ['deadlines', 'dueDate missing', { reason: 'r' }, 'dueDate', false],
      ['follow-ups', 'reviewOn missing', { note: 'n' }, 'reviewOn', false],
      ['retractions', 'eventId missing', { reason: 'r' }, 'eventId', false],
      ['retractions', 'reason missing', { eventId: '00000000-0000-4000-8000-000000000000' }, 'reason', false],
      ['suspensions', 'reason missing', fact('2024-07-01'), 'reason', false],
    ])(
      'POST /commitments/:id/%s: %s → 400 naming the field',
      async (endpoint, _name, body, field, prefix) => {
        expectFieldError(await post(`/commitments/${id}/${endpoint}`, body), field, prefix);
      },
    );

    it.each([
      ['an unknown field', (deep: Body) => ({ source: { title: 't', extra: deep } })],
      ['the source itself', (deep: Body) => ({ source: deep })],
    ])('answers 400, not 500, for %s nested 5000 levels deep (a 30 KB body)', async (_what, shape) => {
      const depth = 5000;
      const deep = JSON.parse('{"a":'.repeat(depth) + '1' + '}'.repeat(depth)) as Body;
      expectProblem(await post('/commitments', proposal(shape(deep))), 400);
    });

    it('names every failed field at once', async () => {
      const res = await post('/commitments', { title: 'Only a title', kind: 'bogus', extra: true });
      expectFieldError(res, 'kind');
      const fields = (res.body.errors as { field: string }[]).map((e) => e.field);
      expect(fields).toEqual(
        expect.arrayContaining(['kind', 'parties', 'proposedBy', 'occurredAt', 'source', 'extra']),
      );
    });

    it('refuses an Idempotency-Key over 200 characters with 400', async () => {
      const res = await post('/commitments', proposal(), { 'Idempotency-Key': 'k'.repeat(201) });
      expectProblem(res, 400);
    });

    it.each([
      ['asOf', 'last tuesday'],
      ['knownAt', 'not-a-time'],
    ])('GET /commitments/:id refuses %s=%s with 400', async (name, value) => {
      expectFieldError(await get(`/commitments/${id}`, { [name]: value }), name);
    });

    it('415 for a development sent as text/plain', async () => {
      const res = await t.http
        .post(`/commitments/${id}/statements`)
        .set(auth('analyst'))
        .set('Content-Type', 'text/plain')
        .send('a statement');
      expectProblem(res, 415);
    });

    it('404 for a development on an unknown commitment; 409 for a proposal with an existing id', async () => {
      expectProblem(
        await post('/commitments/nobody-proposed-this/progress', fact('2024-07-01', { summary: 's' })),
        404,
      );
      const body = expectProblem(await post('/commitments', proposal({ id })), 409);
      expect(body.detail).toContain(id);
    });
  });

  describe('concurrency and idempotency', () => {
    it('If-Match: the current version appends, a stale one is 412', async () => {
      const id = await propose();
      const statement = fact('2024-03-05', {
        speaker: { name: 'A', party: 'NP' },
        stance: 'notes',
        summary: 's',
      });
      const ok = await develop(id, 'statements', statement, { 'If-Match': '"1"' });
      expect(ok.version).toBe(2);
      expect((await get(`/commitments/${id}`)).headers.etag).toBe('"2"');
      expectProblem(await post(`/commitments/${id}/statements`, statement, { 'If-Match': '"1"' }), 412);
      expectProblem(await post(`/commitments/${id}/statements`, statement, { 'If-Match': '"7"' }), 412);
      expect(await history(id)).toHaveLength(2);
    });

    it('32 parallel POSTs with the same If-Match: exactly one 201, the rest 412', async () => {
      const id = await propose();
      const responses = await Promise.all(
        Array.from({ length: 32 }, (_, i) =>
          post(
            `/commitments/${id}/statements`,
            fact('2024-03-05', {
              speaker: { name: `Speaker ${i}`, party: 'NP' },
              stance: 'notes',
              summary: `s${i}`,
            }),
            { 'If-Match': '"1"' },
          ),
        ),
      );
      const statuses = responses.map((r) => r.status);
      expect(statuses.filter((s) => s === 201)).toHaveLength(1);
      expect(statuses.filter((s) => s === 412)).toHaveLength(31);
      for (const r of responses.filter((x) => x.status === 412)) expectProblem(r, 412);
      expect((await history(id)).map((e) => e.version)).toEqual([1, 2]);
    });

    it('parallel POSTs without If-Match are retried once on the fresh state: 201 or 409, never a gap', async () => {
      const id = await propose();
      const responses = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          post(
            `/commitments/${id}/statements`,
            fact('2024-03-05', {
              speaker: { name: `S${i}`, party: 'BT' },
              stance: 'supports',
              summary: `p${i}`,
            }),
          ),
        ),
      );
      const statuses = responses.map((r) => r.status);
      expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
      expect(statuses.filter((s) => s === 201).length).toBeGreaterThanOrEqual(2);
      const versions = (await history(id)).map((e) => e.version);
      expect(versions).toEqual(Array.from({ length: versions.length }, (_, i) => i + 1));
      expect(versions).toHaveLength(1 + statuses.filter((s) => s === 201).length);
    });

    it('Idempotency-Key: the same key and body answers the first answer again and appends nothing', async () => {
      const id = await propose();
      const key = unique('idem');
      const body = fact('2024-04-01', { summary: 'Progress once' });
      const first = await post(`/commitments/${id}/progress`, body, { 'Idempotency-Key': key });
      expectCreated(first);
      const again = await post(`/commitments/${id}/progress`, body, { 'Idempotency-Key': key });
      expect(again.status).toBe(201);
      expect(again.body).toEqual(first.body);
      expect(await history(id)).toHaveLength(2);
      const other = await post(
        `/commitments/${id}/progress`,
        { ...body, summary: 'Different' },
        { 'Idempotency-Key': key },
      );
      expectProblem(other, 422);
      expect(await history(id)).toHaveLength(2);
    });

    it('Idempotency-Key on POST /commitments: a retry is the first 201, not a 409', async () => {
      const key = unique('idem-propose');
      const body = proposal();
      const first = await post('/commitments', body, { 'Idempotency-Key': key });
      expectCreated(first);
      const retry = await post('/commitments', body, { 'Idempotency-Key': key });
      expect(retry.status).toBe(201);
      expect(retry.body).toEqual(first.body);
    });

    it('the same Idempotency-Key sent 10 times in parallel appends once; all answers identical', async () => {
      const id = await propose();
      const key = unique('idem-race');
      const body = fact('2024-04-01', { summary: 'Raced progress' });
      const responses = await Promise.all(
        Array.from({ length: 10 }, () =>
          post(`/commitments/${id}/progress`, body, { 'Idempotency-Key': key }),
        ),
      );
      expect(responses.map((r) => r.status)).toEqual(Array(10).fill(201));
      for (const r of responses) expect(r.body).toEqual(responses[0].body);
      const events = await history(id);
      expect(events).toHaveLength(2);
      expect(events[1].eventId).toBe(responses[0].body.eventId);
    });
  });

  describe('a lifecycle: the Northern Rivers Water-Sharing Accord', () => {
    it('proposed, adopted, a withdrawal and a rejoining, a missed deadline, compliance — at several asOf/knownAt', async () => {
      const id = unique('northern-rivers-water-sharing');
      const known: Record<string, string> = {};
      const mark = async (name: string) => {
        await pause(20);
        known[name] = new Date().toISOString();
        await pause(20);
      };

      await mark('beforeProposal');
      expectCreated(
        await post(
          '/commitments',
          proposal({
            id,
            title: 'Northern Rivers Water-Sharing Accord',
            kind: 'agreement',
            parties: ['NP', 'BT', 'BD'],
            proposedBy: 'BD',
            topics: ['water', 'transboundary-rivers'],
            summary: 'Dry-season flow allocation among the three riparian states.',
            dueDate: '2024-12-31',
            occurredAt: '2024-02-10T08:30:00+05:45',
            meeting: 'Northern Rivers Commission, 4th session, Kathmandu',
          }),
        ),
      );
      await mark('proposed');
      await develop(
        id,
        'statements',
        fact('2024-03-01', {
          speaker: { name: 'Foreign Secretary', party: 'NP' },
          stance: 'urges',
          summary: 'Urged an early deal.',
        }),
      );
      await develop(
        id,
        'progress',
        fact('2024-04-15', { summary: 'Technical committee agreed flow baselines.' }),
      );
      await mark('negotiating');
      await develop(
        id,
        'adoptions',
        fact('2024-06-20', {
          adoptedBy: ['NP', 'BT', 'BD'],
          documentTitle: 'Northern Rivers Water-Sharing Accord',
        }),
      );
      await mark('adopted');
      await develop(id, 'progress', fact('2024-09-01', { summary: 'Joint gauging stations opened.' }));
      // BT announces a withdrawal that takes effect months later, then rejoins.
      await develop(
        id,
        'withdrawals',
        fact('2025-01-10', { party: 'BT', effectiveOn: '2025-07-01', reason: 'Hydropower dispute' }),
      );
      await mark('withdrawalAnnounced');
      await develop(
        id,
        'deadlines',
        fact('2025-03-20', { dueDate: '2027-12-31', reason: 'Flow tables renegotiated' }),
      );
      await develop(id, 'accessions', fact('2025-09-01', { party: 'BT' }));
      await mark('rejoined');
      await develop(id, 'assessments', {
        occurredAt: '2025-11-30',
        party: 'NP',
        score: 1,
        rationale: 'Released agreed flows',
        period: '2025 final',
      });
      await develop(id, 'assessments', {
        occurredAt: '2025-11-30',
        party: 'BD',
        score: 0,
        rationale: 'Gauges partly shared',
        period: '2025 final',
      });
      await develop(id, 'assessments', {
        occurredAt: '2025-11-30',
        party: 'BT',
        score: -1,
        rationale: 'Withheld data',
        period: '2025 final',
      });
      await develop(id, 'follow-ups', {
        reviewOn: daysFromToday(45),
        note: 'Check the 2026 dry-season release',
      });
      await mark('assessed');

      const now = await view(id);
      expect(now).toMatchObject({
        id,
        status: 'in_progress',
        proposedAt: '2024-02-10T02:45:00.000Z',
        adoptedAt: '2024-06-20T00:00:00.000Z',
        dueDate: '2027-12-31',
        missedDeadlines: 1,
        overdue: false,
        compliance: 0,
        nextReviewOn: daysFromToday(45),
        lastDevelopmentAt: '2025-11-30T00:00:00.000Z',
        version: 12,
        eventCount: 12,
        meeting: 'Northern Rivers Commission, 4th session, Kathmandu',
      });
      expect(participation(now, 'BT')).toMatchObject({ participation: 'active', score: -1 });
      expect(participation(now, 'NP')).toMatchObject({ participation: 'active', stance: 'urges', score: 1 });

      // The world, as it stood.
      expectProblem(await get(`/commitments/${id}`, { asOf: '2024-02-09' }), 404);
      expect((await view(id, { asOf: '2024-03-15' })).status).toBe('proposed');
      expect((await view(id, { asOf: '2024-05-01' })).status).toBe('under_negotiation');
      const julyAdopted = await view(id, { asOf: '2024-07-01' });
      expect(julyAdopted.status).toBe('adopted');
      expect(julyAdopted.overdue).toBe(false);
      const beforeReset = await view(id, { asOf: '2025-02-01' });
      expect(beforeReset.status).toBe('in_progress');
      expect(beforeReset.overdue).toBe(true);
      expect(beforeReset.dueDate).toBe('2024-12-31');
      expect(beforeReset.missedDeadlines).toBe(0);
      expect(participation(beforeReset, 'BT')?.participation).toBe('withdrawing');
      const afterReset = await view(id, { asOf: '2025-04-01' });
      expect(afterReset.missedDeadlines).toBe(1);
      expect(afterReset.overdue).toBe(false);
      const summer = await view(id, { asOf: '2025-08-01' });
      expect(participation(summer, 'BT')).toMatchObject({
        participation: 'withdrawn',
        withdrewAt: '2025-07-01',
      });
      expect(summer.status).toBe('in_progress');
      expect(participation(await view(id, { asOf: '2025-09-02' }), 'BT')?.participation).toBe('active');

      // The record, as it was known.
      expectProblem(await get(`/commitments/${id}`, { knownAt: known.beforeProposal }), 404);
      expect((await view(id, { knownAt: known.proposed })).status).toBe('proposed');
      expect((await view(id, { knownAt: known.negotiating })).status).toBe('under_negotiation');
      const knownWithdrawal = await view(id, { knownAt: known.withdrawalAnnounced });
      expect(knownWithdrawal.status).toBe('in_progress');
      expect(knownWithdrawal.version).toBe(6);
      expect(knownWithdrawal.dueDate).toBe('2024-12-31');
      expect(knownWithdrawal.overdue).toBe(true);
      expect(participation(knownWithdrawal, 'BT')?.participation).toBe('withdrawn');
      expect((await view(id, { knownAt: known.rejoined })).compliance).toBeNull();
      expect((await view(id, { knownAt: known.assessed })).compliance).toBe(0);

      // Both: in August 2025, as known before the rejoining was recorded vs after.
      const augustThen = await view(id, { asOf: '2025-08-01', knownAt: known.withdrawalAnnounced });
      expect(participation(augustThen, 'BT')?.participation).toBe('withdrawn');
      expect(augustThen.dueDate).toBe('2024-12-31');
      const octoberThen = await view(id, { asOf: '2025-10-01', knownAt: known.withdrawalAnnounced });
      expect(participation(octoberThen, 'BT')?.participation).toBe('withdrawn');
      const octoberNow = await view(id, { asOf: '2025-10-01', knownAt: known.rejoined });
      expect(participation(octoberNow, 'BT')?.participation).toBe('active');

      const events = await history(id);
      expect(events).toHaveLength(12);
      expect(events.every((e) => e.retracted === false && e.recordedBy === 'analyst')).toBe(true);
    });
  });

  it('leaves every read model equal to a fresh fold of each commitment, as the audit finds', async () => {
    // Every history above, written through the command path: the inline snapshots included.
    await projectionsLive(t);
    const audit = await verifyOverHttp(t);
    expect(audit.differences).toEqual([]);
    expect(audit.streamsChecked).toBeGreaterThan(20);
  });
});
