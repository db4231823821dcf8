import { describe, expect, it } from 'vitest';
import type { GridCollection } from '../../common/contracts/grids.ts';
import { STATION_KINDS } from '../../common/rules/station-kinds.ts';
import { NEUTRAL_GRID_COLOR, STATION_COLORS, gridFillColor, hatchImage, toMapGrids } from './layers.ts';

const square = (x: number): GeoJSON.MultiPolygon => ({
  type: 'MultiPolygon',
  coordinates: [
    [
      [
        [x, 0],
        [x + 1, 0],
        [x + 1, 1],
        [x, 1],
        [x, 0],
      ],
    ],
  ],
});

describe('map layers', () => {
  it('counts the party organisations that claim a grid: none, one, two or more', () => {
    const grids: GridCollection = {
      type: 'FeatureCollection',
      features: ['A', 'B', 'C'].map((name, i) => ({
        type: 'Feature',
        geometry: square(i),
        properties: {
          code: `13100200100100${i + 1}`,
          name,
          community_code: '131002001001',
          kind: 'residential',
          households: 400,
          population: 1000,
          version: 1,
          band: 'ok',
          party_orgs: [['P1'], [], ['P2', 'P3']][i] ?? [],
        },
      })),
    };
    const drawn = toMapGrids(grids).features.map((f) => f.properties);
    expect(drawn).toEqual([
      { code: '131002001001001', band: 'ok', coverage: 1 },
      { code: '131002001001002', band: 'ok', coverage: 0 },
      { code: '131002001001003', band: 'ok', coverage: 2 },
    ]);
  });

  it('draws grids without a band (anonymous users) in the one neutral colour', () => {
    const grids: GridCollection = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          geometry: square(0),
          properties: {
            code: '131002001001001',
            name: 'A',
            community_code: '131002001001',
            kind: 'residential',
            households: null,
            population: null,
            version: 1,
            band: null,
            party_orgs: [],
          },
        },
      ],
    };
    expect(toMapGrids(grids).features[0]!.properties).toEqual({ code: '131002001001001', band: null, coverage: 0 });
    const expression = gridFillColor('band') as readonly unknown[];
    expect(expression[0]).toBe('match');
    expect(expression.at(-1)).toBe(NEUTRAL_GRID_COLOR);
  });

  it('has a distinct colour for every station kind', () => {
    const colours = STATION_KINDS.map((kind) => STATION_COLORS[kind]);
    expect(new Set(colours).size).toBe(STATION_KINDS.length);
  });

  it('draws the hatch as RGBA with transparent gaps', () => {
    const { width, height, data } = hatchImage(12);
    expect(data.length).toBe(width * height * 4);
    const alphas = new Set(Array.from({ length: width * height }, (_, i) => data[i * 4 + 3]));
    expect(alphas).toEqual(new Set([0, 200]));
  });
});
