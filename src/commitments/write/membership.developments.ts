import { ACCESSION_ACTIONS } from '../domain/commitment.events.js';
import { type DevelopmentDescription, optionsOf, partyField } from './development-description.js';

/** Who takes part and how well: parties leaving, joining, suspending and resuming, assessed. */
export const MEMBERSHIP_DEVELOPMENTS = [
  {
    action: 'withdrawals',
    path: '/commitments/{id}/withdrawals',
    operationId: 'recordWithdrawal',
    label: 'Record a withdrawal',
    summary: 'Record a party withdrawing (PartyWithdrew), effective now or on effectiveOn',
    worldFact: 'required',
    fields: [
      partyField('party', 'Withdrawing party'),
      {
        name: 'effectiveOn',
        label: 'Effective on',
        kind: 'date',
        hint: 'When it takes legal effect; default: when it occurred',
      },
      { name: 'reason', label: 'Reason', kind: 'textarea' },
    ],
  },
  {
    action: 'accessions',
    path: '/commitments/{id}/accessions',
    operationId: 'recordAccession',
    label: 'Record an accession',
    summary: 'Record a party joining or rejoining (PartyJoined)',
    worldFact: 'required',
    fields: [
      partyField('party', 'Joining party'),
      {
        name: 'action',
        label: 'As',
        kind: 'select',
        options: optionsOf(ACCESSION_ACTIONS),
        hint: 'Empty: joining. Any other is an instrument of consent deposited when it occurred',
      },
      {
        name: 'effectiveOn',
        label: 'Effective on',
        kind: 'date',
        hint: 'Default: when it occurred, or as the entry-into-force rule says',
      },
    ],
  },
  {
    action: 'suspensions',
    path: '/commitments/{id}/suspensions',
    operationId: 'suspendCommitment',
    label: 'Record a suspension',
    summary: 'Record a suspension, of one party’s part or of the whole (CommitmentSuspended)',
    worldFact: 'required',
    fields: [
      { ...partyField('party', 'Suspending party', false), hint: 'Empty: the whole commitment is suspended' },
      { name: 'reason', label: 'Reason', kind: 'textarea', required: true },
    ],
  },
  {
    action: 'resumptions',
    path: '/commitments/{id}/resumptions',
    operationId: 'resumeCommitment',
    label: 'Record a resumption',
    summary: 'Record a resumption matching an earlier suspension (CommitmentResumed)',
    worldFact: 'required',
    fields: [{ ...partyField('party', 'Resuming party', false), hint: 'Must match an earlier suspension' }],
  },
  {
    action: 'assessments',
    path: '/commitments/{id}/assessments',
    operationId: 'assessCompliance',
    label: 'Assess compliance',
    summary: 'Record a compliance assessment of one party (ComplianceAssessed, -1/0/+1)',
    worldFact: 'optional',
    fields: [
      partyField('party', 'Assessed party'),
      {
        name: 'score',
        label: 'Score',
        kind: 'select',
        required: true,
        numeric: true,
        options: [
          { value: '1', label: '+1 complied' },
          { value: '0', label: '0 partial / work in progress' },
          { value: '-1', label: '−1 not complied' },
        ],
      },
      { name: 'rationale', label: 'Rationale', kind: 'textarea', required: true },
      { name: 'period', label: 'Period', kind: 'text', hint: 'Such as 2025 final' },
    ],
  },
] as const satisfies readonly DevelopmentDescription[];

export type MembershipAction = (typeof MEMBERSHIP_DEVELOPMENTS)[number]['action'];
