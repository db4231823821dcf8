/**
 * The 智能划格 view's pure parts: today's grids as a draft sees them, the figures beside the
 * proposal's summary, the summary rows, labels and the features the maps draw.
 */
import type { MultiPolygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import type { DraftDetail } from '../../common/contracts/drafts.ts';
import type { GridCollection } from '../../common/contracts/grids.ts';
import type { ProposalSummary } from '../../common/contracts/proposals.ts';
import {
  bboxOf,
  gridStats,
  mapFeatures,
  proposedLabel,
  summaryRows,
  todayGrids,
  type ShownGrid,
} from './proposal-logic.ts';

const BOUNDS = { min: 300, max: 500 };
const square = (x: number, y: number, size = 1): MultiPolygon => ({
  type: 'MultiPolygon',
  coordinates: [
    [
      [
        [x, y],
        [x + size, y],
        [x + size, y + size],
        [x, y + size],
        [x, y],
      ],
    ],
  ],
});

function published(...grids: [code: string, households: number, kind?: string][]): GridCollection {
  return {
    type: 'FeatureCollection',
    features: grids.map(([code, households, kind], i) => ({
      type: 'Feature',
      geometry: square(i, 0),
      properties: {
        code,
        name: `网格${code.slice(-3)}`,
        community_code: code.slice(0, 12),
        kind: (kind ?? 'residential') as 'residential',
        households,
        population: households * 3,
        version: 1,
        band: null,
        party_orgs: [],
      },
    })),
  };
}

function draftGrids(...grids: [code: string, households: number, state: 'new' | 'changed' | 'retired'][]) {
  return {
    type: 'FeatureCollection',
    features: grids.map(([code, households, state]) => ({
      type: 'Feature',
      geometry: square(10, 10),
      properties: {
        code,
        name: `草稿${code.slice(-3)}`,
        community_code: code.slice(0, 12),
        kind: 'residential',
        households,
        households_source: 'buildings',
        etag: 'x',
        state,
        base_version: null,
      },
    })),
  } as DraftDetail['grids'];
}

describe('todayGrids', () => {
  const today = published(
    ['131002003006001', 400],
    ['131002003006002', 450],
    ['131002003006003', 380],
    ['131002003007001', 410], // another community of the street
    ['131002004001001', 300], // another street
  );

  it('keeps the scope, draws the draft rows over the published ones and drops the retired', () => {
    const draft = draftGrids(
      ['131002003006001', 220, 'changed'],
      ['131002003006002', 450, 'retired'],
      ['131002003006009', 230, 'new'],
      ['131002003007009', 100, 'new'], // new, but in another community
    );
    const grids = todayGrids(today, draft, { level: 'community', code: '131002003006' });
    expect(grids.map((g) => [g.code, g.households, g.name])).toEqual([
      ['131002003006001', 220, '草稿001'],
      ['131002003006003', 380, '网格003'],
      ['131002003006009', 230, '草稿009'],
    ]);
  });

  it('takes every community of a street, and nothing from another street', () => {
    const grids = todayGrids(today, null, { level: 'street', code: '131002003000' });
    expect(grids.map((g) => g.code)).toEqual([
      '131002003006001',
      '131002003006002',
      '131002003006003',
      '131002003007001',
    ]);
  });
});

describe('gridStats', () => {
  it('counts the band over residential grids only, with the median of an even count', () => {
    const stats = gridStats(
      [
        { kind: 'residential', households: 524 },
        { kind: 'residential', households: 300 },
        { kind: 'mixed', households: 500 },
        { kind: 'residential', households: 220 },
        { kind: 'commercial', households: 5 },
      ],
      BOUNDS,
    );
    expect(stats).toEqual({
      grids: 5,
      residential: 4,
      inBand: 2, // 300 and 500 are inside (inclusive bounds)
      householdsMin: 220,
      householdsMedian: 400,
      householdsMax: 524,
    });
  });

  it('gives zeros for no grids', () => {
    expect(gridStats([], BOUNDS)).toMatchObject({ grids: 0, inBand: 0, householdsMedian: 0 });
  });
});

describe('summaryRows', () => {
  const summary: ProposalSummary = {
    grids: 7,
    residential: 6,
    inBand: 6,
    householdsMin: 310,
    householdsMedian: 402.5,
    householdsMax: 1480,
    compactnessMedian: 0.61234,
    roadsCrossed: 0,
    compoundsSplit: 2,
    buildingsCut: 0,
    gridsChanged: 3,
    gridsRetired: 1,
    householdsMoved: 1234,
    households: 2900,
  };
  const fmt = (n: number, digits = 0) => n.toFixed(digits);

  it('lists the figures in order, today beside the proposal where today has them', () => {
    const today = gridStats(
      [
        { kind: 'residential', households: 524 },
        { kind: 'residential', households: 400 },
      ],
      BOUNDS,
    );
    const rows = summaryRows(summary, today, fmt);
    expect(rows.map((r) => r.key)).toEqual([
      'grids',
      'inBand',
      'households',
      'compactness',
      'roadsCrossed',
      'compoundsSplit',
      'gridsChanged',
      'householdsMoved',
    ]);
    const byKey = Object.fromEntries(rows.map((r) => [r.key, r]));
    expect(byKey.inBand).toEqual({ key: 'inBand', today: '1/2', proposed: '6/6', tone: 'good' });
    expect(byKey.households?.proposed).toBe('310 / 403 / 1480');
    expect(byKey.households?.today).toBe('400 / 462 / 524');
    expect(byKey.compactness?.proposed).toBe('0.61');
    expect(byKey.roadsCrossed?.tone).toBe('good');
    expect(byKey.compoundsSplit?.tone).toBe('warn');
    expect(byKey.householdsMoved).toMatchObject({ today: null, proposed: '1234' });
  });

  it('warns when grids stay out of band and shows cut buildings only when there are some', () => {
    const rows = summaryRows({ ...summary, inBand: 5, buildingsCut: 1 }, null, fmt);
    expect(rows.find((r) => r.key === 'inBand')).toMatchObject({ today: null, proposed: '5/6', tone: 'warn' });
    expect(rows.find((r) => r.key === 'buildingsCut')).toMatchObject({ proposed: '1', tone: 'warn' });
  });
});

describe('labels and map features', () => {
  const words = {
    households: (n: number) => `${n} 户`,
    status: (s: string) => ({ changed: '调整', new: '新增' })[s] ?? s,
  };

  it('tags only grids that change', () => {
    expect(proposedLabel({ name: '第4网格', households: 420, status: 'changed' }, words)).toBe(
      '第4网格 · 调整\n420 户',
    );
    expect(proposedLabel({ name: '新网格1', households: 310, status: 'new' }, words)).toBe('新网格1 · 新增\n310 户');
    expect(proposedLabel({ name: '第1网格', households: 400, status: 'unchanged' }, words)).toBe('第1网格\n400 户');
  });

  it('bands each grid by its kind and households, unchanged when no status is given', () => {
    const grids: ShownGrid[] = [
      {
        code: 'a',
        key: 'a',
        name: 'A',
        community_code: 'c',
        kind: 'residential',
        households: 520,
        geometry: square(0, 0),
      },
      {
        code: 'b',
        key: 'b',
        name: 'B',
        community_code: 'c',
        kind: 'commercial',
        households: 20,
        geometry: square(1, 0),
      },
      { code: 'c', key: 'c', name: 'C', community_code: 'c', kind: 'mixed', households: 299, geometry: square(2, 0) },
    ];
    const fc = mapFeatures(grids, BOUNDS, (g) => g.name);
    expect(fc.features.map((f) => [f.properties.band, f.properties.status, f.properties.label])).toEqual([
      ['high', 'unchanged', 'A'],
      ['commercial', 'unchanged', 'B'],
      ['low', 'unchanged', 'C'],
    ]);
  });

  it('finds the box around every outline', () => {
    expect(bboxOf([{ geometry: square(1, 2) }, { geometry: square(-3, 0.5, 2) }])).toEqual([-3, 0.5, 2, 3]);
    expect(bboxOf([])).toBeNull();
  });
});
