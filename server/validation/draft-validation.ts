/**
 * The tiling problems of a draft's view of its street (GET /api/validation?draft=): the one
 * tiling check (tiling.ts) on the street's communities, read through the draft's grids, with
 * stable problem ids a repair can name. Attribute rules (households, party, workers) are the
 * published report's; a draft is judged here on its tiling, as publish judges it.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { ProblemFeature, ValidationReport } from '../../common/contracts/validation.ts';
import { notFound } from '../http/errors.ts';
import { draftStreet, streetCommunityRows } from './draft-validation.queries.ts';
import { checkTiling } from './tiling.ts';
import { draftSource } from './grid-source.ts';
import { householdBoundsSetting } from '../settings/household-bounds.queries.ts';
import { boundsFor } from '../../common/rules/household-band.ts';
import { splitAllowed } from './exceptions.queries.ts';
import { countByCommunity, sortProblems, summarise, type Tolerances } from './problems.ts';
import { tilingProblems } from './tiling-problems.ts';

export async function validateDraft(db: Kysely<DB>, draftId: number, tol: Tolerances): Promise<ValidationReport> {
  const started = performance.now();
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      const region = await draftStreet(trx, draftId);
      if (!region) throw notFound('draft', String(draftId));
      const names = await streetCommunityRows(trx, region.code);
      const codes = names.map((n) => n.code);
      const { communities } = await checkTiling(trx, codes, draftSource(draftId));
      const seen = new Map<string, ProblemFeature>();
      for (const c of communities)
        for (const p of tilingProblems(c, tol)) if (!seen.has(p.properties.id)) seen.set(p.properties.id, p);
      const { kept, allowed } = await splitAllowed(trx, sortProblems([...seen.values()]));
      const status = countByCommunity(codes, kept);
      return {
        region,
        draft: draftId,
        tolerances: { ...tol },
        householdBounds: boundsFor(await householdBoundsSetting(trx), region.code),
        summary: summarise(kept),
        communities: codes.map((code) => ({
          code,
          name: names.find((n) => n.code === code)?.name ?? code,
          ...status.get(code)!,
        })),
        grids: communities.reduce((s, c) => s + c.grids, 0),
        areaMethod: 'geodesic' as const,
        tookMs: Math.round((performance.now() - started) * 10) / 10,
        problems: { type: 'FeatureCollection' as const, features: kept },
        allowed: { type: 'FeatureCollection' as const, features: allowed },
      };
    });
}
