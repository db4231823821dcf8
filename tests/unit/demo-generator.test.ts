/**
 * The demo-district generator: deterministic, with the published Anci counts, exact tiling,
 * road first (communities of whole blocks, grid counts that vary, villages in the town) and
 * water and green for the base map.
 */
import { describe, expect, it } from 'vitest';
import * as turf from '@turf/turf';
import type { MultiPolygon, Position } from 'geojson';
import { STATION_KINDS } from '../../common/rules/station-kinds.ts';
import { generateDistrict, SIX_SERVICES, type Dataset } from '../../data/generator/index.ts';
import { readDemoDataset } from '../../data/load.ts';

const dataset: Dataset = generateDistrict();
const errorGrids = new Set(dataset.meta.deliberateErrors.flatMap((e) => e.grids));
const errorCommunities = new Set(dataset.meta.deliberateErrors.map((e) => e.grids[0].slice(0, 12)));
const communities = dataset.regions.filter((r) => r.level === 'community');

/** Map.groupBy arrived in Node 21; the project supports Node 20. */
function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) out.set(key(item), [...(out.get(key(item)) ?? []), item]);
  return out;
}

/** Directed boundary edges of a set of polygons, shared edges (a→b with b→a) cancelled. */
function outline(geoms: MultiPolygon[]): Set<string> {
  const edges = new Set<string>();
  for (const geom of geoms) {
    for (const ring of geom.coordinates.flat()) {
      for (let k = 0; k + 1 < ring.length; k++) {
        const [a, b] = [String(ring[k]), String(ring[k + 1])];
        if (edges.has(`${b}>${a}`)) edges.delete(`${b}>${a}`);
        else edges.add(`${a}>${b}`);
      }
    }
  }
  return edges;
}

const signedArea = (ring: Position[]) =>
  ring
    .slice(0, -1)
    .reduce(
      (s, p, k) =>
        s +
        (p[0] as number) * ((ring[k + 1] as Position)[1] as number) -
        ((ring[k + 1] as Position)[0] as number) * (p[1] as number),
      0,
    ) / 2;

describe('generateDistrict (安次区)', () => {
  it('is deterministic and matches the committed data/demo/anci-district.json', () => {
    expect(generateDistrict()).toEqual(dataset);
    expect(readDemoDataset()).toEqual(JSON.parse(JSON.stringify(dataset)));
  });

  it('has the published Anci counts', () => {
    expect(communities).toHaveLength(53);
    expect(dataset.regions.filter((r) => r.level === 'street')).toHaveLength(5);
    expect(dataset.compounds).toHaveLength(183);
    expect(dataset.grids).toHaveLength(319);
    expect(dataset.partyOrgs.filter((o) => o.kind === 'branch')).toHaveLength(24);
    expect(dataset.partyOrgs.filter((o) => o.kind === 'group')).toHaveLength(295);
    expect(dataset.partyOrgs.filter((o) => o.kind === 'committee')).toHaveLength(53);
    expect(dataset.stations.length).toBeGreaterThanOrEqual(300);
    expect(new Set(dataset.stations.map((s) => s.kind))).toEqual(new Set(STATION_KINDS));
    expect(dataset.meta.areaKm2).toBeGreaterThan(61);
    expect(dataset.meta.areaKm2).toBeLessThan(64.5);
    const population = dataset.grids.reduce((s, g) => s + g.population, 0);
    expect(population).toBeGreaterThan(320_000);
    expect(population).toBeLessThan(360_000);
  });

  it('uses statistical division codes', () => {
    for (const r of dataset.regions) {
      expect(r.code).toMatch(/^131002\d{6}$/);
      if (r.level === 'street') expect(r.code).toMatch(/^131002\d{3}000$/);
      if (r.level === 'community') expect(r.code.slice(0, 9)).toBe(r.parent_code?.slice(0, 9));
    }
    const communityCodes = new Set(communities.map((c) => c.code));
    for (const g of dataset.grids) {
      expect(g.code).toMatch(/^\d{15}$/);
      expect(g.code.slice(0, 12)).toBe(g.community_code);
      expect(communityCodes.has(g.community_code)).toBe(true);
      expect(g.name).toMatch(/^第\d+网格$/);
    }
    // Street offices have communities (社区); the rural town 落垡镇 has villages (村).
    const streetName = new Map(dataset.regions.map((r) => [r.code, r.name]));
    for (const c of communities) expect(c.name).toMatch(streetName.get(c.parent_code!) === '落垡镇' ? /村$/ : /社区$/);
    expect(communities.filter((c) => c.name.endsWith('村')).length).toBeGreaterThanOrEqual(5);
    expect(new Set(dataset.buildings.map((b) => b.code)).size).toBe(dataset.buildings.length);
  });

  it("sums each grid's households from the buildings inside it", () => {
    const byCommunity = groupBy(dataset.grids, (g) => g.community_code);
    const sums = new Map<string, number>();
    for (const b of dataset.buildings) {
      const ring = b.geom.type === 'Point' ? [b.geom.coordinates] : (b.geom.coordinates[0] as Position[]).slice(0, -1);
      const centre = turf.point([0, 1].map((axis) => ring.reduce((s, p) => s + (p[axis] as number), 0) / ring.length));
      const grid = (byCommunity.get(b.community_code) ?? []).find((g) => turf.booleanPointInPolygon(centre, g.geom));
      expect(grid, b.code).toBeDefined();
      sums.set(grid!.code, (sums.get(grid!.code) ?? 0) + b.households);
      // Homes hold 12–120 households; the buildings without any are the city's schools,
      // workshops, shops and offices (outside compounds), or a commercial grid's own.
      if (b.households === 0 && grid!.kind !== 'commercial') {
        expect(b.name, b.code).toMatch(/(厂房|仓库|教学楼|商业楼|办公楼)$/);
        expect(b.compound_code).toBeNull();
      } else if (grid!.kind !== 'commercial') expect(b.households).toBeGreaterThanOrEqual(12);
      expect(b.households).toBeLessThanOrEqual(120);
    }
    for (const g of dataset.grids) {
      expect(sums.get(g.code), g.code).toBe(g.households);
      // Population ≈ households × 2.6–2.9, rounded.
      expect(g.population).toBeGreaterThanOrEqual(Math.floor(2.6 * g.households));
      expect(g.population).toBeLessThanOrEqual(Math.ceil(2.9 * g.households));
    }
  });

  it('varies the number of grids per community: 3–12 in the city, 2–5 in a village, larger rural grids', () => {
    const perCommunity = groupBy(dataset.grids, (g) => g.community_code);
    const villages = new Set(communities.filter((c) => c.name.endsWith('村')).map((c) => c.code));
    const counts = communities.map((c) => perCommunity.get(c.code)?.length ?? 0);
    communities.forEach((c, k) => {
      if (villages.has(c.code)) expect(counts[k], c.code).toBeGreaterThanOrEqual(2);
      else expect(counts[k], c.code).toBeGreaterThanOrEqual(3);
      expect(counts[k], c.code).toBeLessThanOrEqual(villages.has(c.code) ? 5 : 12);
    });
    expect(new Set(counts).size).toBeGreaterThanOrEqual(5);
    const meanArea = (rural: boolean) => {
      const grids = dataset.grids.filter((g) => villages.has(g.community_code) === rural);
      return grids.reduce((s, g) => s + turf.area(g.geom), 0) / grids.length;
    };
    expect(meanArea(true)).toBeGreaterThan(2 * meanArea(false));
    // Compounds (小区) are in the city's communities.
    for (const c of dataset.compounds) expect(villages.has(c.community_code)).toBe(false);
  });

  it('has a river, its green banks and parks as landcover: valid rings, 7 decimals, inside the district', () => {
    const district = dataset.regions.find((r) => r.level === 'district')!;
    const codes = new Set(dataset.regions.map((r) => r.code));
    expect(dataset.landcover.filter((r) => r.kind === 'water').length).toBeGreaterThanOrEqual(2);
    expect(dataset.landcover.filter((r) => r.kind === 'green').length).toBeGreaterThanOrEqual(4);
    for (const row of dataset.landcover) {
      expect(codes.has(row.region_code)).toBe(true);
      expect(row.name).toBeTruthy();
      expect(turf.kinks(turf.multiPolygon(row.geom.coordinates)).features, row.name!).toHaveLength(0);
      for (const polygon of row.geom.coordinates)
        for (const ring of polygon) {
          expect(ring[0]).toEqual(ring[ring.length - 1]);
          for (const p of ring) for (const x of p) expect(Math.round(x * 1e7) / 1e7).toBe(x);
        }
      // Mostly inside the district (the river's ends may reach a few metres past the outline).
      const inside = turf.area(
        turf.intersect(turf.featureCollection([turf.feature(row.geom), turf.feature(district.geom)]))!,
      );
      expect(inside / turf.area(row.geom), row.name!).toBeGreaterThan(0.97);
    }
    expect(dataset.meta.notice).toBe('演示数据（虚构）');
  });

  it('keeps grids in the 300–500 band except the recorded ones and the commercial grids', () => {
    const outside = dataset.grids.filter((g) => g.kind !== 'commercial' && (g.households < 300 || g.households > 500));
    expect(outside.map((g) => g.code).sort()).toEqual(dataset.meta.outOfBandGrids);
    expect(outside.some((g) => g.households < 300) && outside.some((g) => g.households > 500)).toBe(true);
    expect(dataset.grids.filter((g) => g.kind === 'commercial')).toHaveLength(2);
    expect(dataset.grids.filter((g) => g.kind === 'mixed').length).toBeGreaterThan(0);
  });

  it('records exactly the uncovered and double-claimed grids', () => {
    const claims = groupBy(dataset.orgGrids, (r) => r.grid_code);
    expect(
      dataset.grids
        .filter((g) => !claims.has(g.code))
        .map((g) => g.code)
        .sort(),
    ).toEqual(dataset.meta.uncoveredGrids);
    expect([...claims].filter(([, rows]) => rows.length > 1).map(([code]) => code)).toEqual(
      dataset.meta.doubleClaimedGrids,
    );
    expect(dataset.meta.uncoveredGrids).toHaveLength(5);
    expect(dataset.meta.doubleClaimedGrids).toHaveLength(1);
    const orgs = new Map(dataset.partyOrgs.map((o) => [o.code, o]));
    for (const row of dataset.orgGrids) expect(['branch', 'group']).toContain(orgs.get(row.org_code)?.kind);
    for (const o of dataset.partyOrgs)
      if (o.parent_code) expect(orgs.get(o.parent_code)?.community_code).toBe(o.community_code);
  });

  it('tiles every community exactly with its grids, apart from the deliberate errors', () => {
    expect(dataset.meta.deliberateErrors.length).toBeGreaterThanOrEqual(3);
    expect(new Set(dataset.meta.deliberateErrors.map((e) => e.kind))).toEqual(new Set(['gap', 'overlap']));
    const grids = groupBy(dataset.grids, (g) => g.community_code);
    for (const community of communities) {
      const mine = grids.get(community.code) ?? [];
      const same = [...outline(mine.map((g) => g.geom))].sort().join() === [...outline([community.geom])].sort().join();
      expect(same, community.code).toBe(!errorCommunities.has(community.code));
      if (errorCommunities.has(community.code)) continue;
      const sum = mine.reduce((s, g) => s + turf.area(g.geom), 0);
      expect(Math.abs(sum - turf.area(community.geom)) / turf.area(community.geom)).toBeLessThan(1e-6);
    }
    // Streets tile the district and communities tile their street, too.
    const district = dataset.regions.find((r) => r.level === 'district')!;
    const streets = dataset.regions.filter((r) => r.level === 'street');
    expect([...outline(streets.map((s) => s.geom))].sort()).toEqual([...outline([district.geom])].sort());
    for (const street of streets) {
      const parts = communities.filter((c) => c.parent_code === street.code).map((c) => c.geom);
      expect([...outline(parts)].sort()).toEqual([...outline([street.geom])].sort());
    }
    expect(errorGrids.size).toBe(2 * dataset.meta.deliberateErrors.length);
  });

  it('writes simple rings: closed, shells counter-clockwise, holes clockwise, 7 decimals', () => {
    const polygons = [...dataset.regions, ...dataset.grids, ...dataset.compounds].flatMap((r) => r.geom.coordinates);
    for (const polygon of polygons) {
      polygon.forEach((ring, k) => {
        expect(ring[0]).toEqual(ring[ring.length - 1]);
        expect(new Set(ring.slice(0, -1).map(String)).size).toBe(ring.length - 1);
        expect(Math.sign(signedArea(ring))).toBe(k === 0 ? 1 : -1);
        for (const p of ring) for (const x of p) expect(Math.round(x * 1e7) / 1e7).toBe(x);
      });
    }
  });

  it('gives stations addresses, opening hours, services and service lines', () => {
    for (const s of dataset.stations) {
      expect(s.address).toMatch(/^安次区.+\d+号$/);
      expect(s.opening_hours).toMatch(/^(24\/7|(Mo|Sa)[-A-Za-z, ]* \d\d:\d\d-\d\d:\d\d.*)$/);
      if (s.phone !== null) expect(s.phone).toMatch(/^0316-5\d{6}$/);
      expect(s.region_code.slice(0, 12)).toMatch(/^131002\d{6}$/);
    }
    for (const s of dataset.stations.filter((x) => x.kind === 'red_post'))
      expect(s.services).toEqual([...SIX_SERVICES]);
    expect(dataset.stations.filter((s) => s.kind === 'party_service_center')).toHaveLength(53);
  });

  it('staffs every grid with one full-time worker and many buildings with a head', () => {
    const fullTime = dataset.gridWorkers.filter((w) => w.role === 'full_time');
    expect(fullTime.map((w) => w.grid_code).sort()).toEqual(dataset.grids.map((g) => g.code).sort());
    expect(dataset.gridWorkers.filter((w) => w.role === 'building_head').length).toBeGreaterThan(300);
    const buildings = new Set(dataset.buildings.map((b) => b.code));
    for (const w of dataset.gridWorkers) {
      expect(w.phone).toMatch(/^1\d{10}$/);
      if (w.building_code) expect(buildings.has(w.building_code)).toBe(true);
    }
    expect(dataset.gridWorkers.some((w) => w.phone_public)).toBe(true);
    expect(dataset.gridWorkers.filter((w) => w.phone_public).length).toBeLessThan(fullTime.length);
  });
});
