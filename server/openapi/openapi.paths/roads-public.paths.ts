/** The road layer and the residents' public station finder. */
import { roadCollection } from '../../roads/roads-import.ts';
import { STATION_KINDS } from '../../../common/rules/station-kinds.ts';
import {
  PUBLIC_CRS,
  PublicCommunityCard,
  PublicGridCard,
  PublicGridOutline,
  PublicIndexStatus,
  PublicLocateResponse,
  PublicNearestResponse,
  PublicSearchResponse,
  PublicStationDetail,
} from '../../../common/contracts/public.ts';
import { RoadCollection, RoadsReplaced } from '../../../common/contracts/roads.ts';
import { SearchResponse } from '../../../common/contracts/search.ts';
import {
  bboxQuery,
  fromZod,
  gridCodePath,
  json,
  jsonBody,
  op,
  pathParam,
  queryParam,
  ref,
  regionQuery,
  type Parameter,
  type Paths,
} from '../openapi.build.ts';

const crs = queryParam(
  'crs',
  'Coordinate system of the point and of the answer: GPS (wgs84), 高德/腾讯 (gcj02), 百度 (bd09)',
  { enum: [...PUBLIC_CRS] },
);
const point: Parameter[] = [
  queryParam('lon', 'Longitude', { type: 'number', minimum: 73, maximum: 136 }, true),
  queryParam('lat', 'Latitude', { type: 'number', minimum: 3, maximum: 54 }, true),
  crs,
  queryParam('kind', 'Station kinds, comma-separated', { type: 'string', examples: [STATION_KINDS[0]] }),
  queryParam('limit', 'How many stations (default 5, at most 20)', { type: 'integer', minimum: 1, maximum: 20 }),
];

function searchParams(withCrs: boolean): Parameter[] {
  const params = [
    queryParam(
      'q',
      'Search text: Chinese, full pinyin or pinyin initials (1–50 characters)',
      { type: 'string', minLength: 1, maxLength: 50 },
      true,
    ),
    queryParam('limit', 'Hits (default 10, at most 50)', { type: 'integer', minimum: 1, maximum: 50 }),
  ];
  return withCrs ? [...params, crs] : params;
}

export const roadsPublicPaths: Paths = {
  '/api/roads': {
    get: op({
      tag: 'roads',
      zh: '路网',
      en: 'The roads of a bbox or region as GeoJSON.',
      access: 'public',
      params: [
        bboxQuery,
        regionQuery(false),
        queryParam('limit', 'At most this many roads (1–50,000)', { type: 'integer', minimum: 1, maximum: 50_000 }),
      ],
      ok: { 200: json(ref(RoadCollection)) },
      errors: [404],
    }),
    post: op({
      tag: 'roads',
      zh: '导入路网（替换区域内道路）',
      en: 'Replace the roads of a region by a GeoJSON FeatureCollection of lines; node=true splits lines where they cross.',
      access: 'writer',
      params: [
        regionQuery(true, 'The region whose roads the file replaces'),
        queryParam('node', 'Split lines at crossings', { enum: ['true', 'false'] }),
      ],
      body: jsonBody(fromZod(roadCollection)),
      ok: { 201: json(ref(RoadsReplaced), 'Replaced') },
      errors: [404, 413],
    }),
  },
  '/api/public/locate': {
    get: op({
      tag: 'public',
      zh: '我在哪个网格',
      en: 'The grid, community, grid worker and party organisation of a point, and the nearest stations (geodesic distance).',
      access: 'public',
      params: point,
      ok: { 200: json(ref(PublicLocateResponse)) },
      errors: [429],
    }),
  },
  '/api/public/stations/nearest': {
    get: op({
      tag: 'public',
      zh: '附近的服务阵地',
      en: 'The nearest stations to a point by geodesic distance.',
      access: 'public',
      params: point,
      ok: { 200: json(ref(PublicNearestResponse)) },
      errors: [429],
    }),
  },
  '/api/public/search': {
    get: op({
      tag: 'public',
      zh: '搜索（公众）',
      en: 'Streets, communities and villages, compounds, roads, grids, stations and addresses (门牌) by Chinese, full pinyin (yucai) or pinyin initials (ljsq); ranked exact > prefix > initials > substring, then by kind. Public fields only.',
      access: 'public',
      params: searchParams(true),
      ok: { 200: json(ref(PublicSearchResponse)) },
      errors: [429, 503],
    }),
  },
  '/api/search': {
    get: op({
      tag: 'public',
      zh: '搜索',
      en: 'The same search for signed-in users, with the households of streets, communities and grids.',
      access: 'user',
      params: searchParams(false),
      ok: { 200: json(ref(SearchResponse)) },
      errors: [503],
    }),
  },
  '/api/public/communities/{code}': {
    get: op({
      tag: 'public',
      zh: '社区及其网格（公众）',
      en: 'A community or village and its grids (names only), for the finder.',
      access: 'public',
      params: [pathParam('code', '12-digit community code', { type: 'string', pattern: '^[0-9]{12}$' })],
      ok: { 200: json(ref(PublicCommunityCard)) },
      errors: [404, 429],
    }),
  },
  '/api/public/grids/{code}/card': {
    get: op({
      tag: 'public',
      zh: '网格信息卡（公众）',
      en: "A grid's card by code, as the printed board's QR code opens it: name, community, grid worker, party organisation, stations near a point inside it.",
      access: 'public',
      params: [gridCodePath, ...point.slice(3)],
      ok: { 200: json(ref(PublicGridCard)) },
      errors: [404, 429],
    }),
  },
  '/api/public/status': {
    get: op({
      tag: 'public',
      zh: '公众索引状态',
      en: 'Whether the in-process indexes of the finder are ready.',
      access: 'public',
      ok: { 200: json(ref(PublicIndexStatus)) },
      errors: [429],
    }),
  },
  '/api/public/stations/{code}': {
    get: op({
      tag: 'public',
      zh: '服务阵地详情',
      en: 'One station for a shareable link.',
      access: 'public',
      params: [pathParam('code', 'Station code', { type: 'string', pattern: '^[0-9A-Za-z_-]{1,40}$' }), crs],
      ok: { 200: json(ref(PublicStationDetail)) },
      errors: [404, 429],
    }),
  },
  '/api/public/grids/{code}': {
    get: op({
      tag: 'public',
      zh: '网格轮廓（公众）',
      en: "A grid's outline, name and community for the finder's map; no figures.",
      access: 'public',
      params: [gridCodePath],
      ok: { 200: json(ref(PublicGridOutline)) },
      errors: [404, 429],
    }),
  },
};
