import { describe, expect, it } from 'vitest';
import { divideHouseholds } from '../../server/editing/households.ts';
import { checkIfMatch, etagOf, parseIfMatch } from '../../server/editing/etags.ts';
import { ancestry } from '../../server/editing/lineage.ts';

describe('divideHouseholds', () => {
  it('conserves the total exactly and follows the weights', () => {
    expect(divideHouseholds(459, [120, 339])).toEqual([120, 339]);
    expect(divideHouseholds(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(divideHouseholds(10, [0.5, 0.25, 0.25])).toEqual([5, 3, 2]);
    for (const [total, weights] of [
      [457, [3.2, 7.9, 1.1, 0.4]],
      [1, [5, 5]],
      [0, [1, 2]],
    ] as const) {
      expect(divideHouseholds(total, weights).reduce((s, v) => s + v, 0)).toBe(total);
    }
  });
  it('divides evenly when no part has weight (no buildings, no area)', () => {
    expect(divideHouseholds(7, [0, 0])).toEqual([4, 3]);
    expect(divideHouseholds(7, [])).toEqual([]);
  });
});

describe('grid ETags', () => {
  const published = { code: '131002001001001', version: 3, draftId: null, revision: null };
  const inDraft = { code: '131002001001002', version: 1, draftId: 7, revision: 2 };
  it('name the grid and its version or draft revision', () => {
    expect(etagOf(published)).toBe('"131002001001001.v3"');
    expect(etagOf(inDraft)).toBe('"131002001001002.d7r2"');
    expect(parseIfMatch('W/"a", "b"')).toEqual(new Set(['"a"', '"b"']));
    expect(parseIfMatch(' ')).toBeUndefined();
  });
  it('428 without If-Match, 412 when any grid is stale, silent when all match', () => {
    expect(() => checkIfMatch(undefined, [published])).toThrow(expect.objectContaining({ status: 428 }));
    expect(() => checkIfMatch('"131002001001001.v2"', [published])).toThrow(expect.objectContaining({ status: 412 }));
    expect(() => checkIfMatch('"131002001001001.v3"', [published, inDraft])).toThrow(
      expect.objectContaining({ status: 412 }),
    );
    expect(() => checkIfMatch('"131002001001001.v3", "131002001001002.d7r2"', [published, inDraft])).not.toThrow();
  });
});

describe('lineage of new grids', () => {
  it('follows splits and merges through the draft back to published grids', () => {
    const lineage = ancestry([
      { operation: 'split', from: ['A'], to: ['A1', 'A2'] },
      { operation: 'reshape', from: [], to: [] },
      { operation: 'merge', from: ['A2', 'B'], to: ['M'] },
      { operation: 'create', from: [], to: ['N'] },
    ]);
    expect([...lineage.get('A1')!]).toEqual(['A']);
    expect([...lineage.get('M')!].sort()).toEqual(['A', 'B']);
    expect(lineage.has('N')).toBe(false);
  });
});
