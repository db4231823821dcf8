/** The codes of imported grids: kept when valid, else the lowest free sequence; > 999 refused. */
import { describe, expect, it } from 'vitest';
import { exhaustedMessage, planGridCodes, sequenceOf } from '../../server/interop/grid-codes.ts';

const C = '131002001001';
const D = '131002001002';

describe('planGridCodes', () => {
  it('keeps a valid code of the right community and allocates the lowest free sequences around the used ones', () => {
    const result = planGridCodes(
      [
        { index: 0, community: C, code: `${C}007` },
        { index: 1, community: C },
        { index: 2, community: C, code: null },
        { index: 3, community: D },
      ],
      new Map([[C, new Set([1, 2, 4])]]),
    );
    expect(result).toEqual({
      ok: true,
      plan: { codes: [`${C}007`, `${C}003`, `${C}005`, `${D}001`], kept: 1, allocated: 3, replaced: [] },
    });
  });

  it('replaces a code of another community, a malformed one, sequence 000 and the second of a duplicate', () => {
    const result = planGridCodes(
      [
        { index: 0, community: C, code: `${D}001` },
        { index: 1, community: C, code: '12345' },
        { index: 2, community: C, code: `${C}000` },
        { index: 3, community: C, code: `${C}002` },
        { index: 4, community: C, code: `${C}002` },
      ],
      new Map(),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.plan.codes).toEqual([`${C}001`, `${C}003`, `${C}004`, `${C}002`, `${C}005`]);
    expect(result.plan.replaced).toEqual([
      { index: 0, code: `${D}001`, reason: 'community' },
      { index: 1, code: '12345', reason: 'format' },
      { index: 2, code: `${C}000`, reason: 'format' },
      { index: 4, code: `${C}002`, reason: 'duplicate' },
    ]);
    expect([result.plan.kept, result.plan.allocated]).toEqual([1, 4]);
  });

  it('a kept code that is already published is the same grid (an update), not a second one', () => {
    const result = planGridCodes(
      [{ index: 0, community: C, code: `${C}001` }],
      new Map([[C, new Set([1])]]),
      new Map([[C, new Set([`${C}001`])]]),
    );
    expect(result).toMatchObject({ ok: true, plan: { codes: [`${C}001`], kept: 1, allocated: 0 } });
  });

  it('999 grids fit; the 1,000th in a community is refused, counting the published grids the file leaves', () => {
    const many = (n: number, community = C) => Array.from({ length: n }, (_, i) => ({ index: i, community }));
    const fits = planGridCodes(many(999), new Map());
    expect(fits.ok && fits.plan.codes.at(-1)).toBe(`${C}999`);
    expect(planGridCodes(many(1000), new Map())).toEqual({
      ok: false,
      exhausted: [{ community: C, grids: 1000, free: 999, needed: 1000 }],
    });
    const published = new Map([[C, new Set([`${C}001`, `${C}002`])]]);
    const refused = planGridCodes(many(998), new Map([[C, new Set([1, 2])]]), published);
    expect(refused).toEqual({ ok: false, exhausted: [{ community: C, grids: 1000, free: 997, needed: 998 }] });
    if (refused.ok) return;
    expect(exhaustedMessage(refused.exhausted)).toContain(`community ${C} would hold 1000 grids`);
  });

  it('history counts as used: codes of retired grids are not given again, and running out of them is refused', () => {
    const used = new Set(Array.from({ length: 990 }, (_, i) => i + 1));
    expect(planGridCodes([{ index: 0, community: C }], new Map([[C, used]]))).toMatchObject({
      ok: true,
      plan: { codes: [`${C}991`] },
    });
    const result = planGridCodes(
      Array.from({ length: 10 }, (_, i) => ({ index: i, community: C })),
      new Map([[C, used]]),
    );
    expect(result).toEqual({ ok: false, exhausted: [{ community: C, grids: 10, free: 9, needed: 10 }] });
  });

  it('sequenceOf reads 001–999 of the right community only', () => {
    expect([
      sequenceOf(`${C}042`, C),
      sequenceOf(`${C}000`, C),
      sequenceOf(`${D}042`, C),
      sequenceOf('abc', C),
    ]).toEqual([42, null, null, null]);
  });
});
