import { CommandBus } from '@nestjs/cqrs';
import fc from 'fast-check';
import type { CommitmentCommand } from '../../src/commitments/domain/commitment.commands.js';
import { decide, decisionStateFromStream } from '../../src/commitments/domain/commitment.decider.js';
import { findIllegalSteps, foldCommitment } from '../../src/commitments/domain/commitment.fold.js';
import { RecordDevelopment } from '../../src/commitments/write/record-development.command.js';
import { CommitmentSnapshotStore } from '../../src/commitments/read-models/commitment-status/commitment-snapshot-store.js';
import {
  commitmentStreamId,
  toRecordedCommitmentEvent,
} from '../../src/commitments/stream/commitment.stream.js';
import { EventStore } from '../../src/event-store/event-store.js';
import {
  commandOf,
  newCursor,
  proposal,
  type Step,
  steps,
  SUCCESSOR_ID,
} from '../support/command-histories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { TEST_ENGINES } from '../support/test-database.js';

const RUNS = 12;
const SEED = Number(process.env.PROPERTY_SEED ?? 20261123);
const NOW = new Date();

type Outcome = { readonly accepted: string } | { readonly refused: string };

/**
 * The write path decides from the commitment's stored snapshot whenever it can. Through the real command
 * handler and store, on each engine, every decision must be the one the full fold of the stream makes,
 * and the stored snapshot after every write must be the fold of the stream — also with writers racing.
 */
describe.each(TEST_ENGINES)('writes decided from the stored snapshot on %s', (engineName) => {
  let t: TestApp;
  let commands: CommandBus;
  let store: EventStore;
  let snapshots: CommitmentSnapshotStore;
  let runs = 0;

  beforeAll(async () => {
    t = await createTestApp(engineName);
    commands = t.app.get(CommandBus);
    store = t.app.get(EventStore);
    snapshots = t.app.get(CommitmentSnapshotStore);
    expect(await record(proposal(SUCCESSOR_ID))).toHaveProperty('accepted');
  });
  afterAll(() => t?.close());

  const history = async (id: string) =>
    (await store.readStream(commitmentStreamId(id))).map(toRecordedCommitmentEvent);

  async function record(command: CommitmentCommand): Promise<Outcome> {
    try {
      const result = await commands.execute(
        new RecordDevelopment(command, { metadata: { recordedBy: 'property-test' } }),
      );
      return { accepted: result.eventId };
    } catch (error) {
      return { refused: `${(error as Error).name}: ${(error as Error).message}` };
    }
  }

  async function expectStoredSnapshotIsTheFold(id: string): Promise<void> {
    expect(await snapshots.storedSnapshot(id)).toEqual(foldCommitment(await history(id)));
  }

  it(`decides every step as the full fold of the stream does (seed ${SEED})`, async () => {
    await fc.assert(
      fc.asyncProperty(steps(25), async (generated: Step[]) => {
        const id = `snapshot-writes-${engineName}-${++runs}`;
        const cursor = newCursor();
        expect(await record(proposal(id, runs % 2 === 0))).toHaveProperty('accepted');
        for (const step of generated) {
          const before = await history(id);
          const command = commandOf(id, step, cursor, before);
          let expected: Outcome;
          try {
            expected = { accepted: decide(command, decisionStateFromStream(before), { now: NOW })[0].type };
          } catch (error) {
            expected = { refused: `${(error as Error).name}: ${(error as Error).message}` };
          }
          const outcome = await record(command);
          if ('accepted' in expected) {
            expect(outcome).toHaveProperty('accepted');
            expect((await history(id)).at(-1)?.event.type).toBe(expected.accepted);
          } else {
            expect(outcome).toEqual(expected);
          }
          await expectStoredSnapshotIsTheFold(id);
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('keeps the stored snapshot equal to the fold, and the history legal, with writers racing', async () => {
    const id = `snapshot-race-${engineName}`;
    expect(await record(proposal(id))).toHaveProperty('accepted');
    const writers = fc.sample(steps(15), { numRuns: 8, seed: SEED });
    await Promise.all(
      writers.map(async (generated) => {
        const cursor = newCursor();
        for (const step of generated) await record(commandOf(id, step, cursor, await history(id)));
      }),
    );
    const events = await history(id);
    expect(events.length).toBeGreaterThan(8);
    expect(events.map((event) => event.version)).toEqual(events.map((_, index) => index + 1));
    expect(findIllegalSteps(events)).toEqual([]);
    await expectStoredSnapshotIsTheFold(id);
  });
});
