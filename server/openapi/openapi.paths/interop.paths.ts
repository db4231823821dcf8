/** Import and export of the formats offices have (issue 7). */
import { ImportFieldsResponse, ImportReport } from '../../../common/contracts/interop.ts';
import { CaseImportReport } from '../../../common/contracts/case-import.ts';
import { EXPORT_FORMATS, IMPORT_FORMATS, INTEROP_LAYERS } from '../../../common/rules/interop-layers.ts';
import { json, op, queryParam, ref, regionQuery, type Paths, type Schema } from '../openapi.build.ts';

const CRS_DESCRIPTION =
  'EPSG:4326 (WGS84), EPSG:4490 (CGCS2000), EPSG:4513–4554 (CGCS2000 3° Gauss–Krüger), GCJ-02 (高德/腾讯), BD-09 (百度); also wgs84, cgcs2000, gcj02, bd09 or a bare EPSG number';
const layer: Schema = { type: 'string', enum: [...INTEROP_LAYERS] };

const importForm: Schema = {
  type: 'object',
  required: ['file', 'layer'],
  properties: {
    file: {
      type: 'string',
      format: 'binary',
      description:
        'GeoJSON, zipped Shapefile (.shp/.shx/.dbf/.prj/.cpg), KML, CSV (lon/lat or WKT columns) or .xlsx (attribute-only layers)',
    },
    layer,
    format: { type: 'string', enum: [...IMPORT_FORMATS], description: 'Default: from the file name' },
    crs: {
      type: 'string',
      description: `The file's coordinate system. When given it wins over the file's own (.prj, GeoJSON crs, EWKT SRID), with a warning if they disagree; when absent the file's is used, else WGS84. ${CRS_DESCRIPTION}. Web-map coordinates (GCJ-02, BD-09) must be declared.`,
    },
    encoding: {
      type: 'string',
      description:
        'Attribute text encoding (Shapefile, CSV): utf-8, gbk, gb18030, …; default from the .cpg or the .dbf language byte',
    },
    mapping: { type: 'string', description: 'JSON object: layer field → file column; remembered per layer' },
    region: {
      type: 'string',
      pattern: '^[0-9]{12}$',
      description: 'The region the import replaces or is limited to (required for roads)',
    },
    commit: {
      type: 'string',
      enum: ['1'],
      description: '1: write all or nothing; otherwise a dry run that writes nothing',
    },
    acceptProblems: {
      type: 'string',
      enum: ['1', '0'],
      description:
        "Grids, admins only (an editor gets 403): import them as they are. The dry run lists the gaps, overlaps, outside parts and out-of-band households they bring; the commit publishes them in one set-based transaction (one changeset per street, flagged with the accepted problems and the reason), then one tiling check. Codes: a file's own 15-digit code is kept when it is its community's and unique, else one is allocated; a community past 999 grids is a 400 before anything is written.",
    },
    reason: {
      type: 'string',
      maxLength: 500,
      description:
        'Why the grids are accepted with their problems; required to commit with acceptProblems (400 naming reason)',
    },
  },
};

const caseImportForm: Schema = {
  type: 'object',
  required: ['file'],
  properties: {
    file: {
      type: 'string',
      format: 'binary',
      description:
        '12345 hotline tickets as .csv (UTF-8 or GBK) or .xlsx, one a row, headed 工单编号, 来电时间 (or 受理时间; Beijing time unless it has a zone), 类别 (a category name such as 环境卫生), 诉求内容, and 地址 and/or 经度 + 纬度; 来电号码 optional',
    },
    crs: {
      type: 'string',
      enum: ['wgs84', 'gcj02', 'bd09'],
      description: "The coordinates' system (default wgs84): gcj02 for 高德/腾讯, bd09 for 百度",
    },
    street: {
      type: 'string',
      pattern: '^[0-9]{12}$',
      description:
        "The street whose queue takes tickets that cannot be placed (default: an editor's own street; an editor naming another street gets 403)",
    },
    commit: {
      type: 'string',
      enum: ['1', '0'],
      description: '1: create all the cases or none; otherwise a dry run that writes nothing',
    },
  },
};

export const interopPaths: Paths = {
  '/api/import/cases': {
    post: op({
      tag: 'interop',
      zh: '导入12345热线工单（预检或提交）',
      en: "Read 12345 hotline tickets into cases of channel hotline, each by the same intake as a resident's report (routing to the grid, duplicates, due times, ticket numbers). Placed by coordinates, else by the address when the names of buildings, compounds and roads give one confident place, else put in the street's queue, flagged. A dry run (no commit=1) reports the grids, the rows without a place, the tickets already imported (skipped) and every bad row with its row number; a commit with a bad row is refused (422, the report in `error.report`) and writes nothing. Admins, and editors for their own street.",
      access: 'writer',
      body: { required: true, content: { 'multipart/form-data': { schema: caseImportForm } } },
      ok: {
        200: json(ref(CaseImportReport), 'Dry run: what the import would do'),
        201: json(ref(CaseImportReport), 'Committed: every case was created'),
      },
      errors: [413, 422],
    }),
  },
  '/api/import': {
    post: op({
      tag: 'interop',
      zh: '导入（预检或提交）',
      en: 'Read a file into a layer. Without commit=1 a dry run reports what would be created, updated or left unchanged, the invalid features and why, and (grids) the topology problems the import would bring; with commit=1 everything is written in one transaction or nothing is: invalid features refuse the commit (422) and a commit that publishing refuses is a 409, both with the report in `error.report`. Archives are checked for path traversal and decompression bombs; XML is parsed without entity expansion; no remote URL is ever fetched.',
      access: 'writer',
      body: { required: true, content: { 'multipart/form-data': { schema: importForm } } },
      ok: {
        200: json(ref(ImportReport), 'Dry run: what the import would do'),
        201: json(ref(ImportReport), 'Committed: everything was written'),
      },
      errors: [409, 413, 422],
    }),
  },
  '/api/import/fields': {
    get: op({
      tag: 'interop',
      zh: '图层字段与已保存的映射',
      en: 'The fields of a layer (for the mapping step) and the mapping remembered from the last import of it.',
      access: 'writer',
      params: [queryParam('layer', 'The layer', layer, true)],
      ok: { 200: json(ref(ImportFieldsResponse)) },
    }),
  },
  '/api/export': {
    get: op({
      tag: 'interop',
      zh: '导出',
      en: 'A layer of a region as GeoJSON, zipped Shapefile (with .prj and a UTF-8 .cpg), KML, CSV or an .xlsx ledger (台账) with Chinese headers; an export imported again changes nothing. Household figures and unpublished worker phones need a signed-in user.',
      access: 'user',
      params: [
        queryParam('layer', 'The layer', layer, true),
        regionQuery(false, 'Only this region (district, street or community)'),
        queryParam('format', 'Output format (default geojson)', { type: 'string', enum: [...EXPORT_FORMATS] }),
        queryParam('crs', `Output coordinate system (default EPSG:4326). ${CRS_DESCRIPTION}`),
        queryParam('lang', 'Headers of the ledger: Chinese (default) or English', { enum: ['zh', 'en'] }),
      ],
      ok: {
        200: {
          description: 'The file, as an attachment',
          content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
        },
      },
      errors: [404, 413],
    }),
  },
};
