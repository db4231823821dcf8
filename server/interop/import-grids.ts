/**
 * Grid imports go through the editor's own operations (createGrid, changeGrid, checkDraft,
 * publishDraft), so an imported outline gets exactly the checks a drawn one gets: valid,
 * inside its community and street, no new gap or overlap at publish. One draft per street,
 * titled after the file; outlines are kept as given (snapMetres 0). All of it runs inside
 * the caller's transaction; each operation is a savepoint, so a refused feature is reported
 * and the others go on.
 */
import type { Kysely } from 'kysely';
import type { MultiPolygon, Polygon } from 'geojson';
import type { DB } from '../db/schema.ts';
import type { ImportReport } from '../../common/contracts/interop.ts';
import type { ProblemFeature } from '../../common/contracts/validation.ts';
import { HttpError } from '../http/errors.ts';
import { changeGrid, createGrid, type EditContext, type GridChange } from '../editing/operations.ts';
import { checkDraft, publishDraft } from '../editing/publish.ts';
import { createDraft, gridsInDraft } from '../editing/drafts.queries.ts';
import { etagOf } from '../editing/etags.ts';
import {
  changedFields,
  emptyOutcome,
  featureName,
  invalid,
  requireFeatureStreet,
  type ApplyContext,
  type ImportRow,
  type LayerOutcome,
} from './import-plan.ts';
import { locateCommunities, regionInfo, sameGeometry, storedByCode } from './import-layers.queries.ts';
import { exhaustedMessage, planGridCodes } from './grid-codes.ts';
import { isNegligibleOutside } from '../db/precision.ts';
import { outlineOutsideCommunity } from './import-outside.queries.ts';
import { codesInUse } from './import-bulk.queries.ts';
import { gridNames } from '../grids/grids.queries.ts';
import { regionNames } from '../regions/regions.queries.ts';

type Trx = Kysely<DB>;
type Kind = 'residential' | 'commercial' | 'mixed';

interface StoredGrid {
  name: string;
  kind: Kind;
  community_code: string;
  households: number;
  distance: number | null;
}

interface Planned {
  row: ImportRow;
  code: string | undefined;
  community: string;
  street: string;
  change?: GridChange;
  create?: boolean;
}

/** A refusal of one feature is reported with it; a 403 refuses the whole import. */
function reportOrThrow(error: unknown, row: ImportRow, code: string | undefined, out: LayerOutcome): void {
  if (error instanceof HttpError && error.status === 403)
    throw new HttpError(403, error.code, `${featureName(row, code)}: ${error.message}`);
  if (!(error instanceof HttpError) || error.status >= 500) throw error;
  out.invalid.push(invalid(row, error.param ?? undefined, error.message, code));
}

async function plan(trx: Trx, ctx: ApplyContext, rows: readonly ImportRow[], out: LayerOutcome): Promise<Planned[]> {
  const polygonal = rows.filter((r) => {
    if (r.geometry?.type === 'Polygon' || r.geometry?.type === 'MultiPolygon') return true;
    return !out.invalid.push(
      invalid(
        r,
        'geometry',
        `geometry: a grid is a Polygon or MultiPolygon, got ${r.geometry?.type ?? 'none'}`,
        r.values.code as string | undefined,
      ),
    );
  });
  const withCode = polygonal.filter((r) => r.values.code);
  const stored = await storedByCode<StoredGrid>(
    trx,
    'grids',
    ['name', 'kind', 'community_code', 'households'],
    withCode.map((r) => ({ code: r.values.code as string, geometry: r.geometry })),
  );
  const located = await locateCommunities(
    trx,
    polygonal.map((r) => r.geometry),
  );
  const communities = polygonal.map(
    (r, i) =>
      (r.values.community_code as string | null) ??
      stored.get(r.values.code as string)?.community_code ??
      located[i] ??
      null,
  );
  const info = await regionInfo(
    trx,
    communities.filter((c): c is string => c !== null),
  );
  const planned: Planned[] = [];
  polygonal.forEach((row, i) => {
    const code = (row.values.code as string | null) ?? undefined;
    const community = communities[i];
    if (!community)
      return out.invalid.push(
        invalid(row, 'geometry', 'the grid lies in no community; give its community in a column', code),
      );
    const region = info.get(community);
    if (region?.level !== 'community')
      return out.invalid.push(
        invalid(row, 'community_code', `community_code: no community has code ${community}`, code),
      );
    requireFeatureStreet(ctx.user, row, code, region.street);
    const before = code ? stored.get(code) : undefined;
    if (!before) return planned.push({ row, code, community, street: region.street!, create: true });
    if (community !== before.community_code) {
      return out.invalid.push(
        invalid(
          row,
          'community_code',
          `community_code: grid ${code} belongs to community ${before.community_code}; a grid cannot move to another community (retire it and draw a new one)`,
          code,
        ),
      );
    }
    const changed = changedFields(row.values, before, ['name', 'kind', 'households']);
    const moved = !sameGeometry(before.distance);
    if (changed.length === 0 && !moved) return out.unchanged++;
    const change: GridChange = { snapMetres: 0 };
    if (moved) change.geometry = row.geometry as Polygon | MultiPolygon;
    if (changed.includes('name')) change.name = row.values.name as string;
    if (changed.includes('kind') && row.values.kind) change.kind = row.values.kind as Kind;
    if (changed.includes('households')) change.households = row.values.households as number | null;
    return planned.push({ row, code, community, street: region.street!, change });
  });
  return planned;
}

/**
 * A real outside part is an invalid feature (a 422 on commit), never clipped away in
 * silence; reprojection noise within the precision model's 1 mm is no outside part.
 */
async function refuseOutside(trx: Trx, planned: Planned[], out: LayerOutcome): Promise<Planned[]> {
  const kept: Planned[] = [];
  for (const p of planned) {
    if (!p.create && !p.change?.geometry) {
      kept.push(p);
      continue;
    }
    const part = await outlineOutsideCommunity(trx, p.row.geometry, p.community);
    // An invalid outline cannot be differenced (null); the editor's operation refuses it with its reason.
    if (!part || isNegligibleOutside(part)) kept.push(p);
    else
      out.invalid.push(
        invalid(
          p.row,
          'geometry',
          `geometry: the outline goes outside community ${p.community} by up to ${part.reachM.toFixed(3)} m (${part.areaM2.toFixed(2)} m² outside)`,
          p.code,
        ),
      );
  }
  return kept;
}

const sampleOf = (p: ProblemFeature, grids: Map<string, string>, communities: Map<string, string>) => ({
  kind: p.properties.type,
  grids: p.properties.grids,
  message:
    `${p.properties.type} of ${Math.round((p.properties.areaM2 ?? 0) * 10) / 10} m² in community ${p.properties.community_code}` +
    (p.properties.grids.length ? ` (grids ${p.properties.grids.join(', ')})` : ''),
  grid_names: p.properties.grids.map((code) => grids.get(code) ?? code),
  community: p.properties.community_code,
  community_name: communities.get(p.properties.community_code) ?? p.properties.community_code,
  ...(p.properties.areaM2 === null ? {} : { areaM2: p.properties.areaM2 }),
});

/** Creates and changes the grids of the file in one draft per street; `finish` publishes them. */
export async function importGrids(trx: Trx, ctx: ApplyContext, rows: readonly ImportRow[]): Promise<LayerOutcome> {
  const out = emptyOutcome();
  const planned = await refuseOutside(trx, await plan(trx, ctx, rows, out), out);
  // A community past 999 grids is refused before anything is written (grid-codes.ts).
  const creates = planned.filter((p) => p.create);
  if (creates.length) {
    const { used, published } = await codesInUse(trx, [...new Set(creates.map((p) => p.community))]);
    const codes = planGridCodes(
      creates.map((p) => ({ index: p.row.index, community: p.community, code: p.code })),
      used,
      published,
    );
    if (!codes.ok)
      throw new HttpError(400, 'too_many_grids', exhaustedMessage(codes.exhausted), 'file', {
        exhausted: codes.exhausted,
      });
  }
  const drafts = new Map<string, number>();
  const comment = `导入 ${ctx.filename}`;
  for (const p of planned) {
    let draftId = drafts.get(p.street);
    if (draftId === undefined) {
      draftId = (await createDraft(trx, p.street, comment, ctx.user.id)).id;
      drafts.set(p.street, draftId);
    }
    const edit = async (code: string, change: GridChange) => {
      const [state] = await gridsInDraft(trx, draftId!, [code]);
      const context: EditContext = {
        user: ctx.user,
        draftId: draftId!,
        ifMatch: state ? etagOf(state) : undefined,
        comment,
      };
      await changeGrid(trx, context, code, change);
    };
    try {
      if (p.create) {
        const context: EditContext = { user: ctx.user, draftId, ifMatch: undefined, comment };
        const result = await createGrid(trx, context, {
          geometry: p.row.geometry as Polygon | MultiPolygon,
          community: p.community,
          name: p.row.values.name as string,
          kind: (p.row.values.kind as Kind | null) ?? 'residential',
          snapMetres: 0,
          ...(p.code ? { code: p.code } : {}),
        });
        if (typeof p.row.values.households === 'number')
          await edit(result.grids[0]!, { households: p.row.values.households });
        out.create++;
      } else {
        await edit(p.code!, p.change!);
        out.update++;
      }
    } catch (error) {
      reportOrThrow(error, p.row, p.code, out);
    }
  }
  const created: ProblemFeature[] = [];
  const names = new Map<string, string>();
  for (const draftId of drafts.values()) {
    const found = (await checkDraft(trx, ctx.user, draftId)).created;
    created.push(...found);
    const shown = found.slice(0, 20).flatMap((p) => p.properties.grids);
    for (const [code, name] of await gridNames(trx, shown, draftId)) names.set(code, name);
  }
  const communityNames = await regionNames(
    trx,
    created.slice(0, 20).map((p) => p.properties.community_code),
  );
  const byKind: Record<string, number> = {};
  for (const p of created) byKind[p.properties.type] = (byKind[p.properties.type] ?? 0) + 1;
  out.topology = {
    problems: created.length,
    byKind,
    sample: created.slice(0, 20).map((p) => sampleOf(p, names, communityNames)),
  } satisfies ImportReport['topology'];
  // Publishing refuses new gaps and overlaps (409) exactly as it does for an editor's draft.
  out.finish = async () => {
    for (const draftId of drafts.values()) await publishDraft(trx, ctx.user, draftId, comment);
  };
  return out;
}
