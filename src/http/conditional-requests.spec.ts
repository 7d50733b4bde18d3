import { parseIfMatch } from './conditional-requests.js';
import type { ProblemError } from './problem-details.js';

describe('parseIfMatch', () => {
  const refusal = (value: string) => {
    try {
      parseIfMatch(value);
    } catch (error) {
      return (error as ProblemError).errors?.[0]?.message;
    }
    throw new Error(`${value} was accepted`);
  };

  it('reads a version in quotes, as the ETag gives it (a weakened one too), and nothing when absent', () => {
    expect(parseIfMatch(undefined)).toBeUndefined();
    expect(parseIfMatch('"3"')).toBe(3);
    expect(parseIfMatch('"0"')).toBe(0);
    expect(parseIfMatch('W/"12"')).toBe(12);
    expect(parseIfMatch('"2147483647"')).toBe(2147483647);
  });

  it('says a quoted number beyond any version is out of range, not malformed', () => {
    expect(refusal('"99999999999"')).toMatch(
      /out of range: a version is a whole number from 0 to 2147483647/,
    );
    expect(refusal('"2147483648"')).toMatch(/out of range/);
    expect(refusal(`"${'9'.repeat(500)}"`)).toMatch(/^If-Match "9{20}…" is out of range/);
  });

  it.each([
    'abc',
    '"3", "4"',
    '*',
    '"-1"',
    '"1.5"',
    '1',
    ' 7 ',
    '"2" ',
    ' "2"',
    '"00002"',
    '"0000000000042"',
    '"3',
    '3"',
    'w/"3"',
    '"+3"',
    '"1e2"',
    '""',
  ])('refuses %j as not a version', (value) => {
    expect(refusal(value)).toMatch(/must be a version in quotes/);
  });
});
