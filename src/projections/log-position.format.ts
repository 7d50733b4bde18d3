import type { LogPosition } from '../event-store/event-store.types.js';

/** `<transaction id>-<global position>`: the opaque text form of a log position in the API. */
const POSITION_TEXT = /^(0|[1-9]\d{0,19})-(0|[1-9]\d{0,18})$/;
const MAX_XID8 = 2n ** 64n - 1n;
const MAX_BIGINT = 2n ** 63n - 1n;

export const LOG_POSITION_DESCRIPTION =
  'An opaque position in the global log, "<transactionId>-<globalPosition>" (e.g. "7421-1093"): the ' +
  "writing transaction and the event's sequence number. The log is read in that pair's order, which is " +
  'commit order: an event never appears before one that committed earlier.';

export function formatLogPosition(position: LogPosition): string {
  return `${position.transactionId}-${position.globalPosition}`;
}

/** The position a text names, or null when it is not one. */
export function parseLogPosition(text: string): LogPosition | null {
  const match = POSITION_TEXT.exec(text);
  if (!match || BigInt(match[1]) > MAX_XID8 || BigInt(match[2]) > MAX_BIGINT) return null;
  return { transactionId: match[1], globalPosition: match[2] };
}

export function isLogPositionText(value: unknown): boolean {
  return typeof value === 'string' && parseLogPosition(value) !== null;
}
