/**
 * What each importable layer holds, for the mapping step and the ledgers (台账): its fields
 * with Chinese and English labels, the column names offices use for them (synonyms, the
 * ledger headers and the ≤10-character Shapefile names included, so an export maps back
 * onto itself), the enum words a spreadsheet may use, and the geometry it needs.
 */
import type { InteropLayer, LayerField } from '../../common/contracts/interop.ts';
import { STATION_KINDS } from '../../common/rules/station-kinds.ts';
import { REPORT_LABELS } from '../reports/report-labels.ts';

export interface FieldSpec extends LayerField {
  /** Column names that map to this field (compared case- and punctuation-insensitively). */
  synonyms: readonly string[];
  /** The column name in a Shapefile (dBASE names stop at 10 characters). */
  short: string;
  /** Enum values by the words a ledger uses for them (e.g. 党支部 → branch). */
  words?: Readonly<Record<string, string>>;
  /** In the xlsx ledger (台账). */
  ledger?: boolean;
}

export type GeometryNeed = 'polygon' | 'point' | 'polygon_or_point' | 'line' | null;

export interface LayerSpec {
  layer: InteropLayer;
  zh: string;
  en: string;
  geometry: GeometryNeed;
  fields: readonly FieldSpec[];
  /** The fields that identify a feature across imports. */
  key: readonly string[];
}

const zh = REPORT_LABELS.zh;
const invert = (labels: Record<string, string>, extra: Record<string, string> = {}): Record<string, string> => ({
  ...Object.fromEntries(Object.entries(labels).map(([value, word]) => [word, value])),
  ...extra,
});

const GRID_KIND_WORDS = invert(zh.gridKind, {
  住宅: 'residential',
  居住: 'residential',
  商业: 'commercial',
  商务: 'commercial',
  混合: 'mixed',
});
const PARTY_KIND_WORDS = invert(zh.partyKind, { 总支: 'general_branch', 支部: 'branch', 小组: 'group' });
const STATION_KIND_WORDS = invert(zh.stationKind);
const LEVEL_WORDS = invert(zh.level, {
  区: 'district',
  县: 'district',
  街道办事处: 'street',
  乡镇: 'street',
  镇: 'street',
  居委会: 'community',
  村: 'community',
});
const ROLE_ZH = {
  full_time: '专职网格员',
  part_time: '兼职网格员',
  building_head: '楼栋长',
  unit_head: '单元长',
} as const;
const ROLE_WORDS = invert(ROLE_ZH, { 专职: 'full_time', 兼职: 'part_time', 楼长: 'building_head' });
const ROAD_KIND_WORDS = { 道路: 'road', 小路: 'path', 步道: 'footway', 人行道: 'footway' };

/** Enum words of a field for export (value → Chinese), the inverse of `words`. */
export const ENUM_ZH: Record<string, Readonly<Record<string, string>>> = {
  gridKind: zh.gridKind,
  partyKind: zh.partyKind,
  stationKind: zh.stationKind,
  level: zh.level,
  role: ROLE_ZH,
};

const f = (
  name: string,
  zhLabel: string,
  en: string,
  type: LayerField['type'],
  options: Partial<FieldSpec> & { synonyms?: readonly string[] } = {},
): FieldSpec => ({ name, zh: zhLabel, en, type, required: false, short: name.slice(0, 10), synonyms: [], ...options });

const code = (zhLabel: string, synonyms: readonly string[] = []) =>
  f('code', zhLabel, 'Code', 'text', {
    required: true,
    ledger: true,
    synonyms: ['编码', '代码', '编号', 'id', zhLabel, ...synonyms],
  });
const name = (zhLabel: string, synonyms: readonly string[] = []) =>
  f('name', zhLabel, 'Name', 'text', {
    required: true,
    ledger: true,
    synonyms: ['名称', '名字', zhLabel, ...synonyms],
  });
const community = (required = false) =>
  f('community_code', '所属社区', 'Community', 'text', {
    required,
    ledger: true,
    short: 'comm_code',
    synonyms: ['社区', '社区编码', '社区代码', '所属社区', '所属社区编码', 'community'],
  });

export const LAYERS: Record<InteropLayer, LayerSpec> = {
  regions: {
    layer: 'regions',
    zh: '行政区划',
    en: 'Regions',
    geometry: 'polygon',
    key: ['code'],
    fields: [
      code('区划代码', ['行政区划代码', '统计用区划代码']),
      name('区划名称'),
      f('level', '层级', 'Level', 'enum', {
        required: true,
        values: ['district', 'street', 'community'],
        words: LEVEL_WORDS,
        synonyms: ['层级', '级别', '类型'],
      }),
      f('parent_code', '上级区划', 'Parent', 'text', {
        short: 'parent',
        synonyms: ['上级', '上级代码', '上级区划', '上级编码', 'parent'],
      }),
    ],
  },
  grids: {
    layer: 'grids',
    zh: '网格',
    en: 'Grids',
    geometry: 'polygon',
    key: ['code'],
    fields: [
      f('code', '网格编码', 'Grid code', 'text', {
        ledger: true,
        synonyms: ['编码', '代码', '编号', '网格编码', '网格代码', '网格编号', 'id'],
      }),
      name('网格名称', ['网格名']),
      f('kind', '网格类型', 'Kind', 'enum', {
        ledger: true,
        values: ['residential', 'commercial', 'mixed'],
        words: GRID_KIND_WORDS,
        synonyms: ['类型', '网格类型', '网格类别'],
      }),
      community(),
      f('households', '户数', 'Households', 'integer', { ledger: true, synonyms: ['户数', '住户数', '总户数', '户'] }),
    ],
  },
  buildings: {
    layer: 'buildings',
    zh: '楼栋',
    en: 'Buildings',
    geometry: 'polygon_or_point',
    key: ['code'],
    fields: [
      code('楼栋编码', ['楼栋编号']),
      name('楼栋名称', ['楼号']),
      community(),
      f('compound_code', '所属小区', 'Compound', 'text', {
        short: 'compound',
        synonyms: ['小区', '小区编码', '所属小区', 'compound'],
      }),
      f('households', '户数', 'Households', 'integer', { synonyms: ['户数', '住户数', '总户数'] }),
      f('units', '单元数', 'Units', 'integer', { synonyms: ['单元', '单元数'] }),
    ],
  },
  stations: {
    layer: 'stations',
    zh: '服务站点',
    en: 'Stations',
    geometry: 'point',
    key: ['code'],
    fields: [
      code('站点编码', ['阵地编码']),
      name('站点名称', ['阵地名称']),
      f('kind', '类型', 'Kind', 'enum', {
        required: true,
        ledger: true,
        values: STATION_KINDS,
        words: STATION_KIND_WORDS,
        synonyms: ['类型', '站点类型', '阵地类型'],
      }),
      f('region_code', '所属区域', 'Region', 'text', {
        ledger: true,
        short: 'region',
        synonyms: ['community_code', 'region', '社区', '社区编码', '所属社区', '所属区域', '区域'],
      }),
      f('address', '地址', 'Address', 'text', { ledger: true, synonyms: ['地址', '详细地址'] }),
      f('opening_hours', '开放时间', 'Opening hours', 'text', {
        ledger: true,
        short: 'hours',
        synonyms: ['开放时间', '服务时间', '营业时间', 'hours'],
      }),
      f('services', '服务内容', 'Services', 'text[]', { ledger: true, synonyms: ['服务内容', '服务项目', '服务'] }),
      f('phone', '服务电话', 'Phone', 'text', { ledger: true, synonyms: ['电话', '服务电话', '联系电话'] }),
    ],
  },
  party_orgs: {
    layer: 'party_orgs',
    zh: '党组织',
    en: 'Party organisations',
    geometry: null,
    key: ['code'],
    fields: [
      code('组织编码', ['党组织编码']),
      name('组织名称', ['党组织名称']),
      f('kind', '类型', 'Kind', 'enum', {
        required: true,
        ledger: true,
        values: ['committee', 'general_branch', 'branch', 'group'],
        words: PARTY_KIND_WORDS,
        synonyms: ['类型', '组织类型', '党组织类型'],
      }),
      f('parent_code', '上级组织', 'Parent organisation', 'text', {
        ledger: true,
        short: 'parent',
        synonyms: ['上级', '上级组织', '上级党组织', '上级编码', 'parent'],
      }),
      community(true),
      f('secretary_name', '书记', 'Secretary', 'text', {
        ledger: true,
        short: 'secretary',
        synonyms: ['书记', '书记姓名', 'secretary'],
      }),
      f('member_count', '党员数', 'Members', 'integer', {
        ledger: true,
        short: 'members',
        synonyms: ['党员数', '党员人数', 'members'],
      }),
    ],
  },
  grid_workers: {
    layer: 'grid_workers',
    zh: '网格员',
    en: 'Grid workers',
    geometry: null,
    key: ['grid_code', 'name', 'role'],
    fields: [
      f('grid_code', '所属网格', 'Grid', 'text', {
        required: true,
        ledger: true,
        synonyms: ['网格', '网格编码', '所属网格', '网格代码', 'grid'],
      }),
      f('name', '姓名', 'Name', 'text', { required: true, ledger: true, synonyms: ['姓名', '名字', '网格员', '名称'] }),
      f('role', '角色', 'Role', 'enum', {
        required: true,
        ledger: true,
        values: ['full_time', 'part_time', 'building_head', 'unit_head'],
        words: ROLE_WORDS,
        synonyms: ['角色', '类型', '职务', '岗位'],
      }),
      f('phone', '电话', 'Phone', 'text', {
        required: true,
        ledger: true,
        synonyms: ['电话', '手机', '手机号', '联系电话', '电话号码'],
      }),
      f('phone_public', '电话公开', 'Phone published', 'boolean', {
        ledger: true,
        short: 'phone_pub',
        synonyms: ['电话公开', '是否公开', '公开'],
      }),
      f('building_code', '楼栋', 'Building', 'text', { short: 'bldg_code', synonyms: ['楼栋', '楼栋编码'] }),
    ],
  },
  roads: {
    layer: 'roads',
    zh: '道路',
    en: 'Roads',
    geometry: 'line',
    key: ['code'],
    fields: [
      f('code', '道路编码', 'Code', 'text', { synonyms: ['编码', '代码', '编号', 'id'] }),
      f('name', '道路名称', 'Name', 'text', { synonyms: ['名称', '道路名称', '路名'] }),
      f('kind', '类型', 'Kind', 'enum', {
        values: ['road', 'path', 'footway'],
        words: ROAD_KIND_WORDS,
        synonyms: ['类型', '道路类型'],
      }),
    ],
  },
};

/** The fields as the API shows them (no synonyms). */
export function layerFields(layer: InteropLayer): LayerField[] {
  return LAYERS[layer].fields.map(({ name, required, type, values, zh: zhLabel, en }) => ({
    name,
    required,
    type,
    ...(values ? { values } : {}),
    zh: zhLabel,
    en,
  }));
}

/** The settings key under which a layer's last committed mapping is kept. */
export const mappingSettingKey = (layer: InteropLayer) => `import.mapping.${layer}`;

/** Which enum words a field's values are shown with in a Chinese ledger. */
export function enumWordsOf(layer: InteropLayer, field: string): Readonly<Record<string, string>> | undefined {
  if (field !== 'kind' && field !== 'level' && field !== 'role') return undefined;
  if (field === 'level') return ENUM_ZH.level;
  if (field === 'role') return ENUM_ZH.role;
  return { grids: ENUM_ZH.gridKind, party_orgs: ENUM_ZH.partyKind, stations: ENUM_ZH.stationKind }[layer as string];
}
