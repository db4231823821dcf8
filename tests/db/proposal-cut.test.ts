/**
 * Buildings cut by a proposal (issue 19, summary.buildingsCut) on both drivers, with known
 * answers (tests/helpers/proposal-fixtures.ts, CUT): a building across a commercial grid's
 * outline is cut in every plan; a building across today's grid outline is glued into one unit
 * in a fresh plan and stays cut when rebalance keeps both grids. The count adds what rebuilt
 * outlines hold (from their faces, in Node) to what kept grids hold (from PostGIS).
 */
import { beforeAll, expect, it } from 'vitest';
import { describeEachDriver } from '../helpers/db.ts';
import { CUT, loadCutFixture } from '../helpers/proposal-fixtures.ts';
import { proposeGrids } from '../../server/proposal/propose.ts';

const input = (mode: 'fresh' | 'rebalance') => ({
  draftId: null,
  scope: { level: 'community' as const, code: CUT },
  mode,
  seed: 1,
  bounds: { min: 300, max: 500 },
});

describeEachDriver('proposal buildings cut', {}, (get) => {
  beforeAll(async () => {
    await loadCutFixture(get().db);
  });

  it('fresh: the building across the commercial strip is cut, the one across today’s grids is not', async () => {
    const p = await proposeGrids(get().db, input('fresh'));
    expect(p.summary.households).toBe(810);
    expect(p.summary.buildingsCut).toBe(1);
  });

  it('rebalance: both grids are in band and kept as they are, so both buildings stay cut', async () => {
    const p = await proposeGrids(get().db, input('rebalance'));
    expect(p.grids.map((g) => [g.code, g.status, g.households])).toEqual([
      [`${CUT}002`, 'unchanged', 410],
      [`${CUT}003`, 'unchanged', 400],
      [`${CUT}001`, 'commercial', 0],
    ]);
    expect(p.summary.buildingsCut).toBe(2);
  });
});
