import type { CommitmentEvent } from './commitment.events.js';
import { type CorrectionCommand, correctionCommands } from './corrections/corrections.development-rules.js';
import { type LifecycleCommand, lifecycleCommands } from './lifecycle/lifecycle.development-rules.js';
import { type MembershipCommand, membershipCommands } from './membership/membership.development-rules.js';
import { type ScheduleCommand, scheduleCommands } from './schedule/schedule.development-rules.js';
import { caseFor, caseTable, type CommandRule, type CommandRules } from './shared/development-rules.js';
import { type TreatyCommand, treatyCommands } from './treaty/treaty.development-rules.js';

/** What an analyst asks to record: the union of the families' commands, and how each is decided. */
export type CommitmentCommand =
  LifecycleCommand | ScheduleCommand | MembershipCommand | TreatyCommand | CorrectionCommand;

export type CommitmentCommandType = CommitmentCommand['type'];

const commandRules = caseTable({
  ...lifecycleCommands,
  ...scheduleCommands,
  ...membershipCommands,
  ...treatyCommands,
  ...correctionCommands,
} satisfies CommandRules<CommitmentCommand, CommitmentEvent>);

function unknownCommand(command: unknown): Error {
  return new Error(`Unknown commitment command ${JSON.stringify(command)}`);
}

/** The family's rule for `command`'s type. */
export function commandRuleOf(command: CommitmentCommand): CommandRule<CommitmentCommand, CommitmentEvent> {
  return caseFor<CommandRule<CommitmentCommand, CommitmentEvent>>(commandRules, command, unknownCommand);
}

/** The event a command asks to record, before any rule is checked. */
export function eventFor(command: CommitmentCommand): CommitmentEvent {
  return commandRuleOf(command).eventFor(command);
}
