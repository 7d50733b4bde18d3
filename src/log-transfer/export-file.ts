import fs from 'node:fs';
import type { StreamKind } from '../event-store/event-store.types.js';
import {
  EXPORT_FORMAT,
  ExportDigest,
  type ExportedEvent,
  type ExportTrailer,
  parseTrailer,
} from '../event-store/log-export-format.js';
import { type ByteLine, byteLines } from '../imports/byte-lines.js';

/** No exported event comes near this (a body is at most 1 MiB); a longer line is not an export's. */
const MAX_EXPORT_LINE_BYTES = 16 * 1024 * 1024;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const EVENT_KEYS = [
  'eventId',
  'streamId',
  'version',
  'type',
  'occurredAt',
  'recordedAt',
  'recordedBy',
  'metadata',
  'data',
].join();

/** Why a file cannot be restored; nothing was written. */
export class ExportFileError extends Error {
  constructor(message: string) {
    super(`${message}. Nothing was restored.`);
    this.name = 'ExportFileError';
  }
}

/**
 * Reads an export file once, only to check its digest: its last line must be the trailer, and the
 * SHA-256 of every byte before it and the number of lines must match what the trailer says. A truncated
 * or altered file (one byte is enough) is refused before anything is written. Returns the trailer.
 */
export async function checkExportDigest(
  path: string,
  onProgress?: (bytes: number) => void,
): Promise<ExportTrailer> {
  const digest = new ExportDigest();
  let last: ByteLine | null = null;
  let bytes = 0;
  for await (const lines of byteLines(fs.createReadStream(path), MAX_EXPORT_LINE_BYTES)) {
    for (const line of lines) {
      if (last) digest.add(last.raw);
      if (line.tooLong) throw new ExportFileError(`line ${line.number} is longer than any export line`);
      last = line;
      bytes += line.raw.length;
    }
    onProgress?.(bytes);
  }
  if (!last) throw new ExportFileError('the file is empty, not an export (it ends with a digest line)');
  let trailer: ExportTrailer | null;
  try {
    trailer = last.terminated ? parseTrailer(last.bytes.toString('utf8')) : null;
  } catch {
    trailer = null;
  }
  if (!trailer) {
    throw new ExportFileError(
      `the file does not end with the ${EXPORT_FORMAT} digest line: it is truncated (line ${last.number} is ` +
        'its last), or not an export',
    );
  }
  if (digest.events !== trailer.events || digest.hex() !== trailer.sha256) {
    throw new ExportFileError(
      `the file was altered or damaged: its ${digest.events} event lines have the SHA-256 ${digest.hex()}, ` +
        `the digest line says ${trailer.events} lines with ${trailer.sha256}`,
    );
  }
  if (trailer.after !== null) {
    throw new ExportFileError(
      `the file is an export of the events after ${trailer.after}, not of the whole log: restore a full export`,
    );
  }
  return trailer;
}

/**
 * Checks one event line of an export and returns it parsed, with its stream's kind: the fields of the
 * format, a stream of a kind a feature registered and one of its event types, and the stream's next
 * version (`versions` keeps each stream's last one).
 */
export function checkedEventLine(
  lineNumber: number,
  text: string,
  versions: Map<string, number>,
  kinds: readonly StreamKind[],
): { event: ExportedEvent; kind: StreamKind } {
  let event: ExportedEvent;
  try {
    event = JSON.parse(text) as ExportedEvent;
  } catch {
    throw new ExportFileError(`line ${lineNumber} is not JSON`);
  }
  const where = `line ${lineNumber}`;
  if (event === null || typeof event !== 'object' || Object.keys(event).join() !== EVENT_KEYS) {
    throw new ExportFileError(`${where} is not an exported event (its fields are not ${EVENT_KEYS})`);
  }
  const kind = kinds.find((known) => String(event.streamId).startsWith(known.streamPrefix));
  if (!kind) {
    throw new ExportFileError(
      `${where}: stream ${JSON.stringify(event.streamId)} is of no kind this version knows (${kinds.map((k) => `${k.streamPrefix}…`).join(', ')})`,
    );
  }
  if (typeof event.type !== 'string' || !kind.eventTypes.includes(event.type)) {
    throw new ExportFileError(
      `${where}: unknown event type ${JSON.stringify(event.type)} for stream ${event.streamId} (this version knows ${kind.eventTypes.join(', ')})`,
    );
  }
  const expected = (versions.get(event.streamId) ?? 0) + 1;
  if (event.version !== expected) {
    throw new ExportFileError(
      `${where}: event ${event.eventId} is version ${event.version} of ${event.streamId}, where ${expected} ` +
        'comes next (an export holds each stream whole, in order)',
    );
  }
  versions.set(event.streamId, expected);
  const metadata = event.metadata as Record<string, unknown> | null;
  if (
    typeof event.eventId !== 'string' ||
    !UUID.test(event.eventId) ||
    !INSTANT.test(String(event.occurredAt)) ||
    !INSTANT.test(String(event.recordedAt)) ||
    metadata === null ||
    typeof metadata !== 'object' ||
    (metadata.recordedBy ?? null) !== event.recordedBy ||
    event.data === null ||
    typeof event.data !== 'object'
  ) {
    throw new ExportFileError(`${where}: the event's id, instants, metadata or data are not as exported`);
  }
  return { event, kind };
}
