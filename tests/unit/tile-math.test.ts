import { describe, expect, it } from 'vitest';
import {
  MERCATOR_HALF,
  isValidTile,
  lonLatToTileUnits,
  orientPolygon,
  ringArea2,
  simplifyTolerance,
  tileAt,
  tileBounds3857,
  tileBounds4326,
  tileUnitsToLonLat,
  tilesCovering,
  unitMeters,
  type TilePoint,
} from '../../server/geo/tile-math.ts';

/** The OSM wiki's slippy-map formula, written independently of tile-math. */
function slippyTile(lon: number, lat: number, z: number): { x: number; y: number } {
  const n = 2 ** z;
  const r = (lat * Math.PI) / 180;
  return {
    x: Math.floor(((lon + 180) / 360) * n),
    y: Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n),
  };
}

const pts = (coords: number[][]): TilePoint[] => coords.map(([x, y]) => ({ x: x!, y: y! }));

describe('tile addresses', () => {
  it('accepts z 0–22 with x, y inside the matrix and refuses the rest', () => {
    expect(isValidTile({ z: 0, x: 0, y: 0 })).toBe(true);
    expect(isValidTile({ z: 22, x: 2 ** 22 - 1, y: 0 })).toBe(true);
    expect(isValidTile({ z: 23, x: 0, y: 0 })).toBe(false);
    expect(isValidTile({ z: 1, x: 2, y: 0 })).toBe(false);
    expect(isValidTile({ z: 1, x: 0, y: -1 })).toBe(false);
    expect(isValidTile({ z: 1.5, x: 0, y: 0 })).toBe(false);
    expect(isValidTile({ z: Number.NaN, x: 0, y: 0 })).toBe(false);
  });

  it('z0 spans the Mercator square; z1/0/0 is the north-west quarter', () => {
    expect(tileBounds3857({ z: 0, x: 0, y: 0 })).toEqual([
      -MERCATOR_HALF,
      -MERCATOR_HALF,
      MERCATOR_HALF,
      MERCATOR_HALF,
    ]);
    const [w, s, e, n] = tileBounds4326({ z: 1, x: 0, y: 0 });
    expect(w).toBeCloseTo(-180, 9);
    expect(s).toBeCloseTo(0, 9);
    expect(e).toBeCloseTo(0, 9);
    expect(n).toBeCloseTo(85.0511287798, 8);
  });

  it('finds the same tile as the slippy-map formula (Anci, Tangshan, both hemispheres)', () => {
    for (const [lon, lat] of [
      [116.69, 39.5],
      [118.18, 39.63],
      [-73.98, 40.75],
      [151.2, -33.87],
    ] as const) {
      for (const z of [0, 5, 10, 14, 18, 22]) expect(tileAt(lon, lat, z)).toEqual({ z, ...slippyTile(lon, lat, z) });
    }
    expect(tileAt(116.69, 39.5, 14)).toEqual({ z: 14, x: 13502, y: 6232 });
  });

  it('a z14 tile unit is 2.4 m at the equator (40,075,016.686 m / 2^14 / 4096)', () => {
    expect(unitMeters(14)).toBeCloseTo(40075016.68557849 / 16384 / 4096, 9);
    expect(unitMeters(14)).toBeCloseTo(0.5972, 4);
  });

  it('lists the tiles covering a bbox', () => {
    const tiles = tilesCovering([116.6, 39.43, 116.8, 39.56], 12);
    const nw = slippyTile(116.6, 39.56, 12);
    const se = slippyTile(116.8, 39.43, 12);
    expect(tiles).toHaveLength((se.x - nw.x + 1) * (se.y - nw.y + 1));
    expect(tiles[0]).toEqual({ z: 12, ...nw });
    expect(tiles.at(-1)).toEqual({ z: 12, ...se });
  });
});

describe('tile units', () => {
  const tile = { z: 14, x: 13502, y: 6232 };
  it('puts the tile corners at 0 and 4096, y down', () => {
    const [w, s, e, n] = tileBounds4326(tile);
    const [x0, y0] = lonLatToTileUnits(w, n, tile);
    const [x1, y1] = lonLatToTileUnits(e, s, tile);
    expect(x0).toBeCloseTo(0, 6);
    expect(y0).toBeCloseTo(0, 6);
    expect(x1).toBeCloseTo(4096, 6);
    expect(y1).toBeCloseTo(4096, 6);
  });

  it('round-trips lon/lat through tile units', () => {
    const [px, py] = lonLatToTileUnits(116.6912345, 39.5012345, tile);
    const [lon, lat] = tileUnitsToLonLat(px, py, tile);
    expect(lon).toBeCloseTo(116.6912345, 10);
    expect(lat).toBeCloseTo(39.5012345, 10);
  });

  it('grows the 4326 bounds by the buffer', () => {
    const plain = tileBounds4326(tile);
    const grown = tileBounds4326(tile, 64);
    const degPerUnit = (plain[2] - plain[0]) / 4096;
    expect(plain[0] - grown[0]).toBeCloseTo(64 * degPerUnit, 10);
    expect(grown[3]).toBeGreaterThan(plain[3]);
  });
});

describe('ring winding (MVT spec 4.3.4.4: exterior positive area in y-down tile units)', () => {
  // Screen-clockwise square, y down:  (0,0) → (10,0) → (10,10) → (0,10)
  const clockwise = pts([
    [0, 0],
    [10, 0],
    [10, 10],
    [0, 10],
    [0, 0],
  ]);
  const anticlockwise = [...clockwise].reverse();
  const hole = pts([
    [2, 2],
    [4, 2],
    [4, 4],
    [2, 4],
    [2, 2],
  ]);

  it('a screen-clockwise ring has positive area (twice 100)', () => {
    expect(ringArea2(clockwise)).toBe(200);
    expect(ringArea2(anticlockwise)).toBe(-200);
  });

  it('makes the exterior positive and holes negative whatever they came in as', () => {
    for (const shell of [clockwise, anticlockwise]) {
      for (const inner of [hole, [...hole].reverse()]) {
        const [outer, hole1] = orientPolygon([shell, inner]);
        expect(ringArea2(outer!)).toBe(200);
        expect(ringArea2(hole1!)).toBe(-8);
      }
    }
  });

  it('drops a hole that collapsed and the whole polygon when its exterior collapsed', () => {
    const flat = pts([
      [0, 0],
      [5, 0],
      [10, 0],
      [0, 0],
    ]);
    expect(orientPolygon([clockwise, flat])).toHaveLength(1);
    expect(orientPolygon([flat, hole])).toEqual([]);
    expect(
      orientPolygon([
        pts([
          [0, 0],
          [1, 1],
          [0, 0],
        ]),
      ]),
    ).toEqual([]);
  });
});

describe('simplification tolerance', () => {
  it('is one screen pixel of a 512-px tile below z14 and none from z14', () => {
    expect(simplifyTolerance(10)).toBe(8);
    expect(simplifyTolerance(13)).toBe(8);
    expect(simplifyTolerance(14)).toBe(0);
    expect(simplifyTolerance(20)).toBe(0);
  });
});
