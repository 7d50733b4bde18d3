import { parseQueryStrictly } from './strict-query.js';

describe('parseQueryStrictly', () => {
  it('parses like a browser encodes: + is a space, names repeat into arrays, no prototype', () => {
    const query = parseQueryStrictly('q=caf%C3%A9+au+lait&a=1&a=2&flag&__proto__=x');
    expect({ ...query }).toEqual({ q: 'café au lait', a: ['1', '2'], flag: '', ['__proto__']: 'x' });
    expect(Object.getPrototypeOf(query)).toBeNull();
  });

  it.each(['q=%FF', 'q=%ED%A0%80', 'q=100%', 'q=%E2%82', 'q=%C0%AF'])(
    'records %s as a flaw, not as text',
    (raw) => {
      const query = parseQueryStrictly(raw);
      expect(query.q).toBeUndefined();
      const [flaws] = Object.getOwnPropertySymbols(query).map(
        (symbol) => (query as Record<symbol, unknown>)[symbol],
      );
      expect(flaws).toEqual([
        { field: 'q', message: expect.stringMatching(/^q must be percent-encoded UTF-8/) },
      ]);
    },
  );
});
