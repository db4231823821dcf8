/**
 * How the planner's coverage is drawn: grids covered / uncovered / claimed twice, each
 * grid-level organisation's area outlined, the chosen organisation's area, and for the
 * 3-minute circle the grids by share reached, the unreached areas (hatched red), the counted
 * stations (redundant ones greyed) and the suggested sites. Pure data: no map instance here.
 */
import type { ExpressionSpecification, LayerSpecification } from 'maplibre-gl';
import type { GridCollection, PartyCoverageReport, StationReachReport, StationSuggestResponse } from '../../common/api.ts';
import { HATCH_IMAGE } from './layers.ts';

export const COVERAGE_SOURCES = {
  partyGrids: 'coverage-party-grids',
  shareGrids: 'coverage-share-grids',
  orgOutlines: 'coverage-org-outlines',
  orgSelected: 'coverage-org-selected',
  unreached: 'coverage-unreached',
  stations: 'coverage-stations',
  suggestions: 'coverage-suggestions',
} as const;

export const COVERAGE_LAYERS = {
  partyFill: 'coverage-party-fill',
  partyHatch: 'coverage-party-hatch',
  shareFill: 'coverage-share-fill',
  orgOutline: 'coverage-org-outline',
  orgSelectedFill: 'coverage-org-selected-fill',
  orgSelectedLine: 'coverage-org-selected-line',
  unreachedFill: 'coverage-unreached-fill',
  unreachedHatch: 'coverage-unreached-hatch',
  unreachedLine: 'coverage-unreached-line',
  stations: 'coverage-stations',
  suggestions: 'coverage-suggestions',
} as const;

export const PARTY_COLORS = {
  covered: '#9cc3d5',
  uncovered: '#d7191c',
  claimedTwice: '#7b3294',
} as const;

/**
 * Reach share of a grid: pale (none) to green (all). No red here, so the unreached areas
 * drawn over it in hatched red stand out.
 */
export const SHARE_STOPS: readonly [number, string][] = [
  [0, '#f4f1ea'],
  [0.5, '#a1d99b'],
  [1, '#238b45'],
];
export const UNREACHED_COLOR = '#c62828';
export const REDUNDANT_COLOR = '#9e9e9e';
export const SUGGESTION_COLOR = '#0b3d91';
export const ORG_HIGHLIGHT = '#ff6f00';

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

/** Codes below a region share its first 6 (district), 9 (street) or 12 (community) digits. */
export function regionPrefix(code: string, level: 'district' | 'street' | 'community'): string {
  return code.slice(0, level === 'district' ? 6 : level === 'street' ? 9 : 12);
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
    features.push({ type: 'Feature', geometry: { type: 'MultiLineString', coordinates: joinSegments(lines) }, properties: { org, hue: hueOf(org) } });
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
        return { type: 'Feature', geometry: f.geometry, properties: { code: row.code, share: row.share, households: row.households } };
      }),
  };
}

/** Unreached areas with an index, so a click can name the area in the panel's list. */
export function toUnreachedFeatures(report: StationReachReport): GeoJSON.FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: report.unreached.features.map((f, index) => ({ type: 'Feature', geometry: f.geometry, properties: { ...f.properties, index } })),
  };
}

export function toReachStations(report: StationReachReport): GeoJSON.FeatureCollection {
  const redundant = new Set(report.redundant);
  return {
    type: 'FeatureCollection',
    features: report.stations.map((s) => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [s.lon, s.lat] },
      properties: { code: s.code, kind: s.kind, households: s.households, only: s.householdsOnlyHere, redundant: redundant.has(s.code) },
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

export const partyColor = [
  'match',
  ['get', 'status'],
  'uncovered', PARTY_COLORS.uncovered,
  'claimed_twice', PARTY_COLORS.claimedTwice,
  PARTY_COLORS.covered,
] as unknown as ExpressionSpecification;

export const shareColor = ['interpolate', ['linear'], ['get', 'share'], ...SHARE_STOPS.flat()] as unknown as ExpressionSpecification;

const hidden = { visibility: 'none' } as const;

/** Coverage layers, bottom to top; all hidden until the panel shows them. */
export function coverageLayers(): LayerSpecification[] {
  return [
    { id: COVERAGE_LAYERS.partyFill, type: 'fill', source: COVERAGE_SOURCES.partyGrids, layout: hidden, paint: { 'fill-color': partyColor, 'fill-opacity': 0.7 } },
    {
      id: COVERAGE_LAYERS.partyHatch,
      type: 'fill',
      source: COVERAGE_SOURCES.partyGrids,
      filter: ['==', ['get', 'status'], 'uncovered'],
      layout: hidden,
      paint: { 'fill-pattern': HATCH_IMAGE },
    },
    { id: COVERAGE_LAYERS.shareFill, type: 'fill', source: COVERAGE_SOURCES.shareGrids, layout: hidden, paint: { 'fill-color': shareColor, 'fill-opacity': 0.6 } },
    {
      id: COVERAGE_LAYERS.orgOutline,
      type: 'line',
      source: COVERAGE_SOURCES.orgOutlines,
      layout: { ...hidden, 'line-join': 'round' },
      paint: {
        'line-color': ['to-color', ['concat', 'hsl(', ['get', 'hue'], ', 70%, 32%)']] as never,
        'line-width': ['interpolate', ['linear'], ['zoom'], 12, 1, 15, 2.5] as never,
        'line-opacity': 0.85,
      },
    },
    { id: COVERAGE_LAYERS.orgSelectedFill, type: 'fill', source: COVERAGE_SOURCES.orgSelected, layout: hidden, paint: { 'fill-color': ORG_HIGHLIGHT, 'fill-opacity': 0.25 } },
    {
      id: COVERAGE_LAYERS.orgSelectedLine,
      type: 'line',
      source: COVERAGE_SOURCES.orgSelected,
      layout: hidden,
      paint: { 'line-color': ORG_HIGHLIGHT, 'line-width': 4 },
    },
    { id: COVERAGE_LAYERS.unreachedFill, type: 'fill', source: COVERAGE_SOURCES.unreached, layout: hidden, paint: { 'fill-color': UNREACHED_COLOR, 'fill-opacity': 0.22 } },
    { id: COVERAGE_LAYERS.unreachedHatch, type: 'fill', source: COVERAGE_SOURCES.unreached, layout: hidden, paint: { 'fill-pattern': HATCH_IMAGE } },
    {
      id: COVERAGE_LAYERS.unreachedLine,
      type: 'line',
      source: COVERAGE_SOURCES.unreached,
      layout: hidden,
      paint: { 'line-color': UNREACHED_COLOR, 'line-width': ['case', ['boolean', ['feature-state', 'selected'], false], 3.5, 1.2] as never },
    },
    {
      id: COVERAGE_LAYERS.stations,
      type: 'circle',
      source: COVERAGE_SOURCES.stations,
      layout: hidden,
      paint: {
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 11, 4, 15, 8] as never,
        'circle-color': ['case', ['get', 'redundant'], REDUNDANT_COLOR, '#1b5e20'] as never,
        'circle-stroke-color': ['case', ['get', 'redundant'], '#212121', '#ffffff'] as never,
        'circle-stroke-width': ['case', ['get', 'redundant'], 2.5, 1.5] as never,
      },
    },
    {
      id: COVERAGE_LAYERS.suggestions,
      type: 'circle',
      source: COVERAGE_SOURCES.suggestions,
      layout: hidden,
      paint: { 'circle-radius': 11, 'circle-color': SUGGESTION_COLOR, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2 },
    },
  ];
}

/** Which layers each view of the panel shows. */
export const VIEW_LAYERS: Record<'party' | 'reach', readonly string[]> = {
  party: [COVERAGE_LAYERS.partyFill, COVERAGE_LAYERS.partyHatch, COVERAGE_LAYERS.orgOutline, COVERAGE_LAYERS.orgSelectedFill, COVERAGE_LAYERS.orgSelectedLine],
  reach: [
    COVERAGE_LAYERS.shareFill,
    COVERAGE_LAYERS.unreachedFill,
    COVERAGE_LAYERS.unreachedHatch,
    COVERAGE_LAYERS.unreachedLine,
    COVERAGE_LAYERS.stations,
    COVERAGE_LAYERS.suggestions,
  ],
};
