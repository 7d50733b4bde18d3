import {
  canonicalText,
  describeRowDifference,
  fieldDifferences,
  MAX_FIELDS_PER_ROW,
  streamRowDifferences,
} from './row-differences.js';

describe('canonical form of rows', () => {
  it('ignores key order and undefined members, keeps array order, writes dates as ISO text', () => {
    expect(canonicalText({ b: 1, a: [2, 1], c: undefined })).toBe(canonicalText({ a: [2, 1], b: 1 }));
    expect(canonicalText({ a: [1, 2] })).not.toBe(canonicalText({ a: [2, 1] }));
    expect(canonicalText({ at: new Date('2024-03-01T00:00:00Z') })).toBe(
      canonicalText({ at: '2024-03-01T00:00:00.000Z' }),
    );
    expect(canonicalText({ n: 10n, nested: { z: 1, y: { x: null } } })).toBe(
      '{"n":"10","nested":{"y":{"x":null},"z":1}}',
    );
  });
});

describe('differences between stored and expected rows', () => {
  const party = (name: string, stance: string | null) => ({ party: name, stance, statuses: ['proposed'] });

  it('finds none between equal multisets of rows, whatever their order', () => {
    expect(
      streamRowDifferences(
        [party('VN', null), party('US', 'supports')],
        [party('US', 'supports'), party('VN', null)],
        ['party'],
      ),
    ).toEqual([]);
  });

  it('pairs rows on their key and names the values that differ', () => {
    const stored = [{ ...party('VN', 'supports'), statuses: ['proposed', 'adopted'] }];
    const expected = [{ ...party('VN', 'opposes'), statuses: ['proposed', 'completed'] }];
    expect(streamRowDifferences(stored, expected, ['party'])).toEqual([
      {
        kind: 'different_values',
        row: 'party=VN',
        fields: [
          { field: 'stance', stored: 'supports', expected: 'opposes' },
          { field: 'statuses', stored: ['proposed', 'adopted'], expected: ['proposed', 'completed'] },
        ],
      },
    ]);
  });

  it('reports a row the events do not give and a row they give that is missing', () => {
    expect(streamRowDifferences([party('ZZ', null)], [party('VN', null)], ['party'])).toEqual([
      { kind: 'unexpected_row', row: 'party=ZZ', fields: [] },
      { kind: 'missing_row', row: 'party=VN', fields: [] },
    ]);
  });

  it('counts duplicated rows: one stored copy too many is unexpected', () => {
    const row = { kind: 'review', date: '2025-06-05', note: 'interim' };
    expect(streamRowDifferences([row, row], [row], ['kind', 'date', 'note'])).toEqual([
      { kind: 'unexpected_row', row: 'kind=review, date=2025-06-05, note=interim', fields: [] },
    ]);
    expect(streamRowDifferences([row], [row, row], ['kind', 'date', 'note'])).toEqual([
      { kind: 'missing_row', row: 'kind=review, date=2025-06-05, note=interim', fields: [] },
    ]);
  });

  it('follows JSON columns down to the member that differs', () => {
    const snapshot = (stage: string, party: string) => ({
      id: 'c',
      snapshot: { stage, parties: [{ party }], topics: ['a'] },
    });
    expect(fieldDifferences(snapshot('proposed', 'VN'), snapshot('adopted', 'US'))).toEqual([
      { field: 'snapshot.parties[0].party', stored: 'VN', expected: 'US' },
      { field: 'snapshot.stage', stored: 'proposed', expected: 'adopted' },
    ]);
  });

  it('lists at most a bounded number of values per row', () => {
    const wide = (value: number) =>
      Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`c${i}`, value]));
    expect(fieldDifferences(wide(1), wide(2))).toHaveLength(MAX_FIELDS_PER_ROW);
  });

  it('describes each kind in one line naming the table, the row and the values', () => {
    expect(
      describeRowDifference('party_commitments', {
        kind: 'different_values',
        row: 'party=VN',
        fields: [{ field: 'stance', stored: 'supports', expected: 'opposes' }],
      }),
    ).toBe('party_commitments row party=VN: stance is "supports", the events give "opposes"');
    expect(describeRowDifference('commitment_status', { kind: 'missing_row', row: '', fields: [] })).toBe(
      'commitment_status lacks the row that the events give',
    );
    const long = describeRowDifference('t', {
      kind: 'different_values',
      row: '',
      fields: [{ field: 'summary', stored: 'x'.repeat(500), expected: null }],
    });
    expect(long.length).toBeLessThan(200);
    expect(long).toContain('…');
  });
});
