import fc from 'fast-check';
import { characterCount, invalidUtf8Offset, textFlaw } from './unicode-text.js';

const SEED = 20261123;
const STRICT = new TextDecoder('utf-8', { fatal: true });

describe('textFlaw', () => {
  it.each([
    ['bad \ud800 x', /lone surrogate \\ud800 at index 4/],
    ['\udc00', /lone surrogate \\udc00 at index 0/],
    ['ok 😀 then \udfff', /lone surrogate \\udfff at index 11/],
    ['a\u0000b', /NUL/],
    ['a\u0001b', /control characters: it has \\u0001 at index 1/],
    ['line\u000bbreak', /control characters: it has \\u000b at index 4/],
  ])('refuses %j', (text, message) => {
    expect(textFlaw(text)).toMatch(message);
  });

  it('accepts well-formed text without NUL or another C0 control but tab, LF and CR, whatever its characters', () => {
    // eslint-disable-next-line no-control-regex -- the controls refused
    const control = /[\u0001-\u0008\u000b\u000c\u000e-\u001f]/;
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(textFlaw(text)).toEqual(
          text.includes('\u0000')
            ? expect.stringMatching(/NUL/)
            : control.test(text)
              ? expect.stringMatching(/control characters/)
              : null,
        );
      }),
      { seed: SEED },
    );
  });
});

describe('characterCount', () => {
  it('counts code points, a lone surrogate as one, like Array.from', () => {
    const unit = fc.oneof(fc.string({ unit: 'binary', maxLength: 1 }), fc.constantFrom('\ud800', '\udc00'));
    fc.assert(
      fc.property(fc.string({ unit }), (text) => {
        expect(characterCount(text)).toBe(Array.from(text).length);
      }),
      { seed: SEED },
    );
  });
});

describe('invalidUtf8Offset', () => {
  it('is -1 exactly when a strict decoder accepts the bytes, else the first byte it cannot place', () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 24 }),
      fc
        .tuple(fc.string({ unit: 'binary' }), fc.uint8Array({ maxLength: 4 }), fc.string({ unit: 'binary' }))
        .map(([head, junk, tail]) => Buffer.concat([Buffer.from(head), junk, Buffer.from(tail)])),
    );
    fc.assert(
      fc.property(bytes, (input) => {
        const offset = invalidUtf8Offset(input);
        let valid = true;
        try {
          STRICT.decode(input);
        } catch {
          valid = false;
        }
        expect(offset === -1).toBe(valid);
        if (!valid) {
          // Everything before the offset is UTF-8, and the sequence starting there is not.
          expect(() => STRICT.decode(input.subarray(0, offset))).not.toThrow();
          expect(() => STRICT.decode(input.subarray(offset))).toThrow();
        }
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it.each([
    [[0x61, 0x80], 1],
    [[0xc0, 0xaf], 0],
    [[0x61, 0xed, 0xa0, 0x80], 1],
    [[0xf4, 0x90, 0x80, 0x80], 0],
    [[0xe2, 0x82], 0],
    [[0xe2, 0x82, 0xac, 0xff], 3],
  ])('finds the first invalid byte of %j at %i', (bytes, offset) => {
    expect(invalidUtf8Offset(Uint8Array.from(bytes))).toBe(offset);
  });
});
