import fc from 'fast-check';
import type { CommitmentCommand } from '../../src/commitments/domain/commitment.commands.js';
import {
  ACCESSION_ACTIONS,
  RESERVATION_KINDS,
  type RecordedCommitmentEvent,
} from '../../src/commitments/domain/commitment.events.js';

/**
 * Generated command histories for one commitment: a proposal, then developments of every kind — most
 * dated after the last one, some backdated far into the past, some retracting an earlier entry — over a
 * small set of parties, so that the rules (adoption before completion, withdrawal and rejoining,
 * suspensions, deadlines, signatures, instruments of consent, entry into force, reservations) are hit
 * both ways. Many steps are refused, which is part of the point: a
 * refusal must be the same whichever way it is decided.
 */

const PARTIES = ['US', 'VN', 'MY', 'ASEAN'] as const;
const STANCES = ['supports', 'urges', 'concerned', 'opposes'] as const;
const BASE_MS = Date.parse('2024-01-01T00:00:00Z');
const DAY_MS = 86_400_000;
const SOURCE = { title: 'Generated record', publisher: 'Property test' };

/** The commitment a supersession names when its step says the successor exists: propose it first. */
export const SUCCESSOR_ID = 'its-successor';

type Kind =
  | 'statement'
  | 'adopt'
  | 'progress'
  | 'complete'
  | 'withdraw'
  | 'join'
  | 'suspend'
  | 'resume'
  | 'assess'
  | 'deadline'
  | 'follow-up'
  | 'supersede'
  | 'retract'
  | 'correct'
  | 'sign'
  | 'consent'
  | 'reserve'
  | 'withdraw-reservation';

export interface Step {
  readonly kind: Kind;
  /** Days after the latest date so far (negative: backdated). */
  readonly days: number;
  /** Picks a party, or the entry a retraction targets. */
  readonly pick: number;
  /** Whether an optional field (party of a suspension, effective date, …) is given. */
  readonly option: boolean;
}

const kinds: fc.Arbitrary<Kind> = fc.constantFrom(
  'statement',
  'adopt',
  'progress',
  'complete',
  'withdraw',
  'join',
  'suspend',
  'resume',
  'assess',
  'deadline',
  'follow-up',
  'supersede',
  'retract',
  'correct',
  'sign',
  'consent',
  'reserve',
  'withdraw-reservation',
);

export const steps = (maxLength: number): fc.Arbitrary<Step[]> =>
  fc.array(
    fc.record({
      kind: kinds,
      days: fc.oneof(
        { arbitrary: fc.integer({ min: 0, max: 40 }), weight: 4 },
        { arbitrary: fc.integer({ min: -400, max: -1 }), weight: 1 },
      ),
      pick: fc.nat(1000),
      option: fc.boolean(),
    }),
    { minLength: 1, maxLength },
  );

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Where a history stands while it is being generated: its latest world date and its entries. */
export interface HistoryCursor {
  latestMs: number;
}

export function newCursor(): HistoryCursor {
  return { latestMs: BASE_MS };
}

/** A proposal; a treaty's enters into force 30 days after the second instrument of consent. */
export function proposal(commitmentId: string, treaty = false): CommitmentCommand {
  return {
    type: 'ProposeCommitment',
    data: {
      commitmentId,
      occurredAt: dayOf(BASE_MS),
      title: `Generated commitment ${commitmentId}`,
      kind: 'agreement',
      parties: ['US', 'VN'],
      proposedBy: 'US',
      topics: ['generated'],
      dueDate: dayOf(BASE_MS + 200 * DAY_MS),
      ...(treaty ? { entryIntoForce: { instruments: 2, daysAfter: 30 } } : {}),
      source: SOURCE,
    },
  };
}

/** The command a step asks for, against the entries recorded so far (a retraction picks one of them). */
export function commandOf(
  commitmentId: string,
  step: Step,
  cursor: HistoryCursor,
  recorded: readonly RecordedCommitmentEvent[],
): CommitmentCommand {
  const at = cursor.latestMs + step.days * DAY_MS;
  if (step.days > 0) cursor.latestMs = at;
  const occurredAt = dayOf(at);
  const party = PARTIES[step.pick % PARTIES.length];
  const later = dayOf(at + (step.pick % 90) * DAY_MS);
  const base = { commitmentId, occurredAt };
  switch (step.kind) {
    case 'statement':
      return {
        type: 'RecordStatement',
        data: {
          ...base,
          speaker: { name: `Speaker of ${party}`, party },
          stance: STANCES[step.pick % STANCES.length],
          summary: `A statement by ${party}`,
          source: SOURCE,
        },
      };
    case 'adopt':
      return {
        type: 'AdoptCommitment',
        data: { ...base, adoptedBy: step.option ? ['US', 'VN', party] : ['US', 'VN'], source: SOURCE },
      };
    case 'progress':
      return { type: 'ReportProgress', data: { ...base, summary: 'Progress', source: SOURCE } };
    case 'complete':
      return { type: 'CompleteCommitment', data: { ...base, source: SOURCE } };
    case 'withdraw':
      return {
        type: 'RecordWithdrawal',
        data: { ...base, party, ...(step.option ? { effectiveOn: later } : {}), source: SOURCE },
      };
    case 'join':
      return {
        type: 'RecordAccession',
        data: { ...base, party, ...(step.option ? { effectiveOn: later } : {}), source: SOURCE },
      };
    case 'suspend':
      return {
        type: 'SuspendCommitment',
        data: { ...base, ...(step.option ? { party } : {}), reason: 'Suspended', source: SOURCE },
      };
    case 'resume':
      return {
        type: 'ResumeCommitment',
        data: { ...base, ...(step.option ? { party } : {}), source: SOURCE },
      };
    case 'assess':
      return {
        type: 'AssessCompliance',
        data: { ...base, party, score: ((step.pick % 3) - 1) as -1 | 0 | 1, rationale: 'Assessed' },
      };
    case 'deadline':
      return { type: 'SetDeadline', data: { ...base, dueDate: later, reason: `Deadline ${step.pick}` } };
    case 'follow-up':
      return { type: 'ScheduleFollowUp', data: { ...base, reviewOn: later, note: `Review ${step.pick}` } };
    case 'supersede':
      return {
        type: 'SupersedeCommitment',
        data: {
          ...base,
          supersededBy: step.option ? SUCCESSOR_ID : 'no-such-successor',
          successorExists: step.option,
          source: SOURCE,
        },
      };
    case 'correct':
      return {
        type: 'CorrectProposal',
        data: {
          ...base,
          corrections: step.option ? { proposedBy: party } : { title: `Corrected title ${step.pick % 3}` },
          reason: 'wrong_party',
        },
      };
    case 'sign':
      return { type: 'SignAgreement', data: { ...base, party, source: SOURCE } };
    case 'consent':
      return {
        type: 'RecordAccession',
        data: {
          ...base,
          party,
          action: ACCESSION_ACTIONS[step.pick % ACCESSION_ACTIONS.length],
          ...(step.option ? { effectiveOn: later } : {}),
          source: SOURCE,
        },
      };
    case 'reserve': {
      const kind = RESERVATION_KINDS[step.pick % RESERVATION_KINDS.length];
      const objectsTo = PARTIES[(step.pick + 1) % PARTIES.length];
      return {
        type: 'MakeReservation',
        data: {
          ...base,
          party,
          kind,
          text: `A ${kind}`,
          ...(kind === 'objection' ? { objectsTo } : {}),
          source: SOURCE,
        },
      };
    }
    case 'withdraw-reservation': {
      const reservations = recorded.filter((entry) => entry.event.type === 'ReservationMade');
      const target =
        reservations.length === 0
          ? 'no-such-reservation'
          : reservations[step.pick % reservations.length].eventId;
      return { type: 'WithdrawReservation', data: { ...base, eventId: target, source: SOURCE } };
    }
    case 'retract': {
      const target = recorded.length === 0 ? 'no-such-entry' : recorded[step.pick % recorded.length].eventId;
      return { type: 'RetractEntry', data: { ...base, eventId: target, reason: 'misattributed' } };
    }
  }
}
