import type { Readable } from 'node:stream';
import { BODY_LIMIT_BYTES, ProblemError, type ProblemDetails, toProblem } from '../http/problem-details.js';
import { parseJsonDocument } from '../http/strict-json-body.js';
import { invalidUtf8Offset } from '../http/unicode-text.js';
import { type ByteLine, byteLines } from './byte-lines.js';
import { fieldsOfRow, headerFlaw } from './csv-columns.js';
import type { ImportFormat } from './import-jobs.js';

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/** One line (NDJSON) or row (CSV) of an import file: its fields, or why they cannot be read. */
export type SourceLine =
  | { readonly line: number; readonly fields: Record<string, unknown>; readonly problem?: undefined }
  | { readonly line: number; readonly fields?: undefined; readonly problem: ProblemDetails };

/** The file itself cannot be imported (a CSV without a usable header): no line is read. */
export class ImportFileError extends Error {}

/** How far the reading has come, for the job's progress. */
export interface ReadPosition {
  bytes: number;
  /** The last physical line read. */
  line: number;
}

/**
 * The lines of an import file, a chunk's worth at a time, never more than one line held beyond that:
 * each at most 1 MiB (the API's body limit), strict UTF-8, blank lines skipped. CSV rows may span lines
 * (quoted fields); a row is numbered by the line it starts on, the header being line 1.
 */
export async function* importLines(
  input: Readable,
  format: ImportFormat,
  position: ReadPosition,
): AsyncGenerator<SourceLine[]> {
  const csv = format === 'csv' ? new CsvRows() : null;
  for await (const chunk of byteLines(input, BODY_LIMIT_BYTES)) {
    const lines: SourceLine[] = [];
    for (const byteLine of chunk) {
      position.bytes += byteLine.raw.length;
      position.line = byteLine.number;
      const line = csv ? csv.take(byteLine) : ndjsonLine(byteLine);
      if (line) lines.push(line);
    }
    if (lines.length > 0) yield lines;
  }
  const unfinished = csv?.finish();
  if (unfinished) yield [unfinished];
}

function ndjsonLine(byteLine: ByteLine): SourceLine | null {
  const line = byteLine.number;
  const decoded = decode(byteLine);
  if (typeof decoded !== 'string') return { line, problem: decoded };
  if (decoded.trim() === '') return null;
  try {
    const fields = parseJsonDocument(decoded);
    if (fields === null || typeof fields !== 'object' || Array.isArray(fields)) {
      return {
        line,
        problem: toProblem(
          new ProblemError(400, 'validation', 'Validation failed', 'The body must be a JSON object.'),
        ).problem,
      };
    }
    return { line, fields: fields as Record<string, unknown> };
  } catch (error) {
    if (error instanceof ProblemError) return { line, problem: toProblem(error).problem };
    return { line, problem: fastifyProblem('FST_ERR_CTP_INVALID_JSON_BODY', 400) };
  }
}

/** The line's text, or the problem the API answers for a body that is not UTF-8 or is too long. */
function decode(byteLine: ByteLine): string | ProblemDetails {
  if (byteLine.tooLong) {
    return toProblem(
      new ProblemError(
        413,
        'import-line-too-large',
        'Line too large',
        `The line is longer than the limit of ${BODY_LIMIT_BYTES / 1024 ** 2} MiB ` +
          `(${BODY_LIMIT_BYTES.toLocaleString('en-US')} bytes): one development per line, ` +
          'each at most as large as the body of its POST.',
      ),
    ).problem;
  }
  try {
    return STRICT_UTF8.decode(byteLine.bytes);
  } catch {
    return toProblem(
      new ProblemError(
        400,
        'invalid-utf8',
        'Body is not UTF-8',
        `The line is not valid UTF-8 (the first invalid byte is at offset ${invalidUtf8Offset(byteLine.bytes)} of the line): ` +
          'save the file as UTF-8.',
      ),
    ).problem;
  }
}

/** The problem the API answers when Fastify refuses a body (so a line gets the same). */
function fastifyProblem(code: string, statusCode: number): ProblemDetails {
  return toProblem({ code, statusCode, message: code }).problem;
}

/** RFC 4180 rows over physical lines: quoted fields with commas, `""` and line breaks; a BOM; CRLF. */
class CsvRows {
  private header: string[] | null = null;
  private cells: string[] = [];
  private cell = '';
  private quoted = false;
  private startLine = 0;
  private rowBytes = 0;
  private broken: ProblemDetails | null = null;

  take(byteLine: ByteLine): SourceLine | null {
    if (!this.quoted) this.startLine = byteLine.number;
    const decoded = decode(byteLine);
    this.rowBytes += byteLine.raw.length;
    if (typeof decoded !== 'string') this.broken ??= decoded;
    else this.scan(byteLine.number === 1 ? decoded.replace(/^\uFEFF/, '') : decoded);
    if (this.rowBytes > BODY_LIMIT_BYTES) this.broken ??= fastifyProblem('FST_ERR_CTP_BODY_TOO_LARGE', 413);
    if (this.quoted && this.broken === null) {
      this.cell += '\n';
      return null;
    }
    return this.endRow();
  }

  finish(): SourceLine | null {
    if (!this.quoted) return null;
    this.quoted = false;
    this.broken ??= toProblem(
      new ProblemError(
        400,
        'validation',
        'Validation failed',
        'The row has a quoted field that is never closed.',
      ),
    ).problem;
    return this.endRow();
  }

  private scan(text: string): void {
    for (let at = 0; at < text.length; at++) {
      const char = text[at];
      if (this.quoted) {
        if (char !== '"') this.cell += char;
        else if (text[at + 1] === '"') {
          this.cell += '"';
          at++;
        } else this.quoted = false;
      } else if (char === '"' && this.cell === '') this.quoted = true;
      else if (char === ',') {
        this.cells.push(this.cell);
        this.cell = '';
      } else this.cell += char;
    }
  }

  private endRow(): SourceLine | null {
    const cells = [...this.cells, this.cell];
    const line = this.startLine;
    const broken = this.broken;
    this.cells = [];
    this.cell = '';
    this.quoted = false;
    this.rowBytes = 0;
    this.broken = null;
    if (broken) {
      if (this.header === null)
        throw new ImportFileError(`the header row (line ${line}) cannot be read: ${broken.detail}`);
      return { line, problem: broken };
    }
    if (this.header === null) {
      const header = cells.map((name) => name.trim());
      const flaw = headerFlaw(header);
      if (flaw) throw new ImportFileError(`the CSV header row is not usable: ${flaw}`);
      this.header = header;
      return null;
    }
    if (cells.every((cell) => cell.trim() === '')) return null;
    if (cells.slice(this.header.length).some((cell) => cell.trim() !== '')) {
      // An unquoted comma shifted the cells: reading them into the columns would record the wrong fields.
      const detail = `The row has ${cells.length} cells where the header names ${this.header.length} columns: quote a cell that holds a comma.`;
      return {
        line,
        problem: toProblem(new ProblemError(400, 'validation', 'Validation failed', detail)).problem,
      };
    }
    return { line, fields: fieldsOfRow(this.header, cells) };
  }
}
