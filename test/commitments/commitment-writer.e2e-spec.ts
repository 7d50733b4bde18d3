import type { Pool } from 'pg';
import type { CommitmentCommand } from '../../src/commitments/domain/commitment.commands.js';
import { foldCommitment } from '../../src/commitments/domain/commitment.fold.js';
import type { CommitmentSnapshot } from '../../src/commitments/domain/commitment.snapshot.js';
import {
  COMMITMENT_STATUS_READ_MODEL,
  commitmentStatusRow,
} from '../../src/commitments/read-models/commitment-status/commitment-status.projection.js';
import {
  commitmentStreamId,
  toRecordedCommitmentEvent,
} from '../../src/commitments/stream/commitment.stream.js';
import { CommitmentWriter } from '../../src/commitments/write/commitment-writer.js';
import { PG_POOL } from '../../src/database/database.module.js';
import { EventStore } from '../../src/event-store/event-store.js';
import { canonical } from '../../src/projections/row-differences.js';
import { sourceStreamId } from '../../src/sources/source.events.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { TEST_ENGINES } from '../support/test-database.js';

const source = { title: 'Wire report' };
const metadata = { recordedBy: 'analyst' };

const proposal = (id: string): CommitmentCommand => ({
  type: 'ProposeCommitment',
  data: {
    commitmentId: id,
    title: `Commitment ${id}`,
    kind: 'pledge',
    parties: ['US', 'VN'],
    proposedBy: 'US',
    occurredAt: '2024-01-01',
    source,
  },
});

const statement = (id: string, day: number): CommitmentCommand => ({
  type: 'RecordStatement',
  data: {
    commitmentId: id,
    occurredAt: `2024-02-${String(day).padStart(2, '0')}`,
    source,
    speaker: { name: `Speaker ${day}`, party: 'US' },
    stance: 'supports',
    summary: `Statement ${day}`,
  },
});

/**
 * No writer hands the store a row: the commitments' stream kind derives `commitment_status` from the
 * snapshot the writer passes, and the store refuses an append to a kind with inline read models that
 * gives it nothing to derive them from.
 */
describe.each(TEST_ENGINES)('the store derives the inline rows of a stream kind on %s', (engineName) => {
  let t: TestApp;
  let writer: CommitmentWriter;
  let store: EventStore;
  let pool: Pool;

  beforeAll(async () => {
    t = await createTestApp(engineName);
    writer = t.app.get(CommitmentWriter);
    store = t.app.get(EventStore);
    pool = t.app.get<Pool>(PG_POOL);
  });
  afterAll(() => t?.close());

  /** The stored `commitment_status` row, and the row the fold of the stream gives. */
  async function storedAndFolded(id: string) {
    const streamId = commitmentStreamId(id);
    const stored = (await COMMITMENT_STATUS_READ_MODEL.readRows(pool, [streamId])).get(streamId);
    const events = (await store.readStream(streamId)).map(toRecordedCommitmentEvent);
    const folded = foldCommitment(events) as CommitmentSnapshot;
    return { stored, expected: commitmentStatusRow(folded), events };
  }

  it('leaves commitment_status equal to the fold after one command and after a sequence, with no row passed', async () => {
    const id = `derived-${engineName}`;
    await writer.record(proposal(id), { metadata, causationId: 'test-1' });
    await writer.record(statement(id, 3), { metadata, causationId: 'test-2' });
    const outcomes = await writer.sequence({ recordedBy: 'analyst', correlationId: 'job' }).record(
      [statement(id, 5), statement(id, 4), statement(id, 6)].map((command, index) => ({
        line: index + 1,
        command,
        generatedId: false,
        idempotency: { key: `derived-${engineName}-${index}`, requestHash: `hash-${index}` },
      })),
    );
    expect(outcomes.map(({ outcome }) => outcome.status)).toEqual(['appended', 'appended', 'appended']);
    const { stored, expected, events } = await storedAndFolded(id);
    expect(events).toHaveLength(5);
    expect(expected.version).toBe(5);
    // Compared as the read-model audit compares them.
    expect(canonical(stored)).toEqual(canonical([expected]));
  });

  it('refuses, loudly and storing nothing, an append to a kind with inline rows that passes no state', async () => {
    const id = `underived-${engineName}`;
    await writer.record(proposal(id), { metadata, causationId: 'test-3' });
    const before = await storedAndFolded(id);
    await expect(
      store.appendToStream(
        commitmentStreamId(id),
        [{ type: 'StatementRecorded', data: { summary: 'bypassing the writer' }, occurredAt: '2024-03-01' }],
        { expectedVersion: 1, metadata },
      ),
    ).rejects.toThrow(
      `append to ${commitmentStreamId(id)} refused: its stream kind (commitment-) keeps the inline read model(s) commitment_status`,
    );
    await expect(
      store.appendToStream(sourceStreamId('s-underived'), [
        { type: 'SourceRegistered', data: { id: 's-underived', title: 'Bypassed' } },
      ]),
    ).rejects.toThrow(/its stream kind \(source-\) keeps the inline read model\(s\) sources/);
    expect(await store.streamVersion(sourceStreamId('s-underived'))).toBe(0);
    const after = await storedAndFolded(id);
    expect(after.events).toHaveLength(1);
    expect(after.stored).toEqual(before.stored);
  });
});
