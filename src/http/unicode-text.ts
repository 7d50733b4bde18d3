/**
 * Text checks shared by every way input reaches the API (JSON bodies, query strings, path parameters).
 * PostgreSQL stores UTF-8: a string JavaScript can hold but UTF-8 cannot encode (a lone UTF-16 surrogate,
 * from a `\ud800` escape in JSON) must be refused where it enters, with the field named, not fail in SQL.
 */

/** Why a string cannot be stored as text, phrased to follow the field's name; `null` when it can. */
export function textFlaw(text: string): string | null {
  if (!text.isWellFormed()) {
    const index = loneSurrogateIndex(text);
    const unit = text.charCodeAt(index).toString(16);
    return `must be well-formed Unicode: it has a lone surrogate \\u${unit} at index ${index}`;
  }
  if (text.includes('\u0000')) return 'must not contain NUL (\\u0000) characters';
  const control = CONTROL_CHARACTER.exec(text);
  if (control) {
    const code = control[0].charCodeAt(0).toString(16).padStart(4, '0');
    return (
      `must not contain control characters: it has \\u${code} at index ${control.index} ` +
      '(tab, line feed and carriage return are the only ones allowed)'
    );
  }
  return null;
}

/** The C0 controls other than tab, LF and CR: no text of the API means them, and XML cannot carry them. */
// eslint-disable-next-line no-control-regex -- these are exactly the characters to refuse
const CONTROL_CHARACTER = /[\u0001-\u0008\u000B\u000C\u000E-\u001F]/;

/** The index of the first UTF-16 code unit that is half of a surrogate pair without its other half. */
function loneSurrogateIndex(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
      else return i;
    } else if (unit >= 0xdc00 && unit <= 0xdfff) {
      return i;
    }
  }
  return -1;
}

/** Length in Unicode code points: what the API's "at most N characters" limits count. */
export function characterCount(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    count++;
  }
  return count;
}

/**
 * The offset of the first byte that is not part of a well-formed UTF-8 sequence (RFC 3629: no overlong
 * forms, no surrogates, nothing above U+10FFFF), or -1. Called only once a strict decoder has failed, to
 * tell the client where.
 */
export function invalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i];
    if (lead < 0x80) {
      i++;
      continue;
    }
    const trailing =
      lead >= 0xc2 && lead <= 0xdf
        ? 1
        : lead >= 0xe0 && lead <= 0xef
          ? 2
          : lead >= 0xf0 && lead <= 0xf4
            ? 3
            : 0;
    if (trailing === 0) return i;
    // The second byte's range excludes overlong forms (E0, F0), surrogates (ED) and > U+10FFFF (F4).
    const low = lead === 0xe0 ? 0xa0 : lead === 0xf0 ? 0x90 : 0x80;
    const high = lead === 0xed ? 0x9f : lead === 0xf4 ? 0x8f : 0xbf;
    for (let k = 1; k <= trailing; k++) {
      const byte = bytes[i + k];
      if (byte === undefined) return i;
      if (k === 1 ? byte < low || byte > high : byte < 0x80 || byte > 0xbf) return i;
    }
    i += trailing + 1;
  }
  return -1;
}
