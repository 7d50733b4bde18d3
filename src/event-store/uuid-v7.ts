import { randomFillSync } from 'node:crypto';

/**
 * A time-ordered event id: an RFC 9562 version 7 UUID, the 48-bit Unix time in milliseconds first, then
 * the version (7), 12 random bits, the variant (10) and 62 random bits. Ids drawn later sort later (to the
 * millisecond; within one they are random), so the `events_event_id_unique` index grows at its right
 * edge instead of touching a random leaf page per append (see DESIGN.md "The event store").
 */

const BATCH = 256;
const random = Buffer.alloc(16 * BATCH);
let next = BATCH;
const HEX = Array.from({ length: 256 }, (_, n) => n.toString(16).padStart(2, '0'));

export function uuidV7(now: number = Date.now()): string {
  if (next === BATCH) {
    randomFillSync(random);
    next = 0;
  }
  const offset = 16 * next++;
  const bytes = random.subarray(offset, offset + 16);
  // 48 bits of milliseconds, big-endian: the top 16 and the low 32 (bitwise operators are 32-bit).
  const high = Math.floor(now / 2 ** 32);
  const low = now >>> 0;
  bytes[0] = (high >>> 8) & 0xff;
  bytes[1] = high & 0xff;
  bytes[2] = low >>> 24;
  bytes[3] = (low >>> 16) & 0xff;
  bytes[4] = (low >>> 8) & 0xff;
  bytes[5] = low & 0xff;
  bytes[6] = (bytes[6] & 0x0f) | 0x70;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  let text = '';
  for (let i = 0; i < 16; i++) {
    text += HEX[bytes[i]];
    if (i === 3 || i === 5 || i === 7 || i === 9) text += '-';
  }
  return text;
}
