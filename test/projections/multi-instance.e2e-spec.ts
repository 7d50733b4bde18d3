import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { bearer, createTestApp, type TestApp } from '../support/test-app.js';
import { daysFromToday, proposal } from '../e2e/e2e-fixtures.js';
import { eventually, projectionsLive, verifyOverHttp } from './projection-fixtures.js';

/** Leadership is a PostgreSQL matter: the embedded engine serves one process. */
const onPostgres = process.env.TEST_DATABASE_URL ? describe : describe.skip;

interface Overview {
  instance: string;
  projections: { name: string; state: string; runner: { instance: string | null; here: boolean } }[];
}

onPostgres('two app instances on one PostgreSQL', () => {
  let database: TestDatabase;
  let first: TestApp;
  let second: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    first = await createTestApp('postgres', {}, { database });
    second = await createTestApp('postgres', {}, { database });
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
    await database?.drop();
  });

  async function overview(app: TestApp): Promise<Overview> {
    const res = await app.http.get('/admin/projections').set('Authorization', bearer(app.keys.admin));
    expect(res.status).toBe(200);
    return res.body as Overview;
  }

  it('runs each projection on exactly one of them, and the other takes over within 5 s when it dies', async () => {
    const [a, b] = await eventually(async () => {
      const views = [await overview(first), await overview(second)];
      return views[0].projections.every((p) => p.runner.instance !== null) ? views : undefined;
    }, 10_000);
    expect(a.instance).not.toBe(b.instance);
    for (const projection of a.projections) {
      const there = b.projections.find((p) => p.name === projection.name);
      // Exactly one of the two says "here", and both name the same runner.
      expect([projection.runner.here, there?.runner.here].filter(Boolean)).toHaveLength(1);
      expect(there?.runner.instance).toBe(projection.runner.instance);
      expect([a.instance, b.instance]).toContain(projection.runner.instance);
    }

    // Kill the instance that runs the follow-ups: its leadership session is cut off at the server, as
    // when its process or host dies, and the instance stops at once.
    const followUps = a.projections.find((p) => p.name === 'follow-ups');
    const [victim, survivor, victimId] =
      followUps?.runner.instance === a.instance ? [first, second, a.instance] : [second, first, b.instance];
    const admin = new Client({ connectionString: database.env.DATABASE_URL });
    await admin.connect();
    try {
      const { rowCount } = await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1`,
        [`projections ${victimId}`],
      );
      expect(rowCount).toBe(1);
    } finally {
      await admin.end();
    }
    const killedAt = Date.now();
    await victim.close();

    const after = await eventually(
      async () => {
        const view = await overview(survivor);
        return view.projections.every((p) => p.runner.here) ? view : undefined;
      },
      5_000,
      25,
    );
    expect(Date.now() - killedAt).toBeLessThan(5_000);
    expect(after.projections.map((p) => p.runner.instance)).toEqual(
      after.projections.map(() => after.instance),
    );

    // And it projects: a new commitment with a due date reaches the follow-up queue.
    const created = await survivor.http
      .post('/commitments')
      .set('Authorization', bearer(survivor.keys.analyst))
      .send(proposal({ id: 'takeover-check', dueDate: daysFromToday(7) }));
    expect(created.status).toBe(201);
    await eventually(async () => {
      const res = await survivor.http.get('/follow-ups').set('Authorization', bearer(survivor.keys.reader));
      const items = (res.body as { items: { commitmentId: string }[] }).items;
      return items.some((item) => item.commitmentId === 'takeover-check') ? true : undefined;
    });
    // Nothing was lost or applied twice across the handover.
    await projectionsLive(survivor);
    const audit = await verifyOverHttp(survivor);
    expect([audit.streamsChecked, audit.differenceCount]).toEqual([1, 0]);
    expect(audit.readModels.every((model) => model.streamsCompared === 1)).toBe(true);
  });
});
