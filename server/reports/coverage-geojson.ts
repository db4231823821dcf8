/**
 * The coverage report as one GeoJSON FeatureCollection (pure): the grids with their party and
 * reach status, the unreached areas and the stations, told apart by a `layer` property.
 */
import type { Feature, FeatureCollection, MultiPolygon, Point, Polygon } from 'geojson';
import type { StationKind } from '../../common/rules/station-kinds.ts';
import type { CoverageReportData } from './coverage-report.ts';
import { gridStatuses } from './coverage-tables.ts';
import type { GridPartyStatus } from './report-labels.ts';

export interface CoverageGridFeatureProperties {
  layer: 'grids';
  code: string;
  name: string;
  community_code: string;
  households: number;
  party_orgs: string[];
  status: GridPartyStatus;
  /** Households of its buildings, and those within reach of a counted station (null: not in the reach report). */
  reachHouseholds: number | null;
  householdsReached: number | null;
  reachedShare: number | null;
}
export interface CoverageUnreachedFeatureProperties {
  layer: 'unreached';
  community_code: string;
  households: number;
  buildings: number;
  areaM2: number;
}
export interface CoverageStationFeatureProperties {
  layer: 'stations';
  code: string;
  name: string;
  kind: StationKind;
  address: string;
  opening_hours: string;
  phone: string | null;
  /** Counted in the reach (of the chosen kinds). */
  counted: boolean;
  households: number | null;
  householdsOnlyHere: number | null;
  redundant: boolean;
}
export type CoverageFeatureProperties =
  CoverageGridFeatureProperties | CoverageUnreachedFeatureProperties | CoverageStationFeatureProperties;

/** Foreign members (RFC 7946 §6.1) saying what the collection is. */
export interface CoverageGeoJSON extends FeatureCollection<MultiPolygon | Polygon | Point, CoverageFeatureProperties> {
  region: { code: string; name: string; level: string };
  generatedAt: string;
  reach: { minutes: number; speed: number; reachM: number; method: 'network' | 'straight_line'; kinds: StationKind[] };
}

export function coverageGeoJSON(data: CoverageReportData): CoverageGeoJSON {
  const { reach } = data;
  const status = gridStatuses(data);
  const reachOfGrid = new Map(reach.grids.map((g) => [g.code, g]));
  const reachOfStation = new Map(reach.stations.map((s) => [s.code, s]));
  const redundant = new Set(reach.redundant);

  const grids = data.grids.flatMap((g): Feature<MultiPolygon, CoverageGridFeatureProperties>[] => {
    if (!g.geometry) return [];
    const r = reachOfGrid.get(g.code);
    return [
      {
        type: 'Feature',
        id: `grid:${g.code}`,
        geometry: g.geometry,
        properties: {
          layer: 'grids',
          code: g.code,
          name: g.name,
          community_code: g.community_code,
          households: g.households,
          party_orgs: g.party_orgs,
          status: status.get(g.code) ?? 'covered',
          reachHouseholds: r?.households ?? null,
          householdsReached: r?.householdsReached ?? null,
          reachedShare: r?.share ?? null,
        },
      },
    ];
  });
  const unreached = reach.unreached.features.map(
    (f, i): Feature<Polygon | MultiPolygon, CoverageUnreachedFeatureProperties> => ({
      type: 'Feature',
      id: `unreached:${i + 1}`,
      geometry: f.geometry,
      properties: { layer: 'unreached', ...f.properties },
    }),
  );
  const stations = data.stations.map((s): Feature<Point, CoverageStationFeatureProperties> => {
    const r = reachOfStation.get(s.code);
    return {
      type: 'Feature',
      id: `station:${s.code}`,
      geometry: { type: 'Point', coordinates: [s.lon, s.lat] },
      properties: {
        layer: 'stations',
        code: s.code,
        name: s.name,
        kind: s.kind,
        address: s.address,
        opening_hours: s.opening_hours,
        phone: s.phone,
        counted: r !== undefined,
        households: r?.households ?? null,
        householdsOnlyHere: r?.householdsOnlyHere ?? null,
        redundant: redundant.has(s.code),
      },
    };
  });
  return {
    type: 'FeatureCollection',
    region: data.region,
    generatedAt: data.generatedAt.toISOString(),
    reach: {
      minutes: reach.minutes,
      speed: reach.speed,
      reachM: reach.reachM,
      method: reach.method,
      kinds: reach.kinds,
    },
    features: [...grids, ...unreached, ...stations],
  };
}
