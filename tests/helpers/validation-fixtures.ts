/**
 * Hand-made coverages for validation tests (tests/fixtures/validation/*.json), written in
 * units of `unitMetres` on a local plane and placed near 39.5° N, 116.7° E, so areas have
 * known answers: 1 unit² = unitMetres² (to the accuracy of the local scale, < 0.1 %).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { sql, type Kysely } from 'kysely';
import type { MultiPolygon, Polygon, Position } from 'geojson';
import type { DB } from '../../server/db/schema.ts';
import { ringSetFromPolygons, type RingSet } from '../../server/geo/match-edges.ts';

export const FIXTURE_DIR = new URL('../fixtures/validation/', import.meta.url);

type Units = number[][][]; // polygon rings in units
export interface ValidationFixture {
  name: string;
  description: string;
  unitMetres: number;
  community: Units[];
  grids: Record<string, Units[]>;
  buildings: { at: [number, number]; households: number }[];
  candidate?: Units;
  expect: {
    tiled?: boolean;
    residualOwners?: string[];
    problems?: {
      type: string;
      of?: string;
      grids: string[];
      areaUnits: number;
      households?: number;
      buildings?: number;
      share?: number;
    }[];
    invalidAt?: [number, number];
    reason?: string;
  };
}

export function readFixtures(): ValidationFixture[] {
  return readdirSync(FIXTURE_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ name: f.replace(/\.json$/, ''), ...JSON.parse(readFileSync(new URL(f, FIXTURE_DIR), 'utf8')) }));
}

// Local scale at 39.5° N on the WGS84 ellipsoid (metres per degree).
const LAT0 = 39.5;
const LON0 = 116.7;
const PHI = (LAT0 * Math.PI) / 180;
const E2 = 0.00669437999014;
const A = 6378137;
const M_PER_DEG_LAT = ((Math.PI / 180) * A * (1 - E2)) / (1 - E2 * Math.sin(PHI) ** 2) ** 1.5;
const M_PER_DEG_LON = ((Math.PI / 180) * A * Math.cos(PHI)) / Math.sqrt(1 - E2 * Math.sin(PHI) ** 2);

export function toLonLat(fixture: { unitMetres: number }, [x, y]: number[], offset = 0): Position {
  const round = (v: number) => Math.round(v * 1e9) / 1e9;
  return [
    round(LON0 + offset + (x! * fixture.unitMetres) / M_PER_DEG_LON),
    round(LAT0 + (y! * fixture.unitMetres) / M_PER_DEG_LAT),
  ];
}

export function toPolygon(fixture: ValidationFixture, rings: Units, offset = 0): Polygon {
  return { type: 'Polygon', coordinates: rings.map((r) => r.map((p) => toLonLat(fixture, p, offset))) };
}
export function toMultiPolygon(fixture: ValidationFixture, polygons: Units[], offset = 0): MultiPolygon {
  return {
    type: 'MultiPolygon',
    coordinates: polygons.map((rings) => rings.map((r) => r.map((p) => toLonLat(fixture, p, offset)))),
  };
}

export function fixtureRingSets(fixture: ValidationFixture): { community: RingSet; grids: RingSet[] } {
  return {
    community: ringSetFromPolygons('community', toMultiPolygon(fixture, fixture.community).coordinates),
    grids: Object.entries(fixture.grids).map(([name, polygons]) =>
      ringSetFromPolygons(name, toMultiPolygon(fixture, polygons).coordinates),
    ),
  };
}

export interface LoadedFixture {
  district: string;
  community: string;
  /** Fixture grid name → grid code. */
  codes: Record<string, string>;
  names: Record<string, string>;
}

/**
 * Insert a fixture as its own district (139900 + index), street, community, grids and
 * buildings; `index` also shifts it east by 0.1° so fixtures never touch each other.
 */
export async function loadFixture(db: Kysely<DB>, fixture: ValidationFixture, index: number): Promise<LoadedFixture> {
  const district = `1399${String(index + 10).padStart(2, '0')}000000`;
  const street = district.slice(0, 6) + '001000';
  const community = district.slice(0, 6) + '001001';
  const offset = index * 0.1;
  const geom = (g: unknown) => sql`ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(g)}), 4326))`;
  const outline = toMultiPolygon(fixture, fixture.community, offset);
  const codes: Record<string, string> = {};
  const names: Record<string, string> = {};
  await db.transaction().execute(async (trx) => {
    for (const [code, level, parent] of [
      [district, 'district', null],
      [street, 'street', district],
      [community, 'community', street],
    ] as const) {
      await sql`INSERT INTO regions (code, name, level, parent_code, geom)
                VALUES (${code}, ${`${fixture.name} ${level}`}, ${level}, ${parent}, ${geom(outline)})`.execute(trx);
    }
    let k = 0;
    for (const [name, polygons] of Object.entries(fixture.grids)) {
      const code = `${community}${String(++k).padStart(3, '0')}`;
      codes[name] = code;
      names[code] = name;
      await sql`INSERT INTO grids (code, name, community_code, kind, households, geom)
                VALUES (${code}, ${name}, ${community}, 'residential', 400, ${geom(toMultiPolygon(fixture, polygons, offset))})`.execute(
        trx,
      );
      // Every grid gets a branch and a worker, so only geometry problems show.
      await sql`INSERT INTO party_orgs (code, name, kind, community_code) VALUES (${`P${code}`}, ${`${name} 支部`}, 'branch', ${community})`.execute(
        trx,
      );
      await sql`INSERT INTO org_grids (org_code, grid_code) VALUES (${`P${code}`}, ${code})`.execute(trx);
      await sql`INSERT INTO grid_workers (name, phone, role, grid_code) VALUES ('测试', '13800138000', 'full_time', ${code})`.execute(
        trx,
      );
    }
    for (const [i, b] of (fixture.buildings ?? []).entries()) {
      const [lon, lat] = toLonLat(fixture, b.at, offset);
      await sql`INSERT INTO buildings (code, name, community_code, households, geom)
                VALUES (${`${community}B${i}`}, ${`楼${i}`}, ${community}, ${b.households}, ST_SetSRID(ST_MakePoint(${lon}, ${lat}), 4326))`.execute(
        trx,
      );
    }
  });
  return { district, community, codes, names };
}
