/**
 * The demo dataset: rows shaped like the tables' insert columns (migrations/0001_init.sql),
 * geometry as GeoJSON in EPSG:4326 with 7-decimal coordinates.
 */
import type { MultiPolygon, Point, Polygon } from 'geojson';
import type { PartyOrg } from '../../common/contracts/party.ts';
import type { StationProperties } from '../../common/contracts/stations.ts';
import type { GridKind, RegionLevel, WorkerRole } from '../../common/domain.ts';

export interface RegionRow {
  code: string;
  name: string;
  level: RegionLevel;
  parent_code: string | null;
  geom: MultiPolygon;
}

export interface CompoundRow {
  code: string;
  name: string;
  community_code: string;
  geom: MultiPolygon;
}

export interface GridRow {
  code: string;
  name: string;
  community_code: string;
  kind: GridKind;
  households: number;
  population: number;
  geom: MultiPolygon;
}

export interface BuildingRow {
  code: string;
  name: string;
  community_code: string;
  compound_code: string | null;
  households: number;
  units: number;
  geom: Polygon | Point;
}

/** A party organisation row: the API's PartyOrg without the grids it is built on. */
/** As stored: the member count is known (the API's PartyOrg has it null for anonymous readers). */
export type PartyOrgRow = Omit<PartyOrg, 'grids' | 'member_count'> & { member_count: number };

export interface OrgGridRow {
  org_code: string;
  grid_code: string;
}

/** A station as the API shows it, plus its location. */
export interface StationRow extends StationProperties {
  geom: Point;
}

export interface GridWorkerRow {
  name: string;
  phone: string;
  phone_public: boolean;
  role: WorkerRole;
  grid_code: string;
  building_code: string | null;
}

/** A water or green area for the base map (table landcover, migration 0009). */
export interface LandcoverRow {
  kind: 'water' | 'green';
  name: string | null;
  region_code: string;
  geom: MultiPolygon;
}

export interface DeliberateError {
  kind: 'gap' | 'overlap';
  /** [the grid whose ring was moved, its neighbour] */
  grids: [string, string];
  /** How far the shared vertex was moved, in metres. */
  metres: number;
}

export interface DatasetMeta {
  generator: string;
  /** Shown wherever the data is presented: 演示数据（虚构）. */
  notice: string;
  seed: number;
  districtCode: string;
  districtName: string;
  centre: [number, number];
  /** Cell size of the lattice, metres. */
  cellSize: number;
  /** The plan's lattice and the area its outline was scaled to (enough to regenerate its roads). */
  lattice: { nx: number; ny: number; areaKm2: number };
  /** Urban area covered by the lattice cells, km² (planar estimate). */
  areaKm2: number;
  deliberateErrors: DeliberateError[];
  /** Grids with no party organisation built on them. */
  uncoveredGrids: string[];
  /** Grids claimed by two organisations. */
  doubleClaimedGrids: string[];
  /** Residential/mixed grids deliberately outside the 300–500 household band. */
  outOfBandGrids: string[];
  counts: Record<string, number>;
}

export interface Dataset {
  regions: RegionRow[];
  compounds: CompoundRow[];
  grids: GridRow[];
  buildings: BuildingRow[];
  partyOrgs: PartyOrgRow[];
  orgGrids: OrgGridRow[];
  stations: StationRow[];
  gridWorkers: GridWorkerRow[];
  landcover: LandcoverRow[];
  meta: DatasetMeta;
}
