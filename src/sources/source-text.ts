import { createHash } from 'node:crypto';

/**
 * How a source's text is identified, and how a quote is found in it.
 *
 * The digest (`sha256`) is taken of the text as captured, made independent of how it travelled: Unicode
 * NFC, line ends as LF, no trailing spaces or tabs on a line, no blank lines at the start or the end.
 * The same text registered again has the same digest, and is the same source.
 *
 * A quote is found in a text when it occurs in it after both are normalised the way quoting changes text
 * and nothing else: runs of white space become one space, typographic quotes become straight ones, and
 * dashes and minus signs become hyphens. Letters, case, punctuation and words must be as in the source.
 */

export const DIGEST_NORMALISATION =
  'NFC, LF line ends, no trailing spaces or tabs, no blank lines at either end';

export function normaliseForDigest(text: string): string {
  return text
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t]+$/gm, '')
    .replace(/^\n+|\n+$/g, '');
}

export function digestOf(text: string): string {
  return createHash('sha256').update(normaliseForDigest(text), 'utf8').digest('hex');
}

export function normaliseForQuotes(text: string): string {
  return text
    .replace(/[\u2018\u2019\u201A\u201B\u2032]/g, "'")
    .replace(/[\u201C\u201D\u201E\u201F\u2033]/g, '"')
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/\s+/g, ' ')
    .trim();
}

export type QuoteSearch =
  { readonly found: true } | { readonly found: false; readonly closest: string | null };

const MAX_PASSAGE = 400;

/** Whether `quote` occurs in `text` (see above); if not, the passage of the text most like it. */
export function findQuote(text: string, quote: string): QuoteSearch {
  if (normaliseForQuotes(text).includes(normaliseForQuotes(quote))) return { found: true };
  return { found: false, closest: closestPassage(text, quote) };
}

function words(text: string): Set<string> {
  return new Set(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
}

/**
 * The sentence, or pair of adjacent sentences, sharing the largest part of its words with the quote
 * (Jaccard similarity of their word sets): what an analyst would check the quote against.
 */
function closestPassage(text: string, quote: string): string | null {
  // A line break ends a sentence too: a heading has no full stop.
  const sentences = text
    .split(/\n+/)
    .flatMap((line) => normaliseForQuotes(line).split(/(?<=[.!?]["')\]]*)\s+/))
    .filter((sentence) => sentence.length > 0);
  const wanted = words(normaliseForQuotes(quote));
  if (wanted.size === 0 || sentences.length === 0) return null;
  let best: { passage: string; score: number } = { passage: '', score: 0 };
  for (let i = 0; i < sentences.length; i++) {
    for (const passage of [sentences[i], `${sentences[i]} ${sentences[i + 1] ?? ''}`.trim()]) {
      const present = words(passage);
      let shared = 0;
      for (const word of wanted) if (present.has(word)) shared++;
      const score = shared / (wanted.size + present.size - shared);
      if (score > best.score) best = { passage, score };
    }
  }
  if (best.score === 0) return null;
  return best.passage.length <= MAX_PASSAGE ? best.passage : `${best.passage.slice(0, MAX_PASSAGE)}…`;
}
