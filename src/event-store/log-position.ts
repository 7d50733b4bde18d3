import type { LogPosition } from './event-store.types.js';

/** Where the log begins: every real position compares greater. In text, `0-0`. */
export const START_OF_LOG: LogPosition = { transactionId: '0', globalPosition: '0' };

/** `<transaction id>-<global position>`: the opaque text form of a log position in the API. */
const POSITION_TEXT = /^(0|[1-9]\d{0,19})-(0|[1-9]\d{0,18})$/;
const MAX_XID8 = 2n ** 64n - 1n;
const MAX_BIGINT = 2n ** 63n - 1n;

export const LOG_POSITION_DESCRIPTION =
  'An opaque position in the global log, "<transactionId>-<globalPosition>" (e.g. "7421-1093"): the ' +
  "writing transaction and the event's sequence number. The log is read in that pair's order, which is " +
  'commit order: an event never appears before one that committed earlier. "0-0" is the start of the log.';

export function isStartOfLog(position: LogPosition): boolean {
  return position.transactionId === '0' && position.globalPosition === '0';
}

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

/** Orders positions (decimal text, as the server prints xid8 and bigint) as the log does. */
export function compareLogPositions(a: LogPosition, b: LogPosition): number {
  return (
    compareDecimal(a.transactionId, b.transactionId) || compareDecimal(a.globalPosition, b.globalPosition)
  );
}

function compareDecimal(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}
