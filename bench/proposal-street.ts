/**
 * Generated streets for the grid-proposal bench (issue 19): one street office of about 5,000
 * or 20,000 buildings, road first like the demo district (data/generator: lattice → roads →
 * blocks → communities of whole blocks → grids → compounds → buildings), with
 *
 * - roads with their class (arterial/secondary between blocks, local lanes, service ways);
 * - compounds (小区) of 1–4 cells inside a block, filled first with slab blocks;
 * - buildings of 20–200 households, 2 % of residential grids with one tower of 200–560
 *   (over 500: a grid the band cannot be met in, reported as such);
 * - communities of ≈ 2,000–4,000 households, today's grids (300–470 households, a few
 *   deliberately low, high, mixed) and commercial grids (markets, office towers);
 * - full-precision coordinates (data/generator/full-precision.ts), not 7 decimals.
 *
 * Deterministic for a size and seed.
 *
 *   BENCH_DATABASE_URL=postgres://… npx tsx bench/proposal-street.ts 20000   # into schema street_20000 (replaced)
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../server/db/schema.ts';
import { generateDistrict, type DistrictOptions } from '../data/generator/district.ts';
import type { BuildingSizes } from '../data/generator/buildings.ts';
import { generateDistrictRoads, type RoadCollection } from '../data/generator/roads.ts';
import { toFullPrecision } from '../data/generator/full-precision.ts';
import type { Dataset } from '../data/generator/types.ts';
import { loadDataset } from '../data/load.ts';

export const STREET_BUILDING_SIZES: BuildingSizes = {
  min: 20,
  max: 200,
  perBuilding: [35, 70],
  inCompound: [30, 60],
  rural: [15, 28],
  large: { share: 0.02, households: [200, 560] },
};

/** Buildings per today's grid, measured on these options (residential and non-residential). */
const BUILDINGS_PER_GRID = 8.5;
const GRIDS_PER_COMMUNITY = 7.5;
const CELLS_PER_GRID = 3;

export function streetOptions(buildings: number, seed = 19): DistrictOptions {
  const grids = Math.round(buildings / BUILDINGS_PER_GRID);
  const communities = Math.max(1, Math.round(grids / GRIDS_PER_COMMUNITY));
  const cells = grids * CELLS_PER_GRID;
  const cellSize = 150;
  // The demo's lattice is 96 × 44 for ~2,800 cells inside: keep its shape, scaled.
  const scale = Math.sqrt(cells / 2_800);
  const special = Math.max(1, Math.round(grids / 100));
  return {
    seed: seed * 100_000 + buildings,
    code: '131003',
    name: '演示街道区',
    centre: [116.78, 39.42],
    nx: Math.round(96 * scale),
    ny: Math.round(44 * scale),
    cellSize,
    areaKm2: (cells * cellSize * cellSize) / 1e6,
    streets: [{ seq: '001', name: '试验街道' }],
    communities,
    grids,
    compounds: Math.round(grids * 0.8),
    branches: Math.max(1, Math.round(communities / 2)),
    uncoveredGrids: 0,
    deliberateErrors: 0,
    parks: Math.max(1, Math.round(cells / 500)),
    special: { market: special, office: special, mixed: 2 * special, low: special, high: special },
    buildingSizes: STREET_BUILDING_SIZES,
    evenDensity: true,
  };
}

export interface GeneratedStreet {
  dataset: Dataset;
  roads: RoadCollection;
  street: string;
}

export function generateStreet(buildings: number, seed = 19): GeneratedStreet {
  const options = streetOptions(buildings, seed);
  const rounded = generateDistrict(options);
  const { dataset, roads } = toFullPrecision(rounded, generateDistrictRoads(options, rounded));
  const street = dataset.regions.find((r) => r.level === 'street')!.code;
  return { dataset, roads, street };
}

/** Load a generated street into a migrated, empty database (no demo users, no cases). */
export async function loadStreet(db: Kysely<DB>, street: GeneratedStreet): Promise<void> {
  await loadDataset(db, street.dataset, { demoPassword: 'bench', createUsers: false, roads: street.roads });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { openDatabase } = await import('../server/db/database.ts');
  const { migrate } = await import('../server/db/migrate.ts');
  const url = process.env.BENCH_DATABASE_URL;
  if (!url) throw new Error('BENCH_DATABASE_URL is not set (the server driver)');
  const size = Number(process.argv[2] ?? 5_000);
  const schema = `street_${size}`;
  const admin = await openDatabase({ driver: 'server', connectionString: url, max: 1 });
  await sql`DROP SCHEMA IF EXISTS ${sql.id(schema)} CASCADE`.execute(admin.db);
  await sql`CREATE SCHEMA ${sql.id(schema)}`.execute(admin.db);
  await admin.close();
  const database = await openDatabase({ driver: 'server', connectionString: url, schema });
  await migrate(database.db);
  const street = generateStreet(size);
  await loadStreet(database.db, street);
  await sql`ANALYZE`.execute(database.db);
  await database.close();
  console.log(`street ${street.street}: ${street.dataset.buildings.length} buildings loaded into schema ${schema}`);
}
