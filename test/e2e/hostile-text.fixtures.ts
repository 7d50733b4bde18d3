import fc from 'fast-check';

/**
 * Runs are seeded so that a failure reproduces: `HOSTILE_SEED=<seed> npm test -- test/e2e/hostile-…`.
 * fast-check also prints the seed and the shrunk counterexample when a property fails.
 */
export const HOSTILE_SEED = Number(process.env.HOSTILE_SEED ?? 20261123);

export const LONE_SURROGATES = ['\ud800', '\udbff', '\udc00', '\udfff'];
/** Bidirectional controls, marks and isolates: the "Trojan Source" characters. */
export const BIDI_CONTROLS = [
  '\u202a',
  '\u202b',
  '\u202c',
  '\u202d',
  '\u202e',
  '\u2066',
  '\u2067',
  '\u2068',
  '\u2069',
  '\u200e',
  '\u200f',
  '\u061c',
];
export const ASTRAL = ['😀', '𝕏', '\u{10FFFF}', '\u{1F1FA}\u{1F1F8}', '👩‍👩‍👧', '\u{E0001}'];
/** NUL, BOM, replacement and non-characters, zero-width and combining marks, line and CSV/formula syntax. */
export const ODD = [
  '\u0000',
  '\ufeff',
  '\ufffd',
  '\uffff',
  '\u200b',
  '\u0301',
  '\ufe0f',
  '\r\n',
  '\u2028',
  '"',
  ',',
  '=',
  '-',
  '@',
  '\t',
  "'",
  '\\',
  '%',
  '+',
  '&',
  ' ',
];

/** One character PostgreSQL can store: any code point but NUL, often one of the troublemakers above. */
const storableUnit = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }).filter((c) => c !== '\u0000'),
  },
  { weight: 1, arbitrary: fc.constantFrom(...BIDI_CONTROLS) },
  { weight: 1, arbitrary: fc.constantFrom(...ASTRAL) },
  { weight: 2, arbitrary: fc.constantFrom(...ODD.filter((c) => c !== '\u0000')) },
);

/** One character in the loosest sense: also a lone surrogate half (two may pair up) or NUL. */
const anyUnit = fc.oneof(
  { weight: 6, arbitrary: storableUnit },
  { weight: 1, arbitrary: fc.constantFrom(...LONE_SURROGATES) },
  { weight: 1, arbitrary: fc.constant('\u0000') },
);

/** `text` repeated to exactly `count` code points (a lone surrogate counts as one). */
function repeatTo(text: string, count: number): string {
  const points = Array.from(text);
  return Array.from({ length: count }, (_, i) => points[i % points.length]).join('');
}

const LIMITS = [49, 50, 51, 99, 100, 101, 199, 200, 201, 299, 300, 301, 499, 500, 501, 999, 1000, 1001];
const LONG = [1999, 2000, 2001, 4999, 5000, 5001, 9999, 10_000];

/**
 * Short strings of any characters, short strings that can be stored, and strings around every field's
 * limit up to 10,000 characters (astral ones make that 20,000 UTF-16 units).
 */
export const hostileText = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: anyUnit, maxLength: 24 }) },
  { weight: 4, arbitrary: fc.string({ unit: storableUnit, minLength: 1, maxLength: 24 }) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.string({ unit: storableUnit, minLength: 1, maxLength: 3 }),
        fc.constantFrom(...LIMITS, ...LONG),
      )
      .map(([text, count]) => repeatTo(text, count)),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.string({ unit: anyUnit, minLength: 1, maxLength: 3 }), fc.constantFrom(...LIMITS, ...LONG))
      .map(([text, count]) => repeatTo(text, count)),
  },
);

/** The C0 controls the API refuses in any text: all but tab, line feed and carriage return. */
// eslint-disable-next-line no-control-regex -- these are exactly the characters refused
const REFUSED_CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/;

/** What the API accepts as free text of at most `max` characters (code points). */
export function acceptableText(text: string, max: number): boolean {
  const length = Array.from(text).length;
  return text.isWellFormed() && !REFUSED_CONTROLS.test(text) && length >= 1 && length <= max;
}

/** Whether the text alone must make the request a 400 naming its field, whatever the field. */
export function unstorable(text: string): boolean {
  return !text.isWellFormed() || REFUSED_CONTROLS.test(text);
}

/**
 * Percent-encodes text as a URL component, writing a lone surrogate as the three bytes generalized UTF-8
 * would give it (`%ED%A0%80`): what a client with a careless encoder sends, and not UTF-8.
 */
export function percentEncode(text: string): string {
  let out = '';
  for (const point of text) {
    if (point.isWellFormed()) out += encodeURIComponent(point);
    else {
      const unit = point.charCodeAt(0);
      const bytes = [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)];
      out += bytes.map((b) => `%${b.toString(16).toUpperCase()}`).join('');
    }
  }
  return out;
}

/** Percent-encodings that decode to no UTF-8 text: an overlong, a surrogate, beyond U+10FFFF, truncated. */
export const MALFORMED_PERCENT = ['%', '%F', '%FF', '%C0%AF', '%ED%A0%80', '%F4%90%80%80', '%E2%82', '%ZZ'];

/** Byte sequences that are not UTF-8, for JSON bodies. */
export const INVALID_UTF8: readonly (readonly number[])[] = [
  [0x80],
  [0xbf],
  [0xc0, 0xaf],
  [0xc1, 0xbf],
  [0xe0, 0x80, 0xaf],
  [0xed, 0xa0, 0x80],
  [0xed, 0xbf, 0xbf],
  [0xf0, 0x82, 0x82, 0xac],
  [0xf4, 0x90, 0x80, 0x80],
  [0xf5, 0x80, 0x80, 0x80],
  [0xfe],
  [0xff],
  [0xe2, 0x82],
  [0xf0, 0x9f, 0x98],
];

/** `obj` with the value at `path` (`source.title`, `metrics[0].name`) replaced; a deep copy. */
export function withValueAt(
  obj: Record<string, unknown>,
  path: string,
  value: unknown,
): Record<string, unknown> {
  const copy = structuredClone(obj);
  const keys = path.replace(/\[(\d+)\]/g, '.$1').split('.');
  let target = copy as Record<string, unknown>;
  for (const key of keys.slice(0, -1)) {
    target[key] ??= /^\d+$/.test(key) ? [] : {};
    target = target[key] as Record<string, unknown>;
  }
  target[keys[keys.length - 1]] = value;
  return copy;
}

export function valueAt(obj: unknown, path: string): unknown {
  return path
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], obj);
}

/** A readable description of a string in a failure message: code units in hex, shortened. */
export function describeText(text: string): string {
  const units = Array.from({ length: Math.min(text.length, 12) }, (_, i) =>
    text.charCodeAt(i).toString(16).padStart(4, '0'),
  );
  return `${text.length} units [${units.join(' ')}${text.length > 12 ? ' …' : ''}]`;
}
