import { COMMITMENT_KINDS } from '../domain/commitment.events.js';
import { CORRECTION_REASONS } from '../domain/corrections/corrections.development-rules.js';
import { type DevelopmentDescription, optionsOf, partyField } from './development-description.js';

const REASON_HINT = `${CORRECTION_REASONS.join(', ')}; any other text is reason other, with the text as its note`;

/** Corrections of the record: an entry retracted, details of the proposal put right. */
export const CORRECTIONS_DEVELOPMENTS = [
  {
    action: 'retractions',
    path: '/commitments/{id}/retractions',
    operationId: 'retractEntry',
    label: 'Retract an entry',
    summary:
      'Retract an earlier entry (EntryRetracted), with a coded reason; the entry stays in the history, marked',
    worldFact: 'none',
    fields: [
      { name: 'eventId', label: 'Entry', kind: 'event', required: true },
      { name: 'reason', label: 'Reason', kind: 'textarea', required: true, hint: REASON_HINT },
      { name: 'note', label: 'Note', kind: 'textarea', hint: 'Required with reason other' },
    ],
  },
  {
    action: 'corrections',
    path: '/commitments/{id}/corrections',
    operationId: 'correctProposal',
    label: 'Correct the proposal',
    summary: 'Correct details of the proposal (ProposalCorrected): title, kind, proposedBy, summary, topics',
    worldFact: 'none',
    fields: [
      {
        name: 'reason',
        label: 'Reason',
        kind: 'select',
        required: true,
        options: optionsOf(CORRECTION_REASONS),
      },
      { name: 'note', label: 'Note', kind: 'textarea', hint: 'Required with reason other' },
      { name: 'title', label: 'Title', kind: 'text', hint: 'Name only what was wrong, with its right value' },
      { name: 'kind', label: 'Kind', kind: 'select', options: optionsOf(COMMITMENT_KINDS) },
      partyField('proposedBy', 'Proposed by', false),
      { name: 'summary', label: 'Summary', kind: 'textarea' },
      {
        name: 'topics',
        label: 'Topics',
        kind: 'list',
        hint: 'Lower-case tags such as ai, maritime-security',
      },
      {
        name: 'source.title',
        label: 'Source title',
        kind: 'text',
        hint: 'What the corrected details rest on',
      },
      { name: 'source.url', label: 'Source address (URL)', kind: 'text', hint: 'http:// or https://' },
    ],
  },
] as const satisfies readonly DevelopmentDescription[];

export type CorrectionsAction = (typeof CORRECTIONS_DEVELOPMENTS)[number]['action'];
