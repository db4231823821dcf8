/**
 * The same geometry queries on both drivers, compared with known answers, and a test for
 * every embedded-PostGIS trap in DESIGN.md. Where a test asserts a trap still exists, it is
 * there to tell us when an upgrade removes it.
 */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { sql } from 'kysely';
import { describeEachDriver } from '../helpers/db.ts';
import { GRID_SIZE } from '../../server/db/postgis.queries.ts';
import { detectCapabilities } from '../../server/db/capabilities.queries.ts';

const repro = readFileSync(
  new URL('../fixtures/driver-conformance/embedded-overlay-repro.sql', import.meta.url),
  'utf8',
)
  .split('\n')
  .filter((line) => !line.startsWith('--'))
  .join('\n')
  .trim()
  .replace(/;$/, '');
const reproPolygons = [...repro.matchAll(/'(SRID=4326;POLYGON\(\([^']*\)\))'::geometry/g)].map((m) => m[1]!);

/** Geodesic area of a 0.01° × 0.01° cell centred at latitude φ on the WGS84 ellipsoid. */
function wgs84CellArea(latDeg: number, size = 0.01): number {
  const a = 6378137;
  const e2 = 0.00669437999014;
  const phi = (latDeg * Math.PI) / 180;
  const w = 1 - e2 * Math.sin(phi) ** 2;
  const n = a / Math.sqrt(w); // prime vertical radius
  const m = (a * (1 - e2)) / w ** 1.5; // meridian radius
  const rad = (size * Math.PI) / 180;
  return rad * n * Math.cos(phi) * rad * m;
}

describeEachDriver('driver conformance', {}, (get, driver) => {
  it('trap 1: the overlay repro returns its row with the project gridSize', async () => {
    const [big, tri] = reproPolygons;
    const { rows } = await sql<{ diff: number; big: number; tri: number }>`
      SELECT ST_Area(ST_Difference(${big}::geometry, ${tri}::geometry, ${GRID_SIZE}))::float8 AS diff,
             ST_Area(${big}::geometry)::float8 AS big, ST_Area(${tri}::geometry)::float8 AS tri`.execute(get().db);
    expect(rows).toHaveLength(1);
    // The small triangle lies inside the big polygon: difference = big − triangle (degrees²).
    expect(rows[0]!.diff).toBeCloseTo(rows[0]!.big - rows[0]!.tri, 12);
    expect(rows[0]!.tri).toBeGreaterThan(0);
  });

  it(`trap 1: without gridSize the overlay ${driver === 'embedded' ? 'silently returns no row (still broken)' : 'returns its row'}`, async () => {
    const { rows } = await sql.raw(repro).execute(get().db);
    expect(rows).toHaveLength(driver === 'embedded' ? 0 : 1);
  });

  it('trap 2: ST_AsMVT is detected as a capability, absent on embedded', async () => {
    const caps = await detectCapabilities(get().db);
    expect(caps.asMvt).toBe(driver === 'server');
  });

  it('trap 3: planar KNN picks the wrong station at 39.5° N; the geodesic order picks the right one', async () => {
    // Station A is 0.0010° east (≈ 86 m), B is 0.0009° north (≈ 100 m): A is nearer on the
    // ground, B is nearer in degrees.
    const { rows } = await sql<{ planar: string; geodesic: string; da: number; db: number }>`
      WITH s(name, geom) AS (VALUES ('A', ST_SetSRID(ST_Point(116.6910, 39.5000), 4326)),
                                    ('B', ST_SetSRID(ST_Point(116.6900, 39.5009), 4326))),
           p AS (SELECT ST_SetSRID(ST_Point(116.6900, 39.5000), 4326) AS geom)
      SELECT (SELECT name FROM s ORDER BY s.geom <-> p.geom LIMIT 1) AS planar,
             (SELECT name FROM s ORDER BY s.geom::geography <-> p.geom::geography LIMIT 1) AS geodesic,
             (SELECT ST_Distance(s.geom::geography, p.geom::geography)::float8 FROM s WHERE name = 'A') AS da,
             (SELECT ST_Distance(s.geom::geography, p.geom::geography)::float8 FROM s WHERE name = 'B') AS db
      FROM p`.execute(get().db);
    expect(rows[0]).toMatchObject({ planar: 'B', geodesic: 'A' });
    expect(rows[0]!.da).toBeCloseTo(86.0, 0);
    expect(rows[0]!.db).toBeCloseTo(99.9, 0);
  });

  it('trap 4: the pair filter written as a.id - b.id < 0 finds the same pairs as a.id < b.id', async () => {
    const pairs = (cmp: string) =>
      sql
        .raw<{ a: number; b: number }>(
          `
        WITH g(id, geom) AS (VALUES
          (1, ST_MakeEnvelope(0, 0, 2, 2, 4326)), (2, ST_MakeEnvelope(1, 1, 3, 3, 4326)),
          (3, ST_MakeEnvelope(2.5, 0, 4, 1, 4326)), (4, ST_MakeEnvelope(10, 10, 11, 11, 4326)))
        SELECT a.id AS a, b.id AS b FROM g a JOIN g b ON ST_Intersects(a.geom, b.geom) AND ${cmp}
        WHERE ST_Area(ST_Intersection(a.geom, b.geom, ${GRID_SIZE})) > 0 ORDER BY 1, 2`,
        )
        .execute(get().db);
    const slow = (await pairs('a.id < b.id')).rows;
    const fast = (await pairs('a.id - b.id < 0')).rows;
    expect(fast).toEqual(slow);
    expect(fast.map((r) => [r.a, r.b])).toEqual([[1, 2]]);
  });

  it('geodesic area of a 0.01° cell at 39.5° N matches the WGS84 ellipsoid', async () => {
    const { rows } = await sql<{ area: number }>`
      SELECT ST_Area(ST_MakeEnvelope(116.685, 39.495, 116.695, 39.505, 4326)::geography)::float8 AS area`.execute(
      get().db,
    );
    const expected = wgs84CellArea(39.5);
    expect(Math.abs(rows[0]!.area - expected) / expected).toBeLessThan(1e-4);
  });

  it('overlay functions agree with exact answers under the project gridSize', async () => {
    const { rows } = await sql<{ inter: number; diff: number; uni: number; sym: number }>`
      WITH a AS (SELECT ST_MakeEnvelope(0, 0, 2, 2, 4326) g), b AS (SELECT ST_MakeEnvelope(1, 1, 3, 3, 4326) g)
      SELECT ST_Area(ST_Intersection(a.g, b.g, ${GRID_SIZE}))::float8 AS inter,
             ST_Area(ST_Difference(a.g, b.g, ${GRID_SIZE}))::float8 AS diff,
             ST_Area(ST_Union(a.g, b.g, ${GRID_SIZE}))::float8 AS uni,
             ST_Area(ST_SymDifference(a.g, b.g, ${GRID_SIZE}))::float8 AS sym
      FROM a, b`.execute(get().db);
    expect(rows[0]).toEqual({ inter: 1, diff: 3, uni: 7, sym: 6 });
  });

  it('trap 7: 3.4+ coverage functions are a capability, matching the PostGIS version', async () => {
    const caps = await detectCapabilities(get().db);
    const [major, minor] = caps.postgis.split('.').map(Number) as [number, number];
    expect(caps.coverageInvalidEdges).toBe(major > 3 || (major === 3 && minor >= 4));
    expect(caps.postgis).toMatch(driver === 'embedded' ? /^3\.6/ : /^3\./);
  });
});
