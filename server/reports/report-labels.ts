/**
 * The words of the coverage report, Chinese by default and English with `lang=en`.
 * Kept beside the report (not imported from client/i18n) so the server never loads client code.
 */
import type { PartyOrgKind, RegionLevel } from '../../common/domain.ts';
import { STATION_KIND_LABELS, type StationKind } from '../../common/rules/station-kinds.ts';

export type ReportLang = 'zh' | 'en';
export const REPORT_LANGS: readonly ReportLang[] = ['zh', 'en'];

export type GridPartyStatus = 'covered' | 'uncovered' | 'claimed_twice';
export type ProblemKind =
  'uncovered' | 'claimed_twice' | 'not_contiguous' | 'several_communities' | 'redundant_station' | 'unreached';

export interface ReportLabels {
  sheets: { summary: string; grids: string; orgs: string; stations: string; problems: string };
  summary: {
    title: string;
    region: string;
    level: string;
    generatedAt: string;
    minutes: string;
    speed: string;
    reachM: string;
    method: string;
    kinds: string;
    totals: string;
    grids: string;
    covered: string;
    uncovered: string;
    claimedTwice: string;
    households: string;
    householdsCovered: string;
    householdsShare: string;
    reachHouseholds: string;
    reached: string;
    reachedShare: string;
    stations: string;
    redundant: string;
    unreachedHouseholds: string;
    unreachedAreas: string;
    byRegion: string;
    code: string;
    name: string;
  };
  grids: {
    code: string;
    name: string;
    street: string;
    community: string;
    kind: string;
    households: string;
    orgs: string;
    status: string;
    reachHouseholds: string;
    reached: (minutes: number) => string;
    share: string;
  };
  orgs: {
    code: string;
    name: string;
    kind: string;
    parent: string;
    community: string;
    secretary: string;
    members: string;
    grids: string;
    households: string;
  };
  stations: {
    code: string;
    name: string;
    kind: string;
    address: string;
    hours: string;
    phone: string;
    lon: string;
    lat: string;
    counted: string;
    households: string;
    onlyHere: string;
    redundant: string;
  };
  problems: { kind: string; code: string; name: string; community: string; households: string; detail: string };
  level: Record<RegionLevel, string>;
  partyKind: Record<PartyOrgKind, string>;
  stationKind: Record<StationKind, string>;
  status: Record<GridPartyStatus, string>;
  problemKind: Record<ProblemKind, string>;
  method: Record<'network' | 'straight_line', string>;
  gridKind: Record<'residential' | 'commercial' | 'mixed', string>;
  yes: string;
  no: string;
  /** Between the items of a list, and between two clauses. */
  listSep: string;
  clauseSep: string;
  detail: {
    orgs: (codes: string[]) => string;
    pieces: (n: number) => string;
    communities: (codes: string[]) => string;
    /** A redundant station: it reaches nobody, or only households stations of a comparable kind reach too. */
    station: (kind: string, households: number) => string;
    unreached: (buildings: number, areaM2: number) => string;
  };
}

const zh: ReportLabels = {
  sheets: { summary: '汇总', grids: '网格', orgs: '党组织', stations: '服务站点', problems: '问题' },
  summary: {
    title: '网格党建与服务站点覆盖报告',
    region: '区域',
    level: '层级',
    generatedAt: '生成时间',
    minutes: '步行时间（分钟）',
    speed: '步行速度（米/秒）',
    reachM: '服务半径（米）',
    method: '计算方法',
    kinds: '计入站点类型',
    totals: '合计',
    grids: '网格数',
    covered: '已覆盖网格',
    uncovered: '未覆盖网格',
    claimedTwice: '重复认领网格',
    households: '户数',
    householdsCovered: '党组织覆盖户数',
    householdsShare: '党组织户数覆盖率',
    reachHouseholds: '楼栋户数',
    reached: '圈内户数',
    reachedShare: '圈内户数占比',
    stations: '服务站点数',
    redundant: '冗余站点数',
    unreachedHouseholds: '圈外户数',
    unreachedAreas: '服务圈外区域（有住户）',
    byRegion: '分区域统计',
    code: '编码',
    name: '名称',
  },
  grids: {
    code: '网格编码',
    name: '网格名称',
    street: '所属街道',
    community: '所属社区',
    kind: '网格类型',
    households: '户数',
    orgs: '网格党组织',
    status: '党组织覆盖状态',
    reachHouseholds: '楼栋户数',
    reached: (m) => `${m}分钟圈内户数`,
    share: '覆盖率',
  },
  orgs: {
    code: '编码',
    name: '名称',
    kind: '类型',
    parent: '上级组织',
    community: '所属社区',
    secretary: '书记',
    members: '党员数',
    grids: '覆盖网格数',
    households: '覆盖户数',
  },
  stations: {
    code: '编码',
    name: '名称',
    kind: '类型',
    address: '地址',
    hours: '开放时间',
    phone: '服务电话',
    lon: '经度',
    lat: '纬度',
    counted: '是否计入',
    households: '覆盖户数',
    onlyHere: '独占户数',
    redundant: '是否冗余',
  },
  problems: {
    kind: '问题类型',
    code: '编码',
    name: '名称',
    community: '所属社区',
    households: '涉及户数',
    detail: '说明',
  },
  level: { district: '区县', street: '街道', community: '社区' },
  partyKind: { committee: '党委', general_branch: '党总支', branch: '党支部', group: '党小组' },
  stationKind: STATION_KIND_LABELS.zh,
  status: { covered: '已覆盖', uncovered: '未覆盖', claimed_twice: '重复认领' },
  problemKind: {
    uncovered: '网格无党组织',
    claimed_twice: '网格重复认领',
    not_contiguous: '党组织网格不连片',
    several_communities: '党组织跨社区',
    redundant_station: '冗余站点',
    unreached: '服务圈外区域',
  },
  method: { network: '道路网络步行距离', straight_line: '直线测地距离' },
  gridKind: { residential: '居住网格', commercial: '商务网格', mixed: '混合网格' },
  yes: '是',
  no: '否',
  listSep: '、',
  clauseSep: '；',
  detail: {
    orgs: (codes) => `认领组织：${codes.join('、')}`,
    pieces: (n) => `网格分为 ${n} 片`,
    communities: (codes) => `涉及社区：${codes.join('、')}`,
    station: (kind, households) =>
      households ? `${kind}：圈内 ${households} 户均有其他同类站点覆盖` : `${kind}：圈内无住户`,
    unreached: (buildings, areaM2) => `${buildings} 栋楼，面积 ${Math.round(areaM2)} 平方米`,
  },
};

const en: ReportLabels = {
  sheets: { summary: 'Summary', grids: 'Grids', orgs: 'Organisations', stations: 'Stations', problems: 'Problems' },
  summary: {
    title: 'Party and service-station coverage report',
    region: 'Region',
    level: 'Level',
    generatedAt: 'Generated',
    minutes: 'Walking time (min)',
    speed: 'Walking speed (m/s)',
    reachM: 'Reach (m)',
    method: 'Method',
    kinds: 'Station kinds counted',
    totals: 'Totals',
    grids: 'Grids',
    covered: 'Covered grids',
    uncovered: 'Uncovered grids',
    claimedTwice: 'Grids claimed twice',
    households: 'Households',
    householdsCovered: 'Households covered by party',
    householdsShare: 'Party household share',
    reachHouseholds: 'Households (buildings)',
    reached: 'Households reached',
    reachedShare: 'Reached share',
    stations: 'Stations',
    redundant: 'Redundant stations',
    unreachedHouseholds: 'Households not reached',
    unreachedAreas: 'Areas not reached (with households)',
    byRegion: 'By region',
    code: 'Code',
    name: 'Name',
  },
  grids: {
    code: 'Grid code',
    name: 'Grid name',
    street: 'Street',
    community: 'Community',
    kind: 'Kind',
    households: 'Households',
    orgs: 'Grid party organisations',
    status: 'Party coverage',
    reachHouseholds: 'Households (buildings)',
    reached: (m) => `Reached in ${m} min`,
    share: 'Reached share',
  },
  orgs: {
    code: 'Code',
    name: 'Name',
    kind: 'Kind',
    parent: 'Parent organisation',
    community: 'Community',
    secretary: 'Secretary',
    members: 'Members',
    grids: 'Grids covered',
    households: 'Households covered',
  },
  stations: {
    code: 'Code',
    name: 'Name',
    kind: 'Kind',
    address: 'Address',
    hours: 'Opening hours',
    phone: 'Service phone',
    lon: 'Longitude',
    lat: 'Latitude',
    counted: 'Counted',
    households: 'Households reached',
    onlyHere: 'Reached only here',
    redundant: 'Redundant',
  },
  problems: {
    kind: 'Problem',
    code: 'Code',
    name: 'Name',
    community: 'Community',
    households: 'Households',
    detail: 'Detail',
  },
  level: { district: 'District', street: 'Street', community: 'Community' },
  partyKind: { committee: 'Party committee', general_branch: 'General branch', branch: 'Branch', group: 'Party group' },
  stationKind: STATION_KIND_LABELS.en,
  status: { covered: 'Covered', uncovered: 'Uncovered', claimed_twice: 'Claimed twice' },
  problemKind: {
    uncovered: 'Grid without organisation',
    claimed_twice: 'Grid claimed twice',
    not_contiguous: 'Organisation not contiguous',
    several_communities: 'Organisation across communities',
    redundant_station: 'Redundant station',
    unreached: 'Area not reached',
  },
  method: { network: 'Walking distance on roads', straight_line: 'Straight-line geodesic distance' },
  gridKind: { residential: 'Residential', commercial: 'Commercial', mixed: 'Mixed' },
  yes: 'yes',
  no: 'no',
  listSep: ', ',
  clauseSep: '; ',
  detail: {
    orgs: (codes) => `claimed by ${codes.join(', ')}`,
    pieces: (n) => `grids form ${n} pieces`,
    communities: (codes) => `communities ${codes.join(', ')}`,
    station: (kind, households) =>
      households
        ? `${kind}: all ${households} households it reaches are reached by another station of a comparable kind`
        : `${kind}: reaches no household`,
    unreached: (buildings, areaM2) => `${buildings} buildings, ${Math.round(areaM2)} m²`,
  },
};

export const REPORT_LABELS: Record<ReportLang, ReportLabels> = { zh, en };
