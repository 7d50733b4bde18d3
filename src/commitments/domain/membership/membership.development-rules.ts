import { refuseIfWithdrawn } from '../lifecycle/lifecycle.development-rules.js';
import { bodyOf, type Command, type CommandAddress } from '../shared/command.js';
import type {
  CommandRules,
  Descriptions,
  SnapshotChanges,
  TransitionRules,
} from '../shared/development-rules.js';
import type { DomainEvent, Provenance } from '../shared/domain-event.js';
import { isBound, participationOn } from '../shared/participation.js';
import { type PartyRecord, withMembershipChange } from '../shared/party-record.js';
import {
  dateOfOrNull,
  firstRefusal,
  notAParty,
  refuse,
  refuseIfCompleted,
  refuseIfSuperseded,
} from '../shared/refusal.js';
import { recordOf } from '../shared/snapshot.js';
import {
  type AccessionAction,
  type ComplianceScore,
  type IsoDate,
  type IsoInstant,
  isConsentAction,
  type PartyCode,
} from '../shared/vocabulary.js';
import { utcDateOf } from '../shared/world-time.js';
import { refuseAccession, withConsent } from '../treaty/treaty.development-rules.js';

/**
 * Who is a party, and in what standing: withdrawals and accessions (an accession may be an instrument of
 * consent, see treaty/), suspensions and resumptions, by a party or of the whole commitment, and the
 * compliance assessments of a party.
 */

/** `effectiveOn` absent: the withdrawal takes effect on the date it occurred. */
export type PartyWithdrew = DomainEvent<
  'PartyWithdrew',
  Provenance & { party: PartyCode; effectiveOn?: IsoDate; reason?: string }
>;

/**
 * `action` absent or `joining`: a plain accession, active from `effectiveOn` or the date it occurred.
 * Any other action is an instrument of consent deposited on the date it occurred; without `effectiveOn`
 * it takes effect as the agreement's entry-into-force rule says (see `treaty/treaty.development-rules.ts`).
 */
export type PartyJoined = DomainEvent<
  'PartyJoined',
  Provenance & { party: PartyCode; effectiveOn?: IsoDate; action?: AccessionAction }
>;

/** `party` absent: the whole commitment is suspended. */
export type CommitmentSuspended = DomainEvent<
  'CommitmentSuspended',
  Provenance & { party?: PartyCode; reason: string }
>;

/** `party` absent: resumes a suspension of the whole commitment. */
export type CommitmentResumed = DomainEvent<'CommitmentResumed', Provenance & { party?: PartyCode }>;

export type ComplianceAssessed = DomainEvent<
  'ComplianceAssessed',
  Partial<Provenance> & { party: PartyCode; score: ComplianceScore; rationale: string; period?: string }
>;

export type MembershipEvent =
  PartyWithdrew | PartyJoined | CommitmentSuspended | CommitmentResumed | ComplianceAssessed;

export const membershipDescriptions: Descriptions<MembershipEvent> = {
  PartyWithdrew: ({ data }) => `the withdrawal of ${data.party}`,
  PartyJoined: ({ data }) =>
    isConsentAction(data.action)
      ? `the ${data.action.replace('_', ' ')} by ${data.party}`
      : `the accession of ${data.party}`,
  CommitmentSuspended: ({ data }) =>
    data.party === undefined ? 'the suspension' : `the suspension by ${data.party}`,
  CommitmentResumed: ({ data }) =>
    data.party === undefined ? 'the resumption' : `the resumption by ${data.party}`,
  ComplianceAssessed: ({ data }) => `the compliance assessment of ${data.party}`,
};

export type RecordWithdrawal = Command<'RecordWithdrawal', CommandAddress & PartyWithdrew['data']>;
export type RecordAccession = Command<'RecordAccession', CommandAddress & PartyJoined['data']>;

export type SuspendCommitment = Command<'SuspendCommitment', CommandAddress & CommitmentSuspended['data']>;
export type ResumeCommitment = Command<'ResumeCommitment', CommandAddress & CommitmentResumed['data']>;
export type AssessCompliance = Command<'AssessCompliance', CommandAddress & ComplianceAssessed['data']>;

export type MembershipCommand =
  RecordWithdrawal | RecordAccession | SuspendCommitment | ResumeCommitment | AssessCompliance;

export const membershipCommands: CommandRules<MembershipCommand, MembershipEvent> = {
  RecordWithdrawal: { eventFor: ({ data }) => ({ type: 'PartyWithdrew', data: bodyOf(data) }) },
  RecordAccession: { eventFor: ({ data }) => ({ type: 'PartyJoined', data: bodyOf(data) }) },
  SuspendCommitment: { eventFor: ({ data }) => ({ type: 'CommitmentSuspended', data: bodyOf(data) }) },
  ResumeCommitment: { eventFor: ({ data }) => ({ type: 'CommitmentResumed', data: bodyOf(data) }) },
  AssessCompliance: { eventFor: ({ data }) => ({ type: 'ComplianceAssessed', data: bodyOf(data) }) },
};

function withPartySuspension(
  parties: readonly PartyRecord[],
  party: PartyCode,
  since: IsoInstant | null,
): PartyRecord[] {
  return parties.map((record) => (record.party === party ? { ...record, suspendedSince: since } : record));
}

/** How a party's standing changes the snapshot; an instrument of consent is the treaty's to count. */
export const membershipChanges: SnapshotChanges<MembershipEvent> = {
  PartyWithdrew: (base, { event, occurredAt }) => ({
    parties: withMembershipChange(base.parties, event.data.party, {
      kind: 'withdrew',
      effectiveOn: event.data.effectiveOn ?? utcDateOf(occurredAt),
      announcedAt: occurredAt,
    }),
  }),
  PartyJoined: (base, { event, occurredAt }) => {
    const date = utcDateOf(occurredAt);
    if (isConsentAction(event.data.action)) {
      return withConsent(base, event.data.party, {
        action: event.data.action,
        depositedOn: date,
        effectiveOn: event.data.effectiveOn ?? null,
        announcedAt: occurredAt,
      });
    }
    return {
      parties: withMembershipChange(base.parties, event.data.party, {
        kind: 'joined',
        effectiveOn: event.data.effectiveOn ?? date,
        announcedAt: occurredAt,
      }),
    };
  },
  CommitmentSuspended: (base, { event, occurredAt }) =>
    event.data.party === undefined
      ? { suspendedSince: occurredAt }
      : { parties: withPartySuspension(base.parties, event.data.party, occurredAt) },
  CommitmentResumed: (base, { event }) =>
    event.data.party === undefined
      ? { suspendedSince: null }
      : { parties: withPartySuspension(base.parties, event.data.party, null) },
  ComplianceAssessed: (base, { event }) => ({
    scores: { ...base.scores, [event.data.party]: event.data.score },
  }),
};

/** What may follow what for a party's standing (see transitions.ts). */
export const membershipTransitions: TransitionRules<MembershipEvent> = {
  PartyWithdrew: (snapshot, { event }, date) =>
    firstRefusal(
      () => refuseIfSuperseded(snapshot),
      () => refuseIfCompleted(snapshot),
      () => {
        const standing = participationOn(snapshot, event.data.party, date);
        if (standing === null || !isBound(standing.participation)) return notAParty(event.data.party);
        if (standing.participation === 'withdrawn') {
          return refuse(
            `${event.data.party} had already withdrawn (effective ${standing.withdrewAt ?? 'from the start'})`,
            `Record its accession first if ${event.data.party} rejoined in between.`,
          );
        }
        return null;
      },
    ),
  PartyJoined: (snapshot, { event }, date) =>
    firstRefusal(
      () => refuseIfSuperseded(snapshot),
      () => refuseIfCompleted(snapshot),
      () => refuseAccession(snapshot, event.data, date),
      () => {
        const standing = participationOn(snapshot, event.data.party, date);
        if (standing?.participation === 'active' || standing?.participation === 'suspended') {
          return refuse(
            `${event.data.party} was already a party to it by then`,
            standing.participation === 'suspended'
              ? `Record a resumption by ${event.data.party} instead.`
              : undefined,
          );
        }
        return null;
      },
    ),
  CommitmentSuspended: (snapshot, { event }, date) =>
    firstRefusal(
      () => refuseIfSuperseded(snapshot),
      () => refuseIfCompleted(snapshot),
      () => refuseIfWithdrawn(snapshot, date),
      () => {
        const party = event.data.party;
        if (party === undefined) {
          return snapshot.suspendedSince === null
            ? null
            : refuse(`it had already been suspended on ${utcDateOf(snapshot.suspendedSince)}`);
        }
        const standing = participationOn(snapshot, party, date);
        if (standing === null || standing.participation === 'withdrawn' || !isBound(standing.participation))
          return notAParty(party);
        if (standing.participation === 'suspended') {
          return refuse(
            `${party} had already suspended its part on ${dateOfOrNull(recordOf(snapshot, party)?.suspendedSince ?? null)}`,
          );
        }
        return null;
      },
    ),
  CommitmentResumed: (snapshot, { event }) =>
    firstRefusal(
      () => refuseIfSuperseded(snapshot),
      () => {
        const party = event.data.party;
        if (party === undefined) {
          return snapshot.suspendedSince !== null
            ? null
            : refuse(
                'the commitment as a whole was not suspended by then',
                'A resumption must match an earlier suspension: name the party if only one party suspended its part.',
              );
        }
        return recordOf(snapshot, party)?.suspendedSince
          ? null
          : refuse(
              `${party} had not suspended its part by then`,
              'A resumption must match an earlier suspension: leave the party out to resume the whole commitment.',
            );
      },
    ),
  ComplianceAssessed: (snapshot, { event }) =>
    recordOf(snapshot, event.data.party) ? null : notAParty(event.data.party),
};
