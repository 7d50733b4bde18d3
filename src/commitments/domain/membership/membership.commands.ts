import { bodyOf, type Command, type CommandAddress } from '../shared/command.js';
import type { CommandRules } from '../shared/development-rules.js';
import type { MembershipEvent, PartyJoined, PartyWithdrew } from './membership.events.js';

export type RecordWithdrawal = Command<'RecordWithdrawal', CommandAddress & PartyWithdrew['data']>;
export type RecordAccession = Command<'RecordAccession', CommandAddress & PartyJoined['data']>;

export type MembershipCommand = RecordWithdrawal | RecordAccession;

export const membershipCommands: CommandRules<MembershipCommand, MembershipEvent> = {
  RecordWithdrawal: { eventFor: ({ data }) => ({ type: 'PartyWithdrew', data: bodyOf(data) }) },
  RecordAccession: { eventFor: ({ data }) => ({ type: 'PartyJoined', data: bodyOf(data) }) },
};
