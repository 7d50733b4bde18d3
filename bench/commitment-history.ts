import { randomUUID } from 'node:crypto';
import type { EventStore } from '../src/event-store/event-store.js';
import type { NewEvent } from '../src/event-store/event-store.types.js';
import type { CommitmentEvent, PartyCode } from '../src/commitments/domain/commitment.events.js';
import { commitmentStreamId } from '../src/commitments/stream/commitment.stream.js';

/**
 * Generated commitment histories for the projection tests and the rebuild benchmark: many commitments,
 * each a plausible sequence of developments in world order (statements, adoption, progress, deadlines,
 * reviews, withdrawals with future effect, accessions, suspensions, assessments, completions,
 * retractions). Deterministic for a given seed. Dates straddle today, so that overdue items, coming
 * deadlines and pending withdrawals all occur.
 */

const PARTIES: readonly PartyCode[] = [
  'US',
  'VN',
  'MY',
  'KH',
  'TH',
  'CN',
  'ASEAN',
  'EU',
  'JP',
  'IN',
  'AU',
  'ID',
];
const STANCES = ['supports', 'reaffirms', 'urges', 'welcomes', 'notes', 'concerned', 'opposes'] as const;
const DAY_MS = 86_400_000;
const SOURCE = { title: 'Generated record', publisher: 'Generator' };

export interface GeneratedEvent {
  readonly streamId: string;
  readonly event: NewEvent;
}

/** A small, fast, seedable PRNG (mulberry32). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** One commitment's events, `length` of them (at least 1), in world order. */
function commitmentHistory(
  index: number,
  length: number,
  next: () => number,
  todayMs: number,
): GeneratedEvent[] {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
  const id = `gen-${index.toString(36).padStart(4, '0')}`;
  const streamId = commitmentStreamId(id);
  const parties = [...new Set([pick(PARTIES), pick(PARTIES), pick(PARTIES)])];
  // Proposed 1–6 years ago; developments spread from then to about today.
  let at = todayMs - Math.floor((1 + next() * 5) * 365) * DAY_MS;
  const step = Math.max(1, Math.floor((todayMs - at) / DAY_MS / (length + 1)));
  const events: GeneratedEvent[] = [];
  const add = (event: CommitmentEvent, eventId?: string): void => {
    const occurredAt = new Date(at).toISOString();
    events.push({ streamId, event: { type: event.type, data: event.data, occurredAt, eventId } });
    at += Math.max(1, Math.floor(next() * step * 2)) * DAY_MS;
  };

  add({
    type: 'CommitmentProposed',
    data: {
      id,
      title: `Generated commitment ${index}`,
      kind: 'pledge',
      parties,
      proposedBy: parties[0],
      topics: ['generated'],
      source: SOURCE,
      ...(next() < 0.6 ? { dueDate: isoDate(todayMs + Math.floor((next() - 0.5) * 400) * DAY_MS) } : {}),
    },
  });
  const members = new Set(parties);
  let adopted = false;
  let completed = false;
  let suspended = false;
  const retractable: string[] = [];
  while (events.length < length) {
    const roll = next();
    if (roll < 0.25) {
      const eventId = randomUUID();
      add(
        {
          type: 'StatementRecorded',
          data: {
            speaker: { name: 'Speaker', party: pick(PARTIES) },
            stance: pick(STANCES),
            summary: 's',
            source: SOURCE,
          },
        },
        eventId,
      );
      retractable.push(eventId);
    } else if (roll < 0.35 && members.size > 0) {
      add({
        type: 'ComplianceAssessed',
        data: { party: pick([...members]), score: pick([-1, 0, 1] as const), rationale: 'r' },
      });
    } else if (roll < 0.45) {
      const eventId = randomUUID();
      add(
        {
          type: 'FollowUpScheduled',
          data: {
            reviewOn: isoDate(todayMs + Math.floor((next() - 0.3) * 120) * DAY_MS),
            note: `review ${events.length}`,
          },
        },
        eventId,
      );
      retractable.push(eventId);
    } else if (completed || suspended) {
      if (suspended && roll < 0.6) {
        add({ type: 'CommitmentResumed', data: { source: SOURCE } });
        suspended = false;
      } else if (retractable.length > 0 && roll < 0.7) {
        add({
          type: 'EntryRetracted',
          data: { eventId: retractable.shift() as string, reason: 'duplicate' },
        });
      }
      // A completed commitment takes few developments more; the rest of its budget goes to statements.
      else
        add({
          type: 'StatementRecorded',
          data: {
            speaker: { name: 'S', party: pick(PARTIES) },
            stance: 'notes',
            summary: 's',
            source: SOURCE,
          },
        });
    } else if (roll < 0.55) {
      add({ type: 'ProgressReported', data: { summary: 'progress', source: SOURCE } });
    } else if (roll < 0.62 && !adopted) {
      add({ type: 'CommitmentAdopted', data: { adoptedBy: [...members], source: SOURCE } });
      adopted = true;
    } else if (roll < 0.7) {
      add({
        type: 'DeadlineSet',
        data: {
          dueDate: isoDate(todayMs + Math.floor((next() - 0.4) * 300) * DAY_MS),
          reason: 'rescheduled',
        },
      });
    } else if (roll < 0.76 && members.size > 1) {
      const party = pick([...members]);
      members.delete(party);
      const effectiveOn = isoDate(Math.max(at, todayMs + Math.floor((next() - 0.5) * 200) * DAY_MS));
      add({ type: 'PartyWithdrew', data: { party, effectiveOn, source: SOURCE } });
    } else if (roll < 0.82) {
      const party = pick(PARTIES.filter((p) => !members.has(p)));
      members.add(party);
      add({ type: 'PartyJoined', data: { party, source: SOURCE } });
    } else if (roll < 0.86) {
      add({ type: 'CommitmentSuspended', data: { reason: 'dispute', source: SOURCE } });
      suspended = true;
    } else if (roll < 0.9 && retractable.length > 0) {
      add({ type: 'EntryRetracted', data: { eventId: retractable.shift() as string, reason: 'duplicate' } });
    } else if (roll < 0.93 && adopted) {
      add({ type: 'CommitmentCompleted', data: { summary: 'done', source: SOURCE } });
      completed = true;
    } else {
      add({ type: 'ProgressReported', data: { summary: 'more progress', source: SOURCE } });
    }
  }
  return events;
}

/**
 * `totalEvents` events over `commitments` commitments, interleaved across streams the way a busy log is.
 * Each element is one append: one to three consecutive events of one stream.
 */
export function generateHistory(
  commitments: number,
  totalEvents: number,
  seed = 42,
  today = new Date(),
): GeneratedEvent[][] {
  const next = random(seed);
  const todayMs = Date.parse(`${today.toISOString().slice(0, 10)}T00:00:00Z`);
  const perCommitment = Math.max(1, Math.floor(totalEvents / commitments));
  const histories = Array.from({ length: commitments }, (_, index) =>
    commitmentHistory(index, perCommitment + (index < totalEvents % commitments ? 1 : 0), next, todayMs),
  );
  const appends: GeneratedEvent[][] = [];
  const cursors = histories.map(() => 0);
  let remaining = histories.length;
  while (remaining > 0) {
    for (let i = 0; i < histories.length; i++) {
      const history = histories[i];
      if (cursors[i] >= history.length) continue;
      const size = 1 + Math.floor(next() * 3);
      appends.push(history.slice(cursors[i], cursors[i] + size));
      cursors[i] += size;
      if (cursors[i] >= history.length) remaining--;
    }
  }
  return appends;
}

/** Appends a generated history with `concurrency` writers; appends to one stream keep their order. */
export async function appendHistory(
  store: EventStore,
  appends: readonly GeneratedEvent[][],
  concurrency: number,
): Promise<void> {
  // Each writer owns a share of the streams, so the streams' appends stay in order without coordination.
  const shares = Array.from({ length: concurrency }, () => [] as GeneratedEvent[][]);
  for (const append of appends) {
    const streamId = append[0].streamId;
    let hash = 0;
    for (let i = 0; i < streamId.length; i++) hash = (hash * 31 + streamId.charCodeAt(i)) >>> 0;
    shares[hash % concurrency].push(append);
  }
  await Promise.all(
    shares.map(async (share) => {
      for (const append of share) {
        await store.appendToStream(
          append[0].streamId,
          append.map((generated) => generated.event),
          { metadata: { recordedBy: 'generator' } },
        );
      }
    }),
  );
}
