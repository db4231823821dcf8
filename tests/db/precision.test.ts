/**
 * The precision model (ADR 0011, DESIGN.md trap 8) on both drivers: stored coordinates are
 * rounded to 10 decimals by a text round trip, and containment is judged with a 1 mm tolerance.
 */
import { expect, it } from 'vitest';
import { sql } from 'kysely';
import { describeEachDriver } from '../helpers/db.ts';
import { CONTAINMENT_TOLERANCE_M, isNegligibleOutside, STORE_DECIMALS } from '../../server/db/precision.ts';
import { outsidePart, stOnGrid } from '../../server/db/precision.queries.ts';

const polygon = (ring: number[][]) =>
  sql`ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify({ type: 'Polygon', coordinates: [ring] })}), 4326)`;
const square = (x: number, y: number, side: number) => [
  [x, y],
  [x + side, y],
  [x + side, y + side],
  [x, y + side],
  [x, y],
];

describeEachDriver('precision model', {}, (get) => {
  const rounded = async (ring: number[][]) => {
    const { rows } = await sql<{ g: string; again: string }>`
      WITH r AS (SELECT ${stOnGrid(polygon(ring))} AS g)
      SELECT ST_AsGeoJSON(r.g, 17) AS g, ST_AsGeoJSON(${stOnGrid(sql`r.g`)}, 17) AS again FROM r`.execute(get().db);
    return { ring: JSON.parse(rows[0]!.g).coordinates[0] as number[][], again: rows[0]!.again, once: rows[0]!.g };
  };

  it('keeps coordinates of 7 decimals bit-identical, so vertices shared with older rows stay shared', async () => {
    const ring = [
      [116.1234567, 39.5123457],
      [116.1299999, 39.5123457],
      [116.1299999, 39.5199991],
      [116.1234567, 39.5123457],
    ];
    const { ring: out } = await rounded(ring);
    expect(out).toEqual(ring);
  });

  it('rounds full-precision coordinates to 10 decimals, and rounding twice changes nothing', async () => {
    const full = [
      [116.12345678901234, 39.51234567890123],
      [116.13, 39.51234567890123],
      [116.13, 39.52],
      [116.12345678901234, 39.51234567890123],
    ];
    const { ring: out, once, again } = await rounded(full);
    expect(out[0]).toEqual([116.123456789, 39.5123456789]);
    for (const [x, y] of out) {
      expect(Number(x!.toFixed(STORE_DECIMALS))).toBe(x);
      expect(Number(y!.toFixed(STORE_DECIMALS))).toBe(y);
    }
    expect(again).toBe(once);
  });

  it('an outline reaching 5e-11° past its container is inside; 1e-6° (0.1 m) past is outside', async () => {
    const street = polygon(square(116, 39.5, 0.01));
    const jitter = await outsidePart(get().db, polygon(square(116.005 - 0.005 - 5e-11, 39.5, 0.005)), street);
    expect(jitter.reachM).toBeLessThan(CONTAINMENT_TOLERANCE_M);
    expect(isNegligibleOutside(jitter)).toBe(true);
    const real = await outsidePart(get().db, polygon(square(116 - 1e-6, 39.5, 0.005)), street);
    expect(real.reachM).toBeGreaterThan(0.1);
    expect(real.reachM).toBeLessThan(0.12);
    // 1e-6° of longitude at 39.5° N is 0.0859 m, along 0.005° of latitude (555 m): 47.7 m².
    expect(real.areaM2).toBeGreaterThan(47);
    expect(real.areaM2).toBeLessThan(48.5);
    expect(isNegligibleOutside(real)).toBe(false);
    const inside = await outsidePart(get().db, polygon(square(116.001, 39.501, 0.001)), street);
    expect(inside).toEqual({ areaM2: 0, reachM: 0 });
  });
});
