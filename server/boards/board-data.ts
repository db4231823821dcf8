/** What a printed grid board (网格公示牌) shows: public fields only, read by boards.queries.ts. */
import type { LineString, MultiPolygon, Polygon } from 'geojson';
import type { StationKind } from '../../common/rules/station-kinds.ts';
import type { WorkerRole } from '../../common/domain.ts';

export type LonLatBox = [minLon: number, minLat: number, maxLon: number, maxLat: number];

export interface BoardGrid {
  code: string;
  name: string;
  communityCode: string;
  communityName: string;
  streetName: string;
  geometry: MultiPolygon;
}

/** A grid worker as a board names them: published service phone only, never a masked one. */
export interface BoardWorker {
  name: string;
  role: WorkerRole;
  phone: string | null;
}

export interface BoardStation {
  code: string;
  name: string;
  kind: StationKind;
  address: string;
  openingHours: string;
  phone: string | null;
  lon: number;
  lat: number;
  /** Geodesic metres from the grid's point on surface. */
  distanceM: number;
}

/** The base map around the grid, clipped to the board's map extent when drawn. */
export interface BoardBaseMap {
  neighbours: {
    code: string;
    name: string;
    communityCode: string;
    communityName: string;
    geometry: MultiPolygon;
    label: [number, number];
  }[];
  communities: { code: string; name: string; geometry: MultiPolygon }[];
  compounds: { name: string; geometry: MultiPolygon; label: [number, number] }[];
  buildings: { geometry: Polygon | MultiPolygon }[];
  roads: { name: string | null; class: string | null; geometry: LineString }[];
  landcover: { kind: 'water' | 'green'; name: string | null; geometry: MultiPolygon }[];
}

export interface BoardData {
  grid: BoardGrid;
  /** The grid's label point (on its surface). */
  label: [number, number];
  workers: BoardWorker[];
  /** Names only: the secretary is not public (common/rules/public-fields.ts). */
  partyOrgs: { name: string; kind: string }[];
  stations: BoardStation[];
  extent: LonLatBox;
  base: BoardBaseMap;
  /** The page the QR code opens: `<origin>/find?grid=CODE`. */
  findUrl: string;
  /** The day the board was printed, China time (YYYY-MM-DD). */
  printedOn: string;
}
