import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { EventStore } from '../../src/event-store/event-store.js';
import { ProjectionCheckpoints } from '../../src/projections/projection-checkpoints.js';
import { DEFAULT_RUNNER_OPTIONS, ProjectionRunner } from '../../src/projections/projection-runner.js';
import { openMigratedDatabase, type MigratedDatabase } from '../support/test-database.js';
import {
  logEventIds,
  logSettled,
  RecordingProjection,
  recordedEventIds,
  SILENT_LOGGER,
} from './projection-fixtures.js';

/**
 * Only PostgreSQL can hold one transaction open while others commit: the embedded engine is a single
 * session, where transactions run one after the other and commit in the order they began.
 */
const onPostgres = process.env.TEST_DATABASE_URL ? describe : describe.skip;

onPostgres('commit-safe reading on postgres', () => {
  let db: MigratedDatabase;
  let store: EventStore;

  beforeAll(async () => {
    db = await openMigratedDatabase('postgres');
    store = new EventStore(db.pool);
    await RecordingProjection.createTable(db.pool);
  });
  afterAll(() => db.close());

  it('skips no event of a transaction that stays open while later ones commit', async () => {
    const checkpoints = new ProjectionCheckpoints(db.pool);
    await checkpoints.ensureExist(['recording']);
    const runner = new ProjectionRunner(
      db.pool,
      store,
      checkpoints,
      new RecordingProjection(),
      { ...DEFAULT_RUNNER_OPTIONS, batchSize: 3 },
      SILENT_LOGGER,
    );
    await store.appendToStream('before', [{ type: 'NoteTaken', data: { n: 0 } }]);
    // Applied before the slow transaction opens: another suite's open transaction may hold it back a moment.
    await logSettled(db.pool);
    await runner.catchUp();
    expect(await recordedEventIds(db.pool)).toHaveLength(1);

    // The slow writer draws its position first, then keeps its transaction open.
    const slow = new Client({ connectionString: db.database.env.DATABASE_URL });
    await slow.connect();
    const slowEventId = randomUUID();
    try {
      await slow.query('BEGIN');
      await slow.query(
        `INSERT INTO events (event_id, stream_id, stream_version, type, data, occurred_at)
         VALUES ($1, 'slow', 1, 'NoteTaken', '{"n": 1}', now())`,
        [slowEventId],
      );
      for (let n = 2; n <= 8; n++)
        await store.appendToStream(`fast-${n}`, [{ type: 'NoteTaken', data: { n } }]);

      await runner.catchUp();
      // Everything after the open transaction waits for it, although it committed and has later positions.
      expect(await recordedEventIds(db.pool)).toHaveLength(1);

      await slow.query('COMMIT');
    } finally {
      await slow.end();
    }
    await logSettled(db.pool);
    await runner.catchUp();
    const recorded = await recordedEventIds(db.pool);
    expect(recorded).toHaveLength(9);
    expect(recorded[1]).toBe(slowEventId);
    expect(recorded).toEqual(await logEventIds(store));
  });
});
