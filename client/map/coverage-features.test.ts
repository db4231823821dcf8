import { describe, expect, it } from 'vitest';
import type { GridCollection } from '../../common/contracts/grids.ts';
import type { PartyCoverageReport } from '../../common/contracts/party-coverage.ts';
import { hueOf, joinSegments, orgOutlines, toPartyGrids } from './coverage-features.ts';
import { PARTY_COLORS, partyColor } from './coverage-layers.ts';

/** A 1×1 square grid at (x, y) claimed by `orgs`. */
const grid = (code: string, x: number, y: number, orgs: string[]): GridCollection['features'][number] => ({
  type: 'Feature',
  geometry: {
    type: 'MultiPolygon',
    coordinates: [
      [
        [
          [x, y],
          [x + 1, y],
          [x + 1, y + 1],
          [x, y + 1],
          [x, y],
        ],
      ],
    ],
  },
  properties: {
    code,
    name: code,
    community_code: code.slice(0, 12),
    kind: 'residential',
    households: 400,
    population: 1000,
    version: 1,
    band: 'ok',
    party_orgs: orgs,
  },
});

describe('coverage layers', () => {
  it('colours the report’s problem grids and every other grid of the region as covered', () => {
    const grids: GridCollection = {
      type: 'FeatureCollection',
      features: [
        grid('131002001001001', 0, 0, ['P1']),
        grid('131002001001002', 1, 0, []),
        grid('131002001001003', 2, 0, ['P1', 'P2']),
        grid('131002002001001', 9, 9, []),
      ],
    };
    const report = {
      region: { code: '131002001000', name: 'S', level: 'street' },
      problemGrids: {
        type: 'FeatureCollection',
        features: [
          {
            type: 'Feature',
            geometry: grids.features[1]!.geometry,
            properties: { code: '131002001001002', status: 'uncovered' },
          },
          {
            type: 'Feature',
            geometry: grids.features[2]!.geometry,
            properties: { code: '131002001001003', status: 'claimed_twice' },
          },
        ],
      },
    } as unknown as PartyCoverageReport;
    const drawn = toPartyGrids(grids, report).features.map((f) => [f.properties!.code, f.properties!.status]);
    // The grid of another street is not drawn.
    expect(drawn).toEqual([
      ['131002001001001', 'covered'],
      ['131002001001002', 'uncovered'],
      ['131002001001003', 'claimed_twice'],
    ]);
    expect(partyColor).toEqual([
      'match',
      ['get', 'status'],
      'uncovered',
      PARTY_COLORS.uncovered,
      'claimed_twice',
      PARTY_COLORS.claimedTwice,
      PARTY_COLORS.covered,
    ]);
  });

  /*
   * P1 on two adjacent squares: its outline is the 2×1 rectangle, 6 unit edges, the shared
   * edge x=1 dropped. P2 on one square: its 4 edges.
   *   +---+---+---+
   *   |P1 |P1 |P2 |
   *   +---+---+---+
   */
  it('outlines an organisation on adjacent grids without their shared edge', () => {
    const grids: GridCollection = {
      type: 'FeatureCollection',
      features: [grid('G1', 0, 0, ['P1']), grid('G2', 1, 0, ['P1']), grid('G3', 2, 0, ['P2'])],
    };
    const outlines = orgOutlines(grids).features;
    expect(outlines.map((f) => f.properties!.org)).toEqual(['P1', 'P2']);
    const length = (f: GeoJSON.Feature) =>
      (f.geometry as GeoJSON.MultiLineString).coordinates.reduce((sum, line) => sum + line.length - 1, 0);
    expect(length(outlines[0]!)).toBe(6);
    expect(length(outlines[1]!)).toBe(4);
    const p1Points = (outlines[0]!.geometry as GeoJSON.MultiLineString).coordinates.flat();
    // No edge of P1 runs along x = 1 (both ends on it).
    const lines = (outlines[0]!.geometry as GeoJSON.MultiLineString).coordinates;
    const along = lines.some((line) => line.some((p, i) => i > 0 && p[0] === 1 && line[i - 1]![0] === 1));
    expect(along).toBe(false);
    expect(p1Points.length).toBeGreaterThan(0);
  });

  it('chains segments into lines', () => {
    const lines = joinSegments([
      [
        [0, 0],
        [1, 0],
      ],
      [
        [1, 0],
        [1, 1],
      ],
      [
        [5, 5],
        [6, 5],
      ],
    ]);
    expect(lines).toEqual([
      [
        [0, 0],
        [1, 0],
        [1, 1],
      ],
      [
        [5, 5],
        [6, 5],
      ],
    ]);
  });

  it('gives an organisation the same hue every time, within 0–359', () => {
    expect(hueOf('131002001001P01')).toBe(hueOf('131002001001P01'));
    for (const code of ['A', 'B', '131002001001P01']) expect(hueOf(code)).toBeGreaterThanOrEqual(0);
    expect(new Set(['P1', 'P2', 'P3', 'P4'].map(hueOf)).size).toBeGreaterThan(1);
  });
});
