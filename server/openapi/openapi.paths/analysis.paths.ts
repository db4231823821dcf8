/** Validation of the tiling, planners' coverage analysis and the reports to download. */
import { ValidationPreview, ValidationPreviewRequest, ValidationReport } from '../../../common/contracts/validation.ts';
import { PartyCoverageReport } from '../../../common/contracts/party-coverage.ts';
import {
  StationReachReport,
  StationSuggestRequest,
  StationSuggestResponse,
} from '../../../common/contracts/station-reach.ts';
import { CasePointCollection } from '../../../common/contracts/case-points.ts';
import { STATION_KINDS } from '../../../common/rules/station-kinds.ts';
import {
  fromZod,
  json,
  jsonBody,
  op,
  queryParam,
  ref,
  regionQuery,
  type Parameter,
  type Paths,
} from '../openapi.build.ts';

const tolerances: Parameter[] = [
  queryParam('areaTolerance', 'Gaps and overlaps below this area (m²) are slivers', {
    type: 'number',
    minimum: 0,
    maximum: 1e6,
  }),
  queryParam('widthTolerance', 'Gaps and overlaps narrower than this (m) are slivers', {
    type: 'number',
    minimum: 0,
    maximum: 1e3,
  }),
];
const reach: Parameter[] = [
  queryParam('minutes', 'Walking minutes (default 3)', { type: 'number', exclusiveMinimum: 0, maximum: 60 }),
  queryParam('speed', 'Walking speed in m/s (default 1.2)', { type: 'number', exclusiveMinimum: 0, maximum: 10 }),
  queryParam('kinds', 'Station kinds counted, comma-separated (default all)', {
    type: 'string',
    examples: [STATION_KINDS.slice(0, 2).join(',')],
  }),
];
const lang = queryParam('lang', 'Headers in Chinese (default) or English', { enum: ['zh', 'en'] });
const download = (type: string, description: string) => ({
  description,
  content: { [type]: { schema: { type: 'string', format: 'binary' } } },
});

export const analysisPaths: Paths = {
  '/api/validation': {
    get: op({
      tag: 'validation',
      zh: '网格校验',
      en: "The problems of a region's tiling by type: overlaps, gaps, slivers, outside, multipart, invalid, households out of band, no party organisation, no worker.",
      access: 'user',
      params: [regionQuery(true), ...tolerances],
      ok: { 200: json(ref(ValidationReport)) },
    }),
  },
  '/api/validation/preview': {
    post: op({
      tag: 'validation',
      zh: '校验预览（候选边界）',
      en: "The problems a candidate outline would create and remove, before saving it (the editor's live preview).",
      access: 'user',
      body: jsonBody(fromZod(ValidationPreviewRequest)),
      ok: { 200: json(ref(ValidationPreview)) },
    }),
  },
  '/api/coverage/party': {
    get: op({
      tag: 'coverage',
      zh: '党组织覆盖分析',
      en: 'Party coverage of a region and every street and community below it, and the organisations to fix.',
      access: 'user',
      params: [regionQuery(true)],
      ok: { 200: json(ref(PartyCoverageReport)) },
    }),
  },
  '/api/coverage/stations': {
    get: op({
      tag: 'coverage',
      zh: '服务阵地覆盖（N分钟工作圈）',
      en: 'Share of households within walking reach of the stations (along roads when loaded, else straight-line geodesic), the unreached areas and the redundant stations.',
      access: 'user',
      params: [
        regionQuery(true),
        ...reach,
        queryParam('areas', 'Draw the unreached areas (default 1 below district level)', { enum: ['0', '1'] }),
      ],
      ok: { 200: json(ref(StationReachReport)) },
    }),
  },
  '/api/coverage/stations/suggest': {
    post: op({
      tag: 'coverage',
      zh: '选址建议',
      en: 'Choose k new station sites greedily by the households each adds (maximal covering).',
      access: 'user',
      body: jsonBody(fromZod(StationSuggestRequest)),
      ok: { 200: json(ref(StationSuggestResponse)) },
    }),
  },
  '/api/cases/points': {
    get: op({
      tag: 'cases',
      zh: '案件点位（地图图层）',
      en: "A region's cases of a period as GeoJSON points coloured by open / overdue / closed, with no personal fields.",
      access: 'user',
      params: [
        regionQuery(true, 'A 12-digit region code (district, street or community) or a 15-digit grid code'),
        queryParam('from', 'First Beijing date reported, YYYY-MM-DD (default: 364 days before `to`)', {
          type: 'string',
          format: 'date',
        }),
        queryParam('to', 'Last Beijing date reported, YYYY-MM-DD (default: today)', { type: 'string', format: 'date' }),
      ],
      ok: { 200: json(ref(CasePointCollection)) },
    }),
  },
  '/api/reports/coverage.xlsx': {
    get: op({
      tag: 'reports',
      zh: '覆盖分析报表（Excel）',
      en: 'A workbook with the sheets 汇总, 网格, 党组织, 服务站点 and 问题; no grid worker data.',
      access: 'user',
      params: [regionQuery(true), ...reach, lang],
      ok: { 200: download('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'The workbook') },
    }),
  },
  '/api/reports/coverage.geojson': {
    get: op({
      tag: 'reports',
      zh: '覆盖分析（GeoJSON）',
      en: 'The grids, unreached areas and stations of the coverage report as one FeatureCollection (told apart by `layer`).',
      access: 'user',
      params: [regionQuery(true), ...reach, lang],
      ok: { 200: download('application/geo+json', 'The FeatureCollection') },
    }),
  },
};
