import { COMMITMENT_KINDS, STANCES } from '../domain/commitment.events.js';
import {
  type DevelopmentDescription,
  optionsOf,
  PARTIES_HINT,
  partyField,
} from './development-description.js';

/** A commitment's course: proposed, talked about, adopted, worked on, completed or superseded. */
export const LIFECYCLE_DEVELOPMENTS = [
  {
    action: 'propose',
    path: '/commitments',
    operationId: 'proposeCommitment',
    label: 'Propose a commitment',
    summary: 'Propose a commitment (CommitmentProposed)',
    worldFact: 'required',
    fields: [
      { name: 'title', label: 'Title', kind: 'text', required: true },
      { name: 'id', label: 'Id', kind: 'text', hint: 'a-z, 0-9 and -; made from the title when empty' },
      { name: 'kind', label: 'Kind', kind: 'select', required: true, options: optionsOf(COMMITMENT_KINDS) },
      { name: 'parties', label: 'Parties', kind: 'list', required: true, hint: PARTIES_HINT },
      partyField('proposedBy', 'Proposed by'),
      {
        name: 'topics',
        label: 'Topics',
        kind: 'list',
        hint: 'Lower-case tags such as ai, maritime-security',
      },
      { name: 'summary', label: 'Summary', kind: 'textarea' },
      { name: 'dueDate', label: 'Due date', kind: 'date' },
      {
        name: 'entryIntoForce.instruments',
        label: 'Enters into force after instrument no.',
        kind: 'text',
        numeric: true,
        hint: 'Agreements only: the instrument of consent whose deposit starts the period',
      },
      {
        name: 'entryIntoForce.daysAfter',
        label: '… plus days',
        kind: 'text',
        numeric: true,
        hint: 'Days, or months below: one of the two',
      },
      { name: 'entryIntoForce.monthsAfter', label: '… plus calendar months', kind: 'text', numeric: true },
    ],
  },
  {
    action: 'statements',
    path: '/commitments/{id}/statements',
    operationId: 'recordStatement',
    label: 'Record a statement',
    summary: 'Record a statement (StatementRecorded)',
    worldFact: 'required',
    fields: [
      { name: 'speaker.name', label: 'Speaker', kind: 'text', required: true },
      { name: 'speaker.role', label: 'Speaker’s role', kind: 'text' },
      partyField('speaker.party', 'Speaker’s party'),
      { name: 'stance', label: 'Stance', kind: 'select', required: true, options: optionsOf(STANCES) },
      { name: 'summary', label: 'Summary', kind: 'textarea', required: true },
    ],
  },
  {
    action: 'adoptions',
    path: '/commitments/{id}/adoptions',
    operationId: 'adoptCommitment',
    label: 'Record an adoption',
    summary: 'Record an adoption (CommitmentAdopted)',
    worldFact: 'required',
    fields: [
      { name: 'adoptedBy', label: 'Adopted by', kind: 'list', required: true, hint: PARTIES_HINT },
      { name: 'witnessedBy', label: 'Witnessed by', kind: 'list', hint: PARTIES_HINT },
      { name: 'documentTitle', label: 'Document title', kind: 'text' },
    ],
  },
  {
    action: 'progress',
    path: '/commitments/{id}/progress',
    operationId: 'reportProgress',
    label: 'Report progress',
    summary: 'Report progress (ProgressReported)',
    worldFact: 'required',
    metrics: true,
    fields: [{ name: 'summary', label: 'Summary', kind: 'textarea', required: true }],
  },
  {
    action: 'completions',
    path: '/commitments/{id}/completions',
    operationId: 'completeCommitment',
    label: 'Record completion',
    summary: 'Record completion (CommitmentCompleted; legal only after adoption)',
    worldFact: 'required',
    fields: [{ name: 'summary', label: 'Summary', kind: 'textarea' }],
  },
  {
    action: 'supersessions',
    path: '/commitments/{id}/supersessions',
    operationId: 'supersedeCommitment',
    label: 'Record supersession',
    summary: 'Record supersession by an existing commitment (CommitmentSuperseded, terminal)',
    worldFact: 'required',
    fields: [
      {
        name: 'supersededBy',
        label: 'Superseded by',
        kind: 'text',
        required: true,
        hint: 'An existing commitment id',
      },
    ],
  },
] as const satisfies readonly DevelopmentDescription[];

export type LifecycleAction = (typeof LIFECYCLE_DEVELOPMENTS)[number]['action'];
