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
  role: import('../../common/domain.ts').UserRole;
  street_code: string | null;
  created_at: Timestamp;
  /** 0011: a community user's community; a department user's department. */
  community_code: ColumnType<string | null, string | null | undefined, string | null>;
  department_id: ColumnType<number | null, number | null | undefined, number | null>;
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

/** 0011 (issue 18): cases, their timeline and photos, categories, handling ways, departments. */
export interface CaseCategoriesTable {
  code: string;
  name: string;
  time_limit_hours: number;
  sort: ColumnType<number, number | undefined, number>;
}

export interface CaseHandlingsTable {
  code: string;
  name: string;
  sort: ColumnType<number, number | undefined, number>;
}

export interface DepartmentsTable {
  id: Generated<number>;
  street_code: string;
  name: string;
  report_hours: ColumnType<number, number | undefined, number>;
}

export interface UserGridsTable {
  user_id: number;
  grid_code: string;
}

type CaseState = import('../../common/rules/case-lifecycle.ts').CaseState;
type NullableTime = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export interface CasesTable {
  id: ColumnType<string, never, never>; // bigint: pg returns it as a string
  ticket: string;
  token_hash: string;
  category: string;
  channel: 'finder' | 'patrol' | 'hotline';
  description: string;
  address: ColumnType<string | null, string | null | undefined, string | null>;
  geom: ColumnType<string | null, string | null | undefined, string | null>;
  grid_code: string | null;
  community_code: string;
  street_code: string;
  district_code: string;
  outside_grids: ColumnType<boolean, boolean | undefined, boolean>;
  reporter_phone: ColumnType<string | null, string | null | undefined, string | null>;
  hotline_ref: ColumnType<string | null, string | null | undefined, string | null>;
  state: CaseState;
  queue_kind: 'grid' | 'community' | 'street' | 'department' | 'hotline';
  queue_code: string;
  handling: ColumnType<string | null, string | null | undefined, string | null>;
  reported_at: ColumnType<Date, Date | string, Date | string>;
  accepted_at: NullableTime;
  due_at: NullableTime;
  handled_at: NullableTime;
  closed_at: NullableTime;
  rating: ColumnType<
    'satisfied' | 'basically_satisfied' | 'unsatisfied' | null,
    'satisfied' | 'basically_satisfied' | 'unsatisfied' | null | undefined,
    'satisfied' | 'basically_satisfied' | 'unsatisfied' | null
  >;
  rated_at: NullableTime;
  duplicate_of: ColumnType<string | null, string | number | null | undefined, string | number | null>;
  reopened: ColumnType<number, number | undefined, number>;
  version: ColumnType<number, number | undefined, number>;
  created_by: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface CaseEventsTable {
  case_id: ColumnType<string, string | number, never>;
  seq: number;
  at: ColumnType<Date, Date | string, never>;
  action: string;
  from_state: CaseState | null;
  to_state: CaseState;
  actor_user_id: number | null;
  actor_label: string;
  comment: string | null;
  details: ColumnType<Record<string, unknown>, string | undefined, never>;
}

export interface CasePhotosTable {
  id: ColumnType<string, never, never>;
  case_id: ColumnType<string, string | number, never>;
  event_seq: number;
  mime: 'image/jpeg' | 'image/png' | 'image/webp';
  width: number;
  height: number;
  bytes: ColumnType<Buffer, Buffer, never>;
  created_at: ColumnType<Date, never, never>;
}

export interface CaseDailyStatsTable {
  day: ColumnType<string, string, string>;
  district_code: string;
  street_code: string;
  community_code: string;
  grid_code: string;
  category: string;
  channel: string;
  reported: number;
  accepted: number;
  not_accepted: number;
  closed: number;
  closed_on_time: number;
  rated: number;
  satisfied: number;
  basically: number;
  unsatisfied: number;
  handling_hours: number;
}

/** The same sums per month (migrations/0012_case_monthly_stats.sql): whole months of a period. */
export interface CaseMonthlyStatsTable extends Omit<CaseDailyStatsTable, 'day'> {
  month: ColumnType<string, string, string>;
}

/** A grid proposal kept for 采用 (migrations/0013_proposals.sql). */
export interface ProposalsTable {
  id: Generated<number>;
  draft_id: number;
  street_code: string;
  scope_code: string;
  mode: 'fresh' | 'rebalance';
  seed: number;
  base_changeset: number | null;
  answer: ColumnType<unknown, string, string>;
  created_by: number;
  created_at: Timestamp;
  applied_changeset: number | null;
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
  case_categories: CaseCategoriesTable;
  case_handlings: CaseHandlingsTable;
  departments: DepartmentsTable;
  user_grids: UserGridsTable;
  cases: CasesTable;
  case_events: CaseEventsTable;
  case_photos: CasePhotosTable;
  case_daily_stats: CaseDailyStatsTable;
  case_monthly_stats: CaseMonthlyStatsTable;
  proposals: ProposalsTable;
}
