import fc from 'fast-check';
import type { CommitmentCommand } from '../../src/commitments/domain/commitment.commands.js';
import {
  type DecisionState,
  decide,
  evolve,
  needsHistory,
  decisionStateFromSnapshot,
  decisionStateFromStream,
} from '../../src/commitments/domain/commitment.decider.js';
import type {
  CommitmentEvent,
  RecordedCommitmentEvent,
} from '../../src/commitments/domain/commitment.events.js';
import { foldCommitment } from '../../src/commitments/domain/commitment.fold.js';
import type { CommitmentSnapshot } from '../../src/commitments/domain/commitment.snapshot.js';
import { toIsoInstant } from '../../src/commitments/domain/shared/world-time.js';
import { commandOf, newCursor, proposal, steps } from '../support/command-histories.js';

const NOW = new Date('2026-06-01T12:00:00.000Z');
const RUNS = 300;
const SEED = Number(process.env.PROPERTY_SEED ?? 20261123);

type Outcome = { readonly accepted: readonly CommitmentEvent[] } | { readonly refused: string };

function outcomeOf(command: CommitmentCommand, state: DecisionState): Outcome {
  try {
    return { accepted: decide(command, state, { now: NOW }) };
  } catch (error) {
    return { refused: `${(error as Error).name}: ${(error as Error).message}` };
  }
}

/** The state the write path decides from: the stored snapshot, unless the command needs the stream. */
function writePathState(command: CommitmentCommand, stored: CommitmentSnapshot | null, full: DecisionState) {
  if (stored === null) return full;
  const fromSnapshot = decisionStateFromSnapshot(stored);
  return needsHistory(command, fromSnapshot) ? full : fromSnapshot;
}

describe('deciding from the stored snapshot', () => {
  it(`decides and folds exactly as the full fold does, for every prefix of generated histories (seed ${SEED})`, () => {
    const taken = { stream: 0, acceptedFromSnapshot: 0, refusedFromSnapshot: 0 };
    fc.assert(
      fc.property(fc.boolean(), steps(40), (treaty, generated) => {
        const id = 'generated';
        const cursor = newCursor();
        const events: RecordedCommitmentEvent[] = [];
        let stored: CommitmentSnapshot | null = null;
        for (const command of [
          proposal(id, treaty),
          ...generated.map((step) => commandOf(id, step, cursor, events)),
        ]) {
          const full = decisionStateFromStream(events);
          const used = writePathState(command, stored, full);
          const expected = outcomeOf(command, full);
          expect(outcomeOf(command, used)).toEqual(expected);
          if (used.history !== 'unread') taken.stream++;
          else if ('accepted' in expected) taken.acceptedFromSnapshot++;
          else taken.refusedFromSnapshot++;
          if (!('accepted' in expected)) continue;
          const recorded: RecordedCommitmentEvent = {
            eventId: `e${events.length + 1}`,
            version: events.length + 1,
            occurredAt: toIsoInstant(command.data.occurredAt),
            recordedAt: new Date(NOW.getTime() + events.length).toISOString(),
            event: expected.accepted[0],
          };
          const next = evolve(used, recorded).current;
          events.push(recorded);
          expect(next).toEqual(foldCommitment(events));
          expect(evolve(full, recorded).current).toEqual(next);
          stored = next;
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );
    // The property says something only if every path was taken, many times.
    expect(Math.min(taken.stream, taken.acceptedFromSnapshot, taken.refusedFromSnapshot)).toBeGreaterThan(
      RUNS,
    );
  });

  it('needs the stream exactly for retractions and entries dated before the end of world order', () => {
    const cursor = newCursor();
    const start = decisionStateFromStream([]);
    const proposed = evolve(start, {
      eventId: 'e1',
      version: 1,
      occurredAt: '2024-01-01T00:00:00.000Z',
      recordedAt: NOW.toISOString(),
      event: decide(proposal('p'), start, { now: NOW })[0],
    });
    const fromSnapshot = decisionStateFromSnapshot(proposed.current as CommitmentSnapshot);
    const statement = (days: number) =>
      commandOf('p', { kind: 'statement', days, pick: 0, option: false }, { ...cursor }, []);
    expect(needsHistory(statement(0), fromSnapshot)).toBe(false);
    expect(needsHistory(statement(3), fromSnapshot)).toBe(false);
    expect(needsHistory(statement(-1), fromSnapshot)).toBe(true);
    const retraction = commandOf(
      'p',
      { kind: 'retract', days: 5, pick: 0, option: false },
      { ...cursor },
      [],
    );
    expect(needsHistory(retraction, fromSnapshot)).toBe(true);
    expect(() => decide(retraction, fromSnapshot, { now: NOW })).toThrow(/read the stream/);
  });
});
