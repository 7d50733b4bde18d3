import { ServerProcess } from '../support/server-process.js';
import { TEST_KEYS } from '../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

/** The embedded engine always has a pool of one (every other suite starts on it); this is PostgreSQL's case. */
const onPostgres = process.env.TEST_DATABASE_URL ? describe : describe.skip;

/** Start-up takes a few seconds; a start-up that waits for a connection it holds itself never ends. */
const START_TIMEOUT_MS = 45_000;

onPostgres('migrations with a pool of one connection (DATABASE_POOL_SIZE=1, real server)', () => {
  let database: TestDatabase;
  const servers: ServerProcess[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('postgres', { from: 'empty' });
  });
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await database?.drop();
  });

  it('two instances starting together on an empty database both migrate, start and serve', async () => {
    const env = {
      DATABASE_URL: database.env.DATABASE_URL,
      DATABASE_POOL_SIZE: '1',
      API_KEYS: `analyst:analyst:${TEST_KEYS.analyst}`,
      SEED: 'false',
    };
    const started = await Promise.allSettled([
      ServerProcess.start(env, START_TIMEOUT_MS),
      ServerProcess.start(env, START_TIMEOUT_MS),
    ]);
    for (const result of started) if (result.status === 'fulfilled') servers.push(result.value);
    expect(
      started.map((result) => (result.status === 'rejected' ? String(result.reason) : 'listening')),
    ).toEqual(['listening', 'listening']);

    const [first, second] = servers;
    expect((await fetch(`${first.url}/health`)).status).toBe(200);
    const created = await fetch(`${first.url}/commitments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_KEYS.analyst}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        id: 'one-connection',
        title: 'Served through one connection',
        kind: 'pledge',
        parties: ['NP'],
        proposedBy: 'NP',
        occurredAt: '2024-03-01',
        source: { title: 'Communiqué' },
      }),
    });
    expect(created.status).toBe(201);
    const read = await fetch(`${second.url}/commitments/one-connection`, {
      headers: { authorization: `Bearer ${TEST_KEYS.analyst}` },
    });
    expect(read.status).toBe(200);
  }, 120_000);
});
