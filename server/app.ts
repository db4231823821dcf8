/** The Express application: one route table, one error writer, the built client. */
import express, { type Router } from 'express';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AppContext } from './context.ts';
import { errorHandler, notFoundRoute } from './http/errors.ts';
import { securityHeaders } from './http/security.ts';
import { authRoutes, loadSession } from './auth/auth.routes.ts';
import { healthRoutes } from './health/health.routes.ts';
import { basemapRoutes } from './basemap/basemap.routes.ts';
import { regionsRoutes } from './regions/regions.routes.ts';
import { gridsRoutes } from './grids/grids.routes.ts';
import { stationsRoutes } from './stations/stations.routes.ts';
import { partyRoutes } from './party/party.routes.ts';
import { validationRoutes } from './validation/validation.routes.ts';
import { editingRoutes } from './editing/editing.routes.ts';
import { repairRoutes } from './editing/repairs.routes.ts';
import { exceptionRoutes } from './validation/exceptions.routes.ts';
import { partyCoverageRoutes } from './party-coverage/party-coverage.routes.ts';
import { stationReachRoutes } from './station-reach/station-reach.routes.ts';
import { roadsRoutes } from './roads/roads.routes.ts';
import { reportsRoutes } from './reports/reports.routes.ts';
import { publicFinder } from './public/public.routes.ts';
import { answerBeforeExpress } from './http/before-express.ts';
import { importRoutes } from './interop/import.routes.ts';
import { exportRoutes } from './interop/export.routes.ts';
import { ogcRoutes } from './ogc/ogc.routes.ts';
import { tilesRoutes } from './tiles/tiles.routes.ts';
import { openapiRoutes } from './openapi/openapi.routes.ts';
import { settingsRoutes } from './settings/settings.routes.ts';
import { searchRoutes } from './search/search.routes.ts';
import { idempotency } from './http/idempotency.ts';
import { boardsRoutes } from './boards/boards.routes.ts';
import { publicCaseRoutes } from './cases/public-cases.routes.ts';
import { caseRoutes } from './cases/cases.routes.ts';
import { casePointsRoutes } from './cases/case-points.routes.ts';
import { caseStatsRoutes } from './cases/stats.routes.ts';
import { casePhotoUpload } from './cases/photo-upload.ts';
import { casePhotoRoutes } from './cases/photos.routes.ts';
import { proposalRoutes } from './proposal/proposals.routes.ts';

export const CLIENT_DIR = fileURLToPath(new URL('../dist/client/', import.meta.url));

/** WANGGE_TRUST_PROXY as Express takes it: a hop count, true/false, or addresses/subnets. */
const trustProxyValue = (value: string): boolean | number | string =>
  /^[0-9]+$/.test(value) ? Number(value) : value === 'true' ? true : value === 'false' ? false : value;

export interface AppOptions {
  /**
   * More /api routes, mounted inside the request scope: the fault tests' hooks, which only the
   * composition root passes (server/main.ts, with WANGGE_TEST_HOOKS=1).
   */
  testRoutes?: (ctx: AppContext) => Router;
}

export function createApp(ctx: AppContext, options: AppOptions = {}): express.Express {
  const app = express();
  app.disable('x-powered-by');
  if (ctx.config.trustProxy) app.set('trust proxy', trustProxyValue(ctx.config.trustProxy));
  app.use(securityHeaders(ctx.config));
  app.set('query parser', 'simple');
  // Bodies are parsed only where a request can carry one: the public GETs skip the parser.
  const json = express.json({ limit: '5mb' });
  app.use((req, res, next) => (req.method === 'GET' || req.method === 'HEAD' ? next() : json(req, res, next)));

  const api = express.Router();
  // The residents' lookups come first: the busiest, anonymous routes skip the session lookup
  // and the walk through every staff route.
  const finder = publicFinder(ctx);
  api.use(finder.routes);
  api.use(publicCaseRoutes(ctx, { report: casePhotoUpload('case') })); // issue 18: residents report, track and rate cases
  api.use(loadSession(ctx));
  api.use(idempotency(ctx));
  if (options.testRoutes) api.use(options.testRoutes(ctx));
  for (const routes of [
    casePointsRoutes, // before /cases/:id
    healthRoutes,
    basemapRoutes,
    authRoutes,
    regionsRoutes,
    gridsRoutes,
    stationsRoutes,
    partyRoutes,
    validationRoutes,
    editingRoutes,
    partyCoverageRoutes,
    stationReachRoutes,
    roadsRoutes,
    caseStatsRoutes, // issue 18: case statistics
    reportsRoutes,
    importRoutes,
    exportRoutes,
    openapiRoutes,
    searchRoutes,
  ]) {
    api.use(routes(ctx));
  }
  api.use(settingsRoutes(ctx));
  api.use(boardsRoutes(ctx)); // issue 17: printed grid boards (public)
  api.use(casePhotoRoutes(ctx)); // issue 18: case photos, to the reporter and to staff who may read the case
  api.use(
    caseRoutes(ctx, {
      transition: casePhotoUpload('transition', { signedIn: true }),
      patrol: casePhotoUpload('case', { signedIn: true }),
    }),
  ); // issue 18: staff case queues and transitions
  for (const routes of [repairRoutes, exceptionRoutes]) api.use(routes(ctx)); // issue 15: repairs, allowed gaps
  api.use(proposalRoutes(ctx)); // issue 19: grid proposals (智能划格) in a draft
  api.use(notFoundRoute);
  app.use('/api', api);

  // Standard services for GIS clients (QGIS, GDAL): OGC API – Features and vector tiles.
  const ogc = express.Router();
  ogc.use(loadSession(ctx));
  ogc.use(ogcRoutes(ctx));
  ogc.use(notFoundRoute);
  app.use('/ogc', ogc);
  const tiles = express.Router();
  tiles.use(loadSession(ctx));
  tiles.use(tilesRoutes(ctx));
  tiles.use(notFoundRoute);
  app.use('/tiles', tiles);

  if (existsSync(CLIENT_DIR)) {
    app.use(express.static(CLIENT_DIR, { index: 'index.html', maxAge: '1h' }));
    // The residents' station finder is its own small page (client/find.html).
    app.get(['/find', '/find/'], (_req, res) => res.sendFile('find.html', { root: CLIENT_DIR }));
    // The grid workers' phone page (client/worker.html): my cases, handling, patrol finds.
    app.get(['/worker', '/worker/'], (_req, res) => res.sendFile('worker.html', { root: CLIENT_DIR }));
    // Client-side routes fall back to the app shell.
    app.get(/^\/(?!api\/).*/, (_req, res) => res.sendFile('index.html', { root: CLIENT_DIR }));
  } else {
    app.get('/', (_req, res) =>
      res.type('text').send('The client is not built: run `npm run build` (npm start does it for you).'),
    );
  }
  app.use(errorHandler);
  // Issue 20: the finder's locate and nearest answered before Express (same answers, same headers).
  const fast = finder.fastPath(app);
  if (fast) answerBeforeExpress(app, fast);
  return app;
}
