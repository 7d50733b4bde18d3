import fc from 'fast-check';
import { plainToInstance } from 'class-transformer';
import { isUUID, validate } from 'class-validator';
import { RetractEntryDto } from '../commitments/write/corrections.controller.js';
import { ExportQueryDto } from '../log-transfer/export.dto.js';
import { uuidV7 } from './uuid-v7.js';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The Unix milliseconds in a v7 UUID's first 48 bits. */
const millisOf = (uuid: string) => parseInt(uuid.replace(/-/g, '').slice(0, 12), 16);

describe('uuidV7', () => {
  it('is an RFC 9562 version 7 UUID carrying the time it was drawn at, to the millisecond', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 48 - 1 }), (ms) => {
        const id = uuidV7(ms);
        expect(id).toMatch(V7);
        expect(millisOf(id)).toBe(ms);
        expect(isUUID(id, 7)).toBe(true);
        expect(isUUID(id, 'all')).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('draws from now by default, sorts by time across milliseconds, and does not repeat', () => {
    const before = Date.now();
    const ids = Array.from({ length: 5000 }, () => uuidV7());
    const after = Date.now();
    for (const id of ids) expect(millisOf(id)).toBeGreaterThanOrEqual(before);
    for (const id of ids) expect(millisOf(id)).toBeLessThanOrEqual(after);
    expect(new Set(ids).size).toBe(ids.length);
    const earlier = uuidV7(1_700_000_000_000);
    const later = uuidV7(1_700_000_000_001);
    expect(earlier < later).toBe(true);
  });

  it('is accepted where event ids are taken: retraction bodies and export filters', async () => {
    const id = uuidV7();
    const retraction = plainToInstance(RetractEntryDto, { eventId: id, reason: 'typo' });
    expect((await validate(retraction)).filter((error) => error.property === 'eventId')).toEqual([]);
    expect(await validate(plainToInstance(ExportQueryDto, { after: id }))).toEqual([]);
  });
});
