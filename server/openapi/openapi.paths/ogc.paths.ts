/** OGC API – Features (Part 1 core, GeoJSON, HTML; Part 4 writes) and vector tiles. */
import type { z } from 'zod';
import {
  OgcCollection,
  OgcCollections,
  OgcConformance,
  OgcItem,
  OgcItems,
  OgcLandingPage,
  OgcWritten,
} from '../../../common/contracts/ogc.ts';
import { TileJson } from '../../../common/contracts/tiles.ts';
import { TILESETS } from '../../../common/tiles.ts';
import { OGC_COLLECTIONS } from '../../ogc/ogc.collections.ts';
import {
  bboxQuery,
  ifMatchHeader,
  json,
  noContent,
  op,
  pathParam,
  queryParam,
  ref,
  type Json,
  type Parameter,
  type Paths,
} from '../openapi.build.ts';

const f = queryParam('f', 'json (default for programs) or html (default for browsers)', { enum: ['json', 'html'] });
const lang = queryParam('lang', 'Titles in Chinese (default) or English', { enum: ['zh', 'en'] });
const collectionId = pathParam('id', 'The collection', { type: 'string', enum: OGC_COLLECTIONS.map((c) => c.id) });
const featureId = pathParam('featureId', "The feature id (the object's code)");
const filters = [...new Set(OGC_COLLECTIONS.flatMap((c) => c.properties.filter((p) => p.filter).map((p) => p.name)))];
const itemsParams: Parameter[] = [
  collectionId,
  f,
  lang,
  bboxQuery,
  queryParam(
    'datetime',
    'RFC 3339 instant or interval ("2026-01-01/2026-03-31", ".." open): filters cases by report time; the other collections have no time dimension',
  ),
  queryParam('limit', 'Features per page (default 100, at most 10,000)', {
    type: 'integer',
    minimum: 1,
    maximum: 10_000,
    default: 100,
  }),
  queryParam(
    'offset',
    'Features to skip (older links; its cost grows with it: follow `next`, which carries a cursor)',
    {
      type: 'integer',
      minimum: 0,
    },
  ),
  queryParam('cursor', 'Where the page starts: opaque, copied from a `next` or `prev` link (keyset paging)', {
    type: 'string',
  }),
  ...filters.map((name) => queryParam(name, `Equality filter on the property \`${name}\` (collections that have it)`)),
];
const geojsonAndHtml = (description: string, schema: z.ZodType): Json => ({
  description,
  content: { 'application/geo+json': { schema: ref(schema) }, 'text/html': { schema: { type: 'string' } } },
});
const jsonAndHtml = (description: string, schema: z.ZodType): Json => ({
  description,
  content: { 'application/json': { schema: ref(schema) }, 'text/html': { schema: { type: 'string' } } },
});
const featureBody: Json = {
  required: true,
  content: { 'application/geo+json': { schema: { type: 'object', description: 'A GeoJSON Feature in WGS84' } } },
};

export const ogcPaths: Paths = {
  '/ogc': {
    get: op({
      tag: 'ogc',
      zh: 'OGC API 入口',
      en: 'Landing page with links to the API definition, conformance and collections (GDAL: `ogrinfo OAPIF:http://host/ogc`).',
      access: 'public',
      params: [f, lang],
      ok: { 200: jsonAndHtml('Landing page', OgcLandingPage) },
    }),
  },
  '/ogc/conformance': {
    get: op({
      tag: 'ogc',
      zh: '符合性声明',
      en: 'The conformance classes implemented (Part 1 core, GeoJSON, HTML; Part 4 create/replace/delete).',
      access: 'public',
      params: [f, lang],
      ok: { 200: jsonAndHtml('Conformance classes', OgcConformance) },
    }),
  },
  '/ogc/collections': {
    get: op({
      tag: 'ogc',
      zh: '要素集合列表',
      en: 'Grids, stations, regions, buildings and party organisations, with their extents; cases too for signed-in readers.',
      access: 'public',
      params: [f, lang],
      ok: { 200: jsonAndHtml('Collections', OgcCollections) },
    }),
  },
  '/ogc/collections/{id}': {
    get: op({
      tag: 'ogc',
      zh: '要素集合',
      en: "One collection's metadata and links (cases: signed-in readers only, else 401).",
      access: 'public',
      params: [collectionId, f, lang],
      ok: { 200: jsonAndHtml('The collection', OgcCollection) },
      errors: [404],
    }),
  },
  '/ogc/collections/{id}/schema': {
    get: op({
      tag: 'ogc',
      zh: '要素属性结构',
      en: "The JSON Schema of a collection's features (GDAL reads the field types here).",
      access: 'public',
      params: [collectionId, lang],
      ok: {
        200: { description: 'JSON Schema', content: { 'application/schema+json': { schema: { type: 'object' } } } },
      },
      errors: [404],
    }),
  },
  '/ogc/collections/{id}/items': {
    get: op({
      tag: 'ogc',
      zh: '要素查询',
      en: 'Features with bbox, datetime (cases), limit, offset and property filters; `next` links page through. Household figures are null for anonymous readers; cases (no personal fields) are for signed-in readers only (401).',
      access: 'optional',
      params: itemsParams,
      ok: { 200: geojsonAndHtml('A page of features', OgcItems) },
      errors: [404],
    }),
    post: op({
      tag: 'ogc',
      zh: '新建要素（Part 4）',
      en: 'Create a feature (grids and stations): the same operations and checks as the editor, in one transaction.',
      access: 'writer',
      params: [collectionId],
      body: featureBody,
      ok: { 201: json(ref(OgcWritten), 'Created; Location names the new item, ETag its tag') },
      errors: [404, 405, 409],
    }),
  },
  '/ogc/collections/{id}/items/{featureId}': {
    get: op({
      tag: 'ogc',
      zh: '单个要素',
      en: 'One feature, with its ETag for a Part 4 write (cases: signed-in readers only, else 401).',
      access: 'optional',
      params: [collectionId, featureId, f, lang],
      ok: { 200: geojsonAndHtml('The feature', OgcItem) },
      errors: [404],
    }),
    put: op({
      tag: 'ogc',
      zh: '替换要素（Part 4）',
      en: 'Replace a feature; If-Match names the ETag read last (412 when stale).',
      access: 'writer',
      params: [collectionId, featureId, ifMatchHeader(true)],
      body: featureBody,
      ok: { 200: json(ref(OgcWritten), 'Replaced; ETag is the new tag') },
      errors: [404, 405, 409, 412, 428],
    }),
    delete: op({
      tag: 'ogc',
      zh: '删除要素（Part 4）',
      en: 'Delete (retire) a feature; If-Match names the ETag read last.',
      access: 'writer',
      params: [collectionId, featureId, ifMatchHeader(true)],
      ok: { 204: noContent },
      errors: [404, 405, 409, 412, 428],
    }),
  },
};

export const tilesPaths: Paths = {
  '/tiles/{layer}.json': {
    get: op({
      tag: 'tiles',
      zh: '瓦片元数据（TileJSON）',
      en: 'TileJSON 3.0 of a layer: the tile URL template, zooms, bounds, fields and feature count.',
      access: 'public',
      params: [
        pathParam('layer', 'The layer, or `base` (the base map: landcover, roads, compounds, labels)', {
          enum: [...TILESETS],
        }),
      ],
      ok: { 200: json(ref(TileJson)) },
      errors: [404],
    }),
  },
  '/tiles/{layer}/{z}/{x}/{y}.pbf': {
    get: op({
      tag: 'tiles',
      zh: '矢量瓦片',
      en: 'A Mapbox Vector Tile (web mercator z/x/y) of grids, buildings or stations, or the base map (`base`: water and green, roads by class with names, compound outlines, label points of streets, communities, compounds and grids), simplified at low zooms so no tile exceeds 500 KB. Household figures only for signed-in users.',
      access: 'optional',
      params: [
        pathParam('layer', 'The layer, or `base` (the base map: landcover, roads, compounds, labels)', {
          enum: [...TILESETS],
        }),
        pathParam('z', 'Zoom', { type: 'integer', minimum: 0, maximum: 22 }),
        pathParam('x', 'Column', { type: 'integer', minimum: 0 }),
        pathParam('y', 'Row', { type: 'integer', minimum: 0 }),
      ],
      ok: {
        200: {
          description: 'The tile',
          content: { 'application/vnd.mapbox-vector-tile': { schema: { type: 'string', format: 'binary' } } },
        },
        204: { description: 'An empty tile' },
      },
      errors: [404],
    }),
  },
};
