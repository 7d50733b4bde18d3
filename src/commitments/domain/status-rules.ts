import type { PartyRecord } from './shared/party-record.js';
import { everyPartyWithdrawnOn, type Participation, participationOn } from './shared/participation.js';
import { type CommitmentSnapshot, recordOf, type ScheduledReview } from './shared/snapshot.js';
import type { IsoDate, PartyCode } from './shared/vocabulary.js';
import { addDays } from './shared/world-time.js';

/**
 * Every rule that turns a commitment's fold into what it is on a given day: status, participation (the
 * families' rules read it too, so it is kept in shared/participation.ts), overdue, the next review,
 * compliance. Read models store these as timelines (below) computed here, so a query picks the value for
 * the day it runs on and never restates a rule.
 */

// Participation, as the rest of the app has always imported it from here.
export { type Participation, PARTICIPATIONS, participationOn } from './shared/participation.js';

export type CommitmentStatus =
  | 'proposed'
  | 'under_negotiation'
  | 'adopted'
  | 'in_progress'
  | 'in_force'
  | 'completed'
  | 'suspended'
  | 'superseded'
  | 'withdrawn';

export const COMMITMENT_STATUSES: readonly CommitmentStatus[] = [
  'proposed',
  'under_negotiation',
  'adopted',
  'in_progress',
  'in_force',
  'completed',
  'suspended',
  'superseded',
  'withdrawn',
];

/**
 * The status on `date`. Supersession and completion are terminal and win over withdrawals still taking
 * effect; an adopted agreement is `in_force` from its entry-into-force date unless suspended, whatever
 * withdrawals (denunciations) took effect; a commitment all of whose parties have withdrawn (effective by
 * `date`) is `withdrawn`, and returns to its previous status as soon as one party is active again.
 */
export function statusOn(snapshot: CommitmentSnapshot, date: IsoDate): CommitmentStatus {
  if (snapshot.supersededBy !== null) return 'superseded';
  if (snapshot.completedAt !== null) return 'completed';
  if (inForceOn(snapshot, date)) return 'in_force';
  if (everyPartyWithdrawnOn(snapshot, date)) return 'withdrawn';
  if (snapshot.suspendedSince !== null) return 'suspended';
  return snapshot.stage;
}

/** Adopted, not suspended, and past its entry-into-force date on `date`. */
function inForceOn(snapshot: CommitmentSnapshot, date: IsoDate): boolean {
  const since = snapshot.entryIntoForce?.inForceOn ?? null;
  return (
    since !== null &&
    since <= date &&
    snapshot.suspendedSince === null &&
    (snapshot.stage === 'adopted' || snapshot.stage === 'in_progress')
  );
}

/** Statuses in which a due date no longer matters. */
function isClosed(status: CommitmentStatus): boolean {
  return status === 'completed' || status === 'superseded' || status === 'withdrawn';
}

/** `dueDate` is before `date` and the status on `date` is not completed, superseded or withdrawn. */
export function overdueOn(snapshot: CommitmentSnapshot, date: IsoDate): boolean {
  if (snapshot.dueDate === null || snapshot.dueDate >= date) return false;
  return !isClosed(statusOn(snapshot, date));
}

/** Whether the due date (passed or not) still calls for follow-up on `date`. */
export function deadlineOpenOn(snapshot: CommitmentSnapshot, date: IsoDate): boolean {
  return snapshot.dueDate !== null && !isClosed(statusOn(snapshot, date));
}

/** A scheduled review is pending up to and including its own date. */
export function reviewPendingOn(review: ScheduledReview, date: IsoDate): boolean {
  return review.reviewOn >= date;
}

/** The earliest scheduled review still pending on `date`. */
export function nextReviewOn(snapshot: CommitmentSnapshot, date: IsoDate): IsoDate | null {
  return snapshot.reviews.find((review) => reviewPendingOn(review, date))?.reviewOn ?? null;
}

/** Why something calls for an analyst's attention on a day: the follow-up queue's `reason`. */
export type FollowUpReason = 'overdue' | 'deadline' | 'review';

/** Why the due date calls for follow-up on `date`; null when it does not (none, or the commitment closed). */
export function dueFollowUpOn(snapshot: CommitmentSnapshot, date: IsoDate): 'overdue' | 'deadline' | null {
  if (!deadlineOpenOn(snapshot, date)) return null;
  return overdueOn(snapshot, date) ? 'overdue' : 'deadline';
}

/** Mean of the latest scores of the assessed parties (withdrawn parties' scores included); null when none. */
export function complianceOf(snapshot: CommitmentSnapshot): number | null {
  const scores = Object.values(snapshot.scores);
  if (scores.length === 0) return null;
  return scores.reduce<number>((sum, score) => sum + score, 0) / scores.length;
}

/** Sorts before every `YYYY-MM-DD`: the standing before any dated change takes effect. */
const BEFORE_EVERY_DATE = '0000-01-01';

/** How a read model stores the first day of the first span: PostgreSQL's `-infinity` date. */
export const SINCE_THE_START = '-infinity';

/**
 * A value that changes on known dates: `values[i]` holds from `since[i]` until the next one. Stored
 * as two arrays so a query can pick the value for the day it runs on, rather than the day it was written.
 */
export interface Timeline<Value> {
  readonly since: readonly string[];
  readonly values: readonly Value[];
}

/**
 * The value of `valueOn` on every day, given that it can only change on `turningPoints`. Consecutive
 * equal values are merged.
 */
export function timelineOf<Value>(
  turningPoints: Iterable<IsoDate>,
  valueOn: (date: IsoDate) => Value,
): Timeline<Value> {
  const since = [SINCE_THE_START];
  const values = [valueOn(BEFORE_EVERY_DATE)];
  for (const date of [...new Set(turningPoints)].sort()) {
    const value = valueOn(date);
    if (value === values[values.length - 1]) continue;
    since.push(date);
    values.push(value);
  }
  return { since, values };
}

/** The value a timeline gives on `date`. */
export function valueOn<Value>(timeline: Timeline<Value>, date: IsoDate): Value {
  let value = timeline.values[0];
  for (let i = 1; i < timeline.since.length && timeline.since[i] <= date; i++) value = timeline.values[i];
  return value;
}

/** The dates a party's participation can change on: its membership changes, signature and consents. */
function partyDates(record: PartyRecord): IsoDate[] {
  return [
    ...record.changes.flatMap((change) => (change.effectiveOn === null ? [] : [change.effectiveOn])),
    ...(record.signedOn === undefined ? [] : [record.signedOn]),
    ...(record.consents ?? []).flatMap((consent) =>
      consent.effectiveOn === null ? [consent.depositedOn] : [consent.depositedOn, consent.effectiveOn],
    ),
  ];
}

/**
 * Status depends on the date only through the parties' standings and entry into force, so it can only
 * change on their dates.
 */
function membershipDates(snapshot: CommitmentSnapshot): IsoDate[] {
  const inForce = snapshot.entryIntoForce?.inForceOn;
  return [...snapshot.parties.flatMap(partyDates), ...(inForce ? [inForce] : [])];
}

export function statusTimeline(snapshot: CommitmentSnapshot): Timeline<CommitmentStatus> {
  return timelineOf(membershipDates(snapshot), (date) => statusOn(snapshot, date));
}

/** Overdue also turns on the day after the due date. */
function dueDateTurns(snapshot: CommitmentSnapshot): IsoDate[] {
  return snapshot.dueDate === null ? [] : [addDays(snapshot.dueDate, 1)];
}

export function overdueTimeline(snapshot: CommitmentSnapshot): Timeline<boolean> {
  return timelineOf([...membershipDates(snapshot), ...dueDateTurns(snapshot)], (date) =>
    overdueOn(snapshot, date),
  );
}

export function dueFollowUpTimeline(snapshot: CommitmentSnapshot): Timeline<'overdue' | 'deadline' | null> {
  return timelineOf([...membershipDates(snapshot), ...dueDateTurns(snapshot)], (date) =>
    dueFollowUpOn(snapshot, date),
  );
}

export function reviewFollowUpTimeline(review: ScheduledReview): Timeline<'review' | null> {
  return timelineOf([addDays(review.reviewOn, 1)], (date) =>
    reviewPendingOn(review, date) ? 'review' : null,
  );
}

/** A party's participation can only change on the effective dates of its own membership changes. */
export function participationTimeline(
  snapshot: CommitmentSnapshot,
  party: PartyCode,
): Timeline<Participation | null> {
  const record = recordOf(snapshot, party);
  return timelineOf(
    record ? partyDates(record) : [],
    (date) => participationOn(snapshot, party, date)?.participation ?? null,
  );
}
