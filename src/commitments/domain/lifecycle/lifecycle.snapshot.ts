import type { AnyEvent, RecordedEvent } from '../shared/domain-event.js';
import type { SnapshotChanges } from '../shared/development-rules.js';
import { type PartyRecord, withMembershipChange } from '../shared/party-record.js';
import { type CommitmentSnapshot, recordOf, type ScheduledReview } from '../shared/snapshot.js';
import type { IsoInstant, PartyCode } from '../shared/vocabulary.js';
import { utcDateOf } from '../shared/world-time.js';
import type { CommitmentProposed, LifecycleEvent } from './lifecycle.events.js';

/** How a commitment's own life changes its snapshot; the proposal starts it. */

export function proposedSnapshot(
  recorded: RecordedEvent<AnyEvent>,
  data: CommitmentProposed['data'],
): CommitmentSnapshot {
  return {
    id: data.id,
    title: data.title,
    kind: data.kind,
    proposedBy: data.proposedBy,
    topics: [...(data.topics ?? [])],
    summary: data.summary ?? null,
    meeting: data.meeting ?? null,
    proposedAt: recorded.occurredAt,
    stage: 'proposed',
    adoptedAt: null,
    completedAt: null,
    suspendedSince: null,
    supersededBy: null,
    supersededAt: null,
    dueDate: data.dueDate ?? null,
    dueReason: null,
    missedDeadlines: 0,
    // Under an entry-into-force rule the named parties negotiate: each is bound only by its own consent.
    parties: [...new Set(data.parties)].map((party) => ({
      party,
      changes: data.entryIntoForce
        ? []
        : [{ kind: 'joined', effectiveOn: null, announcedAt: recorded.occurredAt }],
      suspendedSince: null,
    })),
    entryIntoForce: data.entryIntoForce
      ? { rule: data.entryIntoForce, instrumentsDeposited: 0, reachedOn: null, inForceOn: null }
      : null,
    reservations: [],
    witnesses: [],
    stances: {},
    scores: {},
    reviews: [],
    lastDevelopmentAt: recorded.occurredAt,
    lastOccurredAt: recorded.occurredAt,
    version: recorded.version,
    eventCount: 1,
  };
}

function withPartySuspension(
  parties: readonly PartyRecord[],
  party: PartyCode,
  since: IsoInstant | null,
): PartyRecord[] {
  return parties.map((record) => (record.party === party ? { ...record, suspendedSince: since } : record));
}

function withReview(reviews: readonly ScheduledReview[], review: ScheduledReview): ScheduledReview[] {
  const after = reviews.findIndex((known) => known.reviewOn > review.reviewOn);
  return after === -1 ? [...reviews, review] : [...reviews.slice(0, after), review, ...reviews.slice(after)];
}

export const lifecycleChanges: SnapshotChanges<LifecycleEvent> = {
  CommitmentProposed: () => ({}),
  StatementRecorded: (base, { event }) => ({
    stances: { ...base.stances, [event.data.speaker.party]: event.data.stance },
  }),
  CommitmentAdopted: (base, { event, occurredAt }) => {
    const date = utcDateOf(occurredAt);
    // Adopting makes a party of anyone who was not one yet (under an entry-into-force rule, only consent does).
    const newcomers = base.entryIntoForce
      ? []
      : event.data.adoptedBy.filter((party) => !recordOf(base, party));
    const parties = [...new Set(newcomers)].reduce<readonly PartyRecord[]>(
      (records, party) =>
        withMembershipChange(records, party, {
          kind: 'joined',
          effectiveOn: date,
          announcedAt: occurredAt,
        }),
      base.parties,
    );
    return {
      stage: 'adopted',
      adoptedAt: occurredAt,
      // A commitment is known by the meeting that adopted it; the proposal's meeting is the fallback.
      meeting: event.data.meeting ?? base.meeting,
      parties,
      witnesses: [...new Set([...base.witnesses, ...(event.data.witnessedBy ?? [])])],
    };
  },
  ProgressReported: (base) => ({
    stage:
      base.stage === 'proposed' || base.stage === 'under_negotiation' ? 'under_negotiation' : 'in_progress',
  }),
  CommitmentCompleted: (_base, { occurredAt }) => ({ completedAt: occurredAt }),
  CommitmentSuspended: (base, { event, occurredAt }) =>
    event.data.party === undefined
      ? { suspendedSince: occurredAt }
      : { parties: withPartySuspension(base.parties, event.data.party, occurredAt) },
  CommitmentResumed: (base, { event }) =>
    event.data.party === undefined
      ? { suspendedSince: null }
      : { parties: withPartySuspension(base.parties, event.data.party, null) },
  ComplianceAssessed: (base, { event }) => ({
    scores: { ...base.scores, [event.data.party]: event.data.score },
  }),
  CommitmentSuperseded: (_base, { event, occurredAt }) => ({
    supersededBy: event.data.supersededBy,
    supersededAt: occurredAt,
  }),
  DeadlineSet: (base, { event, occurredAt }) => {
    const missed = base.dueDate !== null && base.dueDate < utcDateOf(occurredAt) && base.completedAt === null;
    return {
      dueDate: event.data.dueDate,
      dueReason: event.data.reason ?? null,
      missedDeadlines: base.missedDeadlines + (missed ? 1 : 0),
    };
  },
  FollowUpScheduled: (base, { event }) => ({
    reviews: withReview(base.reviews, { reviewOn: event.data.reviewOn, note: event.data.note }),
  }),
};
