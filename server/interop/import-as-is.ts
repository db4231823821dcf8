/**
 * Importing grids as they are (ADR 0014, admin only, with a written reason): the file's
 * grids are published with the gaps, overlaps, outside parts and out-of-band households
 * they bring, flagged on one changeset per street (accepted_problems, accept_reason). The
 * write is set-based (import-bulk.queries.ts), so this is also the bulk path for a city:
 * stage, place, code, write, then ONE tiling check (validation/tiling.ts) of the
 * communities touched. A dry run is the same work rolled back, so it lists exactly the
 * problems a commit would accept.
 */
import type { Kysely } from 'kysely';
import type { Geometry } from 'geojson';
import type { DB } from '../db/schema.ts';
import type { ImportReport } from '../../common/contracts/interop.ts';
import type { ProblemFeature } from '../../common/contracts/validation.ts';
import { HttpError } from '../http/errors.ts';
import { isNegligibleOutside } from '../db/precision.ts';
import { gridOutsideCommunity } from './import-outside.queries.ts';
import { diffProblems, tilingErrors } from '../validation/tiling.ts';
import { boundsFor, outOfBand } from '../../common/rules/household-band.ts';
import { communityOf } from '../../common/rules/region-codes.ts';
import { householdBoundsSetting } from '../settings/household-bounds.queries.ts';
import { gridNames } from '../grids/grids.queries.ts';
import { regionNames } from '../regions/regions.queries.ts';
import { emptyOutcome, invalid, type ApplyContext, type ImportRow, type LayerOutcome } from './import-plan.ts';
import { exhaustedMessage, planGridCodes } from './grid-codes.ts';
import {
  analyzeGrids,
  codesInUse,
  fillHouseholds,
  placeGrids,
  recordStreetChangesets,
  settleStage,
  stagedGridsWritten,
  stageGrids,
  writeGrids,
} from './import-bulk.queries.ts';

type Trx = Kysely<DB>;

/** One problem the import brings, as listed in the report and kept on the changeset. */
export interface AcceptedProblem {
  kind: 'gap' | 'overlap' | 'outside' | 'households';
  grids: string[];
  community: string;
  areaM2?: number;
  reachM?: number;
  households?: number;
  message: string;
}

/** Rings a parser can read: closed, at least 4 finite positions each. */
function readable(geometry: Geometry | null): boolean {
  if (geometry?.type !== 'Polygon' && geometry?.type !== 'MultiPolygon') return false;
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  return (
    polygons.length > 0 &&
    polygons.every(
      (rings) =>
        rings.length > 0 &&
        rings.every(
          (ring) =>
            ring.length >= 4 && ring.every((p) => p.length >= 2 && Number.isFinite(p[0]) && Number.isFinite(p[1])),
        ),
    )
  );
}

const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);

const areaText = (p: ProblemFeature) =>
  `${p.properties.type} of ${Math.round((p.properties.areaM2 ?? 0) * 10) / 10} m² in community ${p.properties.community_code}` +
  (p.properties.grids.length ? ` (grids ${p.properties.grids.join(', ')})` : '');

export async function importGridsAsIs(
  trx: Trx,
  ctx: ApplyContext & { asIs: { reason: string } },
  rows: readonly ImportRow[],
): Promise<LayerOutcome> {
  const out = emptyOutcome();
  // WANGGE_TRACE_IMPORT=1 prints how long each step took (bench/bulk-import.ts).
  let last = performance.now();
  let step = 'check rows';
  const lap = (next: string) => {
    if (process.env.WANGGE_TRACE_IMPORT) console.error(`[import] ${step}: ${(performance.now() - last).toFixed(0)} ms`);
    [last, step] = [performance.now(), next];
  };
  const byIndex = new Map(rows.map((r) => [r.index, r]));
  const staged = rows.filter((r) => {
    if (readable(r.geometry)) return true;
    const what =
      r.geometry?.type === 'Polygon' || r.geometry?.type === 'MultiPolygon'
        ? 'a ring has fewer than 4 positions or a coordinate is not a number'
        : `a grid is a Polygon or MultiPolygon, got ${r.geometry?.type ?? 'none'}`;
    return !out.invalid.push(invalid(r, 'geometry', `geometry: ${what}`, text(r.values.code) ?? undefined));
  });
  lap('stage and place');
  await stageGrids(
    trx,
    staged.map((r) => ({
      index: r.index,
      code: text(r.values.code),
      name: text(r.values.name),
      kind: text(r.values.kind),
      households: typeof r.values.households === 'number' ? r.values.households : null,
      community: text(r.values.community_code),
      geojson: JSON.stringify(r.geometry),
    })),
  );

  // Place every grid; the unplaceable and the invalid are reported and not written.
  lap('read placements');
  const placements = await placeGrids(trx);
  const good = placements.filter((p) => {
    const row = byIndex.get(p.index)!;
    const code = p.code ?? undefined;
    if (!p.valid)
      return !out.invalid.push(
        invalid(row, 'geometry', `geometry: the outline is invalid (${p.reason ?? 'invalid'})`, code),
      );
    if (!p.community)
      return !out.invalid.push(
        invalid(row, 'geometry', 'the grid lies in no community; give its community in a column', code),
      );
    if (p.level !== 'community')
      return !out.invalid.push(
        invalid(row, 'community_code', `community_code: no community has code ${p.community}`, code),
      );
    return true;
  });

  // Codes: the file's own where valid, else allocated; > 999 in a community refuses the whole file (nothing written).
  const communities = [...new Set(good.map((p) => p.community!))].sort();
  lap('codes');
  const { used, published } = await codesInUse(trx, communities);
  const planned = planGridCodes(
    good.map((p) => ({ index: p.index, community: p.community!, code: p.code })),
    used,
    published,
  );
  if (!planned.ok)
    throw new HttpError(400, 'too_many_grids', exhaustedMessage(planned.exhausted), 'file', {
      exhausted: planned.exhausted,
    });
  const { plan } = planned;
  if (plan.replaced.length) {
    const sample = plan.replaced
      .slice(0, 5)
      .map((r) => `#${r.index} ${r.code} (${r.reason})`)
      .join(', ');
    out.warnings.push(
      `${plan.replaced.length} code(s) of the file were not kept and new ones were allocated: ${sample}${plan.replaced.length > 5 ? ', …' : ''}`,
    );
  }
  await settleStage(
    trx,
    good.map((p, i) => ({ index: p.index, code: plan.codes[i]!, changed: plan.codes[i] !== p.code })),
    placements.length,
    { households: 'households' in ctx.mapping },
  );

  lap('tiling before');
  // Before the write only communities with published grids can have problems the file leaves as they are.
  const before = await tilingErrors(
    trx,
    communities.filter((c) => published.has(c)),
  );
  lap('households');
  await fillHouseholds(trx);
  lap('write + analyze');
  const written = await writeGrids(trx);
  await analyzeGrids(trx);
  // The one tiling check of the communities the file touched, after the write.
  lap('tiling after');
  const created = diffProblems(before, await tilingErrors(trx, communities)).created;
  lap('outside parts');
  // Outside parts as the precision model judges them: measured per grid, ignored within 1 mm.
  const outside: { code: string; community: string; areaM2: number; reachM: number }[] = [];
  for (const code of new Set(
    created.filter((p) => p.properties.type === 'outside').flatMap((p) => p.properties.grids),
  )) {
    const community = communityOf(code);
    const part = await gridOutsideCommunity(trx, code, community);
    if (!isNegligibleOutside(part)) outside.push({ code, community, ...part });
  }

  lap('band + list');
  const bounds = await householdBoundsSetting(trx);
  const stagedNow = await stagedGridsWritten(trx);
  const problems: AcceptedProblem[] = [
    ...created
      .filter((p) => p.properties.type !== 'outside')
      .map((p): AcceptedProblem => ({
        kind: p.properties.type as 'gap' | 'overlap',
        grids: p.properties.grids,
        community: p.properties.community_code,
        areaM2: p.properties.areaM2 ?? undefined,
        message: areaText(p),
      })),
    ...outside.map((o): AcceptedProblem => ({
      kind: 'outside',
      grids: [o.code],
      community: o.community,
      areaM2: Math.round(o.areaM2 * 100) / 100,
      reachM: Math.round(o.reachM * 1000) / 1000,
      message: `outside of ${Math.round(o.areaM2 * 10) / 10} m² (up to ${o.reachM.toFixed(3)} m) beyond community ${o.community} (grid ${o.code})`,
    })),
    ...stagedNow.flatMap((g): AcceptedProblem[] => {
      const b = boundsFor(bounds, g.street);
      if (g.unchanged || !outOfBand(g.kind, g.households, b)) return [];
      return [
        {
          kind: 'households',
          grids: [g.code],
          community: g.community,
          households: g.households,
          message: `grid ${g.code} has ${g.households} households, outside the band ${b.min}–${b.max}`,
        },
      ];
    }),
  ];
  const byKind: Record<string, number> = {};
  for (const p of problems) byKind[p.kind] = (byKind[p.kind] ?? 0) + 1;
  const shown = problems.slice(0, 20);
  // The grids are written by now (in this transaction): their names are the file's.
  const gridNamesOf = await gridNames(
    trx,
    shown.flatMap((p) => p.grids),
  );
  const communityNames = await regionNames(
    trx,
    shown.map((p) => p.community),
  );
  out.topology = {
    problems: problems.length,
    byKind,
    sample: shown.map((p) => ({
      kind: p.kind,
      grids: p.grids,
      message: p.message,
      grid_names: p.grids.map((code) => gridNamesOf.get(code) ?? code),
      community: p.community,
      community_name: communityNames.get(p.community) ?? p.community,
      ...(p.areaM2 === undefined ? {} : { areaM2: p.areaM2 }),
    })),
  } satisfies ImportReport['topology'];
  out.create = written.created;
  out.update = written.updated;
  out.unchanged = stagedNow.filter((g) => g.unchanged).length;

  lap('done');
  out.finish = async () => {
    const streetOf = new Map(stagedNow.map((g) => [g.community, g.street]));
    const changedStreets = new Set(stagedNow.filter((g) => !g.unchanged).map((g) => g.street));
    const accepted = new Map<string, { problems: number; byKind: Record<string, number>; list: AcceptedProblem[] }>();
    for (const street of changedStreets) accepted.set(street, { problems: 0, byKind: {}, list: [] });
    for (const p of problems) {
      const entry = accepted.get(streetOf.get(p.community) ?? '') ?? accepted.values().next().value;
      if (!entry) continue;
      entry.problems++;
      entry.byKind[p.kind] = (entry.byKind[p.kind] ?? 0) + 1;
      entry.list.push(p);
    }
    const ids = await recordStreetChangesets(trx, {
      userId: ctx.user.id,
      title: `导入 ${ctx.filename}`,
      reason: ctx.asIs.reason,
      accepted,
    });
    out.changesets = [...ids.values()].sort((a, b) => a - b);
  };
  return out;
}
