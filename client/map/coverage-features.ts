/**
 * The features the coverage layers draw, made from the API's reports and the district's
 * grids: flat properties (MapLibre expressions handle those best). Pure: no map here.
 */
import type { GridCollection } from '../../common/contracts/grids.ts';
import type { PartyCoverageReport } from '../../common/contracts/party-coverage.ts';
import type { StationReachReport, StationSuggestResponse } from '../../common/contracts/station-reach.ts';
import { regionPrefix } from '../../common/rules/region-codes.ts';

export type PartyStatus = 'covered' | 'uncovered' | 'claimed_twice';

/**
 * The region's grids with their party status: the report's problem grids are uncovered or
 * claimed twice, every other grid of the region is covered.
 */
export function toPartyGrids(grids: GridCollection, report: PartyCoverageReport): GeoJSON.FeatureCollection {
  const problems = new Map(report.problemGrids.features.map((f) => [f.properties.code, f.properties.status]));
  const prefix = regionPrefix(report.region.code, report.region.level);
  return {
    type: 'FeatureCollection',
    features: grids.features
      .filter((f) => f.properties.code.startsWith(prefix) || problems.has(f.properties.code))
      .map((f) => ({
        type: 'Feature',
        geometry: f.geometry,
        properties: { code: f.properties.code, status: problems.get(f.properties.code) ?? 'covered' },
      })),
  };
}

const key = (p: GeoJSON.Position) => `${p[0]!.toFixed(7)},${p[1]!.toFixed(7)}`;

/**
 * Each grid-level organisation's outline: its grids' rings with the edges shared by two of
 * its own grids dropped, so an organisation on three adjacent grids reads as one area. Grids
 * tile with shared vertices, so shared edges match exactly (to 1e-7°, about 1 cm); where they
 * do not, the inner edge stays, which only draws a line too many.
 */
export function orgOutlines(grids: GridCollection): GeoJSON.FeatureCollection {
  const edgesByOrg = new Map<string, Map<string, { a: GeoJSON.Position; b: GeoJSON.Position; count: number }>>();
  for (const grid of grids.features) {
    for (const org of new Set(grid.properties.party_orgs)) {
      let edges = edgesByOrg.get(org);
      if (!edges) edgesByOrg.set(org, (edges = new Map()));
      for (const polygon of grid.geometry.coordinates) {
        for (const ring of polygon) {
          for (let i = 0; i + 1 < ring.length; i++) {
            const a = ring[i]!;
            const b = ring[i + 1]!;
            const ka = key(a);
            const kb = key(b);
            if (ka === kb) continue;
            const id = ka < kb ? `${ka}|${kb}` : `${kb}|${ka}`;
            const edge = edges.get(id);
            if (edge) edge.count++;
            else edges.set(id, { a, b, count: 1 });
          }
        }
      }
    }
  }
  const features: GeoJSON.Feature[] = [];
  for (const [org, edges] of [...edgesByOrg].sort(([a], [b]) => a.localeCompare(b))) {
    const lines = [...edges.values()].filter((e) => e.count === 1).map((e) => [e.a, e.b]);
    features.push({
      type: 'Feature',
      geometry: { type: 'MultiLineString', coordinates: joinSegments(lines) },
      properties: { org, hue: hueOf(org) },
    });
  }
  return { type: 'FeatureCollection', features };
}

/** Chain two-point segments into longer lines (fewer, smoother dashes on the map). */
export function joinSegments(segments: GeoJSON.Position[][]): GeoJSON.Position[][] {
  const starts = new Map<string, GeoJSON.Position[][]>();
  for (const segment of segments) {
    const k = key(segment[0]!);
    const list = starts.get(k);
    if (list) list.push(segment);
    else starts.set(k, [segment]);
  }
  const used = new Set<GeoJSON.Position[]>();
  const lines: GeoJSON.Position[][] = [];
  for (const segment of segments) {
    if (used.has(segment)) continue;
    used.add(segment);
    const line = [...segment];
    for (;;) {
      const next = starts.get(key(line[line.length - 1]!))?.find((s) => !used.has(s));
      if (!next) break;
      used.add(next);
      line.push(next[1]!);
    }
    lines.push(line);
  }
  return lines;
}

/** A stable hue per organisation code, so neighbouring organisations rarely share a colour. */
export function hueOf(code: string): number {
  let hash = 0;
  for (const char of code) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return (hash * 137) % 360;
}

/** The region's grids with the share of their households reached. */
export function toShareGrids(grids: GridCollection, report: StationReachReport): GeoJSON.FeatureCollection {
  const rows = new Map(report.grids.map((row) => [row.code, row]));
  return {
    type: 'FeatureCollection',
    features: grids.features
      .filter((f) => rows.has(f.properties.code))
      .map((f) => {
        const row = rows.get(f.properties.code)!;
        return {
          type: 'Feature',
          geometry: f.geometry,
          properties: { code: row.code, share: row.share, households: row.households },
        };
      }),
  };
}

/** Unreached areas with an index, so a click can name the area in the panel's list. */
export function toUnreachedFeatures(report: StationReachReport): GeoJSON.FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: report.unreached.features.map((f, index) => ({
      type: 'Feature',
      geometry: f.geometry,
      properties: { ...f.properties, index },
    })),
  };
}

export function toReachStations(report: StationReachReport): GeoJSON.FeatureCollection {
  const redundant = new Set(report.redundant);
  return {
    type: 'FeatureCollection',
    features: report.stations.map((s) => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [s.lon, s.lat] },
      properties: {
        code: s.code,
        kind: s.kind,
        households: s.households,
        only: s.householdsOnlyHere,
        redundant: redundant.has(s.code),
      },
    })),
  };
}

export function toSuggestionFeatures(response: StationSuggestResponse | null): GeoJSON.FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: (response?.suggestions ?? []).map((s) => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [s.lon, s.lat] },
      properties: { rank: s.rank, gain: s.gain },
    })),
  };
}
