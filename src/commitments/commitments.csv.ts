import type { CommitmentView } from './commitment.decider.js';

const COLUMNS: readonly (keyof CommitmentView)[] = [
  'id',
  'title',
  'kind',
  'status',
  'parties',
  'proposedBy',
  'topics',
  'summary',
  'meeting',
  'proposedAt',
  'adoptedAt',
  'completedAt',
  'supersededBy',
  'dueDate',
  'missedDeadlines',
  'overdue',
  'compliance',
  'nextReviewOn',
  'lastDevelopmentAt',
  'version',
  'eventCount',
];

/** RFC 4180 CSV of commitments: a header row, CRLF line ends, fields quoted when they need it. */
export function commitmentsToCsv(items: readonly CommitmentView[]): string {
  const lines = [
    COLUMNS.join(','),
    ...items.map((item) => COLUMNS.map((column) => cell(item, column)).join(',')),
  ];
  return `${lines.join('\r\n')}\r\n`;
}

function cell(item: CommitmentView, column: keyof CommitmentView): string {
  const value = item[column];
  if (column === 'parties') {
    return quote(item.parties.map((p) => `${p.party}:${p.participation}`).join(';'));
  }
  if (Array.isArray(value)) return quote(value.join(';'));
  if (value === null || value === undefined) return '';
  if (typeof value !== 'string') return String(value);
  return quote(value);
}

/**
 * Text a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR first: OWASP's list) is prefixed
 * with an apostrophe (CSV injection). Numbers, such as a negative compliance, are written as they are.
 */
function quote(text: string): string {
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
