import { Router } from 'express';
import type { AppContext } from '../context.ts';
import {
  ValidationPreviewRequest,
  type ValidationPreview,
  type ValidationReport,
} from '../../common/contracts/validation.ts';
import { badRequest } from '../http/errors.ts';
import { parseBody, parseRegionCode } from '../http/params.ts';
import { polygonalGeometry } from '../http/geojson.ts';
import { previewValidation, validateRegion } from './validation.engine.ts';
import { requireUser } from '../auth/permissions.ts';
import { validateDraft } from './draft-validation.ts';
import { DEFAULT_TOLERANCES } from './problems.ts';
import { problemGridNames } from './name-problems.ts';

/** A tolerance from the query string: a finite number ≥ 0, with an upper bound that keeps it sane. */
function parseTolerance(value: unknown, param: string, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  if (!Number.isFinite(n) || n < 0 || n > max) throw badRequest(param, `${param} must be a number from 0 to ${max}`);
  return n;
}

// Declared in common/contracts/validation.ts; the server judges the outline more closely.
const previewBody = ValidationPreviewRequest.extend({ geometry: polygonalGeometry });

export function validationRoutes({ db }: AppContext): Router {
  const router = Router();

  // Problems carry households and building counts: signed-in users only.
  router.get('/validation', async (req, res) => {
    requireUser(req);
    if (req.query.draft !== undefined) {
      // A draft's view of its street (ADR 0013): the problems a repair can name.
      const draft =
        typeof req.query.draft === 'string' && /^[0-9]{1,9}$/.test(req.query.draft) ? Number(req.query.draft) : NaN;
      if (!Number.isInteger(draft)) throw badRequest('draft', 'draft must be a draft number');
      const tol = {
        areaM2: parseTolerance(req.query.areaTolerance, 'areaTolerance', 1e6) ?? DEFAULT_TOLERANCES.areaM2,
        widthM: parseTolerance(req.query.widthTolerance, 'widthTolerance', 1e3) ?? DEFAULT_TOLERANCES.widthM,
      };
      const report = await validateDraft(db, draft, tol);
      const named = await problemGridNames(db, [report.problems, report.allowed], draft);
      const body: ValidationReport = {
        ...report,
        problems: named(report.problems),
        ...(report.allowed ? { allowed: named(report.allowed) } : {}),
      };
      res.json(body);
      return;
    }
    const region = parseRegionCode(req.query.region, 'region');
    if (!region) throw badRequest('region', 'region is required (a community, street or district code)');
    const areaTolerance = parseTolerance(req.query.areaTolerance, 'areaTolerance', 1e6);
    const widthTolerance = parseTolerance(req.query.widthTolerance, 'widthTolerance', 1e3);
    const { stats: _stats, ...report } = await validateRegion(db, { region, areaTolerance, widthTolerance });
    const named = await problemGridNames(db, [report.problems, report.allowed]);
    const body: ValidationReport = {
      ...report,
      problems: named(report.problems),
      ...(report.allowed ? { allowed: named(report.allowed) } : {}),
    };
    res.json(body);
  });

  router.post('/validation/preview', async (req, res) => {
    requireUser(req);
    const input = parseBody(previewBody, req.body);
    const preview = await previewValidation(db, input);
    const named = await problemGridNames(db, [preview.created, preview.removed, preview.after], input.draft);
    const body: ValidationPreview = {
      ...preview,
      created: named(preview.created),
      removed: named(preview.removed),
      after: named(preview.after),
    };
    res.json(body);
  });

  return router;
}
