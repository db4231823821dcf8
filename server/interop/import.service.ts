/**
 * One import, from bytes to a report: read the file (server/interop/formats), settle its
 * coordinate system (the user's word, else the file's, else WGS84 with a warning) and refuse
 * coordinates that cannot be in it, map columns to the layer's fields, reproject, then plan
 * and write the layer in ONE transaction. A dry run does everything and rolls back, so its
 * counts and topology are exactly what a commit would do; a commit with any invalid feature
 * is refused (422) and one that publishing refuses is a 409, both with the report and
 * nothing written. See docs/adr/0007-imports-through-drafts.md.
 */
import type { Kysely } from 'kysely';
import type { Geometry } from 'geojson';
import type { DB } from '../db/schema.ts';
import { type ImportReport, type InteropLayer } from '../../common/contracts/interop.ts';
import { ATTRIBUTE_ONLY_LAYERS, type ImportFormat } from '../../common/rules/interop-layers.ts';
import { badRequest, HttpError } from '../http/errors.ts';
import { forbidden, type AuthUser } from '../auth/permissions.ts';
import { inTransaction } from '../db/transaction.ts';
import { pausePoint } from '../pause-points.ts';
import { checkPlausible, parseCrsName, reprojectGeometry, samplePositions, toWgs84 } from '../geo/crs.ts';
import { readSource } from './formats/read-source.ts';
import type { ParsedSource, ReadLimits } from './formats/types.ts';
import { mapRow, missingRequired, resolveMapping, type Mapping } from './mapping.ts';
import { LAYERS, mappingSettingKey } from './layers.ts';
import { invalid, type ApplyContext, type ImportRow, type LayerOutcome } from './import-plan.ts';
import { importGrids } from './import-grids.ts';
import { importGridsAsIs } from './import-as-is.ts';
import { importBuildings, importStations } from './import-layers.queries.ts';
import { importGridWorkers, importPartyOrgs } from './import-party.queries.ts';
import { importRegions, importRoads } from './import-regions.queries.ts';

export interface ImportRequest {
  user: AuthUser;
  layer: InteropLayer;
  bytes: Uint8Array;
  filename: string;
  format?: ImportFormat;
  crs?: string;
  encoding?: string;
  mapping?: Mapping;
  region?: string;
  commit: boolean;
  limits?: Partial<ReadLimits>;
  /** Grids only, admins only: import them as they are, gaps, overlaps and all (ADR 0014). */
  acceptProblems?: boolean;
  /** Why they are accepted as they are (required to commit with acceptProblems). */
  reason?: string;
}

type Apply = (trx: Kysely<DB>, ctx: ApplyContext, rows: readonly ImportRow[]) => Promise<LayerOutcome>;
const APPLY: Record<InteropLayer, Apply> = {
  regions: importRegions,
  grids: importGrids,
  buildings: importBuildings,
  stations: importStations,
  party_orgs: importPartyOrgs,
  grid_workers: importGridWorkers,
  roads: importRoads,
};

/** Thrown inside the transaction to roll a dry run back, carrying its outcome out. */
class DryRun extends Error {
  constructor(readonly outcome: LayerOutcome) {
    super('dry run');
  }
}

/** The coordinate system to read the file in, and where that came from. */
function settleCrs(
  request: ImportRequest,
  source: ParsedSource,
  hasGeometry: boolean,
): { crs: ImportReport['crs']; warnings: string[] } {
  if (!hasGeometry) return { crs: null, warnings: [] };
  if (request.crs) {
    // The user's word wins over the file's (a wrong .prj is common); say so when they disagree.
    const name = parseCrsName(request.crs);
    const fileCrs = source.declaredCrs ? parseCrsName(source.declaredCrs) : undefined;
    const warnings =
      fileCrs && fileCrs !== name ? [`The file declares ${fileCrs}; read as ${name}, as you declared.`] : [];
    return { crs: { name, source: 'declared' }, warnings };
  }
  if (source.declaredCrs)
    return {
      crs: { name: parseCrsName(source.declaredCrs), source: source.format === 'shapefile' ? 'prj' : 'file' },
      warnings: [],
    };
  return {
    crs: { name: 'EPSG:4326', source: 'default' },
    warnings: [
      'The file declares no coordinate system: read as WGS84 (EPSG:4326). Coordinates from a Chinese web map (GCJ-02, BD-09) must be declared with crs.',
    ],
  };
}

export async function rememberedMapping(db: Kysely<DB>, layer: InteropLayer): Promise<Mapping> {
  const row = await db
    .selectFrom('settings')
    .select('value')
    .where('key', '=', mappingSettingKey(layer))
    .executeTakeFirst();
  return (row?.value as Mapping | undefined) ?? {};
}

/** acceptProblems: grids only, an admin's, and a commit says why. */
function asIsReason(request: ImportRequest): string | null {
  if (!request.acceptProblems) return null;
  if (request.layer !== 'grids')
    throw badRequest('acceptProblems', `acceptProblems: only grids are imported as they are, not ${request.layer}`);
  if (request.user.role !== 'admin')
    throw forbidden(
      "Only an admin imports grids as they are (acceptProblems); an editor's import must not create gaps or overlaps",
    );
  const reason = request.reason?.trim() ?? '';
  if (request.commit && !reason)
    throw badRequest(
      'reason',
      'reason is required: say why the grids are imported with their problems (acceptProblems)',
    );
  if (reason.length > 500) throw badRequest('reason', 'reason: at most 500 characters');
  return reason;
}

export async function runImport(db: Kysely<DB>, request: ImportRequest): Promise<ImportReport> {
  const { layer, user } = request;
  if (layer === 'regions' && user.role !== 'admin') throw forbidden('Only an admin imports regions');
  const reason = asIsReason(request);
  const spec = LAYERS[layer];
  const started = performance.now();
  const trace = (what: string) =>
    process.env.WANGGE_TRACE_IMPORT &&
    console.error(`[import] ${what}: ${(performance.now() - started).toFixed(0)} ms since start`);
  const source = await readSource(request.bytes, request.filename, request.format, {
    encoding: request.encoding,
    limits: request.limits,
  });
  const attributeOnly = ATTRIBUTE_ONLY_LAYERS.includes(layer);
  if (!attributeOnly && source.format === 'xlsx')
    throw badRequest(
      'format',
      `An .xlsx sheet has no geometry; ${layer} needs one (use GeoJSON, Shapefile, KML or CSV)`,
    );
  const hasGeometry = !attributeOnly && source.features.some((f) => f.geometry);
  const { crs, warnings } = settleCrs(request, source, hasGeometry);
  if (crs) checkPlausible(samplePositions(source.features.map((f) => f.geometry)), crs.name);
  const transform = crs ? toWgs84(crs.name) : null;

  const mapping = resolveMapping(
    layer,
    source.columns,
    request.mapping,
    request.mapping ? undefined : await rememberedMapping(db, layer),
  );
  const missing = missingRequired(layer, mapping);
  if (missing.length) {
    throw badRequest(
      'mapping',
      `mapping: no column for the required field(s) ${missing.join(', ')} of ${layer}; the file's columns are ${source.columns.join(', ') || '(none)'}`,
    );
  }

  const report: ImportReport = {
    layer,
    format: source.format,
    crs,
    encoding: source.encoding ?? null,
    columns: source.columns,
    mapping,
    features: source.features.length,
    create: 0,
    update: 0,
    unchanged: 0,
    invalid: [],
    topology: null,
    warnings: [...source.warnings, ...warnings],
    committed: false,
  };
  const rows: ImportRow[] = [];
  const seen = new Map<string, number>();
  source.features.forEach((feature, index) => {
    const { values, problems } = mapRow(layer, feature.properties, mapping);
    const geometry: Geometry | null =
      attributeOnly || !feature.geometry
        ? null
        : transform
          ? reprojectGeometry(feature.geometry, transform)
          : feature.geometry;
    const row: ImportRow = { index, values, geometry };
    const key = spec.key.map((k) => values[k]).join('|');
    const code = typeof values.code === 'string' ? values.code : undefined;
    if (problems.length) return report.invalid.push(...problems.map((p) => invalid(row, p.field, p.reason, code)));
    if (!attributeOnly && !geometry)
      return report.invalid.push(invalid(row, 'geometry', 'geometry: the feature has none', code));
    // Grids imported as they are keep the first of two equal codes and are given a new code for the second (grid-codes.ts).
    if (reason === null && spec.key.every((k) => values[k]) && seen.has(key)) {
      return report.invalid.push(
        invalid(
          row,
          spec.key.join('+'),
          `the file has this ${spec.key.join(' + ')} twice (first at feature ${seen.get(key)})`,
          code,
        ),
      );
    }
    seen.set(key, index);
    return rows.push(row);
  });

  trace('read, mapped and reprojected');
  const ctx: ApplyContext = {
    user,
    filename: request.filename,
    mapping,
    region: request.region,
    commit: request.commit,
    ...(reason !== null ? { asIs: { reason } } : {}),
  };
  if (reason !== null) report.asIs = { reason: reason || null, changesets: [] };
  const fill = (outcome: LayerOutcome) => {
    Object.assign(report, {
      create: outcome.create,
      update: outcome.update,
      unchanged: outcome.unchanged,
      topology: outcome.topology ?? null,
    });
    report.invalid = [...report.invalid, ...outcome.invalid].sort((a, b) => a.index - b.index);
    report.warnings.push(...outcome.warnings);
  };
  try {
    await inTransaction(db, async (trx) => {
      const outcome = ctx.asIs
        ? await importGridsAsIs(trx, { ...ctx, asIs: ctx.asIs }, rows)
        : await APPLY[layer](trx, ctx, rows);
      if (!request.commit) throw new DryRun(outcome);
      fill(outcome);
      if (report.invalid.length) {
        throw new HttpError(
          422,
          'invalid_features',
          `${report.invalid.length} feature(s) cannot be imported; nothing was written`,
          undefined,
          { report },
        );
      }
      try {
        await outcome.finish?.();
      } catch (error) {
        if (error instanceof HttpError && error.status === 409)
          throw new HttpError(409, error.code, `${error.message}; nothing was imported`, undefined, {
            ...error.details,
            report,
          });
        throw error;
      }
      if (report.asIs) report.asIs.changesets = outcome.changesets ?? [];
      trace('finished');
      await trx
        .insertInto('settings')
        .values({ key: mappingSettingKey(layer), value: JSON.stringify(mapping) })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(mapping) }))
        .execute();
      await pausePoint('import');
      report.committed = true;
    });
  } catch (error) {
    if (!(error instanceof DryRun)) throw error;
    fill(error.outcome);
  }
  return report;
}
