import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { IsOptional, validateSync } from 'class-validator';
import fc from 'fast-check';
import { PARTY_CODE } from '../commitments/dto/patterns.js';
import { parseIfMatch } from './conditional-requests.js';
import { PageLimit } from './field-validators.js';
import { jsonKeyFlaw } from './json-keys.js';
import type { ProblemError } from './problem-details.js';
import { textFlaw } from './unicode-text.js';

/**
 * The grammar docs/API.md states ("The input grammar"), as properties over its forms and their near misses:
 * each rule accepts exactly what its message says.
 */
const RUNS = { numRuns: 300, seed: Number(process.env.PROPERTY_SEED ?? 20261208) };

class Page {
  @IsOptional()
  @PageLimit()
  readonly limit?: number;
}

/** What the query DTO makes of `limit=<text>`: its number, or the message of its refusal. */
function pageLimit(text: string): number | string {
  const page = plainToInstance(Page, { limit: text });
  const [error] = validateSync(page);
  return error ? Object.values(error.constraints ?? {})[0] : (page.limit as number);
}

const digits = (n: number) => String(n);

describe('an integer in a query string: decimal digits, no sign, no leading zero, no blanks', () => {
  it('reads every documented form as its number', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), (n) => pageLimit(digits(n)) === n),
      RUNS,
    );
  });

  it('refuses every near miss with the message it states', () => {
    const nearMiss = fc.oneof(
      fc.integer({ min: 1, max: 200 }).map((n) => `0${n}`),
      fc.integer({ min: 1, max: 200 }).map((n) => ` ${n}`),
      fc.integer({ min: 1, max: 200 }).map((n) => `${n} `),
      fc.integer({ min: 1, max: 200 }).map((n) => `+${n}`),
      fc.integer({ min: 1, max: 200 }).map((n) => `${n}.0`),
      fc.integer({ min: 1, max: 2 }).map((n) => `${n}e2`),
      fc.integer({ min: 1, max: 200 }).map((n) => `0x${n.toString(16)}`),
      fc.integer({ min: 1, max: 200 }).map((n) => `0b${n.toString(2)}`),
      fc.integer({ min: 201, max: 10 ** 12 }).map(digits),
      fc.integer({ min: -1000, max: 0 }).map(digits),
      fc.constantFrom('', ' ', '1e2', '0x10', ' 5', '007', 'Infinity', 'NaN', '١٢', '１２'),
    );
    fc.assert(
      fc.property(nearMiss, (text) => pageLimit(text) === 'limit must be an integer from 1 to 200'),
      RUNS,
    );
  });
});

describe('If-Match: a version in quotes, as the ETag gives it', () => {
  const refused = (value: string) => {
    try {
      parseIfMatch(value);
      return false;
    } catch (error) {
      return /must be a version in quotes/.test((error as ProblemError).errors?.[0]?.message ?? '');
    }
  };
  const version = fc.integer({ min: 0, max: 2_147_483_647 });

  it('reads every documented form', () => {
    fc.assert(
      fc.property(version, fc.boolean(), (v, weak) => parseIfMatch(`${weak ? 'W/' : ''}"${v}"`) === v),
      RUNS,
    );
  });

  it('refuses every near miss as not in quotes', () => {
    const nearMiss = fc.oneof(
      version.map(digits),
      version.map((v) => `"${v}" `),
      version.map((v) => ` "${v}"`),
      version.map((v) => `"0${v}"`),
      version.map((v) => `'${v}'`),
      version.map((v) => `"${v}`),
      version.map((v) => `${v}"`),
      version.map((v) => `"+${v}"`),
      version.map((v) => `w/"${v}"`),
      version.map((v) => `"${v}", "${v}"`),
    );
    fc.assert(fc.property(nearMiss, refused), RUNS);
  });
});

describe('a party code: an upper-case letter, then letters and digits, single hyphens between, 2–16 long', () => {
  const upper = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ');
  const alnum = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789');
  const segment = fc.string({ unit: alnum, minLength: 1, maxLength: 4 });
  const code = fc
    .tuple(upper, fc.string({ unit: alnum, maxLength: 3 }), fc.array(segment, { maxLength: 3 }))
    .map(([first, rest, more]) => [first + rest, ...more].join('-'))
    .filter((text) => text.length >= 2 && text.length <= 16);

  it('accepts every documented form', () => {
    fc.assert(
      fc.property(code, (text) => PARTY_CODE.test(text)),
      RUNS,
    );
  });

  it('refuses every near miss', () => {
    const nearMiss = fc.oneof(
      code.map((text) => `${text}-`),
      code.map((text) => text.replace(/^(.)/, '$1--')),
      code.map((text) => text.toLowerCase()),
      code.map((text) => `-${text}`),
      code.map((text) => `9${text}`),
      code.map((text) => `${text} `),
      code.map((text) => text.padEnd(17, 'X')),
      upper,
      fc.constantFrom('A-', 'US-', 'A--B', 'Ａ1'),
    );
    fc.assert(
      fc.property(nearMiss, (text) => !PARTY_CODE.test(text)),
      RUNS,
    );
  });
});

describe('text: no C0 control but tab, line feed and carriage return', () => {
  const ordinary = fc.string({ unit: fc.constantFrom(...'abc xyz.,;é漢😀'), maxLength: 12 });
  const refusedControl = fc
    .integer({ min: 1, max: 0x1f })
    .filter((code) => ![0x09, 0x0a, 0x0d].includes(code))
    .map((code) => String.fromCharCode(code));

  it('accepts tab, line feed and carriage return anywhere', () => {
    fc.assert(
      fc.property(ordinary, fc.constantFrom('\t', '\n', '\r', '\r\n'), ordinary, (a, control, b) => {
        return textFlaw(a + control + b) === null;
      }),
      RUNS,
    );
  });

  it('refuses any other C0 control, naming it and its index', () => {
    fc.assert(
      fc.property(ordinary, refusedControl, ordinary, (a, control, b) => {
        const code = control.charCodeAt(0).toString(16).padStart(4, '0');
        return (
          textFlaw(a + control + b) ===
          `must not contain control characters: it has \\u${code} at index ${a.length} ` +
            '(tab, line feed and carriage return are the only ones allowed)'
        );
      }),
      RUNS,
    );
  });
});

describe('JSON: no key twice in one object, none reaching a prototype', () => {
  const key = fc.string({ unit: fc.constantFrom(...'abcxyzXYZ_1 é"'), maxLength: 6 });
  const document = fc.dictionary(
    fc.string({ maxLength: 6 }).filter((k) => k !== '__proto__' && k !== 'prototype'),
    fc.jsonValue({ maxDepth: 2 }),
    { minKeys: 1, maxKeys: 5 },
  );

  it('finds nothing in a document JSON.stringify writes', () => {
    fc.assert(
      fc.property(document, (value) => jsonKeyFlaw(JSON.stringify(value)) === null),
      RUNS,
    );
  });

  it('names a key given twice, at any depth, however it is escaped', () => {
    fc.assert(
      fc.property(document, key, fc.jsonValue({ maxDepth: 1 }), (value, name, extra) => {
        const escaped = JSON.stringify(name).replace(/[a-z]/, (c) => `\\u00${c.charCodeAt(0).toString(16)}`);
        const twice = `{"outer":[1,{${JSON.stringify(name)}:1,${escaped}:${JSON.stringify(extra)}}],"rest":${JSON.stringify(value)}}`;
        return jsonKeyFlaw(twice)?.field === `outer[1].${name}`;
      }),
      RUNS,
    );
  });

  it.each([
    ['{"a":{"__proto__":{"admin":true}}}', 'a.__proto__'],
    ['{"constructor":{"prototype":{"x":1}}}', 'constructor.prototype'],
    ['[{"title":"a"},{"title":"b","title":"c"}]', '[1].title'],
  ])('refuses %s at %s', (text, field) => {
    expect(jsonKeyFlaw(text)?.field).toBe(field);
  });

  it('lets a key named like a forbidden one stand where it reaches nothing', () => {
    expect(jsonKeyFlaw('{"constructor":"x","prototype":1,"a":{"prototype":2}}')).toBeNull();
    expect(jsonKeyFlaw('{"a":"__proto__","b":["__proto__","__proto__"]}')).toBeNull();
  });
});
