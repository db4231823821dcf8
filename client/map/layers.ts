/** Colours and MapLibre layer definitions of the grid map. Pure data: no map instance here. */
import type { FilterSpecification, LayerSpecification, StyleSpecification } from 'maplibre-gl';
import type { GridCollection } from '../../common/contracts/grids.ts';
import type { HouseholdBand } from '../../common/rules/household-band.ts';
import type { StationKind } from '../../common/rules/station-kinds.ts';

export const SOURCES = {
  grids: 'grids',
  communities: 'communities',
  district: 'district',
  selectedRegion: 'selected-region',
  stations: 'stations',
} as const;

export const LAYERS = {
  gridFill: 'grid-fill',
  gridHatch: 'grid-uncovered-hatch',
  gridLine: 'grid-line',
  gridSelected: 'grid-selected',
  communityLine: 'community-line',
  districtLine: 'district-line',
  selectedRegionLine: 'selected-region-line',
  stations: 'stations',
} as const;

export const HATCH_IMAGE = 'hatch-uncovered';

export const BAND_COLORS: Record<HouseholdBand, string> = {
  low: '#f0b13c', // amber: under the district's minimum (common/rules/household-band.ts)
  ok: '#62b06f', // green: within the district's bounds
  high: '#d9534f', // red: over the district's maximum
  commercial: '#8b6fc6', // purple: commercial building / district / market
};

/** Grids without a band (anonymous users get no household figures): one neutral colour. */
export const NEUTRAL_GRID_COLOR = '#a9b4c2';

export const COVERAGE_COLORS = {
  covered: '#9cc3d5',
  uncovered: '#d7191c',
  /** Claimed by two or more grid-level organisations: an overlap to resolve. */
  overlap: '#ff9f1c',
} as const;

/** How many grid-level party organisations claim a grid: 0, 1, or 2 meaning "two or more". */
export type Coverage = 0 | 1 | 2;
export function gridCoverage(partyOrgs: readonly string[]): Coverage {
  return partyOrgs.length >= 2 ? 2 : partyOrgs.length === 1 ? 1 : 0;
}

export const STATION_COLORS: Record<StationKind, string> = {
  party_service_center: '#b2182b',
  party_parlour: '#f46d43',
  red_post: '#e7298a',
  courier_post: '#1f78b4',
  mobile_member_post: '#6a3d9a',
  helper_post: '#1b9e77',
  civilization_post: '#a6761d',
  convenience_center: '#17a2b8',
};

export type FillMode = 'band' | 'coverage';

/** The empty style used when no basemap is configured: no network, no glyphs, no sprites. */
export const BLANK_STYLE: StyleSpecification = {
  version: 8,
  sources: {},
  layers: [{ id: 'bg', type: 'background', paint: { 'background-color': '#f4f1ea' } }],
};

/**
 * Grid features as the map draws them: a `coverage` count replaces the `party_orgs` array,
 * because MapLibre expressions and queried features handle flat properties best.
 */
export function toMapGrids(grids: GridCollection): GeoJSON.FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: grids.features.map((feature) => ({
      type: 'Feature',
      geometry: feature.geometry,
      properties: {
        code: feature.properties.code,
        band: feature.properties.band,
        coverage: gridCoverage(feature.properties.party_orgs),
      },
    })),
  };
}

const bandColor = [
  'match',
  ['get', 'band'],
  'low',
  BAND_COLORS.low,
  'ok',
  BAND_COLORS.ok,
  'high',
  BAND_COLORS.high,
  'commercial',
  BAND_COLORS.commercial,
  NEUTRAL_GRID_COLOR,
] as const;

const coverageColor = [
  'match',
  ['get', 'coverage'],
  0,
  COVERAGE_COLORS.uncovered,
  1,
  COVERAGE_COLORS.covered,
  COVERAGE_COLORS.overlap,
] as const;

export function gridFillColor(mode: FillMode): unknown {
  return mode === 'band' ? bandColor : coverageColor;
}

export const UNCOVERED_FILTER: FilterSpecification = ['==', ['get', 'coverage'], 0];

export function stationFilter(kinds: readonly StationKind[]): FilterSpecification {
  return ['in', ['get', 'kind'], ['literal', [...kinds]]];
}

const hovered = ['boolean', ['feature-state', 'hover'], false] as const;
const selected = ['boolean', ['feature-state', 'selected'], false] as const;

/** Our layers, bottom to top, added over whatever basemap is in use. */
export function gridLayers(): LayerSpecification[] {
  return [
    {
      id: LAYERS.gridFill,
      type: 'fill',
      source: SOURCES.grids,
      paint: {
        'fill-color': bandColor as never,
        // Lighter at street zoom, so the base map's buildings and compounds show through.
        'fill-opacity': [
          'interpolate',
          ['linear'],
          ['zoom'],
          13,
          ['case', hovered, 0.85, 0.55],
          16,
          ['case', hovered, 0.6, 0.32],
        ] as never,
      },
    },
    {
      id: LAYERS.gridHatch,
      type: 'fill',
      source: SOURCES.grids,
      filter: UNCOVERED_FILTER,
      layout: { visibility: 'none' },
      paint: { 'fill-pattern': HATCH_IMAGE },
    },
    {
      id: LAYERS.gridLine,
      type: 'line',
      source: SOURCES.grids,
      paint: {
        // White between grids at district zoom; at street zoom grey-blue, apart from the white roads.
        'line-color': [
          'interpolate',
          ['linear'],
          ['zoom'],
          13,
          ['case', hovered, '#222222', '#ffffff'],
          15,
          ['case', hovered, '#222222', '#5f7391'],
        ] as never,
        'line-width': [
          'interpolate',
          ['linear'],
          ['zoom'],
          13,
          ['case', hovered, 2, 0.8],
          16,
          ['case', hovered, 3, 1.6],
        ] as never,
        'line-opacity': 0.9,
      },
    },
    {
      id: LAYERS.communityLine,
      type: 'line',
      source: SOURCES.communities,
      paint: { 'line-color': '#4a4a58', 'line-width': ['interpolate', ['linear'], ['zoom'], 11, 1.2, 15, 2.5] },
    },
    {
      id: LAYERS.districtLine,
      type: 'line',
      source: SOURCES.district,
      paint: { 'line-color': '#2b2b36', 'line-width': 3, 'line-dasharray': [3, 1.5] },
    },
    {
      id: LAYERS.selectedRegionLine,
      type: 'line',
      source: SOURCES.selectedRegion,
      paint: { 'line-color': '#7f1120', 'line-width': 4, 'line-opacity': 0.7 },
    },
    {
      id: LAYERS.gridSelected,
      type: 'line',
      source: SOURCES.grids,
      paint: {
        'line-color': '#0b3d91',
        'line-width': 3.5,
        'line-opacity': ['case', selected, 1, 0] as never,
      },
    },
    {
      id: LAYERS.stations,
      type: 'circle',
      source: SOURCES.stations,
      paint: {
        'circle-color': ['match', ['get', 'kind'], ...Object.entries(STATION_COLORS).flat(), '#555555'] as never,
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 11, 3.5, 14, 6, 17, 9] as never,
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': ['case', hovered, 2.5, 1.2] as never,
      },
    },
  ];
}

/** A 12×12 diagonal hatch for uncovered grids, drawn in code so no sprite is fetched. */
export function hatchImage(size = 12): { width: number; height: number; data: Uint8Array } {
  const data = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const onStripe = (x + y) % size < 3;
      const i = (y * size + x) * 4;
      data[i] = 120;
      data[i + 1] = 0;
      data[i + 2] = 0;
      data[i + 3] = onStripe ? 200 : 0;
    }
  }
  return { width: size, height: size, data };
}
