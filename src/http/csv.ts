import type { FastifyReply } from 'fastify';

export type CsvCell = string | number | boolean;

/** RFC 4180: a header row, CRLF line ends, fields quoted when they need it. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return `${[header, ...rows].map((fields) => fields.map(csvField).join(',')).join('\r\n')}\r\n`;
}

/**
 * Text a spreadsheet would run as a formula is prefixed with an apostrophe (CSV injection), and keeps its
 * own text after it. Spreadsheets skip blanks before a formula (a space, NBSP, a zero-width space, a line
 * break) and read fullwidth signs (`＝`) as their ASCII forms, so the check looks at the first character
 * that is not blank once NFKC has folded such forms; a tab or CR first is prefixed too, as OWASP lists them.
 * Numbers, such as a negative compliance, are written as they are.
 */
export function csvField(cell: CsvCell): string {
  const text = typeof cell === 'string' && mightRunAsFormula(cell) ? `'${cell}` : String(cell);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const FORMULA_START = /^[\p{White_Space}\p{Cc}\p{Cf}]*[=+\-@]/u;

function mightRunAsFormula(text: string): boolean {
  return /^[\t\r]/.test(text) || FORMULA_START.test(text.normalize('NFKC'));
}

/** Sends the answer as a CSV download; a next page, if any, is named in `X-Next-Cursor`. */
export function replyWithCsv(reply: FastifyReply, filename: string, nextCursor: string | null): void {
  void reply
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${filename}"`);
  if (nextCursor) void reply.header('x-next-cursor', nextCursor);
}
