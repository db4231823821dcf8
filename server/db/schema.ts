/** Kysely table types for migrations/. Geometry columns are opaque here: read them with
 * `stAsGeoJSON`, write them with `stGeomFromGeoJSON` (server/db/postgis.queries.ts). */
import type { ColumnType, Generated } from 'kysely';

/** PostGIS geometry as it crosses the wire (hex EWKB); never parsed in JS. */
export type Geometry = ColumnType<string, string, string>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface SchemaMigrationsTable {
  version: string;
  name: string;
  applied_at: ColumnType<Date, Date | string | undefined, never>;
}

export interface RegionsTable {
  code: string;
  name: string;
  level: 'district' | 'street' | 'community';
  parent_code: string | null;
  geom: Geometry;
  created_at: Timestamp;
}

export interface CompoundsTable {
  code: string;
  name: string;
  community_code: string;
  geom: Geometry;
}

export interface GridsTable {
  id: Generated<number>;
  code: string;
  name: string;
  community_code: string;
  kind: 'residential' | 'commercial' | 'mixed';
  households: ColumnType<number, number | undefined, number>;
  population: ColumnType<number, number | undefined, number>;
  geom: Geometry;
  version: ColumnType<number, number | undefined, number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface BuildingsTable {
  id: Generated<number>;
  code: string;
  name: string;
  community_code: string;
  compound_code: string | null;
  households: ColumnType<number, number | undefined, number>;
  units: ColumnType<number, number | undefined, number>;
  geom: Geometry;
}

export interface PartyOrgsTable {
  id: Generated<number>;
  code: string;
  name: string;
  kind: 'committee' | 'general_branch' | 'branch' | 'group';
  parent_code: string | null;
  community_code: string;
  secretary_name: string | null;
  member_count: ColumnType<number, number | undefined, number>;
}

export interface OrgGridsTable {
  org_code: string;
  grid_code: string;
}

export interface StationsTable {
  id: Generated<number>;
  code: string;
  name: string;
  kind: import('../../common/rules/station-kinds.ts').StationKind;
  region_code: string;
  address: ColumnType<string, string | undefined, string>;
  opening_hours: ColumnType<string, string | undefined, string>;
  services: ColumnType<string[], string[] | undefined, string[]>;
  phone: string | null;
  geom: Geometry;
}

export interface GridWorkersTable {
  id: Generated<number>;
  name: string;
  phone: string;
  phone_public: ColumnType<boolean, boolean | undefined, boolean>;
  role: 'full_time' | 'part_time' | 'building_head' | 'unit_head';
  grid_code: string;
  building_code: string | null;
}

export interface UsersTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  password_hash: string;
  role: 'admin' | 'editor' | 'planner';
  street_code: string | null;
  created_at: Timestamp;
}

export interface SessionsTable {
  token_hash: string;
  user_id: number;
  created_at: Timestamp;
  expires_at: Timestamp;
}

export interface SettingsTable {
  key: string;
  value: ColumnType<unknown, string, string>;
}

/** 0002: a per-community change number kept by triggers (see migrations/0002_validation.sql). */
export interface TopologyEpochsTable {
  community_code: string;
  epoch: ColumnType<number, number, number>;
}

/** 0002: each community's last check, as cached by the validation engine. */
export interface CommunityChecksTable {
  community_code: string;
  epoch: ColumnType<number, number, number>;
  bounds_key: string;
  format: number;
  result: ColumnType<unknown, string, string>;
  checked_at: ColumnType<Date, never, never>;
}

/** 0004: the road layer (one LineString a row) for walking distances. */
export interface RoadsTable {
  id: Generated<number>;
  code: string | null;
  name: string | null;
  kind: ColumnType<'road' | 'path' | 'footway', 'road' | 'path' | 'footway' | undefined, 'road' | 'path' | 'footway'>;
  region_code: string;
  geom: Geometry;
  created_at: Timestamp;
  /** 0009: drawing class on the base map; null for imported roads without one. */
  class: RoadClass | null;
}

export type RoadClass = 'arterial' | 'secondary' | 'local' | 'service';

/** 0009: water and green areas drawn on the offline base map. */
export interface LandcoverTable {
  id: Generated<number>;
  kind: 'water' | 'green';
  name: string | null;
  region_code: string;
  geom: Geometry;
}

/** 0006: a write's Idempotency-Key, kept 24 h with its first answer (server/http/idempotency.ts). */
export interface IdempotencyKeysTable {
  user_id: number;
  key: string;
  fingerprint: string;
  method: string;
  path: string;
  response_status: number | null;
  response_body: ColumnType<unknown, string | null | undefined, string | null>;
  created_at: Timestamp;
}

export interface DB {
  settings: SettingsTable;
  topology_epochs: TopologyEpochsTable;
  community_checks: CommunityChecksTable;
  schema_migrations: SchemaMigrationsTable;
  regions: RegionsTable;
  compounds: CompoundsTable;
  grids: GridsTable;
  buildings: BuildingsTable;
  party_orgs: PartyOrgsTable;
  org_grids: OrgGridsTable;
  stations: StationsTable;
  grid_workers: GridWorkersTable;
  users: UsersTable;
  sessions: SessionsTable;
  roads: RoadsTable;
  landcover: LandcoverTable;
  idempotency_keys: IdempotencyKeysTable;
}
