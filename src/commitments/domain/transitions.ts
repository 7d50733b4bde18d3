import { type CommitmentEvent, type RecordedCommitmentEvent, unknownEvent } from './commitment.events.js';
import { correctionTransitions } from './corrections/corrections.development-rules.js';
import { lifecycleTransitions } from './lifecycle/lifecycle.development-rules.js';
import { membershipTransitions } from './membership/membership.development-rules.js';
import { scheduleTransitions } from './schedule/schedule.development-rules.js';
import { caseFor, caseTable, type TransitionRules } from './shared/development-rules.js';
import { type Refusal, refuse } from './shared/refusal.js';
import type { CommitmentSnapshot } from './shared/snapshot.js';
import type { IsoDate } from './shared/vocabulary.js';
import { utcDateOf } from './shared/world-time.js';
import { treatyTransitions } from './treaty/treaty.development-rules.js';

/**
 * What may follow what: whether one development is legal after the fold of everything before it in
 * world order. The decider asks this of a new development, and of every later one a backdated one
 * precedes; each family states the rules of its own developments.
 */

const transitionRules = caseTable({
  ...lifecycleTransitions,
  ...scheduleTransitions,
  ...membershipTransitions,
  ...treatyTransitions,
  ...correctionTransitions,
} satisfies TransitionRules<CommitmentEvent>);

type TransitionRule = (
  snapshot: CommitmentSnapshot,
  recorded: RecordedCommitmentEvent,
  date: IsoDate,
) => Refusal | null;

/**
 * Whether `recorded` may follow `snapshot` (the fold of everything before it in world order).
 * Effective dates are judged on the step's own date. Returns null when legal.
 */
export function checkTransition(
  snapshot: CommitmentSnapshot | null,
  recorded: RecordedCommitmentEvent,
): Refusal | null {
  const { event } = recorded;
  if (snapshot === null) {
    return event.type === 'CommitmentProposed'
      ? null
      : refuse('it had not been proposed yet by then', 'Every entry must be dated on or after the proposal.');
  }
  const date = utcDateOf(recorded.occurredAt);
  return caseFor<TransitionRule>(transitionRules, event, unknownEvent)(snapshot, recorded, date);
}
