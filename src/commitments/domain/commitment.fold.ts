import type { RecordedCommitmentEvent } from './commitment.events.js';
import { apply, applyInPlace, type CommitmentSnapshot, type WorkingSnapshot } from './commitment.snapshot.js';
import type { Refusal } from './shared/refusal.js';
import { inclusiveUpperBoundMs, instantMs } from './shared/world-time.js';
import { checkTransition } from './transitions.js';

/** Corrections of the record, rather than developments in the world: they have no place in world order. */
function correctsTheRecord(recorded: RecordedCommitmentEvent): boolean {
  return recorded.event.type === 'EntryRetracted' || recorded.event.type === 'ProposalCorrected';
}

/**
 * What the fold applies: live developments in world order (retractions and the events they retract left
 * out), then the live corrections of the proposal in the order they were recorded. Those change details
 * no development touches, so applying them last gives what applying them to the proposal would.
 */
export function liveEventsInWorldOrder(
  events: readonly RecordedCommitmentEvent[],
): RecordedCommitmentEvent[] {
  const retracted = new Set<string>();
  for (const recorded of events) {
    if (recorded.event.type === 'EntryRetracted') retracted.add(recorded.event.data.eventId);
  }
  const live = events.filter((recorded) => !retracted.has(recorded.eventId));
  // Each instant is parsed once, not once per comparison.
  const inWorldOrder = live
    .filter((recorded) => !correctsTheRecord(recorded))
    .map((recorded) => ({ recorded, at: instantMs(recorded.occurredAt) }))
    .sort((a, b) => a.at - b.at || a.recorded.version - b.recorded.version)
    .map(({ recorded }) => recorded);
  return [...inWorldOrder, ...live.filter((recorded) => recorded.event.type === 'ProposalCorrected')];
}

/**
 * Time-travel filters. `asOf` (date or date-time; a date means the end of that UTC day) keeps
 * developments with `occurredAt ≤ asOf`. `knownAt` (same forms) keeps events, retractions included, with
 * `recordedAt ≤ knownAt`. Both together: bitemporal.
 */
export interface TimeTravel {
  readonly asOf?: string;
  readonly knownAt?: string;
}

/**
 * The events a read takes into account. A retraction is honoured when it was known at `knownAt` and its
 * target passes the filters, whatever the retraction's own `occurredAt`: a retraction corrects the
 * record of the world rather than reporting something that happened in it, so an event retracted today
 * is left out of `asOf` views of the past too. A correction of the proposal holds likewise for every
 * `asOf`. `knownAt` views still show what was believed then.
 */
export function eventsConsidered(
  events: readonly RecordedCommitmentEvent[],
  { asOf, knownAt }: TimeTravel = {},
): readonly RecordedCommitmentEvent[] {
  if (asOf === undefined && knownAt === undefined) return events;
  const occurredBy = asOf === undefined ? Infinity : inclusiveUpperBoundMs(asOf);
  const recordedBy = knownAt === undefined ? Infinity : inclusiveUpperBoundMs(knownAt);
  const known = events.filter((recorded) => instantMs(recorded.recordedAt) <= recordedBy);
  const occurredInRange = new Set(
    known
      .filter((recorded) => !correctsTheRecord(recorded) && instantMs(recorded.occurredAt) <= occurredBy)
      .map((recorded) => recorded.eventId),
  );
  return known.filter((recorded) => {
    if (recorded.event.type === 'EntryRetracted') return occurredInRange.has(recorded.event.data.eventId);
    return recorded.event.type === 'ProposalCorrected' || occurredInRange.has(recorded.eventId);
  });
}

/** The next step of a fold that owns its snapshot: the first copy is the fold's own, then it changes in place. */
function applyToWorking(
  snapshot: WorkingSnapshot | null,
  recorded: RecordedCommitmentEvent,
): WorkingSnapshot | null {
  if (snapshot !== null) {
    applyInPlace(snapshot, recorded);
    return snapshot;
  }
  const proposed = apply(null, recorded);
  return proposed && { ...proposed };
}

/**
 * The commitment as it stood (`asOf`) and/or as it was known (`knownAt`); without options, as it stands.
 * Never judges legality (a read must not fail on history). Returns null when no proposal survives the
 * filters: the commitment is unknown at that time.
 */
export function foldCommitment(
  events: readonly RecordedCommitmentEvent[],
  timeTravel: TimeTravel = {},
): CommitmentSnapshot | null {
  const considered = eventsConsidered(events, timeTravel);
  let snapshot: WorkingSnapshot | null = null;
  for (const recorded of liveEventsInWorldOrder(considered)) snapshot = applyToWorking(snapshot, recorded);
  if (snapshot === null) return null;
  let version = 0;
  for (const recorded of considered) version = Math.max(version, recorded.version);
  return { ...snapshot, version, eventCount: considered.length };
}

/** An event that is illegal where it stands in the world-order fold. */
export interface IllegalStep extends Refusal {
  readonly recorded: RecordedCommitmentEvent;
}

/** Every illegal step of the stream's fold, in world order (empty for a legal history). */
export function findIllegalSteps(events: readonly RecordedCommitmentEvent[]): IllegalStep[] {
  const illegal: IllegalStep[] = [];
  let snapshot: WorkingSnapshot | null = null;
  for (const recorded of liveEventsInWorldOrder(events)) {
    const refusal = checkTransition(snapshot, recorded);
    if (refusal) illegal.push({ recorded, ...refusal });
    snapshot = applyToWorking(snapshot, recorded);
  }
  return illegal;
}
