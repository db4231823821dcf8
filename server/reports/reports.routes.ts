/** Coverage reports to download: an Excel workbook and a GeoJSON file, for signed-in users only. */
import { Router, type Response } from 'express';
import type { AppContext } from '../context.ts';
import { requireUser } from '../auth/permissions.ts';
import { coverageGeoJSON } from './coverage-geojson.ts';
import { buildCoverageWorkbook } from './coverage-workbook.ts';
import { REPORT_CONTENT_TYPES, reportFileName, type ReportFormat } from './coverage-report.ts';
import { loadCoverageReport } from './load-coverage-report.ts';
import { parseReportOptions } from './report-params.ts';

function attachment(res: Response, region: string, at: Date, format: ReportFormat): void {
  res.setHeader('Content-Type', REPORT_CONTENT_TYPES[format]);
  res.setHeader('Content-Disposition', `attachment; filename="${reportFileName(region, at, format)}"`);
  // Household figures: never kept by a shared cache.
  res.setHeader('Cache-Control', 'private, no-store');
}

export function reportsRoutes({ db }: AppContext): Router {
  const router = Router();

  router.get('/reports/coverage.xlsx', async (req, res) => {
    requireUser(req);
    const { lang, ...options } = parseReportOptions(req.query);
    const data = await loadCoverageReport(db, { ...options, geometry: false });
    const workbook = await buildCoverageWorkbook(data, lang);
    attachment(res, data.region.code, data.generatedAt, 'xlsx');
    res.send(workbook);
  });

  router.get('/reports/coverage.geojson', async (req, res) => {
    requireUser(req);
    const { lang: _lang, ...options } = parseReportOptions(req.query);
    const data = await loadCoverageReport(db, { ...options, geometry: true });
    attachment(res, data.region.code, data.generatedAt, 'geojson');
    res.send(JSON.stringify(coverageGeoJSON(data)));
  });

  return router;
}
