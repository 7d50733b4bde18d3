import { bodyOf, type Command, type CommandAddress } from '../shared/command.js';
import type {
  CommandRules,
  Descriptions,
  SnapshotChanges,
  TransitionRules,
} from '../shared/development-rules.js';
import type { DomainEvent, Provenance } from '../shared/domain-event.js';
import { firstRefusal, refuseIfCompleted, refuseIfSuperseded } from '../shared/refusal.js';
import type { ScheduledReview } from '../shared/snapshot.js';
import type { IsoDate } from '../shared/vocabulary.js';
import { utcDateOf } from '../shared/world-time.js';

/**
 * A commitment's dates to watch: its deadline, and the reviews an analyst schedules of it. A follow-up
 * is no development of the world (commitment.snapshot.ts leaves it out of the last development's date).
 */

export type DeadlineSet = DomainEvent<
  'DeadlineSet',
  Partial<Provenance> & { dueDate: IsoDate; reason?: string }
>;

/** An internal task, not a world development: no source, and its occurredAt is the time it was scheduled. */
export type FollowUpScheduled = DomainEvent<
  'FollowUpScheduled',
  { reviewOn: IsoDate; note: string; assignee?: string }
>;

export type ScheduleEvent = DeadlineSet | FollowUpScheduled;

export const scheduleDescriptions: Descriptions<ScheduleEvent> = {
  DeadlineSet: ({ data }) => `the new deadline of ${data.dueDate}`,
  FollowUpScheduled: ({ data }) => `the follow-up for ${data.reviewOn}`,
};

export type SetDeadline = Command<'SetDeadline', CommandAddress & DeadlineSet['data']>;
export type ScheduleFollowUp = Command<'ScheduleFollowUp', CommandAddress & FollowUpScheduled['data']>;

export type ScheduleCommand = SetDeadline | ScheduleFollowUp;

export const scheduleCommands: CommandRules<ScheduleCommand, ScheduleEvent> = {
  SetDeadline: { eventFor: ({ data }) => ({ type: 'DeadlineSet', data: bodyOf(data) }) },
  ScheduleFollowUp: { eventFor: ({ data }) => ({ type: 'FollowUpScheduled', data: bodyOf(data) }) },
};

/** How the deadline and the scheduled reviews change a commitment's snapshot. */

function withReview(reviews: readonly ScheduledReview[], review: ScheduledReview): ScheduledReview[] {
  const after = reviews.findIndex((known) => known.reviewOn > review.reviewOn);
  return after === -1 ? [...reviews, review] : [...reviews.slice(0, after), review, ...reviews.slice(after)];
}

export const scheduleChanges: SnapshotChanges<ScheduleEvent> = {
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

/** What may follow what for deadlines and follow-ups (see transitions.ts). */
export const scheduleTransitions: TransitionRules<ScheduleEvent> = {
  DeadlineSet: (snapshot) =>
    firstRefusal(
      () => refuseIfSuperseded(snapshot),
      () => refuseIfCompleted(snapshot),
    ),
  FollowUpScheduled: () => null,
};
