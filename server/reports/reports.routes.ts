/** Coverage reports to download: an Excel workbook and a GeoJSON file, for signed-in users only. */
import { Router, type Response } from 'express';
import type { AppContext } from '../context.ts';
import { requireUser } from '../auth/permissions.ts';
import { coverageGeoJSON } from './coverage-geojson.ts';
import { buildCoverageWorkbook } from './coverage-workbook.ts';
import { REPORT_CONTENT_TYPES, reportFileName, type ReportFormat } from './coverage-report.ts';
import { loadCoverageReport } from './load-coverage-report.ts';
import { parseReportOptions } from './report-params.ts';
import { clockOf } from '../context.ts';
import { loadCaseStats } from '../cases/load-case-stats.ts';
import { parseCaseStatsQuery } from '../cases/stats-params.ts';
import { ledgerCases } from './cases-ledger.queries.ts';
import { casesWorkbookName, writeCasesWorkbook } from './cases-workbook.ts';

function attachment(res: Response, region: string, at: Date, format: ReportFormat): void {
  res.setHeader('Content-Type', REPORT_CONTENT_TYPES[format]);
  res.setHeader('Content-Disposition', `attachment; filename="${reportFileName(region, at, format)}"`);
  // Household figures: never kept by a shared cache.
  res.setHeader('Cache-Control', 'private, no-store');
}

export function reportsRoutes(ctx: AppContext): Router {
  const { db } = ctx;
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

  // The cases' 台账 (issue 18): streamed, as a city-year is a million rows.
  router.get('/reports/cases.xlsx', async (req, res) => {
    requireUser(req);
    const now = clockOf(ctx);
    const query = parseCaseStatsQuery(req.query, now);
    const stats = await loadCaseStats(db, query, now);
    res.setHeader('Content-Type', REPORT_CONTENT_TYPES.xlsx);
    res.setHeader('Content-Disposition', `attachment; filename="${casesWorkbookName(stats)}"`);
    res.setHeader('Cache-Control', 'private, no-store');
    try {
      await writeCasesWorkbook(res, stats, ledgerCases(db, stats.region, query), now);
    } catch (error) {
      // The headers are gone: cut the download short rather than end a broken file cleanly.
      console.error('[reports] cases.xlsx:', error);
      res.destroy(error as Error);
    }
  });

  return router;
}
