import { type CsvCell, toCsv } from '../../http/csv.js';
import type { CommitmentView } from '../domain/commitment.view.js';

/** The entry-into-force rule is not a column: its dates show in `status` (`in_force`). */
type Column = Exclude<keyof CommitmentView, 'entryIntoForce'>;

const COLUMNS: readonly Column[] = [
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

/** The CSV export of commitments: one row per commitment, lists joined with `;`. */
export function commitmentsToCsv(items: readonly CommitmentView[]): string {
  return toCsv(
    COLUMNS,
    items.map((item) => COLUMNS.map((column) => cell(item, column))),
  );
}

function cell(item: CommitmentView, column: Column): CsvCell {
  if (column === 'parties') return item.parties.map((p) => `${p.party}:${p.participation}`).join(';');
  const value = item[column];
  if (Array.isArray(value)) return value.join(';');
  if (value === null || value === undefined) return '';
  return value;
}
