import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ProblemError } from '../http/problem-details.js';

export interface SpooledFile {
  readonly path: string;
  readonly bytes: number;
  remove(): void;
}

/**
 * Writes a request body to a temporary file as it arrives, so that a file far larger than memory can
 * be imported and the request answered as soon as it is received. More than `maxBytes` is a 413, and
 * nothing is kept.
 */
export async function spoolToTemporaryFile(body: Readable, maxBytes: number): Promise<SpooledFile> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'import-'));
  const file = path.join(dir, 'upload');
  const remove = () => fs.rmSync(dir, { recursive: true, force: true });
  let bytes = 0;
  // Past the limit the rest is read and dropped rather than the stream destroyed, which would cut the
  // connection before the 413 could be sent.
  const limit = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      done(null, bytes > maxBytes ? undefined : chunk);
    },
  });
  try {
    await pipeline(body, limit, fs.createWriteStream(file));
  } catch (error) {
    remove();
    throw error;
  }
  if (bytes > maxBytes) {
    remove();
    throw tooLarge(maxBytes);
  }
  return { path: file, bytes, remove };
}

function tooLarge(maxBytes: number): ProblemError {
  return new ProblemError(
    413,
    'import-too-large',
    'File too large',
    `The file is larger than the import limit of ${maxBytes.toLocaleString('en-US')} bytes: split it, and import the parts one after the other.`,
  );
}
