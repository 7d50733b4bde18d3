import { humanize } from '../lib/format.js';
import { ACCESSION_ACTIONS, COMMITMENT_KINDS, RESERVATION_KINDS, STANCES } from '../lib/types.js';

/** The development endpoints of the API, as the forms name them (the path segment under a commitment). */
export type DevelopmentAction =
  | 'propose'
  | 'statements'
  | 'adoptions'
  | 'progress'
  | 'completions'
  | 'withdrawals'
  | 'accessions'
  | 'suspensions'
  | 'resumptions'
  | 'assessments'
  | 'supersessions'
  | 'deadlines'
  | 'follow-ups'
  | 'retractions'
  | 'signatures'
  | 'reservations'
  | 'reservation-withdrawals';

export type FieldKind = 'text' | 'textarea' | 'date' | 'when' | 'select' | 'list' | 'event';

export interface FieldSpec {
  /** The field's path in the request body: the path the API's `errors[].field` names. */
  readonly name: string;
  readonly label: string;
  readonly kind: FieldKind;
  readonly required?: boolean;
  readonly hint?: string;
  readonly options?: readonly { readonly value: string; readonly label: string }[];
  /** Sent as a number (a select's value, or a number typed in). */
  readonly numeric?: boolean;
  /** An entry to choose (`event`): only entries of these types. */
  readonly eventTypes?: readonly string[];
}

export interface ActionSpec {
  readonly action: DevelopmentAction;
  /** What the analyst does: the form's title and its entry in the list of actions. */
  readonly label: string;
  readonly fields: readonly FieldSpec[];
  /** World facts carry when and where from: required, optional (assessments, deadlines) or none. */
  readonly worldFact: 'required' | 'optional' | 'none';
  /** Progress reports take metrics, rows of name, value, unit and period. */
  readonly metrics?: boolean;
  /** The endpoint under the commitment when it is not the action's name; `{eventId}` is the field's value. */
  readonly path?: string;
}

const options = (values: readonly string[]) => values.map((value) => ({ value, label: humanize(value) }));
const PARTY_HINT = 'A party code: US, VN, ASEAN…';
const PARTIES_HINT = 'Party codes separated by commas or spaces';

const party = (name: string, label: string, required = true): FieldSpec => ({
  name,
  label,
  kind: 'text',
  required,
  hint: PARTY_HINT,
});

/** Every action of the API with its own fields, in the order the commitment page offers them. */
export const ACTIONS: readonly ActionSpec[] = [
  {
    action: 'propose',
    label: 'Propose a commitment',
    worldFact: 'required',
    fields: [
      { name: 'title', label: 'Title', kind: 'text', required: true },
      { name: 'id', label: 'Id', kind: 'text', hint: 'a-z, 0-9 and -; made from the title when empty' },
      { name: 'kind', label: 'Kind', kind: 'select', required: true, options: options(COMMITMENT_KINDS) },
      { name: 'parties', label: 'Parties', kind: 'list', required: true, hint: PARTIES_HINT },
      party('proposedBy', 'Proposed by'),
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
    label: 'Record a statement',
    worldFact: 'required',
    fields: [
      { name: 'speaker.name', label: 'Speaker', kind: 'text', required: true },
      { name: 'speaker.role', label: 'Speaker’s role', kind: 'text' },
      party('speaker.party', 'Speaker’s party'),
      { name: 'stance', label: 'Stance', kind: 'select', required: true, options: options(STANCES) },
      { name: 'summary', label: 'Summary', kind: 'textarea', required: true },
    ],
  },
  {
    action: 'adoptions',
    label: 'Record an adoption',
    worldFact: 'required',
    fields: [
      { name: 'adoptedBy', label: 'Adopted by', kind: 'list', required: true, hint: PARTIES_HINT },
      { name: 'witnessedBy', label: 'Witnessed by', kind: 'list', hint: PARTIES_HINT },
      { name: 'documentTitle', label: 'Document title', kind: 'text' },
    ],
  },
  {
    action: 'progress',
    label: 'Report progress',
    worldFact: 'required',
    metrics: true,
    fields: [{ name: 'summary', label: 'Summary', kind: 'textarea', required: true }],
  },
  {
    action: 'completions',
    label: 'Record completion',
    worldFact: 'required',
    fields: [{ name: 'summary', label: 'Summary', kind: 'textarea' }],
  },
  {
    action: 'withdrawals',
    label: 'Record a withdrawal',
    worldFact: 'required',
    fields: [
      party('party', 'Withdrawing party'),
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
    label: 'Record an accession',
    worldFact: 'required',
    fields: [
      party('party', 'Joining party'),
      {
        name: 'action',
        label: 'As',
        kind: 'select',
        options: options(ACCESSION_ACTIONS),
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
    action: 'signatures',
    label: 'Record a signature',
    worldFact: 'required',
    fields: [party('party', 'Signing party')],
  },
  {
    action: 'reservations',
    label: 'Record a reservation, declaration or objection',
    worldFact: 'required',
    fields: [
      party('party', 'Party'),
      { name: 'kind', label: 'Kind', kind: 'select', required: true, options: options(RESERVATION_KINDS) },
      { name: 'text', label: 'Text', kind: 'textarea', required: true },
      { ...party('objectsTo', 'Objects to', false), hint: 'Objections only: the party whose reservation' },
    ],
  },
  {
    action: 'reservation-withdrawals',
    label: 'Withdraw a reservation',
    worldFact: 'required',
    path: 'reservations/{eventId}/withdrawals',
    fields: [
      {
        name: 'eventId',
        label: 'Reservation',
        kind: 'event',
        required: true,
        eventTypes: ['ReservationMade'],
      },
    ],
  },
  {
    action: 'suspensions',
    label: 'Record a suspension',
    worldFact: 'required',
    fields: [
      { ...party('party', 'Suspending party', false), hint: 'Empty: the whole commitment is suspended' },
      { name: 'reason', label: 'Reason', kind: 'textarea', required: true },
    ],
  },
  {
    action: 'resumptions',
    label: 'Record a resumption',
    worldFact: 'required',
    fields: [{ ...party('party', 'Resuming party', false), hint: 'Must match an earlier suspension' }],
  },
  {
    action: 'assessments',
    label: 'Assess compliance',
    worldFact: 'optional',
    fields: [
      party('party', 'Assessed party'),
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
  {
    action: 'supersessions',
    label: 'Record supersession',
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
  {
    action: 'deadlines',
    label: 'Set a deadline',
    worldFact: 'optional',
    fields: [
      { name: 'dueDate', label: 'Due date', kind: 'date', required: true },
      { name: 'reason', label: 'Reason', kind: 'textarea' },
    ],
  },
  {
    action: 'follow-ups',
    label: 'Schedule a follow-up',
    worldFact: 'none',
    fields: [
      { name: 'reviewOn', label: 'Review on', kind: 'date', required: true },
      { name: 'note', label: 'Note', kind: 'textarea', required: true },
      { name: 'assignee', label: 'Assignee', kind: 'text' },
    ],
  },
  {
    action: 'retractions',
    label: 'Retract an entry',
    worldFact: 'none',
    fields: [
      { name: 'eventId', label: 'Entry', kind: 'event', required: true },
      { name: 'reason', label: 'Reason', kind: 'textarea', required: true },
    ],
  },
];

export function actionSpec(action: DevelopmentAction): ActionSpec {
  return ACTIONS.find((spec) => spec.action === action)!;
}

/** The shared fields of world facts (API.md "Shared fields"), after the action's own. */
export function worldFactFields(requirement: ActionSpec['worldFact']): FieldSpec[] {
  if (requirement === 'none') return [];
  const required = requirement === 'required';
  return [
    {
      name: 'occurredAt',
      label: 'Occurred at',
      kind: 'when',
      required,
      hint: required
        ? 'A date (YYYY-MM-DD), or a date-time with offset (2024-10-11T09:00+07:00)'
        : 'Empty: now. A date, or a date-time with offset',
    },
    { name: 'meeting', label: 'Meeting', kind: 'text', hint: 'Such as 13th ASEAN–US Summit, Kuala Lumpur' },
    { name: 'source.title', label: 'Source title', kind: 'text', required },
    { name: 'source.publisher', label: 'Publisher', kind: 'text' },
    { name: 'source.url', label: 'Source address (URL)', kind: 'text', hint: 'http:// or https://' },
    { name: 'source.publishedAt', label: 'Published on', kind: 'date' },
    {
      name: 'source.quote',
      label: 'Quote, word for word',
      kind: 'textarea',
      hint: 'At most 1,000 characters',
    },
  ];
}

export const METRIC_PARTS = ['name', 'value', 'unit', 'period'] as const;
