/**
 * GET /api/export?layer=&region=&format=geojson|shapefile|kml|csv|xlsx[&crs=][&lang=zh|en]
 *
 * A layer of a region (or of everything) as a download. Signed-in users only: exports carry
 * household figures and workers' phones. Property keys are the import's field names (Shapefile:
 * their ≤10-character names), so the file imports back unchanged. xlsx is the ledger (台账)
 * of grids, party organisations, stations or workers, with Chinese headers and words (English
 * with lang=en). The download name is Chinese-safe (RFC 5987 filename*).
 */
import { Router, type Response } from 'express';
import type { Feature } from 'geojson';
import type { AppContext } from '../context.ts';
import { type InteropLayer } from '../../common/contracts/interop.ts';
import { EXPORT_FORMATS, INTEROP_LAYERS, type ExportFormat } from '../../common/rules/interop-layers.ts';
import { badRequest, notFound } from '../http/errors.ts';
import { parseEnum, parseRegionCode } from '../http/params.ts';
import { requireUser } from '../auth/permissions.ts';
import { parseCrsName } from '../geo/crs.ts';
import { writeOutput } from './formats/write-output.ts';
import type { WriteOptions } from './formats/types.ts';
import { enumWordsOf, LAYERS } from './layers.ts';
import { exportBatches, exportFeatures, exportGeometryKinds } from './export.queries.ts';
import { streamGeoJson } from './formats/write-geojson.ts';
import { streamCsv } from './formats/write-csv.ts';
import { regionPrefix } from '../../common/rules/region-codes.ts';
import { regionInfo } from './import-layers.queries.ts';

const LEDGER_LAYERS: readonly InteropLayer[] = ['grids', 'party_orgs', 'stations', 'grid_workers'];
const EXTENSION: Record<ExportFormat, string> = {
  geojson: 'geojson',
  shapefile: 'zip',
  kml: 'kml',
  csv: 'csv',
  xlsx: 'xlsx',
};

/** `attachment` with an ASCII fallback and the UTF-8 name (RFC 6266 / RFC 5987). */
export function contentDisposition(asciiName: string, utf8Name: string): string {
  const encoded = encodeURIComponent(utf8Name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${asciiName.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encoded}`;
}

/** The ledger: its fields in order, headers in the language, enum values as words in Chinese. */
function ledger(
  layer: InteropLayer,
  features: Feature[],
  lang: 'zh' | 'en',
): { features: Feature[]; columns: NonNullable<WriteOptions['columns']> } {
  const fields = LAYERS[layer].fields.filter((f) => f.ledger);
  const columns = fields.map((f) => ({
    key: f.name,
    header: lang === 'zh' ? f.zh : f.en,
    type: (f.type === 'integer' || f.type === 'number' || f.type === 'boolean' ? f.type : 'text') as
      'text' | 'integer' | 'number' | 'boolean',
  }));
  if (lang === 'en') return { features, columns };
  const words = Object.fromEntries(fields.map((f) => [f.name, enumWordsOf(layer, f.name)]));
  const yesNo = (v: unknown) => (v === true ? '是' : v === false ? '否' : v);
  const translated = features.map((feature) => ({
    ...feature,
    properties: Object.fromEntries(
      Object.entries(feature.properties ?? {}).map(([k, v]) => [
        k,
        typeof v === 'boolean' ? yesNo(v) : (words[k]?.[String(v)] ?? v),
      ]),
    ),
  }));
  return {
    features: translated,
    columns: columns.map((c) => (c.type === 'boolean' ? { ...c, type: 'text' as const } : c)),
  };
}

/**
 * Writes text chunks as they come, waiting for the socket to drain (memory stays flat however
 * slow the client reads); stops reading when the client goes away. An error after the first
 * byte can no longer be a JSON answer: the connection is cut, so the file is visibly short.
 */
async function writeChunks(res: Response, chunks: AsyncGenerator<string>): Promise<void> {
  try {
    for await (const chunk of chunks) {
      if (res.destroyed) break;
      if (!res.write(chunk)) {
        await new Promise<void>((resolve) => {
          const done = () => {
            res.off('drain', done);
            res.off('close', done);
            resolve();
          };
          res.once('drain', done);
          res.once('close', done);
        });
      }
    }
    res.end();
  } catch (error) {
    if (!res.headersSent) throw error;
    res.destroy(error as Error);
  }
}

export function exportRoutes({ db }: AppContext): Router {
  const router = Router();

  router.get('/export', async (req, res) => {
    requireUser(req);
    const layer = parseEnum(req.query.layer, INTEROP_LAYERS, 'layer');
    if (!layer) throw badRequest('layer', `layer is required: one of ${INTEROP_LAYERS.join(', ')}`);
    const format = parseEnum(req.query.format, EXPORT_FORMATS, 'format') ?? 'geojson';
    const lang = parseEnum(req.query.lang, ['zh', 'en'] as const, 'lang') ?? 'zh';
    const region = parseRegionCode(req.query.region, 'region');
    const crs = req.query.crs === undefined ? undefined : parseCrsName(String(req.query.crs));
    if (format === 'xlsx' && !LEDGER_LAYERS.includes(layer)) {
      throw badRequest(
        'format',
        `format: the xlsx ledger (台账) is kept for ${LEDGER_LAYERS.join(', ')}; export ${layer} as geojson, shapefile, kml or csv`,
      );
    }
    if (format === 'kml' && crs && crs !== 'EPSG:4326' && crs !== 'EPSG:4490')
      throw badRequest('crs', 'crs: KML is always WGS84 (EPSG:4326)');
    if (LAYERS[layer].geometry === null && (format === 'shapefile' || format === 'kml')) {
      throw badRequest('format', `format: ${layer} has no geometry; export it as xlsx, csv or geojson`);
    }
    let prefix: string | undefined;
    if (region) {
      const info = (await regionInfo(db, [region])).get(region);
      if (!info) throw notFound('Region', region);
      prefix = regionPrefix(region, info.level);
    }
    const spec = LAYERS[layer];
    const base = `${layer}-${region ?? 'all'}`;
    const options: WriteOptions = { name: base, ...(crs ? { crs } : {}) };
    const utf8Name =
      format === 'xlsx' && lang === 'zh'
        ? `${spec.zh}台账-${region ?? '全部'}.xlsx`
        : `${spec.zh}-${region ?? '全部'}.${EXTENSION[format]}`;
    const disposition = contentDisposition(`${base}.${EXTENSION[format]}`, utf8Name);

    if (format === 'geojson' || format === 'csv') {
      // Streamed as the rows arrive (issue 20). The first batch is read before any byte is
      // sent, so a failing query is still a JSON error.
      const source = exportBatches(db, layer, prefix);
      const kinds = format === 'csv' ? await exportGeometryKinds(db, layer, prefix) : undefined;
      const first = await source.next();
      const batches = async function* () {
        if (first.done) return;
        yield first.value;
        yield* source;
      };
      res.setHeader('Content-Type', format === 'geojson' ? 'application/geo+json' : 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', disposition);
      await writeChunks(
        res,
        format === 'geojson' ? streamGeoJson(batches(), options) : streamCsv(batches(), options, kinds!),
      );
      return;
    }

    let features = await exportFeatures(db, layer, prefix);
    if (format === 'xlsx') {
      const sheet = ledger(layer, features, lang);
      features = sheet.features;
      Object.assign(options, { columns: sheet.columns, title: lang === 'zh' ? `${spec.zh}台账` : `${spec.en} ledger` });
    } else {
      options.shapefileFieldNames = Object.fromEntries(spec.fields.map((f) => [f.name, f.short]));
    }
    const written = await writeOutput(features, format, options);
    res.setHeader('Content-Type', written.contentType);
    res.setHeader('Content-Disposition', disposition);
    res.send(Buffer.from(written.body.buffer, written.body.byteOffset, written.body.byteLength));
  });

  return router;
}
