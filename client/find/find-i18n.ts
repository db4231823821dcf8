/**
 * The finder's own small dictionaries (the main app's catalogue is ~10× larger and would
 * weigh on a phone). Same storage key as the main app, so one choice serves both pages.
 */
import { stationKindMessages, type StationKind } from '../../common/rules/station-kinds.ts';

export type Lang = 'zh' | 'en';
const STORAGE_KEY = 'wangge.lang';

const zh = {
  title: '找站点',
  subtitle: '网格 · 网格员 · 身边的服务站',
  langSwitch: 'English',
  langSwitchTitle: 'Switch to English',
  locate: '定位我',
  locating: '正在定位…',
  pickOnMap: '在地图上选点',
  searchLabel: '搜索小区、社区、道路、门牌或站点',
  searchHint: '可输入名称、门牌地址、全拼（yucai）或拼音首字母（ljsq）',
  searchPlaceholder: '小区、社区、道路、门牌、站点',
  searchButton: '搜索',
  searching: '正在搜索…',
  noHits: '没有找到“{q}”，换个名称或拼音首字母试试',
  welcome: '点“定位我”，看看您所在的网格、网格员和最近的服务站。',
  loading: '正在查询…',
  mapLoading: '地图加载中…',
  mapHint: '点地图可查询该位置',
  geoDenied: '定位失败：请允许定位权限，或点地图选择位置',
  geoUnsupported: '此浏览器不支持定位，请点地图或搜索选择位置',
  network: '网络错误，请检查网络后重试',
  rateLimited: '查询过于频繁，请稍后再试',
  badRequest: '请求无效：{detail}',
  notFound: '没有找到这个站点，链接可能已失效',
  server: '服务暂时不可用，请稍后再试',
  retry: '重试',
  yourGrid: '所在网格',
  community: '所属社区',
  outside: '这里不在任何网格内，仍为您列出最近的服务站。',
  worker: '网格员',
  noWorker: '暂无登记',
  phoneMasked: '号码未公开',
  partyOrg: '党组织',
  nearest: '最近的服务站',
  allKinds: '全部',
  noStations: '附近没有这类站点',
  hours: '开放时间',
  services: '服务',
  address: '地址',
  phone: '电话',
  lineTo: '直线 {distance}',
  share: '分享链接',
  copy: '复制链接',
  copied: '已复制',
  copyFailed: '请长按链接复制',
  sharedStation: '分享的站点',
  locateForDistance: '点“定位我”查看离您多远',
  expand: '展开',
  collapse: '收起',
  you: '您的位置',
  colon: '：',
  hitType_compound: '小区',
  hitType_community: '社区',
  hitType_station: '站点',
  hitType_grid: '网格',
  hitType_street: '街道',
  hitType_road: '道路',
  hitType_address: '门牌',
  placeGrid: '该位置所在网格',
  placeOutside: '该位置不在任何网格内，仍列出附近的服务站。',
  gridCard: '网格',
  noPartyOrg: '暂未建立',
  communityCard: '社区',
  villageCard: '村',
  street: '所属街道',
  communityGrids: '本社区的网格（{n} 个）',
  communityNote: '一个社区有多个网格。选择网格查看网格员和党组织，或点“定位我”查看您所在的网格。',
  noGrids: '暂无网格',
  nearPlace: '该位置附近的服务站',
  nearGrid: '网格附近的服务站（距离从网格内一点算起）',
  gridNotFound: '没有找到这个网格，二维码或链接可能已失效',
  svc_取暖: '取暖',
  svc_纳凉: '纳凉',
  svc_饮水: '饮水',
  svc_休息: '休息',
  svc_应急药品: '应急药品',
  svc_手机充电: '手机充电',
  ...stationKindMessages('kind_', 'zh'),
};
export type FindKey = keyof typeof zh;

const en: Record<FindKey, string> = {
  title: 'Find a station',
  subtitle: 'Your grid, your grid worker, stations near you',
  langSwitch: '中文',
  langSwitchTitle: '切换到中文',
  locate: 'Locate me',
  locating: 'Locating…',
  pickOnMap: 'Pick on the map',
  searchLabel: 'Search a compound, community, road, address or station',
  searchHint: 'A name, an address, full pinyin (yucai) or pinyin initials (ljsq)',
  searchPlaceholder: 'Place, road, address or station',
  searchButton: 'Search',
  searching: 'Searching…',
  noHits: 'Nothing found for “{q}”: try another name or pinyin initials',
  welcome: 'Tap “Locate me” to see your grid, your grid worker and the nearest stations.',
  loading: 'Looking up…',
  mapLoading: 'Loading the map…',
  mapHint: 'Tap the map to look up that place',
  geoDenied: 'Could not locate you: allow location access, or tap the map to choose a place',
  geoUnsupported: 'This browser cannot locate you: tap the map or search instead',
  network: 'Network error: check your connection and try again',
  rateLimited: 'Too many lookups: please try again shortly',
  badRequest: 'Invalid request: {detail}',
  notFound: 'No such station: the link may be out of date',
  server: 'The service is unavailable: please try again later',
  retry: 'Retry',
  yourGrid: 'Your grid',
  community: 'Community',
  outside: 'This place is outside every grid; the nearest stations are still listed.',
  worker: 'Grid worker',
  noWorker: 'None registered',
  phoneMasked: 'number not published',
  partyOrg: 'Party organisation',
  nearest: 'Nearest stations',
  allKinds: 'All',
  noStations: 'No station of this kind nearby',
  hours: 'Hours',
  services: 'Services',
  address: 'Address',
  phone: 'Phone',
  lineTo: '{distance} straight',
  share: 'Share link',
  copy: 'Copy link',
  copied: 'Copied',
  copyFailed: 'Press and hold the link to copy it',
  sharedStation: 'Shared station',
  locateForDistance: 'Tap “Locate me” to see how far it is',
  expand: 'Expand',
  collapse: 'Collapse',
  you: 'You are here',
  colon: ': ',
  hitType_compound: 'Compound',
  hitType_community: 'Community',
  hitType_station: 'Station',
  hitType_grid: 'Grid',
  hitType_street: 'Street',
  hitType_road: 'Road',
  hitType_address: 'Address',
  placeGrid: 'Grid at this place',
  placeOutside: 'This place is outside every grid; the nearest stations are still listed.',
  gridCard: 'Grid',
  noPartyOrg: 'Not yet set up',
  communityCard: 'Community',
  villageCard: 'Village',
  street: 'Street',
  communityGrids: 'Grids of this community ({n})',
  communityNote:
    'A community has several grids. Pick one to see its grid worker and party organisation, or tap “Locate me” to see yours.',
  noGrids: 'No grids',
  nearPlace: 'Stations near this place',
  nearGrid: 'Stations near this grid (distances from a point inside it)',
  gridNotFound: 'No such grid: the QR code or link may be out of date',
  svc_取暖: 'Warmth',
  svc_纳凉: 'Cooling',
  svc_饮水: 'Drinking water',
  svc_休息: 'Rest',
  svc_应急药品: 'First-aid medicine',
  svc_手机充电: 'Phone charging',
  ...stationKindMessages('kind_', 'en'),
};

const catalogs: Record<Lang, Record<FindKey, string>> = { zh, en };

/**
 * The language to start in: a stored choice wins; else the browser's languages, Chinese
 * first (any zh-* anywhere in the list), English when the first language is English.
 */
export function pickLang(stored: string | null, languages: readonly string[]): Lang {
  if (stored === 'zh' || stored === 'en') return stored;
  if (languages.some((l) => l.toLowerCase().startsWith('zh'))) return 'zh';
  return languages[0]?.toLowerCase().startsWith('en') ? 'en' : 'zh';
}

let current: Lang = 'zh';

export function initLang(): Lang {
  let stored: string | null = null;
  try {
    stored = localStorage.getItem(STORAGE_KEY);
  } catch {
    // Private mode: no stored choice.
  }
  current = pickLang(stored, navigator.languages?.length ? navigator.languages : [navigator.language]);
  document.documentElement.lang = current === 'zh' ? 'zh-CN' : 'en';
  return current;
}

export function lang(): Lang {
  return current;
}

export function setLang(next: Lang): void {
  current = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // Private mode: the choice lasts for this page only.
  }
  document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en';
}

/** Look up a string and fill `{name}` placeholders. */
export function t(key: FindKey, params: Record<string, string | number> = {}): string {
  return catalogs[current][key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    params[name] === undefined ? whole : String(params[name]),
  );
}

export const kindLabel = (kind: StationKind): string => t(`kind_${kind}`);
