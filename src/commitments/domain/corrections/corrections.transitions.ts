import type { TransitionRules } from '../shared/development-rules.js';
import type { CorrectionEvent } from './corrections.events.js';

/**
 * A correction of the record is never illegal where it stands: a retraction is judged by re-folding the
 * history without its target, a correction of the proposal by what it changes (corrections.commands.ts).
 */
export const correctionTransitions: TransitionRules<CorrectionEvent> = {
  EntryRetracted: () => null,
  ProposalCorrected: () => null,
};
