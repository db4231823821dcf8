/**
 * The collections served at /ogc/collections: one table of what each collection reads, so
 * the queries, the HTML and the metadata stay in step. Expressions are fixed SQL written
 * in ogc.collections.queries.ts (never built from request input); values from the request
 * always go in as parameters. Worker data is in no collection at all (it is personal data).
 * Cases are for signed-in readers only (`staffOnly`), and without any personal field: no
 * reporter phone, no tracking token, no description (the resident's own words), no address.
 */
import type { RawBuilder } from 'kysely';
import {
  column,
  gridEtag,
  caseCategoryName,
  caseOverdue,
  casesSource,
  gridPartyOrgs,
  isoTime,
  orgGridCodes,
  partyOrgSource,
  tableSource,
} from './ogc.collections.queries.ts';
import { isPrivateField } from '../../common/rules/public-fields.ts';

export type OgcPropertyType = 'string' | 'integer' | 'boolean' | 'datetime' | 'array';

export interface OgcProperty {
  name: string;
  /** SQL over the collection's alias `t`. */
  expr: RawBuilder<unknown>;
  type: OgcPropertyType;
  title: { zh: string; en: string };
  /**
   * Household, population and personal figures: null for anonymous readers, and never usable
   * as a filter, so a filter cannot reveal them. Set from the one rule
   * (common/rules/public-fields.ts), not by hand.
   */
  private: boolean;
  /** May be given as `?name=value` on the items route (plain text columns only). */
  filter?: boolean;
}

export interface OgcCollection {
  id: string;
  title: { zh: string; en: string };
  description: { zh: string; en: string };
  /** `FROM … t` */
  from: RawBuilder<unknown>;
  /** The feature id: a unique text column. */
  key: RawBuilder<string>;
  /** Geometry in EPSG:4326 (may be null, e.g. a party organisation built on no grid). */
  geometry: RawBuilder<unknown>;
  geometryType: 'MultiPolygon' | 'Polygon' | 'Point';
  /** bbox filter; `ST_Intersects(geom, ST_MakeEnvelope(…, 4326))` on the indexed column. */
  intersects: (envelope: RawBuilder<unknown>) => RawBuilder<boolean>;
  /** The spatial extent of the whole collection (one row: x0, y0, x1, y1). */
  extent: RawBuilder<unknown>;
  /**
   * A cheap signal of change beyond the data version (ogc.stats.ts), for tables the epochs do
   * not fully follow; absent: the data version covers the collection.
   */
  version?: RawBuilder<unknown>;
  properties: OgcProperty[];
  /** Part 4 writes are accepted (grids and stations only). */
  writable: boolean;
  /** Signed-in readers only: not listed for anonymous readers, 401 on the collection and its items. */
  staffOnly?: boolean;
  /** The instant `datetime` filters on (OGC API Features Part 1, 7.15.4); absent: the collection has no time. */
  temporal?: RawBuilder<unknown>;
  /**
   * The item's entity tag (quoted). Grids use the editor's tag ("code.vN", etags.ts) so an
   * If-Match from OGC and from the editor mean the same; others hash the row.
   */
  etag?: RawBuilder<string>;
}

const p = (
  name: string,
  type: OgcPropertyType,
  zh: string,
  en: string,
  more: Partial<OgcProperty> = {},
): OgcProperty => ({
  name,
  expr: column(name),
  type,
  title: { zh, en },
  ...more,
  private: isPrivateField(name),
});
const text = (name: string, zh: string, en: string, filter = true) => p(name, 'string', zh, en, { filter });

const community = text('community_code', '所属社区', 'Community');
const time = (name: string, zh: string, en: string) => p(name, 'datetime', zh, en, { expr: isoTime(name) });
const households = p('households', 'integer', '户数', 'Households');

/** A collection over one of the plain tables (text `code`, `name` and `geom`): code and name come first. */
const fromTable = (
  id: 'grids' | 'stations' | 'regions' | 'buildings',
  names: { title: OgcCollection['title']; description: OgcCollection['description'] },
  geometryType: OgcCollection['geometryType'],
  properties: OgcProperty[],
  more: Partial<OgcCollection> = {},
): OgcCollection => ({
  id,
  ...names,
  ...tableSource(id),
  geometryType,
  properties: [text('code', '编码', 'Code'), text('name', '名称', 'Name'), ...properties],
  writable: false,
  ...more,
});

export const OGC_COLLECTIONS: readonly OgcCollection[] = [
  fromTable(
    'grids',
    { title: { zh: '网格', en: 'Grids' }, description: { zh: '社区网格（已发布）', en: 'Published community grids' } },
    'MultiPolygon',
    [
      community,
      text('kind', '类型', 'Kind'),
      households,
      p('population', 'integer', '人口', 'Population'),
      p('version', 'integer', '版本', 'Version'),
      p('party_orgs', 'array', '网格党组织', 'Party organisations', { expr: gridPartyOrgs }),
    ],
    { writable: true, etag: gridEtag },
  ),
  fromTable(
    'stations',
    {
      title: { zh: '党群服务阵地', en: 'Service stations' },
      description: {
        zh: '党群服务中心、红色驿站等服务站点',
        en: 'Party and public service stations of all eight kinds',
      },
    },
    'Point',
    [
      text('kind', '类型', 'Kind'),
      text('region_code', '所属区域', 'Region'),
      text('address', '地址', 'Address', false),
      text('opening_hours', '开放时间', 'Opening hours', false),
      p('services', 'array', '服务', 'Services'),
      text('phone', '服务电话', 'Service line', false),
    ],
    { writable: true },
  ),
  fromTable(
    'regions',
    {
      title: { zh: '行政区划', en: 'Regions' },
      description: { zh: '区、街道、社区', en: 'District, streets and communities' },
    },
    'MultiPolygon',
    [text('level', '级别', 'Level'), text('parent_code', '上级', 'Parent')],
  ),
  fromTable(
    'buildings',
    {
      title: { zh: '楼栋', en: 'Buildings' },
      description: { zh: '楼栋轮廓与户数', en: 'Building outlines and households' },
    },
    'Polygon',
    [community, text('compound_code', '所属小区', 'Compound'), households, p('units', 'integer', '单元数', 'Units')],
  ),
  {
    id: 'party_orgs',
    title: { zh: '党组织', en: 'Party organisations' },
    description: {
      zh: '党组织；范围为其所建网格的合并（未建在网格上的为空）',
      en: 'Party organisations; the outline is the union of the grids each is built on (none: no geometry)',
    },
    ...partyOrgSource,
    geometryType: 'MultiPolygon',
    properties: [
      text('code', '编码', 'Code'),
      text('name', '名称', 'Name'),
      text('kind', '类型', 'Kind'),
      text('parent_code', '上级组织', 'Parent'),
      community,
      p('secretary_name', 'string', '书记', 'Secretary'),
      p('member_count', 'integer', '党员数', 'Members'),
      p('grids', 'array', '所建网格', 'Grids', {
        expr: orgGridCodes,
      }),
    ],
    writable: false,
  },
  {
    id: 'cases',
    title: { zh: '事件', en: 'Cases' },
    description: {
      zh: '群众诉求与巡查事件（仅登录用户；不含个人信息：无来电号码、无诉求内容、无地址）',
      en: "Residents' concerns and patrol finds (signed-in readers only; no personal data: no phone, no description, no address)",
    },
    ...casesSource,
    geometryType: 'Point',
    properties: [
      text('ticket', '工单编号', 'Ticket'),
      text('category', '类别', 'Category'),
      p('category_name', 'string', '类别名称', 'Category name', { expr: caseCategoryName }),
      text('channel', '来源渠道', 'Channel'),
      text('state', '状态', 'State'),
      text('grid_code', '所属网格', 'Grid'),
      community,
      text('street_code', '所属街道', 'Street'),
      time('reported_at', '上报时间', 'Reported at'),
      time('accepted_at', '受理时间', 'Accepted at'),
      time('due_at', '办理时限', 'Due at'),
      time('closed_at', '结案时间', 'Closed at'),
      p('overdue', 'boolean', '超期', 'Overdue', { expr: caseOverdue }),
      text('rating', '评价', 'Rating'),
    ],
    writable: false,
    staffOnly: true,
  },
];

export function findCollection(id: string): OgcCollection | undefined {
  return OGC_COLLECTIONS.find((c) => c.id === id);
}

/** Query parameters of the items route that are not property filters. */
export const ITEMS_PARAMETERS = ['f', 'bbox', 'limit', 'offset', 'cursor', 'datetime', 'lang'] as const;
