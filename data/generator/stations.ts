/**
 * Service stations (党群服务阵地) of all eight kinds, each a point inside a cell of its
 * community, with an address, OSM opening_hours, service tags and a public service line.
 */
import { STATION_KINDS, type StationKind } from '../../common/rules/station-kinds.ts';
import type { CommunityPlan } from './hierarchy.ts';
import { cellPoint, type Lattice } from './lattice.ts';
import { address, servicePhone } from './names.ts';
import type { Rng } from './prng.ts';
import type { StationRow } from './types.ts';

/** The 六能 of a 红色驿站: warmth, cooling, drinking water, rest, first-aid medicine, charging. */
export const SIX_SERVICES = ['取暖', '纳凉', '饮水', '休息', '应急药品', '手机充电'] as const;

interface KindProfile {
  label: string;
  /** Stations per community (fractional: spread at random). */
  perCommunity: number;
  hours: readonly string[];
  services: readonly string[];
  phoneShare: number;
}

const OFFICE = 'Mo-Fr 08:30-17:30; Sa 09:00-12:00';
export const KIND_PROFILES: Record<StationKind, KindProfile> = {
  party_service_center: {
    label: '党群服务中心',
    perCommunity: 1,
    hours: [OFFICE, 'Mo-Fr 08:30-12:00,14:00-17:30'],
    services: ['党员活动', '政务代办', '社保咨询', '法律援助', '志愿服务'],
    phoneShare: 1,
  },
  party_parlour: {
    label: '党群会客厅',
    perCommunity: 1.3,
    hours: [OFFICE, 'Mo-Sa 09:00-18:00'],
    services: ['议事协商', '党员活动', '居民接待'],
    phoneShare: 0.6,
  },
  red_post: {
    label: '红色驿站',
    perCommunity: 1.15,
    hours: ['24/7', 'Mo-Su 07:00-21:00', 'Mo-Su 08:00-20:00'],
    services: SIX_SERVICES,
    phoneShare: 0.5,
  },
  courier_post: {
    label: '小哥驿站',
    perCommunity: 0.75,
    hours: ['Mo-Su 08:00-22:00', '24/7'],
    services: ['休息', '饮水', '手机充电', '餐食加热'],
    phoneShare: 0.4,
  },
  mobile_member_post: {
    label: '流动党员服务站',
    perCommunity: 0.1,
    hours: [OFFICE],
    services: ['组织关系接转', '党费缴纳', '学习教育'],
    phoneShare: 1,
  },
  helper_post: {
    label: '党员帮办服务站',
    perCommunity: 1.1,
    hours: [OFFICE, 'Mo-Fr 09:00-17:00'],
    services: ['证照代办', '养老认证', '医保报销', '水电缴费'],
    phoneShare: 1,
  },
  civilization_post: {
    label: '新时代文明实践站',
    perCommunity: 0.85,
    hours: ['Mo-Fr 09:00-17:00; Sa,Su 09:00-11:30', OFFICE],
    services: ['理论宣讲', '文化活动', '志愿服务', '科普'],
    phoneShare: 0.7,
  },
  convenience_center: {
    label: '便民服务中心',
    perCommunity: 0.4,
    hours: ['Mo-Su 08:00-20:00', OFFICE],
    services: ['缴费', '维修', '家政', '快递代收'],
    phoneShare: 0.8,
  },
};

/** Stations stand beside the lane through a cell (v ≈ 0.5), in cells that `usable` allows. */
export function buildStations(
  l: Lattice,
  communities: readonly CommunityPlan[],
  districtName: string,
  usable: (cell: number) => boolean,
  rng: Rng,
): StationRow[] {
  const stations: StationRow[] = [];
  for (const kind of STATION_KINDS) {
    const profile = KIND_PROFILES[kind];
    const krng = rng.fork(kind);
    // At least one of every kind, in communities chosen at random.
    const whole = Math.floor(profile.perCommunity);
    const extra =
      whole >= 1
        ? Math.round((profile.perCommunity - whole) * communities.length)
        : Math.max(1, Math.round(profile.perCommunity * communities.length));
    const extraCommunities = new Set(krng.shuffle(communities.map((c) => c.code)).slice(0, extra));
    for (const community of communities) {
      const n = whole + (extraCommunities.has(community.code) ? 1 : 0);
      for (let k = 0; k < n; k++) {
        const seq = stations.filter((s) => s.kind === kind && s.region_code === community.code).length + 1;
        stations.push({
          code: `${community.code}${kindCode(kind)}${String(seq).padStart(2, '0')}`,
          name: `${community.name}${profile.label}${n > 1 ? `（${seq}）` : ''}`,
          kind,
          region_code: community.code,
          address: address(krng, districtName),
          opening_hours: krng.pick(profile.hours),
          services: [...profile.services],
          phone: krng.chance(profile.phoneShare) ? servicePhone(krng) : null,
          geom: {
            type: 'Point',
            coordinates: cellPoint(
              l,
              krng.pick(community.cells.filter(usable)),
              krng.float(0.15, 0.85),
              krng.float(0.44, 0.54),
            ),
          },
        });
      }
    }
  }
  return stations;
}

const KIND_CODES: Record<StationKind, string> = {
  party_service_center: 'DQ',
  party_parlour: 'KT',
  red_post: 'HY',
  courier_post: 'XG',
  mobile_member_post: 'LD',
  helper_post: 'BB',
  civilization_post: 'WM',
  convenience_center: 'BM',
};
const kindCode = (kind: StationKind) => KIND_CODES[kind];
