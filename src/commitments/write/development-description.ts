/**
 * What a kind of development is, told once: its endpoint, its documentation, and the form the web app
 * offers for it. This module and the families' descriptions import nothing but the domain, so the
 * server (routes, OpenAPI, the seed and the import) and the web app (forms) read the same objects.
 */

export type FieldKind = 'text' | 'textarea' | 'date' | 'when' | 'select' | 'list' | 'event';

export interface FieldOption {
  readonly value: string;
  /** Shown in the form; the value, humanised, when absent. */
  readonly label?: string;
}

export interface FieldSpec {
  /** The field's path in the request body: the path the API's `errors[].field` names. */
  readonly name: string;
  readonly label: string;
  readonly kind: FieldKind;
  readonly required?: boolean;
  readonly hint?: string;
  readonly options?: readonly FieldOption[];
  /** Sent as a number (a select's value, or a number typed in). */
  readonly numeric?: boolean;
  /** An entry to choose (`event`): only entries of these types. */
  readonly eventTypes?: readonly string[];
}

/** World facts carry when and where from: required, optional (assessments, deadlines) or none. */
export type WorldFactRequirement = 'required' | 'optional' | 'none';

export interface DevelopmentDescription<Action extends string = string> {
  /** The development's name in the API (the last segment of its path) and in an import line. */
  readonly action: Action;
  /** The OpenAPI path of its endpoint; `{id}` is the commitment, `{eventId}` a field the form asks for. */
  readonly path: string;
  /** The OpenAPI operation id, which a generated client names its call by. */
  readonly operationId: string;
  /** What the analyst does: the form's title and its entry in the list of actions. */
  readonly label: string;
  /** The event it records, and when it is legal: the endpoint's summary in the API documentation. */
  readonly summary: string;
  readonly worldFact: WorldFactRequirement;
  readonly fields: readonly FieldSpec[];
  /** Progress reports take metrics, rows of name, value, unit and period. */
  readonly metrics?: boolean;
}

/** Options whose label is the value, humanised by the form. */
export const optionsOf = (values: readonly string[]): FieldOption[] => values.map((value) => ({ value }));

const PARTY_HINT = 'A party code: US, VN, ASEAN…';
export const PARTIES_HINT = 'Party codes separated by commas or spaces';

export const partyField = (name: string, label: string, required = true): FieldSpec => ({
  name,
  label,
  kind: 'text',
  required,
  hint: PARTY_HINT,
});

/** The shared fields of world facts (API.md "Shared fields"), after the action's own. */
export function worldFactFields(requirement: WorldFactRequirement): FieldSpec[] {
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
