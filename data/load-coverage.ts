/**
 * Loads a generated coverage (data/generator/coverage) through the normal schema: the
 * district, streets and communities into `regions`, the grids into `grids`, in one
 * transaction, coordinates as generated (full double precision: this is data the project
 * did not shape, as an office's own layer would arrive), or with `onGrid` rounded to the
 * stored grid of the precision model (server/db/precision.ts), as the write paths store them.
 *
 *   DATABASE_URL=postgres://… npx tsx data/load-coverage.ts 20000 [manifest.json]
 */
import { writeFileSync } from 'node:fs';
import type { Kysely } from 'kysely';
import type { MultiPolygon } from 'geojson';
import type { DB } from '../server/db/schema.ts';
import { stMultiFromGeoJSON } from '../server/db/postgis.queries.ts';
import { stOnGrid } from '../server/db/precision.queries.ts';
import type { CoverageGrid, CoverageRegion } from './generator/coverage/index.ts';
import { inBatches } from './batches.ts';

export interface CoverageLoadOptions {
  /** Round every coordinate to the stored grid (10 decimals) as the write edge does. */
  onGrid?: boolean;
}

const outline = (geom: MultiPolygon, options: CoverageLoadOptions) =>
  options.onGrid ? stOnGrid(stMultiFromGeoJSON(geom)) : stMultiFromGeoJSON(geom);

export async function loadCoverage(
  db: Kysely<DB>,
  coverage: { regions: CoverageRegion[]; grids: CoverageGrid[] },
  options: CoverageLoadOptions = {},
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const level of ['district', 'street', 'community'] as const) {
      const rows = coverage.regions.filter((r) => r.level === level);
      await inBatches(rows, (batch) =>
        trx
          .insertInto('regions')
          .values(
            batch.map((r) => ({
              code: r.code,
              name: r.name,
              level: r.level,
              parent_code: r.parent_code,
              geom: outline(r.geom, options),
            })),
          )
          .execute(),
      );
    }
    await insertGrids(trx, coverage.grids, options);
  });
}

/** Grid rows (residential, 400 households) with their outlines as given. */
export async function insertGrids(
  db: Kysely<DB>,
  grids: readonly CoverageGrid[],
  options: CoverageLoadOptions = {},
): Promise<void> {
  await inBatches(grids, (batch) =>
    db
      .insertInto('grids')
      .values(
        batch.map((g) => ({
          code: g.code,
          name: g.name,
          community_code: g.community_code,
          kind: 'residential' as const,
          households: 400,
          population: 1000,
          geom: outline(g.geom, options),
        })),
      )
      .execute(),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { openDatabase } = await import('../server/db/database.ts');
  const { migrate } = await import('../server/db/migrate.ts');
  const { generateCoverage } = await import('./generator/coverage/index.ts');
  const grids = Number(process.argv[2] ?? 2000);
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set');
  const database = await openDatabase({ driver: 'server', connectionString: url, schema: process.env.DATABASE_SCHEMA });
  await migrate(database.db);
  const coverage = generateCoverage({ grids });
  await loadCoverage(database.db, coverage);
  if (process.argv[3]) writeFileSync(process.argv[3], JSON.stringify(coverage.manifest, null, 2));
  console.log(
    `loaded ${coverage.grids.length} grids, ${coverage.manifest.errors.length} injected errors, ${coverage.manifest.slivers.length} slivers`,
  );
  await database.close();
}
