import type { AnyEvent } from '../shared/domain-event.js';
import { bodyOf, type Command, type CommandAddress } from '../shared/command.js';
import { EventNotFoundError, IllegalTransitionError } from '../shared/commitment.errors.js';
import type { CommandRules } from '../shared/development-rules.js';
import type { CommitmentSnapshot } from '../shared/snapshot.js';
import { utcDateOf } from '../shared/world-time.js';
import type { CorrectionEvent, EntryRetracted, ProposalCorrected } from './corrections.events.js';

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
