import type { FastifyReply } from 'fastify';

/** Whether the client asked for CSV rather than JSON. */
export function wantsCsv(accept: string | undefined): boolean {
  return accept !== undefined && /\btext\/csv\b/i.test(accept) && !/\bapplication\/json\b/i.test(accept);
}

/** RFC 4180: a header row, CRLF line ends, fields quoted when they need it. */
export function toCsv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return `${[header, ...rows].map((fields) => fields.map(csvField).join(',')).join('\r\n')}\r\n`;
}

/** Text a spreadsheet would run as a formula is prefixed with an apostrophe (CSV injection). */
export function csvField(text: string): string {
  const safe = /^[=+@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Sends the answer as a CSV download; a next page, if any, is named in `X-Next-Cursor`. */
export function replyWithCsv(reply: FastifyReply, filename: string, nextCursor: string | null): void {
  void reply
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${filename}"`);
  if (nextCursor) void reply.header('x-next-cursor', nextCursor);
}
