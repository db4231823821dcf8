/**
 * Validation of a region (community, street, district, or the whole database): coverage
 * problems from the incremental topology check, attribute problems fresh from SQL, all read
 * in one REPEATABLE READ transaction so the report describes one moment.
 */
import { sql, type Kysely } from 'kysely';
import type { Point } from 'geojson';
import type { DB } from '../db/schema.ts';
import type { ProblemFeature, ValidationReport } from '../../common/api.ts';
import { notFound } from '../http/errors.ts';
import { communityChecks, type TopologyStats } from './topology.ts';
import { boundsFor, householdBoundsSetting } from './attributes.queries.ts';
import { areaProblem, DEFAULT_TOLERANCES, gridProblem, sortProblems, summarise, SEVERITY, type Tolerances } from './problems.ts';

export interface ValidateOptions {
  /** A region code; omitted: every community in the database. */
  region?: string;
  areaTolerance?: number;
  widthTolerance?: number;
}

export type ValidationResult = ValidationReport & { stats: TopologyStats };

export async function validateRegion(db: Kysely<DB>, options: ValidateOptions = {}): Promise<ValidationResult> {
  const started = performance.now();
  const tol: Tolerances = {
    areaM2: options.areaTolerance ?? DEFAULT_TOLERANCES.areaM2,
    widthM: options.widthTolerance ?? DEFAULT_TOLERANCES.widthM,
  };
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      // JIT compiles these short queries for longer than they run (1.1 s of 1.2 s measured
      // at 100,000 grids); the embedded build has no JIT and accepts the setting.
      await sql`SET LOCAL jit = off`.execute(trx);
      let region: ValidationReport['region'] = { code: '', name: '全部', level: 'district' };
      if (options.region) {
        const found = await getRegionHeader(trx, options.region);
        if (!found) throw notFound('region', options.region);
        region = found;
      }
      const setting = await householdBoundsSetting(trx);
      const { communities, stats } = await communityChecks(trx, options.region, setting, db);

      const problems: ProblemFeature[] = [];
      const seen = new Set<string>();
      const push = (p: ProblemFeature) => {
        if (seen.has(p.properties.id)) return; // an overlap across two broken communities, found from both
        seen.add(p.properties.id);
        problems.push(p);
      };
      let grids = 0;
      for (const c of communities) {
        grids += c.grids;
        for (const area of c.areas) push(areaProblem(area, tol));
        for (const row of c.invalid) {
          push(
            gridProblem({
              type: 'invalid',
              grid: row.grid,
              community: row.community,
              geometry: { type: 'Point', coordinates: [row.lon, row.lat] },
              point: [row.lon, row.lat],
              detail: { reason: row.reason },
            }),
          );
        }
        for (const row of c.multipart) {
          push(
            gridProblem({
              type: 'multipart',
              grid: row.grid,
              community: row.community,
              geometry: row.geometry,
              point: [row.lon, row.lat],
              areaM2: Math.round(row.area * 100) / 100,
              detail: { parts: row.parts },
            }),
          );
        }
      }
      for (const row of communities.flatMap((c) => c.attributes)) {
        const point = row.point as Point;
        const at: [number, number] = [point.coordinates[0]!, point.coordinates[1]!];
        const base = { grid: row.grid, community: row.community, geometry: point, point: at };
        if (row.kind !== 'commercial' && (row.households < row.min || row.households > row.max)) {
          push(gridProblem({ ...base, type: 'households', households: row.households, detail: { min: row.min, max: row.max, kind: row.kind } }));
        }
        if (!row.has_party) push(gridProblem({ ...base, type: 'party' }));
        if (!row.has_worker) push(gridProblem({ ...base, type: 'worker' }));
      }
      sortProblems(problems);

      const counts = new Map<string, { errors: number; warnings: number; infos: number; tiled: boolean }>();
      for (const c of communities) counts.set(c.code, { errors: 0, warnings: 0, infos: 0, tiled: true });
      for (const p of problems) {
        const entry = counts.get(p.properties.community_code);
        if (!entry) continue;
        const sev = SEVERITY[p.properties.type];
        if (sev === 'error') entry.errors++;
        else if (sev === 'warning') entry.warnings++;
        else entry.infos++;
        if (['gap', 'overlap', 'sliver', 'outside'].includes(p.properties.type)) entry.tiled = false;
      }

      return {
        region,
        tolerances: { areaM2: tol.areaM2, widthM: tol.widthM },
        householdBounds: boundsFor(setting, options.region),
        summary: summarise(problems),
        communities: communities.map((c) => ({ code: c.code, name: c.name, ...counts.get(c.code)! })),
        grids,
        areaMethod: 'geodesic' as const,
        tookMs: Math.round((performance.now() - started) * 10) / 10,
        problems: { type: 'FeatureCollection' as const, features: problems },
        stats,
      };
    });
}

async function getRegionHeader(db: Kysely<DB>, code: string): Promise<ValidationReport['region'] | undefined> {
  return db.selectFrom('regions').select(['code', 'name', 'level']).where('code', '=', code).executeTakeFirst();
}
