import {
  type CorrectionEvent,
  correctionDescriptions,
  correctionUpcasts,
} from './corrections/corrections.development-rules.js';
import { type LifecycleEvent, lifecycleDescriptions } from './lifecycle/lifecycle.development-rules.js';
import { type MembershipEvent, membershipDescriptions } from './membership/membership.development-rules.js';
import { type ScheduleEvent, scheduleDescriptions } from './schedule/schedule.development-rules.js';
import type { RecordedEvent } from './shared/domain-event.js';
import { caseFor, caseTable, type Descriptions } from './shared/development-rules.js';
import { type TreatyEvent, treatyDescriptions } from './treaty/treaty.development-rules.js';

/**
 * A commitment's events: the union of the families' (lifecycle/, schedule/, membership/, treaty/,
 * corrections/), each of which owns its events, commands, transition rules and snapshot changes in one file.
 */

// The vocabulary the rest of the app has always imported from here.
export {
  ACCESSION_ACTIONS,
  type AccessionAction,
  COMMITMENT_KINDS,
  type CommitmentKind,
  type ComplianceScore,
  type IsoDate,
  type IsoInstant,
  type PartyCode,
  RESERVATION_KINDS,
  type ReservationKind,
  type Source,
  STANCES,
  type Stance,
} from './shared/vocabulary.js';

export type CommitmentEvent =
  LifecycleEvent | ScheduleEvent | MembershipEvent | TreatyEvent | CorrectionEvent;

export type CommitmentEventType = CommitmentEvent['type'];

/** An event as stored in a commitment's stream (see {@link RecordedEvent}). */
export type RecordedCommitmentEvent = RecordedEvent<CommitmentEvent>;

const descriptions = caseTable({
  ...lifecycleDescriptions,
  ...scheduleDescriptions,
  ...membershipDescriptions,
  ...treatyDescriptions,
  ...correctionDescriptions,
} satisfies Descriptions<CommitmentEvent>);

/** Every event type string, family by family; each family describes every event of its own. */
export const COMMITMENT_EVENT_TYPES: readonly CommitmentEventType[] = Object.freeze([
  ...descriptions.keys(),
] as CommitmentEventType[]);

/** What a table lookup throws for an event of a type no family knows. */
export function unknownEvent(event: unknown): Error {
  return new Error(`Unknown commitment event ${JSON.stringify(event)}`);
}

export function isCommitmentEventType(value: string): value is CommitmentEventType {
  return descriptions.has(value);
}

/** How a refusal and the corrections log name a development: "the signature by FR". */
export function describeDevelopment(event: CommitmentEvent): string {
  return caseFor<(event: CommitmentEvent) => string>(descriptions, event, unknownEvent)(event);
}

const upcasts: { readonly [Type in CommitmentEventType]?: (data: unknown) => unknown } = {
  ...correctionUpcasts,
};

/** Events as stored, in today's shape; stored events are never rewritten (see each family's upcasts). */
export function upcast(type: string, data: unknown): unknown {
  const toToday = isCommitmentEventType(type) ? upcasts[type] : undefined;
  return toToday === undefined ? data : toToday(data);
}
