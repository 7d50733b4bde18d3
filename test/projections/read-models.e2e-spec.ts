import { TEST_ENGINES } from '../support/test-database.js';
import { bearer, createTestApp, type TestApp } from '../support/test-app.js';
import { eventually, settledReading, verifyOverHttp } from './projection-fixtures.js';

const DAY_MS = 86_400_000;
const day = (offset: number) => new Date(Date.now() + offset * DAY_MS).toISOString().slice(0, 10);
const today = day(0);
const source = { title: 'Joint statement' };

interface FollowUp {
  commitmentId: string;
  title: string;
  status: string;
  reason: string;
  date: string;
  note?: string;
}

describe.each(TEST_ENGINES)('asynchronous read models over HTTP on %s', (engineName) => {
  let app: TestApp;
  const get = (path: string, key: keyof TestApp['keys'] = 'reader') =>
    app.http.get(path).set('Authorization', bearer(app.keys[key]));
  const post = (path: string, body: object, key: keyof TestApp['keys'] = 'analyst') =>
    app.http.post(path).set('Authorization', bearer(app.keys[key])).send(body);

  async function record(path: string, body: object): Promise<void> {
    const res = await post(path, body);
    if (res.status !== 201) throw new Error(`${path}: ${res.status} ${res.text}`);
  }

  async function followUps(query = ''): Promise<FollowUp[]> {
    const res = await get(`/follow-ups${query}`);
    expect(res.status).toBe(200);
    return (res.body as { items: FollowUp[] }).items;
  }

  beforeAll(async () => {
    app = await createTestApp(engineName);
    const propose = (id: string, extra: object) =>
      record('/commitments', {
        id,
        title: `Title of ${id}`,
        kind: 'pledge',
        parties: ['VN', 'US'],
        proposedBy: 'VN',
        occurredAt: '2024-03-01',
        source,
        ...extra,
      });
    await propose('coming-deadline', { dueDate: day(10) });
    await record('/commitments/coming-deadline/follow-ups', {
      reviewOn: day(5),
      note: 'Check the interim report',
    });
    await propose('overdue-one', { dueDate: day(-3) });
    await propose('completed-one', { dueDate: day(2) });
    await record('/commitments/completed-one/adoptions', {
      adoptedBy: ['VN', 'US'],
      witnessedBy: ['MY'],
      occurredAt: '2024-05-01',
      source,
    });
    await record('/commitments/completed-one/completions', { occurredAt: '2024-09-01', source });
    await propose('all-leaving', { dueDate: day(25), parties: ['KH', 'TH'], proposedBy: 'KH' });
    for (const party of ['KH', 'TH']) {
      await record('/commitments/all-leaving/withdrawals', {
        party,
        effectiveOn: day(20),
        occurredAt: today,
        source,
      });
    }
    await record('/commitments/all-leaving/statements', {
      speaker: { name: 'Foreign Minister', party: 'KH' },
      stance: 'concerned',
      summary: 'Leaving',
      occurredAt: today,
      source,
    });
    await record('/commitments/completed-one/statements', {
      speaker: { name: 'Spokesperson', party: 'MY' },
      stance: 'welcomes',
      summary: 'Welcomes the completion',
      occurredAt: today,
      source,
    });
  });
  afterAll(() => app?.close());

  it('lists overdue commitments, coming deadlines and reviews, earliest first', async () => {
    const expected = [
      {
        commitmentId: 'overdue-one',
        title: 'Title of overdue-one',
        status: 'proposed',
        reason: 'overdue',
        date: day(-3),
      },
      {
        commitmentId: 'coming-deadline',
        title: 'Title of coming-deadline',
        status: 'proposed',
        reason: 'review',
        date: day(5),
        note: 'Check the interim report',
      },
      {
        commitmentId: 'coming-deadline',
        title: 'Title of coming-deadline',
        status: 'proposed',
        reason: 'deadline',
        date: day(10),
      },
      {
        commitmentId: 'all-leaving',
        title: 'Title of all-leaving',
        status: 'proposed',
        reason: 'deadline',
        date: day(25),
      },
    ];
    expect(await settledReading(() => followUps(), expected)).toEqual(expected);
    expect(await followUps(`?before=${day(6)}`)).toEqual(expected.slice(0, 2));
    expect(await followUps(`?before=${day(-3)}`)).toEqual([]);
  });

  it("shows a party's commitments with participation, stance and score as of today", async () => {
    const expected = {
      party: 'KH',
      commitments: [
        {
          commitmentId: 'all-leaving',
          title: 'Title of all-leaving',
          status: 'proposed',
          participation: 'withdrawing',
          stance: 'concerned',
          roles: ['party', 'proposer', 'speaker'],
        },
      ],
    };
    expect(await settledReading(async () => (await get('/parties/KH')).body, expected)).toEqual(expected);
    expect((await get('/parties/NOBODY')).body).toEqual({ party: 'NOBODY', commitments: [] });
  });

  it('lists the commitments a party proposed, witnessed or spoke on without being a party to them', async () => {
    const my = {
      party: 'MY',
      commitments: [
        {
          commitmentId: 'completed-one',
          title: 'Title of completed-one',
          status: 'completed',
          stance: 'welcomes',
          roles: ['witness', 'speaker'],
        },
      ],
    };
    expect(await settledReading(async () => (await get('/parties/MY')).body, my)).toEqual(my);
    const vn = (await get('/parties/VN')).body as {
      commitments: { commitmentId: string; roles: string[] }[];
    };
    expect(vn.commitments.map((c) => [c.commitmentId, c.roles])).toEqual([
      ['coming-deadline', ['party', 'proposer']],
      ['completed-one', ['party', 'proposer']],
      ['overdue-one', ['party', 'proposer']],
    ]);
  });

  it('serves the global feed in commit-safe order, page by page', async () => {
    // Commit-safe reads can lag behind another suite's open transaction (xids are cluster-wide).
    const all = await eventually(async () => {
      const current = await get('/events?limit=1000');
      return current.body.events?.length === 11 ? current : undefined;
    });
    expect(all.status).toBe(200);
    const events = all.body.events as {
      position: string;
      streamId: string;
      version: number;
      recordedBy: string;
    }[];
    expect(events).toHaveLength(11);
    expect(events[0]).toEqual(
      expect.objectContaining({
        streamId: 'commitment-coming-deadline',
        version: 1,
        type: 'CommitmentProposed',
        recordedBy: 'analyst',
        position: expect.stringMatching(/^\d+-\d+$/),
      }),
    );
    expect(all.body.lastPosition).toBe(events[events.length - 1].position);

    const first = await get('/events?limit=4');
    const rest = await get(`/events?after=${first.body.lastPosition}&limit=1000`);
    expect([...first.body.events, ...rest.body.events]).toEqual(events);
    const none = await get(`/events?after=${all.body.lastPosition}`);
    expect(none.body).toEqual({ events: [], lastPosition: all.body.lastPosition });
  });

  it('refuses malformed parameters with problem+json', async () => {
    for (const path of [
      '/events?after=12',
      '/events?after=abc-1',
      '/events?limit=0',
      '/events?limit=1001',
      '/events?unknown=1',
      '/follow-ups?before=2025-02-30',
      '/parties/not-a-party',
    ]) {
      const res = await get(path);
      expect([path, res.status]).toEqual([path, 400]);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
  });

  it('lets admins see the projections and rebuild them into the same read models', async () => {
    expect((await get('/admin/projections')).status).toBe(403);
    expect((await post('/admin/projections/rebuild', {})).status).toBe(403);
    const before = { followUps: await followUps(), kh: (await get('/parties/KH')).body };

    const overview = await eventually(async () => {
      const res = await get('/admin/projections', 'admin');
      const live = res.body.projections.every((p: { state: string }) => p.state === 'live');
      return live ? res.body : undefined;
    });
    expect(overview.projections.map((p: { name: string }) => p.name)).toEqual([
      'follow-ups',
      'party-commitments',
    ]);
    for (const projection of overview.projections) {
      expect(projection).toEqual(
        expect.objectContaining({
          state: 'live',
          lag: { events: 0, seconds: 0 },
          checkpoint: expect.objectContaining({ position: expect.stringMatching(/^\d+-\d+$/) }),
          runner: { instance: overview.instance, here: true },
        }),
      );
    }

    const accepted = await post('/admin/projections/rebuild', {}, 'admin');
    expect(accepted.status).toBe(202);
    const job = await eventually(async () => {
      const res = await get(`/admin/projections/jobs/${accepted.body.jobId}`, 'admin');
      expect(res.status).toBe(200);
      return res.body.state === 'completed' ? res.body : undefined;
    });
    expect(job).toEqual(
      expect.objectContaining({
        requestedBy: 'admin',
        appliedEvents: job.totalEvents,
        finishedAt: expect.any(String),
      }),
    );
    expect({ followUps: await followUps(), kh: (await get('/parties/KH')).body }).toEqual(before);
    const audit = await verifyOverHttp(app);
    expect(audit.readModels.map((model) => [model.name, model.streamsCompared, model.differences])).toEqual([
      ['commitment_status', 4, 0],
      ['follow-ups', 4, 0],
      ['party-commitments', 4, 0],
    ]);

    expect((await get('/admin/projections/jobs/00000000-0000-4000-8000-000000000000', 'admin')).status).toBe(
      404,
    );
    expect((await get('/admin/projections/jobs/not-a-uuid', 'admin')).status).toBe(400);
  });
});
