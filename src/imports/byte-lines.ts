import type { Readable } from 'node:stream';

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/** One line of a file, as bytes. */
export interface ByteLine {
  /** 1-based physical line number. */
  readonly number: number;
  /** The line without its end (`\n` or `\r\n`); empty when the line was too long. */
  readonly bytes: Buffer;
  /** The line as it stands in the file, its `\n` included when it has one: what a digest covers. */
  readonly raw: Buffer;
  /** Longer than the limit: its bytes were dropped as they came, never held whole. */
  readonly tooLong: boolean;
  /** False only for a last line that the file ends without a newline. */
  readonly terminated: boolean;
}

/**
 * Splits a byte stream into lines without ever holding more than one line (and one chunk) in memory: a
 * line longer than `maxLineBytes` is reported as too long and its bytes are skipped. Lines come in
 * arrays, one per chunk read, so a file of a million short lines costs a few thousand awaits, not a
 * million.
 */
export async function* byteLines(input: Readable, maxLineBytes: number): AsyncGenerator<ByteLine[]> {
  let number = 0;
  let parts: Buffer[] = [];
  let partBytes = 0;
  let tooLong = false;
  for await (const chunk of input as AsyncIterable<Buffer>) {
    const lines: ByteLine[] = [];
    let start = 0;
    for (;;) {
      const end = chunk.indexOf(NEWLINE, start);
      if (end === -1) break;
      const piece = chunk.subarray(start, end + 1);
      const raw = tooLong ? Buffer.alloc(0) : parts.length === 0 ? piece : Buffer.concat([...parts, piece]);
      const long = tooLong || partBytes + piece.length - 1 > maxLineBytes;
      lines.push(line(++number, long ? Buffer.alloc(0) : raw, long, true));
      parts = [];
      partBytes = 0;
      tooLong = false;
      start = end + 1;
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      partBytes += rest.length;
      if (partBytes > maxLineBytes) {
        tooLong = true;
        parts = [];
      } else parts.push(rest);
    }
    if (lines.length > 0) yield lines;
  }
  if (partBytes > 0)
    yield [line(number + 1, tooLong ? Buffer.alloc(0) : Buffer.concat(parts), tooLong, false)];
}

function line(number: number, raw: Buffer, tooLong: boolean, terminated: boolean): ByteLine {
  let end = raw.length;
  if (terminated && end > 0) end--;
  if (end > 0 && raw[end - 1] === CARRIAGE_RETURN) end--;
  return { number, bytes: raw.subarray(0, end), raw, tooLong, terminated };
}
