/**
 * The eight kinds of 党群服务阵地 / service station, in display order, and their names in both
 * languages: the map legend, the station finder and the coverage report all show these, so a
 * kind is named the same everywhere. Pure: no DOM, no i18n state.
 */

export const STATION_KINDS = [
  'party_service_center', // 党群服务中心
  'party_parlour', // 党群会客厅
  'red_post', // 红色驿站
  'courier_post', // 小哥驿站
  'mobile_member_post', // 流动党员服务站
  'helper_post', // 帮办服务站
  'civilization_post', // 新时代文明实践站
  'convenience_center', // 便民服务中心
] as const;
export type StationKind = (typeof STATION_KINDS)[number];

export type LabelLang = 'zh' | 'en';

/** A station kind's name as people say it, by language. */
export const STATION_KIND_LABELS: Readonly<Record<LabelLang, Readonly<Record<StationKind, string>>>> = {
  zh: {
    party_service_center: '党群服务中心',
    party_parlour: '党群会客厅',
    red_post: '红色驿站',
    courier_post: '小哥驿站',
    mobile_member_post: '流动党员服务站',
    helper_post: '帮办服务站',
    civilization_post: '新时代文明实践站',
    convenience_center: '便民服务中心',
  },
  en: {
    party_service_center: 'Party–masses service centre',
    party_parlour: 'Party–masses reception room',
    red_post: 'Red rest station',
    courier_post: 'Courier station',
    mobile_member_post: 'Mobile party member station',
    helper_post: 'Errand service station',
    civilization_post: 'New-era civilisation practice station',
    convenience_center: 'Convenience service centre',
  },
};

/**
 * The labels as entries of a message catalogue under a key prefix, so a dictionary spreads
 * them in rather than copying them.
 *
 * @example stationKindMessages('station.', 'zh')['station.red_post'] // '红色驿站'
 */
export function stationKindMessages<P extends string>(
  prefix: P,
  lang: LabelLang,
): Record<`${P}${StationKind}`, string> {
  return Object.fromEntries(
    STATION_KINDS.map((kind) => [`${prefix}${kind}`, STATION_KIND_LABELS[lang][kind]]),
  ) as Record<`${P}${StationKind}`, string>;
}

/**
 * Kinds that can stand in for each other when judging redundancy (冗余): a station is
 * redundant only when stations of its own tier reach every household it reaches. A
 * community's 党群服务中心 is not made redundant by the 3-minute circles of 驿站 and 帮办 points
 * around it: they do not offer what a centre offers.
 * - centre: community-level service centres (党群服务中心, 便民服务中心)
 * - room: rooms and practice stations for activities (党群会客厅, 新时代文明实践站)
 * - post: small posts for passers-by and errands (红色驿站, 小哥驿站, 流动党员服务站, 帮办服务站)
 */
export type StationTier = 'centre' | 'room' | 'post';
export const STATION_TIERS: Readonly<Record<StationKind, StationTier>> = {
  party_service_center: 'centre',
  convenience_center: 'centre',
  party_parlour: 'room',
  civilization_post: 'room',
  red_post: 'post',
  courier_post: 'post',
  mobile_member_post: 'post',
  helper_post: 'post',
};

/** Whether a station of kind `b` may make a station of kind `a` redundant. */
export function comparableKinds(a: StationKind, b: StationKind): boolean {
  return STATION_TIERS[a] === STATION_TIERS[b];
}
