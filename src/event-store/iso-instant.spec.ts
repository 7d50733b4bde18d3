import fc from 'fast-check';
import { isoInstant } from './iso-instant.js';

describe('isoInstant', () => {
  it('writes what toISOString writes, for any instant of years 0000–9999 and beyond', () => {
    fc.assert(
      fc.property(fc.integer({ min: -70_000_000_000_000, max: 260_000_000_000_000 }), (ms) => {
        expect(isoInstant(ms)).toBe(new Date(ms).toISOString());
      }),
      { numRuns: 20_000 },
    );
  });

  it('gets the edges right: the epoch, leap days, the first and last instants of 4-digit years', () => {
    const year0 = new Date(0);
    year0.setUTCFullYear(0, 0, 1);
    const instants = [
      0,
      -1,
      Date.UTC(2024, 1, 29, 23, 59, 59, 999),
      Date.UTC(2000, 1, 29),
      Date.UTC(1900, 2, 1) - 1,
      Date.UTC(9999, 11, 31, 23, 59, 59, 999),
      Date.UTC(9999, 11, 31, 23, 59, 59, 999) + 1,
      year0.getTime(),
      year0.getTime() - 1,
    ];
    for (const ms of instants) expect(isoInstant(ms)).toBe(new Date(ms).toISOString());
  });
});
