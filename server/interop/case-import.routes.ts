/**
 * POST /api/import/cases   multipart: file (CSV or .xlsx of 12345 tickets), crs? (wgs84, gcj02,
 *                          bd09), street? (the queue for tickets with no place), commit?
 *                          → CaseImportReport (a dry run unless commit=1); 422 carries the report
 *
 * Admins, and street editors for their own street (planners and case staff 403).
 */
import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { clockOf, publicReads } from '../context.ts';
import { badRequest, unauthorized } from '../http/errors.ts';
import { forbidden } from '../auth/permissions.ts';
import { parseRegionCode } from '../http/params.ts';
import { parseCrs } from '../public/public-params.ts';
import { publicIndexesFor } from '../public/public-index.ts';
import { runCaseImport } from './case-import.service.ts';
import { receive } from './upload.ts';

const FIELDS = new Set(['crs', 'street', 'commit']);

export function caseImportRoutes(ctx: AppContext): Router {
  const router = Router();

  router.post('/import/cases', async (req, res) => {
    if (!req.user) throw unauthorized();
    if (req.user.role !== 'admin' && req.user.role !== 'editor') {
      // Refused before the upload is read.
      throw forbidden('Only admins and street editors import 12345 hotline tickets');
    }
    if (!req.is('multipart/form-data')) throw badRequest('body', 'The body must be multipart/form-data with a file');
    await receive(req, res);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const unknown = Object.keys(body).filter((k) => !FIELDS.has(k));
    if (unknown.length)
      throw badRequest(
        unknown[0]!,
        `Unknown field(s) ${unknown.join(', ')}; the fields are file, ${[...FIELDS].join(', ')}`,
      );
    if (!req.file) throw badRequest('file', 'file is required: the 12345 tickets as .csv or .xlsx');
    if (body.commit !== undefined && body.commit !== '' && body.commit !== '1' && body.commit !== '0')
      throw badRequest('commit', 'commit must be 1 (write) or 0 (dry run)');
    const report = await runCaseImport(ctx.db, {
      user: req.user,
      bytes: new Uint8Array(req.file.buffer.buffer, req.file.buffer.byteOffset, req.file.buffer.byteLength),
      filename: req.file.originalname,
      crs: parseCrs(body.crs || undefined),
      street: parseRegionCode(body.street || undefined, 'street'),
      commit: body.commit === '1',
      now: clockOf(ctx),
      // The process's one public index (it reads where public reads go: publicReads).
      indexes: ctx.config.publicIndex ? publicIndexesFor(publicReads(ctx)) : null,
    });
    res.status(report.committed ? 201 : 200).json(report);
  });

  return router;
}
