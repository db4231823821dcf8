/** Request and response shapes of the HTTP API, defined once for server and client. */
import type { Feature, FeatureCollection, Geometry, MultiPolygon, Point, Polygon } from 'geojson';
import type { GridKind, PartyOrgKind, RegionLevel, UserRole, WorkerRole } from './domain.ts';
import type { HouseholdBand } from './rules/household-band.ts';
import type { StationKind } from './rules/station-kinds.ts';
import type { ProblemSeverity, ProblemType } from './rules/problem-types.ts';

export interface ApiError {
  error: { code: string; message: string; param?: string; [detail: string]: unknown };
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
  /** Households in the region's grids; null for anonymous users. */
  households: number | null;
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
  /** null for anonymous users. */
  households: number | null;
  /** null for anonymous users. */
  population: number | null;
  version: number;
  /** The household band (reveals the household range): null for anonymous users. */
  band: HouseholdBand | null;
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

// ---------------------------------------------------------------------------------------
// Validation (issue 3)

// Problem types and severities (ProblemType, PROBLEM_SEVERITY, …) are rules: common/rules/problem-types.ts.

export interface ProblemProperties {
  /** Stable across runs while the problem itself does not change, e.g. `overlap:<a>:<b>`. */
  id: string;
  type: ProblemType;
  severity: ProblemSeverity;
  /** Codes of the grids involved (sorted). Empty for a gap no grid borders. */
  grids: string[];
  community_code: string;
  /** Geodesic area on the WGS84 spheroid (PostGIS geography), m²; null for attribute problems. */
  areaM2: number | null;
  /** Households affected: in the buildings inside a gap/overlap, or the grid's own count. */
  households: number | null;
  /** Buildings whose point (or centroid) lies inside the gap/overlap/outside area. */
  buildings: number | null;
  /** [lon, lat] to zoom to: a point on the problem's surface. */
  point: [number, number];
  /** Type-specific detail: sliver → of (gap|overlap) and widthM; invalid → reason;
   *  households → min, max; outside → share of the grid's area. */
  detail: Record<string, string | number | boolean | null>;
}
export type ProblemFeature = Feature<Geometry, ProblemProperties>;
export type ProblemCollection = FeatureCollection<Geometry, ProblemProperties>;

export interface ValidationSummary {
  overlaps: number;
  gaps: number;
  slivers: number;
  outside: number;
  multipart: number;
  invalid: number;
  householdsOutOfRange: number;
  uncoveredByParty: number;
  withoutWorker: number;
}

/** The summary field that counts each problem type. */
export const PROBLEM_SUMMARY_FIELD: Record<ProblemType, keyof ValidationSummary> = {
  overlap: 'overlaps',
  gap: 'gaps',
  sliver: 'slivers',
  outside: 'outside',
  multipart: 'multipart',
  invalid: 'invalid',
  households: 'householdsOutOfRange',
  party: 'uncoveredByParty',
  worker: 'withoutWorker',
};

export interface CommunityStatus {
  code: string;
  name: string;
  /** True when the community's grids tile it exactly (no gap, overlap, sliver or outside). */
  tiled: boolean;
  /** All problems in the community, by severity. */
  errors: number;
  warnings: number;
  infos: number;
}

export interface ValidationReport {
  region: { code: string; name: string; level: RegionLevel };
  tolerances: { areaM2: number; widthM: number };
  /** Household band applied (per district, from settings). */
  householdBounds: { min: number; max: number };
  summary: ValidationSummary;
  communities: CommunityStatus[];
  grids: number;
  /** How the areas were measured. */
  areaMethod: 'geodesic';
  tookMs: number;
  problems: ProblemCollection;
  /** Gaps an admin marked as intended (允许的缝隙): listed apart, not counted as errors. */
  allowed?: ProblemCollection;
  /** Set when the report is of a draft's view of the grids (GET /api/validation?draft=). */
  draft?: number;
}

export interface ValidationPreviewRequest {
  /** The candidate outline (GeoJSON Polygon or MultiPolygon, WGS84). */
  geometry: Polygon | MultiPolygon;
  /** The grid the candidate would replace; omit for a new grid (then give community). */
  replaces?: string;
  community?: string;
  /** Check against the grids as this draft sees them. */
  draft?: number;
  /** Snap to the neighbours within this many metres first, as the editor's save does (default 0). */
  snapMetres?: number;
  areaTolerance?: number;
  widthTolerance?: number;
}
export interface ValidationPreview {
  community_code: string;
  /** Problems the candidate would bring that are not there now. */
  created: ProblemCollection;
  /** Problems there now (around the replaced grid) that the candidate would remove. */
  removed: ProblemCollection;
  /** All geometric problems of the candidate against its neighbours, after the change. */
  after: ProblemCollection;
  /** Buildings and households whose point falls inside the candidate. */
  candidate: { areaM2: number; buildings: number; households: number; valid: boolean };
  tookMs: number;
}

// ---------------------------------------------------------------------------------------
// Editing (issue 4)

export type HouseholdsSource = 'buildings' | 'manual' | 'area_estimate';

export interface Draft {
  id: number;
  street_code: string;
  title: string;
  status: 'open' | 'published' | 'discarded';
  created_by: number;
  created_at: string;
  published_at: string | null;
  override_reason: string | null;
}

/** A grid as a draft holds it; `etag` is what If-Match must name to edit it further. */
export interface DraftGridProperties {
  code: string;
  name: string;
  community_code: string;
  kind: GridKind;
  households: number;
  households_source: HouseholdsSource;
  /** new: created in the draft; changed: a published grid edited; retired: to be removed. */
  state: 'new' | 'changed' | 'retired';
  base_version: number | null;
  etag: string;
}
export interface DraftDetail {
  draft: Draft;
  grids: FeatureCollection<MultiPolygon, DraftGridProperties>;
}

export interface EditResponse {
  changeset: number;
  /** The grids the operation wrote, with their new ETags. */
  grids: { code: string; etag: string }[];
}

export interface PublishCheckResponse {
  conflicts: string[];
  created: ProblemFeature[];
  removed: ProblemFeature[];
  /** The draft's residential grids outside the household band (a warning; publishing is not refused). */
  outOfRange: { code: string; households: number; min: number; max: number }[];
  grids: number;
}

export interface HistoryEntry {
  changeset: number;
  draft_id: number;
  /** The changeset that undid this one (null: in force). */
  undone_by: number | null;
  street_code: string;
  operation: 'create' | 'reshape' | 'boundary' | 'attributes' | 'split' | 'merge' | 'retire' | 'publish' | 'undo' | 'redo';
  comment: string;
  user: string;
  created_at: string;
  grids: { code: string; before: unknown; after: unknown }[];
}

// ---------------------------------------------------------------------------------------
// Planner coverage (issue 5): party organisations, station reach, reports

/** Body of POST /api/party-orgs (create) and PATCH /api/party-orgs/:code (any subset but code). */
export interface PartyOrgInput {
  code: string;
  name: string;
  kind: PartyOrgKind;
  /** The organisation above it in its community's tree; null only for the top (a committee or general branch). */
  parent_code: string | null;
  community_code: string;
  secretary_name?: string | null;
  member_count?: number;
}
/** Body of PUT /api/party-orgs/:code/grids: the grids a branch or group is built on (replaces the list). */
export interface PartyOrgGridsInput {
  grids: string[];
}

/** Party coverage of one region (district, street or community). */
export interface PartyCoverageRow {
  code: string;
  name: string;
  level: RegionLevel;
  parent_code: string | null;
  grids: number;
  /** Grids with at least one grid-level organisation (branch or group). */
  covered: number;
  /** Grids with none. */
  uncovered: number;
  /** Grids claimed by two or more grid-level organisations. */
  claimedTwice: number;
  households: number;
  householdsCovered: number;
  /** householdsCovered / households, 0–1 (1 when there are no households). */
  householdsShare: number;
}
/** A grid-level organisation whose grids do not form one connected area, or lie in several communities. */
export interface PartyOrgIssue {
  code: string;
  name: string;
  kind: PartyOrgKind;
  community_code: string;
  grids: string[];
  /** Number of connected pieces its grids form (grids sharing an edge are connected). */
  pieces: number;
  /** Communities its grids lie in. */
  communities: string[];
  issue: 'not_contiguous' | 'several_communities';
}
export interface PartyCoverageGridProperties {
  code: string;
  name: string;
  community_code: string;
  households: number;
  /** Grid-level organisations claiming the grid. */
  party_orgs: string[];
  status: 'uncovered' | 'claimed_twice';
}
export interface PartyCoverageReport {
  region: { code: string; name: string; level: RegionLevel };
  /** The region first, then every region below it (depth first, by code). */
  regions: PartyCoverageRow[];
  orgIssues: PartyOrgIssue[];
  /** Uncovered and doubly claimed grids. */
  problemGrids: FeatureCollection<MultiPolygon, PartyCoverageGridProperties>;
  tookMs: number;
}
/** GET /api/party-orgs/:code/area: an organisation's grids, outline and households (click on the map). */
export interface PartyOrgArea {
  org: PartyOrg;
  /** The union of its grids (null when it has none). */
  outline: MultiPolygon | null;
  grids: { code: string; name: string; households: number }[];
  households: number;
}

/** Query of GET /api/coverage/stations. */
export interface StationReachQuery {
  region: string;
  /** Travel time, minutes (default 3). */
  minutes?: number;
  /** Walking speed, m/s (default 1.2). */
  speed?: number;
  /** Station kinds counted (default all). */
  kinds?: StationKind[];
}
export interface StationReachRow {
  code: string;
  name: string;
  households: number;
  householdsReached: number;
  /** householdsReached / households, 0–1 (1 when there are no households). */
  share: number;
}
export interface StationReachStation {
  code: string;
  name: string;
  kind: StationKind;
  lon: number;
  lat: number;
  /** Households this station reaches. */
  households: number;
  /** Households no other counted station reaches. */
  householdsOnlyHere: number;
}
export interface StationReachReport {
  region: { code: string; name: string; level: RegionLevel };
  minutes: number;
  speed: number;
  /** minutes × 60 × speed, metres. */
  reachM: number;
  kinds: StationKind[];
  /** network: walking distance along the loaded road layer; straight_line: geodesic distance. */
  method: 'network' | 'straight_line';
  households: number;
  householdsReached: number;
  share: number;
  communities: StationReachRow[];
  grids: StationReachRow[];
  /** Every counted station in or near the region, with what it reaches. */
  stations: StationReachStation[];
  /** Codes of stations that reach no household no other station reaches. */
  redundant: string[];
  /** The parts of the region no counted station reaches, with the households inside. */
  unreached: FeatureCollection<Polygon | MultiPolygon, { community_code: string; households: number; buildings: number; areaM2: number }>;
  tookMs: number;
}
/** Body of POST /api/coverage/stations/suggest. */
export interface StationSuggestRequest extends StationReachQuery {
  /** How many new stations to place (1–50). */
  k: number;
  /** Where a new station may go: building points (default) or a lattice of points `spacingM` apart. */
  candidates?: 'buildings' | 'lattice';
  spacingM?: number;
}
export interface StationSuggestion {
  rank: number;
  lon: number;
  lat: number;
  /** Households this site adds, counting the sites ranked before it. */
  gain: number;
  /** Share reached once this and every site before it are built. */
  shareAfter: number;
  /** The grid it falls in (null outside every grid). */
  grid_code: string | null;
}
export interface StationSuggestResponse {
  method: 'network' | 'straight_line';
  reachM: number;
  candidates: number;
  before: { householdsReached: number; share: number };
  suggestions: StationSuggestion[];
  tookMs: number;
}

// ---------------------------------------------------------------------------------------
// Residents' station finder (issue 6): the public API. Nothing here carries household
// counts or personal data; a worker's phone is masked unless published as a service line.

/** Coordinate systems a resident's point may come in: GPS (WGS84), 高德/腾讯 (GCJ-02), 百度 (BD-09). */
export type PublicCrs = 'wgs84' | 'gcj02' | 'bd09';
export const PUBLIC_CRS: readonly PublicCrs[] = ['wgs84', 'gcj02', 'bd09'];

export interface PublicStation {
  code: string;
  name: string;
  kind: StationKind;
  /** In the crs asked for (WGS84 by default). */
  lon: number;
  lat: number;
  address: string;
  opening_hours: string;
  /** Open at the time of the answer, in China time; null when the hours cannot be read. */
  openNow: boolean | null;
  services: string[];
  /** The station's published service line (stations publish theirs), or null. */
  phone: string | null;
  /** Geodesic (WGS84 ellipsoid) distance from the point, metres. */
  distanceM: number;
  /** Walking minutes at 1.2 m/s, rounded up. */
  walkMin: number;
}
export interface PublicLocateResponse {
  /** The point as understood, in WGS84. */
  point: { lon: number; lat: number };
  crs: PublicCrs;
  grid: { code: string; name: string } | null;
  community: { code: string; name: string } | null;
  /** The grid's full-time worker (else part-time); phone masked (138****8000) unless published. */
  worker: { name: string; phone: string } | null;
  partyOrg: { name: string } | null;
  stations: PublicStation[];
}
export interface PublicNearestResponse {
  point: { lon: number; lat: number };
  crs: PublicCrs;
  stations: PublicStation[];
}
export interface PublicSearchHit {
  type: 'compound' | 'community' | 'station' | 'grid';
  code: string;
  name: string;
  /** Where to centre the map (WGS84, or the crs asked for). */
  lon: number;
  lat: number;
  /** e.g. the community or street it lies in. */
  context: string;
}
export interface PublicSearchResponse {
  q: string;
  hits: PublicSearchHit[];
}
/** GET /api/public/stations/:code: one station for a shareable link. */
export type PublicStationDetail = Omit<PublicStation, 'distanceM' | 'walkMin'>;
/** GET /api/public/grids/:code: a grid's outline for the finder's map (WGS84; no figures). */
export type PublicGridOutline = Feature<MultiPolygon, { code: string; name: string; community_code: string; community_name: string }>;

// ---------------------------------------------------------------------------------------
// Interoperability (issue 7): import, export, OGC API – Features, vector tiles

/** The layers an office can import and export. */
export const INTEROP_LAYERS = ['regions', 'grids', 'buildings', 'stations', 'party_orgs', 'grid_workers', 'roads'] as const;
export type InteropLayer = (typeof INTEROP_LAYERS)[number];
/** Layers without geometry come from spreadsheets too (.xlsx); the others need a geometry. */
export const ATTRIBUTE_ONLY_LAYERS: readonly InteropLayer[] = ['party_orgs', 'grid_workers'];

export const IMPORT_FORMATS = ['geojson', 'shapefile', 'kml', 'csv', 'xlsx'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];
export const EXPORT_FORMATS = ['geojson', 'shapefile', 'kml', 'csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/**
 * A coordinate system as the API names it: 'EPSG:4326' (WGS84), 'EPSG:4490' (CGCS2000
 * geographic), 'EPSG:4513'…'EPSG:4554' (CGCS2000 3-degree Gauss–Krüger, with or without the
 * zone prefix in the easting), 'GCJ-02' and 'BD-09' (Chinese web-map offsets). Inputs also
 * accept 'wgs84', 'cgcs2000', 'gcj02', 'bd09' and a bare EPSG number.
 */
export type CrsName = string;

/** One field of a layer, for the attribute-mapping step of the import dialog. */
export interface LayerField {
  name: string;
  required: boolean;
  type: 'text' | 'integer' | 'number' | 'boolean' | 'text[]' | 'enum';
  values?: readonly string[];
  zh: string;
  en: string;
}

/**
 * POST /api/import (multipart/form-data): `file`, `layer`, and optionally `format` (else from
 * the file name), `crs`, `encoding` (Shapefile/CSV text: utf-8, gbk, gb18030, …), `mapping`
 * (JSON: layer field → file column; remembered per layer), `region` (the region the import
 * replaces or is limited to; required for roads), `commit` ('1' to write; otherwise a dry run),
 * and for grids `acceptProblems` ('1': an admin imports them as they are, problems and all,
 * flagged; `reason` is then required to commit).
 */
export interface ImportReport {
  layer: InteropLayer;
  format: ImportFormat;
  /** The coordinate system read, and where it came from. */
  crs: { name: CrsName; source: 'prj' | 'file' | 'declared' | 'default' } | null;
  encoding: string | null;
  /** The file's columns, and the mapping used (layer field → column). */
  columns: string[];
  mapping: Record<string, string>;
  features: number;
  create: number;
  update: number;
  unchanged: number;
  /** Features that cannot be imported, with the reason; any of these blocks a commit. */
  invalid: { index: number; code?: string; field?: string; reason: string }[];
  /** Grids only: the validation problems the import would bring (new ones, not those already there). */
  topology: { problems: number; byKind: Record<string, number>; sample: { kind: string; grids: string[]; message: string }[] } | null;
  warnings: string[];
  committed: boolean;
  /**
   * Grids imported as they are (acceptProblems, admin only; issue 15): the reason, and after a
   * commit the changesets (one per street) that keep the accepted problems. Absent otherwise.
   */
  asIs?: { reason: string | null; changesets: number[] };
}

/** GET /api/import/fields?layer=: the fields and the remembered mapping. */
export interface ImportFieldsResponse {
  layer: InteropLayer;
  fields: LayerField[];
  mapping: Record<string, string>;
}

// Repairs and allowed gaps (issue 15, ADR 0013)

/** What a repair did with one problem. */
export interface RepairOutcome {
  problem: string;
  type: ProblemType;
  areaM2: number | null;
  status: 'repaired' | 'skipped';
  /** repaired: the grid that took the piece, and the grids written. */
  to?: string;
  grids?: string[];
  /** skipped: why (the error the repair alone would have got) and its code. */
  reason?: string;
  code?: string;
}

/** POST /api/drafts/{id}/repairs: one changeset (null when nothing was repaired). */
export interface RepairResponse {
  changeset: number | null;
  grids: { code: string; etag: string }[];
  repairs: RepairOutcome[];
}

/** An allowed gap (允许的缝隙), active or removed (the row is the log). */
export interface TilingException {
  id: number;
  community_code: string;
  problem_id: string | null;
  geometry: MultiPolygon;
  areaM2: number;
  reason: string;
  created_by: string;
  created_at: string;
  removed_by: string | null;
  removed_at: string | null;
  removal_reason: string | null;
}
