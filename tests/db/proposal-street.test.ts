/**
 * The generated street of the grid-proposal bench (bench/proposal-street.ts, issue 19),
 * about 5,000 buildings, loaded on every driver: deterministic, the buildings, compounds,
 * roads and communities the bench relies on, and coordinates kept at full precision.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { describeEachDriver } from '../helpers/db.ts';
import { generateStreet, loadStreet, type GeneratedStreet } from '../../bench/proposal-street.ts';

const street: GeneratedStreet = generateStreet(5_000);
const { dataset } = street;
const residential = dataset.buildings.filter((b) => b.households > 0);
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.floor(q * (xs.length - 1))]!;

describe('generateStreet (pure)', () => {
  it('is deterministic for a size and seed, and another seed gives another street', () => {
    expect(generateStreet(5_000)).toEqual(street);
    expect(generateStreet(5_000, 20).dataset.buildings[0]!.geom).not.toEqual(dataset.buildings[0]!.geom);
  });

  it('has about 5,000 buildings of 20–200 households (a few towers larger), one street', () => {
    expect(dataset.buildings.length).toBeGreaterThan(4_500);
    expect(dataset.buildings.length).toBeLessThan(5_500);
    expect(dataset.regions.filter((r) => r.level === 'street')).toHaveLength(1);
    // Market stalls (12–30) and towers aside, residential buildings hold 20–200 households.
    const ordinary = residential.filter((b) => b.households >= 20 && b.households <= 200);
    expect(ordinary.length / residential.length).toBeGreaterThan(0.97);
    const towers = residential.filter((b) => b.households > 200);
    expect(towers.length).toBeGreaterThan(0);
    expect(towers.length).toBeLessThan(residential.length * 0.01);
  });

  it('has communities of ≈ 2,000–4,000 households (quartiles), compounds of several buildings, commercial grids', () => {
    const byCommunity = new Map<string, number>();
    for (const b of dataset.buildings)
      byCommunity.set(b.community_code, (byCommunity.get(b.community_code) ?? 0) + b.households);
    const households = [...byCommunity.values()];
    expect(quantile(households, 0.25)).toBeGreaterThanOrEqual(2_000);
    expect(quantile(households, 0.75)).toBeLessThanOrEqual(4_000);
    const perCompound = new Map<string, number>();
    for (const b of dataset.buildings)
      if (b.compound_code) perCompound.set(b.compound_code, (perCompound.get(b.compound_code) ?? 0) + 1);
    expect(quantile([...perCompound.values()], 0.5)).toBeGreaterThanOrEqual(4);
    expect(dataset.grids.filter((g) => g.kind === 'commercial').length).toBeGreaterThan(0);
    expect(dataset.meta.outOfBandGrids.length).toBeGreaterThan(0);
  });

  it('has full-precision coordinates (not on the 7-decimal grid)', () => {
    const coords = dataset.grids.flatMap((g) => g.geom.coordinates.flat(2));
    const offGrid = coords.filter(
      (p) => Math.round(p[0]! * 1e7) / 1e7 !== p[0] || Math.round(p[1]! * 1e7) / 1e7 !== p[1],
    );
    expect(offGrid.length / coords.length).toBeGreaterThan(0.99);
  });
});

describeEachDriver('generated proposal street', {}, (get) => {
  beforeAll(async () => {
    await loadStreet(get().db, street);
  });

  it('loads every building, grid, compound and road', async () => {
    const counts = await sql<{ b: number; g: number; c: number; r: number; h: number }>`
      SELECT (SELECT count(*) FROM buildings)::int AS b, (SELECT count(*) FROM grids)::int AS g,
        (SELECT count(*) FROM compounds)::int AS c, (SELECT count(*) FROM roads)::int AS r,
        (SELECT sum(households) FROM buildings)::int AS h`.execute(get().db);
    expect(counts.rows[0]).toEqual({
      b: dataset.buildings.length,
      g: dataset.grids.length,
      c: dataset.compounds.length,
      r: street.roads.features.length,
      h: dataset.buildings.reduce((s, b) => s + b.households, 0),
    });
  });

  it('keeps the coordinates exactly as generated (float8, no rounding on the way in)', async () => {
    const road = street.roads.features[0]!;
    const { rows } = await sql<{ x: number; y: number }>`
      SELECT ST_X(ST_StartPoint(geom))::float8 AS x, ST_Y(ST_StartPoint(geom))::float8 AS y
      FROM roads WHERE code = ${road.properties.code}`.execute(get().db);
    expect([rows[0]!.x, rows[0]!.y]).toEqual(road.geometry.coordinates[0]);
    expect(Math.round(rows[0]!.x * 1e7) / 1e7).not.toBe(rows[0]!.x);
  });

  it('puts every building inside its community, and the grids tile each community (areas agree)', async () => {
    const outside = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM buildings b JOIN regions c ON c.code = b.community_code
      WHERE NOT ST_CoveredBy(b.geom, c.geom)`.execute(get().db);
    expect(outside.rows[0]!.n).toBe(0);
    const { rows } = await sql<{ code: string; community: number; grids: number }>`
      SELECT c.code, ST_Area(c.geom::geography) AS community, sum(ST_Area(g.geom::geography)) AS grids
      FROM regions c JOIN grids g ON g.community_code = c.code
      WHERE c.level = 'community' GROUP BY c.code, c.geom`.execute(get().db);
    expect(rows).toHaveLength(dataset.regions.filter((r) => r.level === 'community').length);
    for (const r of rows) expect(Math.abs(r.grids - r.community) / r.community).toBeLessThan(1e-9);
  });

  // Through = reaching more than ~0.5 m (5e-6°) inside: a road along a compound's outline has
  // its edge midpoints within 1e-11° of it, on either side, once coordinates have full precision.
  it('has roads of every class; arterials and secondaries run between blocks, never through a compound', async () => {
    const { rows } = await sql<{ class: string; n: number; through: number }>`
      SELECT r.class, count(DISTINCT r.id)::int AS n,
        count(DISTINCT r.id) FILTER (WHERE ST_Intersects(r.geom, ST_Buffer(c.geom, -5e-6)))::int AS through
      FROM roads r LEFT JOIN compounds c ON ST_Intersects(r.geom, c.geom)
      GROUP BY r.class ORDER BY r.class`.execute(get().db);
    const byClass = Object.fromEntries(rows.map((r) => [r.class, r]));
    expect(Object.keys(byClass).sort()).toEqual(['arterial', 'local', 'secondary', 'service']);
    expect(byClass.arterial!.through).toBe(0);
    expect(byClass.secondary!.through).toBe(0);
    // Compound inner roads: service ways do run through compounds.
    expect(byClass.service!.through).toBeGreaterThan(0);
  });
});
