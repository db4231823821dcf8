/** Request and response shapes of the HTTP API, defined once for server and client. */
import type { Feature, FeatureCollection, MultiPolygon, Point } from 'geojson';
import type { GridKind, HouseholdBand, PartyOrgKind, RegionLevel, StationKind, UserRole, WorkerRole } from './domain.ts';

export interface ApiError {
  error: { code: string; message: string; param?: string };
}

export interface Health {
  status: 'ok';
  db: 'embedded' | 'server';
  postgis: string;
  /** True when the loaded data is the synthetic demo district. */
  demo: boolean;
}

export interface RegionSummary {
  code: string;
  name: string;
  level: RegionLevel;
  parent_code: string | null;
  child_count: number;
}
export interface RegionList {
  regions: RegionSummary[];
}

export interface RegionProperties extends RegionSummary {
  grid_count: number;
  households: number;
  station_count: number;
  /** [minLon, minLat, maxLon, maxLat] */
  bbox: [number, number, number, number];
}
export type RegionFeature = Feature<MultiPolygon, RegionProperties>;

export interface GridProperties {
  code: string;
  name: string;
  community_code: string;
  kind: GridKind;
  households: number;
  population: number;
  version: number;
  band: HouseholdBand;
  /** Codes of the grid-level party organisations built on this grid (empty: uncovered). */
  party_orgs: string[];
}
export type GridFeature = Feature<MultiPolygon, GridProperties>;
export type GridCollection = FeatureCollection<MultiPolygon, GridProperties>;

export interface GridWorkerPublic {
  name: string;
  role: WorkerRole;
  /** Masked (138****5678) unless the street office published it. */
  phone: string;
}
export interface GridDetailProperties extends GridProperties {
  community_name: string;
  street_code: string;
  street_name: string;
  area_m2: number;
  building_count: number;
  party: { code: string; name: string; kind: PartyOrgKind; secretary_name: string | null }[];
  workers: GridWorkerPublic[];
  updated_at: string;
}
export type GridDetailFeature = Feature<MultiPolygon, GridDetailProperties>;

export interface StationProperties {
  code: string;
  name: string;
  kind: StationKind;
  region_code: string;
  address: string;
  opening_hours: string;
  services: string[];
  phone: string | null;
}
export type StationCollection = FeatureCollection<Point, StationProperties>;

export interface PartyOrg {
  code: string;
  name: string;
  kind: PartyOrgKind;
  parent_code: string | null;
  community_code: string;
  secretary_name: string | null;
  member_count: number;
  grids: string[];
}
export interface PartyOrgList {
  party_orgs: PartyOrg[];
}

export interface SessionUser {
  username: string;
  display_name: string;
  role: UserRole;
  street_code: string | null;
}
export interface LoginRequest {
  username: string;
  password: string;
}
export interface SessionResponse {
  user: SessionUser;
}

/** The session cookie's name. */
export const SESSION_COOKIE = 'wangge_session';
