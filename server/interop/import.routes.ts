/**
 * POST /api/import            multipart: file, layer, format?, crs?, encoding?, mapping?, region?, commit?,
 *                             acceptProblems? ('1': grids as they are, admin only), reason? (required with it to commit)
 *                             → ImportReport (a dry run unless commit=1); 422/409 carry the report
 * GET  /api/import/fields?layer=  → ImportFieldsResponse (the fields and the remembered mapping)
 * POST /api/import/cases      12345 hotline tickets (case-import.routes.ts)
 *
 * Editors and admins only (planners 403); who may import what is checked per feature.
 * The upload size is limited by multer before anything is parsed (413 naming the limit).
 */
import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { type ImportFieldsResponse, type InteropLayer } from '../../common/contracts/interop.ts';
import { IMPORT_FORMATS, INTEROP_LAYERS } from '../../common/rules/interop-layers.ts';
import { badRequest } from '../http/errors.ts';
import { parseEnum, parseRegionCode } from '../http/params.ts';
import { requireWriter } from '../auth/permissions.ts';
import { receive } from './upload.ts';
import { parseMappingField } from './mapping.ts';
import { layerFields } from './layers.ts';
import { rememberedMapping, runImport } from './import.service.ts';
import { caseImportRoutes } from './case-import.routes.ts';

const FIELDS = new Set([
  'layer',
  'format',
  'crs',
  'encoding',
  'mapping',
  'region',
  'commit',
  'acceptProblems',
  'reason',
]);
const parseLayer = (value: unknown): InteropLayer => {
  const layer = parseEnum(value, INTEROP_LAYERS, 'layer');
  if (!layer) throw badRequest('layer', `layer is required: one of ${INTEROP_LAYERS.join(', ')}`);
  return layer;
};

const optionalText = (value: unknown, param: string): string | undefined => {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || value.length > 100) throw badRequest(param, `${param} must be given once, as text`);
  return value;
};

const parseFlag = (value: unknown, param: string): boolean => {
  if (value === undefined || value === '' || value === '0' || value === 'false') return false;
  if (value === '1' || value === 'true') return true;
  throw badRequest(param, `${param} must be 1 or 0`);
};

const optionalReason = (value: unknown): string | undefined => {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length > 500)
    throw badRequest('reason', 'reason must be given once, as text of at most 500 characters');
  return value;
};

export function importRoutes(ctx: AppContext): Router {
  const { db } = ctx;
  const router = Router();

  router.get('/import/fields', async (req, res) => {
    requireWriter(req);
    const layer = parseLayer(req.query.layer);
    const body: ImportFieldsResponse = {
      layer,
      fields: layerFields(layer),
      mapping: await rememberedMapping(db, layer),
    };
    res.json(body);
  });

  router.post('/import', async (req, res) => {
    const user = requireWriter(req);
    if (!req.is('multipart/form-data')) throw badRequest('body', 'The body must be multipart/form-data with a file');
    await receive(req, res);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const unknown = Object.keys(body).filter((k) => !FIELDS.has(k));
    if (unknown.length)
      throw badRequest(
        unknown[0]!,
        `Unknown field(s) ${unknown.join(', ')}; the fields are file, ${[...FIELDS].join(', ')}`,
      );
    if (!req.file) throw badRequest('file', 'file is required: the file to import');
    const report = await runImport(db, {
      user,
      layer: parseLayer(body.layer),
      bytes: new Uint8Array(req.file.buffer.buffer, req.file.buffer.byteOffset, req.file.buffer.byteLength),
      filename: req.file.originalname,
      format: parseEnum(body.format || undefined, IMPORT_FORMATS, 'format'),
      crs: optionalText(body.crs, 'crs'),
      encoding: optionalText(body.encoding, 'encoding'),
      mapping: parseMappingField(body.mapping),
      region: parseRegionCode(body.region || undefined, 'region'),
      commit: body.commit === '1',
      acceptProblems: parseFlag(body.acceptProblems, 'acceptProblems'),
      reason: optionalReason(body.reason),
    });
    res.status(report.committed ? 201 : 200).json(report);
  });

  router.use(caseImportRoutes(ctx));
  return router;
}
