/** Domain vocabulary shared by server and client: the words of DOMAIN.md as types. */

export type RegionLevel = 'district' | 'street' | 'community';
export type GridKind = 'residential' | 'commercial' | 'mixed';
export type PartyOrgKind = 'committee' | 'general_branch' | 'branch' | 'group';
export type WorkerRole = 'full_time' | 'part_time' | 'building_head' | 'unit_head';
export type UserRole = 'admin' | 'editor' | 'planner';

/** The eight kinds of 党群服务阵地 / service station, in display order. */
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

/** The household band lives in household-band.ts (one home for the rule); the type is re-exported for old imports. */
export type { HouseholdBand } from './household-band.ts';

/** 12-digit statistical division code of a region; a grid adds a 3-digit sequence. */
export const REGION_CODE = /^[0-9]{12}$/;
export const GRID_CODE = /^[0-9]{15}$/;

/** Mask a phone number for the public: 138****5678. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 7) return '****';
  return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
}
