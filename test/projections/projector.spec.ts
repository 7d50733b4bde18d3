import { EventStore } from '../../src/event-store/event-store.js';
import { ProjectionCheckpoints } from '../../src/projections/projection-checkpoints.js';
import { ProjectionRunner, DEFAULT_RUNNER_OPTIONS } from '../../src/projections/projection-runner.js';
import { ProjectionRebuilds } from '../../src/projections/projection-rebuilds.js';
import { ReadModelVerifier } from '../../src/projections/read-model-verifier.js';
import {
  DEFAULT_SUPERVISOR_OPTIONS,
  ProjectionSupervisor,
} from '../../src/projections/projection-supervisor.js';
import { FollowUpsQueries } from '../../src/commitments/read-models/follow-ups/follow-ups.queries.js';
import { PartyCommitmentsQueries } from '../../src/commitments/read-models/parties/party-commitments.queries.js';
import { commitmentStreamId } from '../../src/commitments/stream/commitment.stream.js';
import { appendHistory, generateHistory } from '../../bench/commitment-history.js';
import { openMigratedDatabase, TEST_ENGINES, type MigratedDatabase } from '../support/test-database.js';
import {
  commitmentReadModelProjections,
  dumpReadModels,
  eventually,
  expectedReadModels,
  logEventIds,
  logSettled,
  RecordingProjection,
  recordedEventIds,
  SILENT_LOGGER,
} from './projection-fixtures.js';

const note = (n: number) => ({ type: 'NoteTaken', data: { n } });

describe.each(TEST_ENGINES)('catch-up projector on %s', (engineName) => {
  let db: MigratedDatabase;
  let store: EventStore;
  let checkpoints: ProjectionCheckpoints;

  beforeAll(async () => {
    db = await openMigratedDatabase(engineName);
    store = new EventStore(db.pool);
    checkpoints = new ProjectionCheckpoints(db.pool);
    await RecordingProjection.createTable(db.pool);
  });
  afterAll(() => db.close());

  it('resumes a projector that died mid-batch without losing or repeating an event', async () => {
    for (let i = 0; i < 60; i++) await store.appendToStream(`s-${i % 7}`, [note(i)]);
    await checkpoints.ensureExist(['recording']);
    const projection = new RecordingProjection();
    const options = { ...DEFAULT_RUNNER_OPTIONS, batchSize: 8 };
    const first = new ProjectionRunner(db.pool, store, checkpoints, projection, options, SILENT_LOGGER);
    await logSettled(db.pool);
    expect((await first.applyNextBatch()).kind).toBe('applied');
    expect((await first.applyNextBatch()).kind).toBe('applied');
    projection.failNextWrite = true;
    await expect(first.applyNextBatch()).rejects.toThrow('died in the middle of the batch');
    // The half-written batch was rolled back with its checkpoint: 16 events recorded, not 20.
    expect(await recordedEventIds(db.pool)).toHaveLength(16);

    // A fresh runner, as after a restart, takes over from the stored checkpoint.
    const restarted = new ProjectionRunner(
      db.pool,
      store,
      checkpoints,
      new RecordingProjection(),
      options,
      SILENT_LOGGER,
    );
    await logSettled(db.pool);
    await restarted.catchUp();
    expect(await recordedEventIds(db.pool)).toEqual(await logEventIds(store));
    expect((await checkpoints.read('recording')).eventsApplied).toBe(60);
  });

  it('keeps the read models equal to a rebuild and to a fresh fold, on 10,000 events of 500 commitments', async () => {
    const supervisor = new ProjectionSupervisor(
      db.pool,
      store,
      db.engine,
      { ...DEFAULT_SUPERVISOR_OPTIONS, batchSize: 1000, idlePollMs: 200 },
      SILENT_LOGGER,
    );
    for (const projection of commitmentReadModelProjections(db.pool, store)) supervisor.register(projection);
    await supervisor.start();
    try {
      // Live: the projectors run while the history is being written.
      const history = generateHistory(500, 10_000, 7);
      await appendHistory(store, history, engineName === 'postgres' ? 8 : 1);
      const streamIds = [...new Set(history.flat().map((generated) => generated.streamId))];
      expect(history.flat()).toHaveLength(10_000);
      expect(streamIds).toHaveLength(500);
      await caughtUp(supervisor);
      const live = await dumpReadModels(db.pool);
      expect(live).toEqual(await expectedReadModels(store, streamIds));
      expect(live.followUps.length).toBeGreaterThan(500);
      expect(live.partyCommitments.length).toBeGreaterThan(1000);

      // The audit finds nothing in the live read models, then exactly the two rows spoilt on purpose.
      const verifier = new ReadModelVerifier(db.pool, store, supervisor);
      const clean = await verifier.verify();
      expect(clean).toEqual(
        expect.objectContaining({ streamsChecked: 500, streamsChanged: 0, differenceCount: 0 }),
      );
      expect(clean.readModels.map((m) => [m.name, m.streamsCompared, m.streamsBehind])).toEqual([
        ['follow-ups', 500, 0],
        ['party-commitments', 500, 0],
      ]);
      expect((await verifier.verify({ sample: 25 })).streamsChecked).toBe(25);
      const {
        rows: [spoilt],
      } = await db.pool.query<{ commitment_id: string; kind: string; date: string }>(
        `UPDATE follow_up_items SET title = 'Tampered'
         WHERE ctid = (SELECT ctid FROM follow_up_items ORDER BY commitment_id DESC, kind, date LIMIT 1)
         RETURNING commitment_id, kind, date::text AS date`,
      );
      const {
        rows: [lost],
      } = await db.pool.query<{ commitment_id: string; party: string }>(
        `DELETE FROM party_commitments
         WHERE ctid = (SELECT ctid FROM party_commitments ORDER BY commitment_id, party LIMIT 1)
         RETURNING commitment_id, party`,
      );
      const found = await verifier.verify();
      expect(found.differenceCount).toBe(2);
      expect(found.differences).toEqual([
        expect.objectContaining({
          streamId: commitmentStreamId(lost.commitment_id),
          readModel: 'party-commitments',
          kind: 'missing_row',
          row: `party=${lost.party}`,
        }),
        expect.objectContaining({
          streamId: commitmentStreamId(spoilt.commitment_id),
          readModel: 'follow-ups',
          kind: 'different_values',
          row: expect.stringContaining(`kind=${spoilt.kind}, date=${spoilt.date}`),
          fields: [
            { field: 'title', stored: 'Tampered', expected: expect.stringMatching(/^Generated commitment/) },
          ],
        }),
      ]);

      const rebuilds = new ProjectionRebuilds(db.pool, supervisor);
      const { jobId } = await rebuilds.request('test');
      supervisor.announceNewEvents();
      const progress = await eventually(async () => {
        const current = await rebuilds.progress(jobId);
        return current?.state === 'completed' ? current : undefined;
      });
      expect(progress.appliedEvents).toBe(progress.totalEvents);
      expect(progress.totalEvents).toBeGreaterThanOrEqual(10_000);
      expect(await dumpReadModels(db.pool)).toEqual(live);
      expect((await verifier.verify()).differenceCount).toBe(0);
    } finally {
      await supervisor.stop();
    }
  }, 180_000);

  it('answers for the day it is read, not the day the events were projected', async () => {
    const proposal = (id: string, dueDate: string, parties: string[]) => ({
      type: 'CommitmentProposed',
      data: {
        id,
        title: id,
        kind: 'pledge',
        parties,
        proposedBy: parties[0],
        dueDate,
        source: { title: 't' },
      },
      occurredAt: '2025-01-01',
    });
    await store.appendToStream(commitmentStreamId('dated-a'), [
      proposal('dated-a', '2025-06-10', ['VN', 'US']),
      {
        type: 'FollowUpScheduled',
        data: { reviewOn: '2025-06-05', note: 'interim' },
        occurredAt: '2025-01-02',
      },
    ]);
    await store.appendToStream(commitmentStreamId('dated-w'), [
      proposal('dated-w', '2025-06-25', ['KH']),
      {
        type: 'PartyWithdrew',
        data: { party: 'KH', effectiveOn: '2025-06-20', source: { title: 't' } },
        occurredAt: '2025-01-03',
      },
    ]);
    const supervisor = new ProjectionSupervisor(
      db.pool,
      store,
      db.engine,
      DEFAULT_SUPERVISOR_OPTIONS,
      SILENT_LOGGER,
    );
    for (const projection of commitmentReadModelProjections(db.pool, store)) supervisor.register(projection);
    await supervisor.checkpoints.ensureExist(supervisor.projections.map((p) => p.name));
    await logSettled(db.pool);
    for (const projection of supervisor.projections) await supervisor.runner(projection.name).catchUp();

    const followUps = new FollowUpsQueries(db.pool);
    const dated = async (today: string) =>
      (await followUps.followUps(today, '2025-12-31'))
        .filter((item) => item.commitmentId.startsWith('dated-'))
        .map((item) => `${item.commitmentId} ${item.reason} ${item.date} ${item.status}`);
    expect(await dated('2025-06-01')).toEqual([
      'dated-a review 2025-06-05 proposed',
      'dated-a deadline 2025-06-10 proposed',
      'dated-w deadline 2025-06-25 proposed',
    ]);
    // Ten days on, with nothing re-projected: the review is past, the deadline overdue.
    expect(await dated('2025-06-11')).toEqual([
      'dated-a overdue 2025-06-10 proposed',
      'dated-w deadline 2025-06-25 proposed',
    ]);
    // Once every party's withdrawal has taken effect, the commitment is withdrawn and owes nothing.
    expect(await dated('2025-06-26')).toEqual(['dated-a overdue 2025-06-10 proposed']);

    const parties = new PartyCommitmentsQueries(db.pool);
    const datedOf = async (party: string, today: string) =>
      (await parties.commitmentsOf(party, today)).filter((c) => c.commitmentId.startsWith('dated-'));
    expect(await datedOf('KH', '2025-06-19')).toEqual([
      {
        commitmentId: 'dated-w',
        title: 'dated-w',
        status: 'proposed',
        participation: 'withdrawing',
        roles: ['party', 'proposer'],
      },
    ]);
    expect(await datedOf('KH', '2025-06-20')).toEqual([
      {
        commitmentId: 'dated-w',
        title: 'dated-w',
        status: 'withdrawn',
        participation: 'withdrawn',
        roles: ['party', 'proposer'],
      },
    ]);
  });

  async function caughtUp(supervisor: ProjectionSupervisor): Promise<void> {
    await eventually(async () => {
      for (const projection of supervisor.projections) {
        const checkpoint = await supervisor.checkpoints.read(projection.name);
        if ((await supervisor.checkpoints.lag(checkpoint.position)).events > 0) return undefined;
      }
      return true;
    }, 60_000);
  }
});
