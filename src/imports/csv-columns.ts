/**
 * The CSV column set of an import (API.md "Imports"): one development per row, a header row naming the
 * columns in any order, an empty cell meaning "absent". Each column is a field of the line, most of them
 * a field of the API body (`sourceTitle` is `source.title`); lists are `;`-separated. Progress metrics
 * have no column: a progress report with metrics goes in NDJSON.
 */
type ColumnKind = 'text' | 'list' | 'number';

interface Column {
  /** Where the cell goes in the line (the body's path for body fields). */
  readonly path: readonly string[];
  readonly kind: ColumnKind;
}

const text = (...path: string[]): Column => ({ path, kind: 'text' });
const list = (...path: string[]): Column => ({ path, kind: 'list' });
const number = (...path: string[]): Column => ({ path, kind: 'number' });

export const CSV_COLUMNS: Readonly<Record<string, Column>> = {
  action: text('action'),
  commitmentId: text('commitmentId'),
  idempotencyKey: text('idempotencyKey'),
  retractsKey: text('retractsKey'),
  occurredAt: text('occurredAt'),
  meeting: text('meeting'),
  sourceTitle: text('source', 'title'),
  sourcePublisher: text('source', 'publisher'),
  sourceUrl: text('source', 'url'),
  sourcePublishedAt: text('source', 'publishedAt'),
  sourceQuote: text('source', 'quote'),
  title: text('title'),
  kind: text('kind'),
  parties: list('parties'),
  proposedBy: text('proposedBy'),
  topics: list('topics'),
  summary: text('summary'),
  dueDate: text('dueDate'),
  speakerName: text('speaker', 'name'),
  speakerRole: text('speaker', 'role'),
  speakerParty: text('speaker', 'party'),
  stance: text('stance'),
  adoptedBy: list('adoptedBy'),
  witnessedBy: list('witnessedBy'),
  documentTitle: text('documentTitle'),
  party: text('party'),
  effectiveOn: text('effectiveOn'),
  reason: text('reason'),
  score: number('score'),
  rationale: text('rationale'),
  period: text('period'),
  supersededBy: text('supersededBy'),
  reviewOn: text('reviewOn'),
  note: text('note'),
  assignee: text('assignee'),
  eventId: text('eventId'),
  entryIntoForceInstruments: number('entryIntoForce', 'instruments'),
  entryIntoForceDaysAfter: number('entryIntoForce', 'daysAfter'),
  entryIntoForceMonthsAfter: number('entryIntoForce', 'monthsAfter'),
  accessionAction: text('accessionAction'),
  text: text('text'),
  objectsTo: text('objectsTo'),
};

const COLUMN_OF_PATH = new Map(
  Object.entries(CSV_COLUMNS).map(([name, column]) => [column.path.join('.'), name]),
);

/** The column a field path of the body comes from (`source.title` → `sourceTitle`), or the path itself. */
export function columnOfField(field: string): string {
  return COLUMN_OF_PATH.get(field.replace(/\[\d+\]$/, '')) ?? field;
}

/** Why a header row is not one of this column set, or null when it is. */
export function headerFlaw(header: readonly string[]): string | null {
  const unknown = header.filter((name) => !(name in CSV_COLUMNS));
  if (unknown.length > 0) {
    return (
      `unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((name) => JSON.stringify(name)).join(', ')}; ` +
      `the columns are ${Object.keys(CSV_COLUMNS).join(', ')}`
    );
  }
  const repeated = header.filter((name, index) => header.indexOf(name) !== index);
  if (repeated.length > 0) return `column ${JSON.stringify(repeated[0])} appears twice`;
  if (!header.includes('action')) return 'the header has no "action" column';
  return null;
}

/** A spreadsheet cell protected against formula injection (`'=…`, as the API's CSV writes it) is read back without its apostrophe. */
function cellText(cell: string): string {
  return /^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell;
}

/** A row's cells as the line's fields: empty cells are absent, lists split on `;`, a score read as a number. */
export function fieldsOfRow(header: readonly string[], cells: readonly string[]): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  header.forEach((name, index) => {
    const cell = cells[index] ?? '';
    if (cell === '') return;
    const column = CSV_COLUMNS[name];
    const value =
      column.kind === 'list'
        ? cell
            .split(';')
            .map((item) => item.trim())
            .filter((item) => item !== '')
        : column.kind === 'number' && /^-?\d+(?:\.\d+)?$/.test(cellText(cell).trim())
          ? Number(cellText(cell).trim())
          : cellText(cell);
    let target = fields;
    for (const key of column.path.slice(0, -1)) {
      target[key] ??= {};
      target = target[key] as Record<string, unknown>;
    }
    target[column.path[column.path.length - 1]] = value;
  });
  return fields;
}
