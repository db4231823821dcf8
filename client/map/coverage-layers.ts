/**
 * How the planner's coverage is drawn: grids covered / uncovered / claimed twice, each
 * grid-level organisation's area outlined, the chosen organisation's area, and for the
 * 3-minute circle the grids by share reached, the unreached areas (hatched red), the counted
 * stations (redundant ones greyed) and the suggested sites. Pure data: no map instance here;
 * the features these layers draw are made in ./coverage-features.ts.
 */
import type { ExpressionSpecification, LayerSpecification } from 'maplibre-gl';
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

export const partyColor = [
  'match',
  ['get', 'status'],
  'uncovered',
  PARTY_COLORS.uncovered,
  'claimed_twice',
  PARTY_COLORS.claimedTwice,
  PARTY_COLORS.covered,
] as unknown as ExpressionSpecification;

export const shareColor = [
  'interpolate',
  ['linear'],
  ['get', 'share'],
  ...SHARE_STOPS.flat(),
] as unknown as ExpressionSpecification;

const hidden = { visibility: 'none' } as const;

/** Coverage layers, bottom to top; all hidden until the panel shows them. */
export function coverageLayers(): LayerSpecification[] {
  return [
    {
      id: COVERAGE_LAYERS.partyFill,
      type: 'fill',
      source: COVERAGE_SOURCES.partyGrids,
      layout: hidden,
      paint: { 'fill-color': partyColor, 'fill-opacity': 0.7 },
    },
    {
      id: COVERAGE_LAYERS.partyHatch,
      type: 'fill',
      source: COVERAGE_SOURCES.partyGrids,
      filter: ['==', ['get', 'status'], 'uncovered'],
      layout: hidden,
      paint: { 'fill-pattern': HATCH_IMAGE },
    },
    {
      id: COVERAGE_LAYERS.shareFill,
      type: 'fill',
      source: COVERAGE_SOURCES.shareGrids,
      layout: hidden,
      paint: { 'fill-color': shareColor, 'fill-opacity': 0.6 },
    },
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
    {
      id: COVERAGE_LAYERS.orgSelectedFill,
      type: 'fill',
      source: COVERAGE_SOURCES.orgSelected,
      layout: hidden,
      paint: { 'fill-color': ORG_HIGHLIGHT, 'fill-opacity': 0.25 },
    },
    {
      id: COVERAGE_LAYERS.orgSelectedLine,
      type: 'line',
      source: COVERAGE_SOURCES.orgSelected,
      layout: hidden,
      paint: { 'line-color': ORG_HIGHLIGHT, 'line-width': 4 },
    },
    {
      id: COVERAGE_LAYERS.unreachedFill,
      type: 'fill',
      source: COVERAGE_SOURCES.unreached,
      layout: hidden,
      paint: { 'fill-color': UNREACHED_COLOR, 'fill-opacity': 0.22 },
    },
    {
      id: COVERAGE_LAYERS.unreachedHatch,
      type: 'fill',
      source: COVERAGE_SOURCES.unreached,
      layout: hidden,
      paint: { 'fill-pattern': HATCH_IMAGE },
    },
    {
      id: COVERAGE_LAYERS.unreachedLine,
      type: 'line',
      source: COVERAGE_SOURCES.unreached,
      layout: hidden,
      paint: {
        'line-color': UNREACHED_COLOR,
        'line-width': ['case', ['boolean', ['feature-state', 'selected'], false], 3.5, 1.2] as never,
      },
    },
    {
      id: COVERAGE_LAYERS.stations,
      type: 'circle',
      source: COVERAGE_SOURCES.stations,
      layout: hidden,
      paint: {
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 11, 3, 13, 5, 15, 8] as never,
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
      paint: {
        'circle-radius': 11,
        'circle-color': SUGGESTION_COLOR,
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 2,
      },
    },
  ];
}

/** Which layers each view of the panel shows. */
export const VIEW_LAYERS: Record<'party' | 'reach', readonly string[]> = {
  party: [
    COVERAGE_LAYERS.partyFill,
    COVERAGE_LAYERS.partyHatch,
    COVERAGE_LAYERS.orgOutline,
    COVERAGE_LAYERS.orgSelectedFill,
    COVERAGE_LAYERS.orgSelectedLine,
  ],
  reach: [
    COVERAGE_LAYERS.shareFill,
    COVERAGE_LAYERS.unreachedFill,
    COVERAGE_LAYERS.unreachedHatch,
    COVERAGE_LAYERS.unreachedLine,
    COVERAGE_LAYERS.stations,
    COVERAGE_LAYERS.suggestions,
  ],
};
