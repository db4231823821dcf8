/** Domain vocabulary shared by server and client: the words of DOMAIN.md as types. */

export type RegionLevel = 'district' | 'street' | 'community';
export type GridKind = 'residential' | 'commercial' | 'mixed';
export type PartyOrgKind = 'committee' | 'general_branch' | 'branch' | 'group';
export type WorkerRole = 'full_time' | 'part_time' | 'building_head' | 'unit_head';
export type UserRole = 'admin' | 'editor' | 'planner' | 'worker' | 'community' | 'department';

// Station kinds (STATION_KINDS, StationKind) and their labels: rules/station-kinds.ts. The household band: rules/household-band.ts.

/** 12-digit statistical division code of a region; a grid adds a 3-digit sequence. */
export const REGION_CODE = /^[0-9]{12}$/;
export const GRID_CODE = /^[0-9]{15}$/;

/** Mask a phone number for the public: 138****5678. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 7) return '****';
  return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
}
