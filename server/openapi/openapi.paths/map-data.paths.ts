/** The read API of the map: regions, grids, stations. */
import { STATION_KINDS } from '../../../common/rules/station-kinds.ts';
import { GridCollection, GridDetailFeature } from '../../../common/contracts/grids.ts';
import { RegionFeature, RegionList } from '../../../common/contracts/regions.ts';
import { StationCollection } from '../../../common/contracts/stations.ts';
import {
  bboxQuery,
  gridCodePath,
  json,
  op,
  pathParam,
  queryParam,
  ref,
  REGION_CODE_SCHEMA,
  regionQuery,
  type Paths,
} from '../openapi.build.ts';

export const mapDataPaths: Paths = {
  '/api/regions': {
    get: op({
      tag: 'regions',
      zh: '行政区划列表',
      en: 'The children of a region (区 → 街道 → 社区), or the top regions without `parent`.',
      access: 'public',
      params: [queryParam('parent', 'Parent region code', REGION_CODE_SCHEMA)],
      ok: { 200: json(ref(RegionList)) },
    }),
  },
  '/api/regions/{code}': {
    get: op({
      tag: 'regions',
      zh: '区划详情（含边界）',
      en: 'A region with its outline, counts and bbox; households are null for anonymous users.',
      access: 'optional',
      params: [pathParam('code', '12-digit region code', REGION_CODE_SCHEMA)],
      ok: { 200: json(ref(RegionFeature)) },
      errors: [404],
    }),
  },
  '/api/grids': {
    get: op({
      tag: 'grids',
      zh: '网格列表',
      en: 'The published grids of a region or a bbox as GeoJSON; household figures only for signed-in users.',
      access: 'optional',
      params: [regionQuery(false), bboxQuery],
      ok: { 200: json(ref(GridCollection)) },
    }),
  },
  '/api/grids/{code}': {
    get: op({
      tag: 'grids',
      zh: '网格详情',
      en: 'One grid with its party organisations and workers. Anonymous readers get what a grid board shows: the grid workers with published phones only, no secretary, no household figures (common/rules/public-fields.ts); staff get every worker, unpublished phones masked. The ETag is what an edit names in If-Match.',
      access: 'optional',
      params: [gridCodePath],
      ok: { 200: json(ref(GridDetailFeature)) },
      errors: [404],
    }),
  },
  '/api/stations': {
    get: op({
      tag: 'stations',
      zh: '党群服务阵地列表',
      en: 'Service stations of a region or bbox, optionally of some kinds.',
      access: 'public',
      params: [
        regionQuery(false),
        bboxQuery,
        queryParam('kind', 'Station kinds, comma-separated', {
          type: 'string',
          examples: [STATION_KINDS.slice(0, 2).join(',')],
        }),
      ],
      ok: { 200: json(ref(StationCollection)) },
    }),
  },
};
