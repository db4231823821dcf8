/**
 * Validation of a region (community, street, district, or the whole database): coverage
 * problems from the incremental topology check, attribute problems fresh from SQL, all read
 * in one REPEATABLE READ transaction so the report describes one moment.
 */
import type { Kysely } from 'kysely';
import type { Point } from 'geojson';
import type { DB } from '../db/schema.ts';
import type {
  ProblemCollection,
  ProblemFeature,
  ValidationPreview,
  ValidationPreviewRequest,
  ValidationReport,
} from '../../common/contracts/validation.ts';
import { badRequest, notFound } from '../http/errors.ts';
import { candidateValidity, previewPieces, replacedGrid } from './preview.queries.ts';
import { communityChecks, saveChecks, trackSave, type CommunityCheck, type CheckStats } from './community-checks.ts';
import { hasSiblingConnections } from '../db/snapshot.ts';
import { jitOffInTransaction } from '../db/session.queries.ts';
import { regionHeader } from '../regions/regions.queries.ts';
import { householdBoundsSetting } from '../settings/household-bounds.queries.ts';
import { boundsFor, outOfBand } from '../../common/rules/household-band.ts';
import { tilingProblems } from './tiling-problems.ts';
import { splitAllowed } from './exceptions.queries.ts';
import {
  areaProblem,
  countByCommunity,
  DEFAULT_TOLERANCES,
  gridProblem,
  sortProblems,
  summarise,
  type Tolerances,
} from './problems.ts';

export interface ValidateOptions {
  /** A region code; omitted: every community in the database. */
  region?: string;
  areaTolerance?: number;
  widthTolerance?: number;
}

export type ValidationResult = ValidationReport & { stats: CheckStats };

export async function validateRegion(db: Kysely<DB>, options: ValidateOptions = {}): Promise<ValidationResult> {
  const started = performance.now();
  const tol: Tolerances = {
    areaM2: options.areaTolerance ?? DEFAULT_TOLERANCES.areaM2,
    widthM: options.widthTolerance ?? DEFAULT_TOLERANCES.widthM,
  };
  let computed: CommunityCheck[] = [];
  const result = await db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      // JIT compiles these short queries for longer than they run (1.1 s of 1.2 s measured
      // at 100,000 grids); the embedded build has no JIT and accepts the setting.
      await jitOffInTransaction(trx);
      let region: ValidationReport['region'] = { code: '', name: '全部', level: 'district' };
      if (options.region) {
        const found = await getRegionHeader(trx, options.region);
        if (!found) throw notFound('region', options.region);
        region = found;
      }
      const setting = await householdBoundsSetting(trx);
      const checked = await communityChecks(trx, options.region, setting, db);
      const { communities, stats } = checked;
      computed = checked.computed;

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
        for (const p of tilingProblems(c, tol)) push(p);
      }
      for (const row of communities.flatMap((c) => c.attributes)) {
        const point = row.point as Point;
        const at: [number, number] = [point.coordinates[0]!, point.coordinates[1]!];
        const base = { grid: row.grid, community: row.community, geometry: point, point: at };
        const bounds = boundsFor(setting, row.grid);
        if (outOfBand(row.kind, row.households, bounds)) {
          push(
            gridProblem({
              ...base,
              type: 'households',
              households: row.households,
              detail: { min: bounds.min, max: bounds.max, kind: row.kind },
            }),
          );
        }
        if (!row.has_party) push(gridProblem({ ...base, type: 'party' }));
        if (!row.has_worker) push(gridProblem({ ...base, type: 'worker' }));
      }
      sortProblems(problems);
      // Gaps an admin allowed (ADR 0013) are listed apart and counted nowhere else.
      const { allowed } = await splitAllowed(trx, problems);
      if (allowed.length > 0) {
        // In place (no spread: a district can have 100,000 problems, too many arguments for push).
        const ids = new Set(allowed.map((p) => p.properties.id));
        let kept = 0;
        for (const p of problems) if (!ids.has(p.properties.id)) problems[kept++] = p;
        problems.length = kept;
      }

      const counts = countByCommunity(
        communities.map((c) => c.code),
        problems,
      );

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
        allowed: { type: 'FeatureCollection' as const, features: allowed },
        stats,
      };
    });
  if (computed.length > 0) {
    const saving = saveChecks(db, computed).catch((error: Error) => {
      // A read replica, or a concurrent save: the report stands; the next run recomputes.
      console.error(`[validation] could not save community checks: ${error.message}`);
    });
    // The server driver answers first and saves on another connection (1 s of a 100,000-grid
    // first check); the embedded driver's one connection would be busy with it anyway.
    if (hasSiblingConnections(db)) trackSave(db, saving);
    else await saving;
  }
  return result;
}

async function getRegionHeader(db: Kysely<DB>, code: string): Promise<ValidationReport['region'] | undefined> {
  return regionHeader(db, code);
}

export type PreviewOptions = ValidationPreviewRequest;

/**
 * The problems a candidate outline would create or remove, against its neighbours only.
 * An invalid candidate (a bow-tie) is reported as such, with the reason and the point, and
 * nothing else is computed: overlay on invalid input has no defined answer.
 */
export async function previewValidation(db: Kysely<DB>, options: PreviewOptions): Promise<ValidationPreview> {
  const started = performance.now();
  const tol: Tolerances = {
    areaM2: options.areaTolerance ?? DEFAULT_TOLERANCES.areaM2,
    widthM: options.widthTolerance ?? DEFAULT_TOLERANCES.widthM,
  };
  return db.transaction().execute(async (trx) => {
    await jitOffInTransaction(trx);
    let community = options.community;
    let replacedParts = 0;
    const label = options.replaces ?? 'new';
    if (options.replaces) {
      const replaced = await replacedGrid(trx, options.replaces, options.draft ?? null);
      if (!replaced) throw notFound('grid', options.replaces);
      if (community && community !== replaced.community_code) {
        throw badRequest(
          'community',
          `community: grid ${options.replaces} belongs to ${replaced.community_code}, not ${community}`,
        );
      }
      community = replaced.community_code;
      replacedParts = replaced.parts;
    }
    if (!community) throw badRequest('community', 'community is required for a new grid (or give replaces)');
    const exists = await regionHeader(trx, community);
    if (!exists) throw notFound('region', community);
    if (exists.level !== 'community')
      throw badRequest('community', `community: ${community} is a ${exists.level}, not a community`);

    const collection = (features: ProblemFeature[]): ProblemCollection => ({
      type: 'FeatureCollection',
      features: sortProblems(features),
    });
    const validity = await candidateValidity(trx, options.geometry);
    if (!validity.valid) {
      const at: [number, number] = [validity.lon ?? 0, validity.lat ?? 0];
      const invalid = gridProblem({
        type: 'invalid',
        grid: label,
        community,
        geometry: { type: 'Point', coordinates: at },
        point: at,
        detail: { reason: validity.reason },
      });
      return {
        community_code: community,
        created: collection([invalid]),
        removed: collection([]),
        after: collection([invalid]),
        candidate: { areaM2: 0, buildings: 0, households: 0, valid: false },
        tookMs: Math.round((performance.now() - started) * 10) / 10,
      };
    }

    const { pieces, candidate } = await previewPieces(
      trx,
      options.geometry,
      options.replaces ?? null,
      community,
      options.draft ?? null,
      options.snapMetres ?? 0,
    );
    const before: ProblemFeature[] = [];
    const after: ProblemFeature[] = [];
    for (const piece of pieces) (piece.phase === 'before' ? before : after).push(areaProblem(piece, tol));
    const first = (
      options.geometry.type === 'Polygon'
        ? options.geometry.coordinates[0]![0]!
        : options.geometry.coordinates[0]![0]![0]!
    ) as [number, number];
    const multipart = (parts: number) =>
      gridProblem({
        type: 'multipart',
        grid: label,
        community: community!,
        geometry: options.geometry,
        point: [first[0], first[1]],
        detail: { parts },
      });
    if (validity.parts > 1) after.push(multipart(validity.parts));
    if (replacedParts > 1) before.push(multipart(replacedParts));
    const beforeIds = new Set(before.map((p) => p.properties.id));
    const afterIds = new Set(after.map((p) => p.properties.id));
    return {
      community_code: community,
      created: collection(after.filter((p) => !beforeIds.has(p.properties.id))),
      removed: collection(before.filter((p) => !afterIds.has(p.properties.id))),
      after: collection(after),
      candidate: {
        areaM2: Math.round(candidate.area * 100) / 100,
        buildings: candidate.buildings,
        households: candidate.households,
        valid: true,
      },
      tookMs: Math.round((performance.now() - started) * 10) / 10,
    };
  });
}
