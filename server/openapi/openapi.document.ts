/**
 * The OpenAPI 3.1 document of the whole API (/api, /ogc, /tiles): one file per domain in
 * openapi.paths/, merged here with the schemas generated from common/contracts/, the error
 * responses and the session cookie. tests/api/openapi.test.ts walks the Express router and fails when a route is
 * missing here or a documented path no longer exists.
 */
import { SESSION_COOKIE } from '../../common/contracts/auth.ts';
import type { Json, Paths } from './openapi.build.ts';
import { componentSchemas, RESPONSES } from './openapi.schemas.ts';
import { metaPaths } from './openapi.paths/meta.paths.ts';
import { mapDataPaths } from './openapi.paths/map-data.paths.ts';
import { partyPaths } from './openapi.paths/party.paths.ts';
import { editingPaths } from './openapi.paths/editing.paths.ts';
import { analysisPaths } from './openapi.paths/analysis.paths.ts';
import { roadsPublicPaths } from './openapi.paths/roads-public.paths.ts';
import { interopPaths } from './openapi.paths/interop.paths.ts';
import { ogcPaths, tilesPaths } from './openapi.paths/ogc.paths.ts';
import { settingsPaths } from './openapi.paths/settings.paths.ts';
import { repairPaths } from './openapi.paths/repairs.paths.ts';
import { boardsPaths } from './openapi.paths/boards.paths.ts';
import { casesPaths } from './openapi.paths/cases.paths.ts';
import { caseStatsPaths } from './openapi.paths/case-stats.paths.ts';
import { casePhotosPaths } from './openapi.paths/case-photos.paths.ts';
import { proposalPaths } from './openapi.paths/proposals.paths.ts';

const TAGS: { name: string; description: string }[] = [
  { name: 'meta', description: '健康检查与文档 · Health, configuration and this document' },
  { name: 'auth', description: '登录 · Sessions (cookie `wangge_session`)' },
  { name: 'regions', description: '行政区划 · District → street → community' },
  { name: 'grids', description: '网格 · Published community grids' },
  { name: 'stations', description: '党群服务阵地 · Service stations' },
  { name: 'party', description: '网格党组织 · Party organisations' },
  { name: 'validation', description: '校验 · Gaps, overlaps and the rules of the grid system' },
  { name: 'editing', description: '编辑 · Drafts, grid operations, publish, history' },
  { name: 'coverage', description: '覆盖分析 · Party coverage, station reach, suggested sites' },
  { name: 'reports', description: '报表 · Coverage reports to download' },
  { name: 'roads', description: '路网 · The road layer for walking distances' },
  { name: 'public', description: '居民查询 · The public station finder (no login, rate-limited)' },
  {
    name: 'interop',
    description: '导入导出 · Shapefile, GeoJSON, KML, CSV, Excel in the coordinate systems offices use',
  },
  { name: 'ogc', description: 'OGC API – Features · For QGIS and GDAL' },
  { name: 'tiles', description: '矢量瓦片 · Mapbox Vector Tiles' },
  { name: 'settings', description: '设置 · Household bounds per district (admins write)' },
  { name: 'cases', description: '事在格中办 · Residents’ concerns: report, route, handle, close, rate' },
];

/** Every documented path; a path documented twice is a mistake, so it throws. */
export function documentedPaths(): Paths {
  const paths: Paths = {};
  for (const part of [
    metaPaths,
    mapDataPaths,
    partyPaths,
    editingPaths,
    analysisPaths,
    roadsPublicPaths,
    interopPaths,
    ogcPaths,
    tilesPaths,
    settingsPaths,
    repairPaths,
    boardsPaths,
    casesPaths,
    caseStatsPaths,
    casePhotosPaths,
    proposalPaths,
  ]) {
    for (const [path, item] of Object.entries(part)) {
      if (paths[path]) throw new Error(`OpenAPI: ${path} is documented twice`);
      paths[path] = item;
    }
  }
  return paths;
}

let cached: Json | undefined;

export function openApiDocument(): Json {
  cached ??= {
    openapi: '3.1.0',
    info: {
      title: '网格 Wangge API',
      version: '0.1.0',
      summary: 'Grid-management GIS: community grids, party organisations and service stations in PostGIS',
      description:
        '网格管理系统的接口。所有坐标为 WGS84 经纬度（EPSG:4326），除非另有说明。\n\n' +
        'The API of Wangge. Coordinates are WGS84 longitude/latitude (EPSG:4326) unless a `crs` parameter says otherwise. ' +
        'Sign in with POST /api/auth/login: the `wangge_session` cookie then authorises the calls marked with a lock. ' +
        'Errors are JSON `{ "error": { "code", "message", "param" } }`; a rejected write changes nothing. ' +
        'Anonymous callers see no household or population figures and no unpublished phone numbers.',
    },
    tags: TAGS,
    paths: documentedPaths(),
    components: {
      // After the paths: the contracts they import have registered their schemas by then.
      schemas: componentSchemas(),
      responses: RESPONSES,
      securitySchemes: {
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: SESSION_COOKIE,
          description: 'Set by POST /api/auth/login (HttpOnly)',
        },
      },
    },
  };
  return cached;
}
