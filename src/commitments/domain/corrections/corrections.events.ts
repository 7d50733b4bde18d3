import type { DomainEvent } from '../shared/domain-event.js';
import type { Descriptions } from '../shared/development-rules.js';
import type { Source } from '../shared/vocabulary.js';
import type { CommitmentProposed } from '../lifecycle/lifecycle.events.js';

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
