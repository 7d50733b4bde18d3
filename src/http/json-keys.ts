import type { FieldError } from './problem-details.js';

interface Level {
  /** The keys seen so far, for an object; `null` for an array. */
  readonly keys: Set<string> | null;
  readonly path: string;
  /** The key under which this level is nested in its parent object. */
  readonly parentKey: string | null;
  expectKey: boolean;
  lastKey: string;
  index: number;
}

/**
 * The first key of a JSON text that a JSON object must not hold here, or `null`: a key given twice in one
 * object (`JSON.parse` keeps the last without a word), and `__proto__` or `constructor.prototype`, which
 * reach an object's prototype in JavaScript. `text` must be valid JSON (it has been parsed already), so a
 * scan of its structure suffices.
 */
export function jsonKeyFlaw(text: string): FieldError | null {
  const stack: Level[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const top = stack.at(-1);
    if (c === '"') {
      const end = endOfString(text, i);
      if (top?.keys && top.expectKey) {
        const key = JSON.parse(text.slice(i, end + 1)) as string;
        const flaw = keyFlaw(top.keys, top, key);
        if (flaw) return flaw;
        top.keys.add(key);
        top.lastKey = key;
        top.expectKey = false;
      }
      i = end;
    } else if (c === '{' || c === '[') {
      const path = !top ? '' : top.keys ? childPath(top.path, top.lastKey) : `${top.path}[${top.index}]`;
      stack.push({
        keys: c === '{' ? new Set() : null,
        path,
        parentKey: top?.keys ? top.lastKey : null,
        expectKey: c === '{',
        lastKey: '',
        index: 0,
      });
    } else if (c === '}' || c === ']') {
      stack.pop();
    } else if (c === ',' && top) {
      if (top.keys) top.expectKey = true;
      else top.index++;
    }
  }
  return null;
}

function keyFlaw(keys: ReadonlySet<string>, level: Level, key: string): FieldError | null {
  const field = childPath(level.path, key);
  const name = shortened(key);
  if (key === '__proto__' || (key === 'prototype' && level.parentKey === 'constructor')) {
    return { field, message: `${name} is not allowed as a key: it would reach an object's prototype` };
  }
  if (keys.has(key)) {
    return { field, message: `${name} is given more than once in the same object: give each field once` };
  }
  return null;
}

/** The index of the quote that closes the string opening at `start`. */
function endOfString(text: string, start: number): number {
  let i = start + 1;
  while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
  return i;
}

function childPath(parent: string, key: string): string {
  const name = shortened(key);
  return parent ? `${parent}.${name}` : name;
}

/** A key is the client's text, possibly 10,000 characters of it: echo only its start. */
function shortened(key: string): string {
  const characters = [...key.toWellFormed()];
  return characters.length > 100 ? `${characters.slice(0, 100).join('')}…` : characters.join('');
}
