import type { CommitmentEvent } from './commitment.events.js';
import { type CorrectionCommand, correctionCommands } from './corrections/corrections.commands.js';
import { type LifecycleCommand, lifecycleCommands } from './lifecycle/lifecycle.commands.js';
import { type MembershipCommand, membershipCommands } from './membership/membership.commands.js';
import type { CommandRule, CommandRules } from './shared/development-rules.js';
import { type TreatyCommand, treatyCommands } from './treaty/treaty.commands.js';

/** What an analyst asks to record: the union of the families' commands, and how each is decided. */
export type CommitmentCommand = LifecycleCommand | MembershipCommand | TreatyCommand | CorrectionCommand;

export type CommitmentCommandType = CommitmentCommand['type'];

const commandRules = {
  ...lifecycleCommands,
  ...membershipCommands,
  ...treatyCommands,
  ...correctionCommands,
} satisfies CommandRules<CommitmentCommand, CommitmentEvent>;

/** The family's rule for `command`'s type. */
export function commandRuleOf(command: CommitmentCommand): CommandRule<CommitmentCommand, CommitmentEvent> {
  // The table holds, under each type, the rule for that type's commands.
  return commandRules[command.type] as CommandRule<CommitmentCommand, CommitmentEvent>;
}

/** The event a command asks to record, before any rule is checked. */
export function eventFor(command: CommitmentCommand): CommitmentEvent {
  return commandRuleOf(command).eventFor(command);
}
