import type { CommitmentProposed } from '../lifecycle/lifecycle.development-rules.js';
import { bodyOf, type Command, type CommandAddress } from '../shared/command.js';
import { EventNotFoundError, IllegalTransitionError } from '../shared/commitment.errors.js';
import type {
  Descriptions,
  CommandRules,
  SnapshotChanges,
  TransitionRules,
} from '../shared/development-rules.js';
import type { DomainEvent, AnyEvent } from '../shared/domain-event.js';
import type { CommitmentSnapshot } from '../shared/snapshot.js';
import type { Source } from '../shared/vocabulary.js';
import { utcDateOf } from '../shared/world-time.js';

/**
 * Corrections of the record, rather than developments in the world: retractions and corrections of the
 * proposal. They have no place in world order (the fold, commitment.fold.ts, says how it honours them).
 */

/** Why the record was corrected: the corrections log's codes. */
export const CORRECTION_REASONS = [
  'misattributed',
  'wrong_date',
  'wrong_party',
  'not_in_source',
  'duplicate',
  'source_withdrawn',
  'superseded_by_better_source',
  'other',
] as const;
export type CorrectionReason = (typeof CORRECTION_REASONS)[number];

export function isCorrectionReason(value: unknown): value is CorrectionReason {
  return (CORRECTION_REASONS as readonly unknown[]).includes(value);
}

/** A coded reason and a free-text note (required with `other`). */
export interface Correction {
  reason: CorrectionReason;
  note?: string;
}

/** Leaves `eventId` out of the fold; the retracted event itself stays in the stream for the audit trail. */
export type EntryRetracted = DomainEvent<'EntryRetracted', Correction & { eventId: string }>;

/** The proposal's details that a correction may change: nothing else in the history touches them. */
export type CorrectableDetails = Partial<
  Pick<CommitmentProposed['data'], 'title' | 'kind' | 'proposedBy' | 'summary' | 'topics'>
>;

/**
 * Corrects details of the proposal, which cannot be retracted (everything depends on it). Like a
 * retraction it corrects the record rather than reporting something that happened in the world: it holds
 * for every `asOf`, and from when it was recorded for `knownAt`.
 */
export type ProposalCorrected = DomainEvent<
  'ProposalCorrected',
  Correction & { corrections: CorrectableDetails; source?: Source }
>;

export type CorrectionEvent = EntryRetracted | ProposalCorrected;

export const correctionDescriptions: Descriptions<CorrectionEvent> = {
  EntryRetracted: () => 'the retraction',
  ProposalCorrected: () => 'the correction of the proposal',
};

/**
 * Stored data in today's shape. Retractions recorded before reasons were coded carry free text as their
 * `reason`: they read back as `other` with that text as the note. Stored events are never rewritten.
 */
export const correctionUpcasts: { readonly [Type in CorrectionEvent['type']]?: (data: unknown) => unknown } =
  {
    EntryRetracted: (data) => {
      const { reason } = data as { reason: unknown };
      return isCorrectionReason(reason)
        ? data
        : { ...(data as object), reason: 'other', note: String(reason) };
    },
  };

export type RetractEntry = Command<'RetractEntry', CommandAddress & EntryRetracted['data']>;
export type CorrectProposal = Command<'CorrectProposal', CommandAddress & ProposalCorrected['data']>;

export type CorrectionCommand = RetractEntry | CorrectProposal;

function isRetraction(event: AnyEvent): event is EntryRetracted {
  return event.type === 'EntryRetracted';
}

export const correctionCommands: CommandRules<CorrectionCommand, CorrectionEvent> = {
  // A retraction re-judges the history without the retracted event, so it always reads the stream.
  RetractEntry: {
    eventFor: ({ data }) => ({ type: 'EntryRetracted', data: bodyOf(data) }),
    needsHistory: true,
    decide(command, event, decision) {
      const { commitmentId, eventId } = command.data;
      const events = decision.history();
      const target = events.find((recorded) => recorded.eventId === eventId);
      if (!target) throw new EventNotFoundError(commitmentId, eventId);
      const subject = `${decision.describe(target.event)} of '${commitmentId}' dated ${utcDateOf(target.occurredAt)} (event ${eventId})`;
      if (isRetraction(target.event)) {
        throw new IllegalTransitionError(
          `Cannot retract ${subject}: a retraction cannot itself be retracted. If the original entry was right after all, record it again.`,
        );
      }
      const earlier = events.find(
        (recorded) => isRetraction(recorded.event) && recorded.event.data.eventId === eventId,
      );
      if (earlier) {
        throw new IllegalTransitionError(
          `Cannot retract ${subject}: it was already retracted by event ${earlier.eventId}.`,
        );
      }
      if (target.event.type === 'CommitmentProposed') {
        throw new IllegalTransitionError(
          `Cannot retract ${subject}: every other entry in its history depends on the proposal, so a commitment cannot be un-proposed. ` +
            'Retract the mistaken developments instead, or record what replaced it as a supersession.',
        );
      }
      decision.refuseIfHistoryTurnsIllegal(
        event,
        `retract ${subject}`,
        'It depends on the entry you are retracting: retract that later entry first.',
      );
      return event;
    },
  },
  // A correction changes details no other development touches: the fold alone decides it.
  CorrectProposal: {
    eventFor: ({ data }) => ({ type: 'ProposalCorrected', data: bodyOf(data) }),
    needsHistory: false,
    decide(command, event, decision) {
      const { commitmentId, corrections } = command.data;
      const current = decision.current as CommitmentSnapshot;
      const changed = (Object.keys(corrections) as (keyof typeof corrections)[]).filter(
        (field) => JSON.stringify(corrections[field]) !== JSON.stringify(current[field]),
      );
      if (changed.length === 0) {
        throw new IllegalTransitionError(
          `Cannot correct the proposal of '${commitmentId}': it already says what the correction says. ` +
            'Name at least one detail whose recorded value is wrong, with its right value.',
        );
      }
      return event;
    },
  },
};

/** The snapshot fields a correction of the proposal sets (only those it names). */
function correctedDetails(corrections: CorrectableDetails): Partial<CommitmentSnapshot> {
  return {
    ...(corrections.title !== undefined ? { title: corrections.title } : {}),
    ...(corrections.kind !== undefined ? { kind: corrections.kind } : {}),
    ...(corrections.proposedBy !== undefined ? { proposedBy: corrections.proposedBy } : {}),
    ...(corrections.summary !== undefined ? { summary: corrections.summary } : {}),
    ...(corrections.topics !== undefined ? { topics: [...corrections.topics] } : {}),
  };
}

/** A retraction changes nothing itself: the fold leaves out the event it retracts (commitment.fold.ts). */
export const correctionChanges: SnapshotChanges<CorrectionEvent> = {
  EntryRetracted: () => ({}),
  ProposalCorrected: (_base, { event }) => correctedDetails(event.data.corrections),
};

/**
 * A correction of the record is never illegal where it stands: a retraction is judged by re-folding the
 * history without its target, a correction of the proposal by what it changes (its command rules above).
 */
export const correctionTransitions: TransitionRules<CorrectionEvent> = {
  EntryRetracted: () => null,
  ProposalCorrected: () => null,
};
