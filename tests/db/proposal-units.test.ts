/**
 * The unit graph of a grid proposal (issue 19) on both drivers, against known answers:
 * households and area conserved, no building in two units, shared boundaries along roads and
 * compound outlines measured. Fixtures: tests/helpers/proposal-fixtures.ts (full-precision
 * coordinates) and one community of the demo district.
 */
import { beforeAll, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../server/db/schema.ts';
import { describeEachDriver } from '../helpers/db.ts';
import { ACROSS, FOUR, loadProposalFixtures, ONE_BIG, type Fixtures } from '../helpers/proposal-fixtures.ts';
import { communityGraph, type CommunityGraph } from '../../server/proposal/community-graph.ts';
import { PUBLISHED } from '../../server/validation/grid-source.ts';

/** Area of a community minus its commercial grids, geodesic m². */
async function areaDivided(db: Kysely<DB>, community: string): Promise<number> {
  const { rows } = await sql<{ a: number }>`
    SELECT ST_Area(coalesce(ST_Difference(c.geom, (SELECT ST_Union(g.geom, 1e-10) FROM grids g
             WHERE g.community_code = c.code AND g.kind = 'commercial'), 1e-10), c.geom)::geography)::float8 AS a
    FROM regions c WHERE c.code = ${community}`.execute(db);
  return rows[0]!.a;
}

/** Households of the community's buildings outside its commercial grids. */
async function residentialHouseholds(
  db: Kysely<DB>,
  community: string,
): Promise<{ households: number; buildings: number }> {
  const { rows } = await sql<{ households: number; buildings: number }>`
    SELECT coalesce(sum(b.households), 0)::int AS households, count(*)::int AS buildings FROM buildings b
    WHERE b.community_code = ${community} AND NOT EXISTS (SELECT 1 FROM grids g WHERE g.community_code = b.community_code
      AND g.kind = 'commercial' AND ST_Intersects(g.geom, ST_PointOnSurface(b.geom)))`.execute(db);
  return rows[0]!;
}

/** Geodesic length of lines (roads or compound outlines) inside a community's residential part, m. */
async function lengthInside(db: Kysely<DB>, community: string, lines: 'roads' | 'compounds'): Promise<number> {
  const line = lines === 'roads' ? sql`r.geom FROM roads r` : sql`ST_Boundary(r.geom) AS geom FROM compounds r`;
  const { rows } = await sql<{ m: number }>`
    WITH l AS (SELECT ${line}),
    a AS (SELECT coalesce(ST_Difference(c.geom, (SELECT ST_Union(g.geom, 1e-10) FROM grids g
             WHERE g.community_code = c.code AND g.kind = 'commercial'), 1e-10), c.geom) AS g
          FROM regions c WHERE c.code = ${community})
    SELECT coalesce(sum(ST_Length(ST_Intersection(l.geom, ST_Buffer(a.g, -1e-7), 1e-10)::geography)), 0)::float8 AS m FROM l, a`.execute(
    db,
  );
  return rows[0]!.m;
}

const sum = <T>(xs: readonly T[], f: (x: T) => number) => xs.reduce((s, x) => s + f(x), 0);

/** Units each polygon building's inside meets (from the faces' spans): exactly one for every building. */
function unitsPerBuilding(g: CommunityGraph): Map<number, Set<number>> {
  const out = new Map<number, Set<number>>();
  g.faces.forEach((f, i) => {
    for (const b of f.spans) {
      if (!out.has(b)) out.set(b, new Set());
      out.get(b)!.add(g.faceUnit[i]!);
    }
  });
  return out;
}

describeEachDriver('proposal unit graph', { demo: true }, (get) => {
  let fixtures: Fixtures;
  beforeAll(async () => {
    fixtures = await loadProposalFixtures(get().db);
  });

  for (const mode of ['fresh', 'rebalance'] as const) {
    it(`${mode}: conserves households, buildings and area; no building in two units`, async () => {
      const db = get().db;
      for (const community of [FOUR, ONE_BIG, ACROSS, '131002002006']) {
        const g = await communityGraph(db, community, PUBLISHED, mode);
        const expected = await residentialHouseholds(db, community);
        expect(
          sum(g.graph.units, (u) => u.households),
          community,
        ).toBe(expected.households);
        expect(
          sum(g.graph.units, (u) => u.buildings),
          community,
        ).toBe(expected.buildings);
        const area = await areaDivided(db, community);
        expect(Math.abs(sum(g.graph.units, (u) => u.areaM2) - area) / area, community).toBeLessThan(1e-6);
        const spans = unitsPerBuilding(g);
        if (community !== '131002002006' || mode === 'fresh')
          for (const [building, units] of spans) expect(units.size, `building ${building}`).toBe(1);
        // Every shared boundary is counted twice in the units' perimeters, the outline once.
        for (const e of g.graph.edges) {
          expect(e.a).toBeLessThan(e.b);
          expect(e.lengthM).toBeGreaterThan(0);
          expect(e.roadM).toBeLessThanOrEqual(e.lengthM + 1e-9);
        }
      }
    }, 120_000);
  }

  it('FOUR: compounds hold 300 households each; shared boundaries along the roads and compound outlines add up to their lengths', async () => {
    const db = get().db;
    const g = await communityGraph(db, FOUR, PUBLISHED, 'fresh');
    const byCompound = new Map<string, number>();
    for (const u of g.graph.units)
      if (u.compound) byCompound.set(u.compound, (byCompound.get(u.compound) ?? 0) + u.households);
    expect([...byCompound.values()]).toEqual([300, 300, 300, 300]);
    const roads = await lengthInside(db, FOUR, 'roads');
    expect(roads).toBeGreaterThan(1099);
    expect(roads).toBeLessThan(1101);
    expect(Math.abs(sum(g.graph.edges, (e) => e.roadM) - roads) / roads).toBeLessThan(1e-4);
    const ew = g.graph.edges.filter((e) => e.roads.includes(fixtures.roads.fourEW));
    expect(ew.length).toBeGreaterThan(1);
    for (const e of ew) expect(e.roadClass).toBe('secondary');
    const outlines = await lengthInside(db, FOUR, 'compounds');
    expect(outlines).toBeGreaterThan(3915); // 4 × 2 × (270 + 220) m in the fixture's metres (≈ 0.9997 m)
    expect(outlines).toBeLessThan(3921);
    expect(Math.abs(sum(g.graph.edges, (e) => e.compoundM) - outlines) / outlines).toBeLessThan(1e-4);
  }, 60_000);

  it("FOUR rebalance: no unit crosses today's grids (each grid is exactly its units)", async () => {
    const g = await communityGraph(get().db, FOUR, PUBLISHED, 'rebalance');
    const { rows } = await sql<{ code: string; a: number }>`
      SELECT code, ST_Area(geom::geography)::float8 AS a FROM grids WHERE community_code = ${FOUR} ORDER BY code`.execute(
      get().db,
    );
    expect(rows).toHaveLength(2);
    for (const grid of rows) {
      const units = g.graph.units.filter((u) => u.current === grid.code);
      expect(sum(units, (u) => u.households)).toBe(600);
      expect(Math.abs(sum(units, (u) => u.areaM2) - grid.a) / grid.a).toBeLessThan(1e-6);
    }
  }, 60_000);

  it('ONE_BIG: the 620-household building, cut by Voronoi edges, is one unit of exactly its footprint', async () => {
    const db = get().db;
    const g = await communityGraph(db, ONE_BIG, PUBLISHED, 'fresh');
    expect(
      g.graph.units
        .map((u) => u.households)
        .filter((h) => h > 0)
        .sort(),
    ).toEqual([150, 150, 620]);
    const big = g.graph.units.find((u) => u.households === 620)!;
    const pieces = g.faces.filter((_, i) => g.faceUnit[i] === big.id);
    expect(pieces.length).toBeGreaterThan(1);
    const { rows } = await sql<{ a: number }>`
      SELECT ST_Area(geom::geography)::float8 AS a FROM buildings WHERE community_code = ${ONE_BIG} AND households = 620`.execute(
      db,
    );
    expect(Math.abs(big.areaM2 - rows[0]!.a) / rows[0]!.a).toBeLessThan(1e-6);
  }, 60_000);

  it('ACROSS: the road between the blocks gives roadM > 0 along its whole length above the commercial grid', async () => {
    const db = get().db;
    for (const mode of ['fresh', 'rebalance'] as const) {
      const g = await communityGraph(db, ACROSS, PUBLISHED, mode);
      const along = g.graph.edges.filter((e) => e.roadM > 0);
      expect(along.length).toBeGreaterThan(0);
      for (const e of along) {
        expect(e.roads).toEqual([fixtures.roads.across]);
        expect(e.roadClass).toBe('arterial');
      }
      const road = await lengthInside(db, ACROSS, 'roads');
      expect(road).toBeGreaterThan(239);
      expect(road).toBeLessThan(241);
      expect(Math.abs(sum(along, (e) => e.roadM) - road) / road).toBeLessThan(1e-4);
      // The two blocks sit in different units on either side of the road.
      const blocks = g.graph.units.filter((u) => u.households === 400);
      expect(blocks).toHaveLength(2);
      expect(Math.sign(blocks[0]!.x - blocks[1]!.x)).not.toBe(0);
    }
  }, 60_000);
});
