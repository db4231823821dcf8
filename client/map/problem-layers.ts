/**
 * How validation problems are drawn: areas (overlaps hatched red, gaps orange, outside purple
 * outline, …) and one marker per problem at its `point`, so a 4 m gap is findable at district
 * zoom. Pure data: no map instance here.
 */
import type { ExpressionSpecification, LayerSpecification } from 'maplibre-gl';
import type { ProblemCollection } from '../../common/contracts/validation.ts';
import type { ProblemType } from '../../common/rules/problem-types.ts';
import { AREA_TYPES } from '../problems.ts';
import { HATCH_IMAGE } from './layers.ts';

export const PROBLEM_SOURCES = { areas: 'problem-areas', markers: 'problem-markers' } as const;

export const PROBLEM_LAYERS = {
  selected: 'problem-selected-halo',
  fill: 'problem-fill',
  hatch: 'problem-overlap-hatch',
  line: 'problem-line',
  markerHalo: 'problem-marker-halo',
  markers: 'problem-markers',
} as const;

export const PROBLEM_COLORS: Record<ProblemType, string> = {
  overlap: '#d7191c', // red, hatched
  gap: '#ff7f00', // orange
  sliver: '#7a7f8c', // grey: under tolerance, for reference
  outside: '#7b3294', // purple outline
  multipart: '#00838f', // teal dashed outline (the whole grid)
  invalid: '#4d0013', // dark crimson
  households: '#e6a100', // amber
  party: '#c51b7d', // magenta
  worker: '#2166ac', // blue
};

/** Areas the map draws (polygon problems) and a marker for every problem. */
export function toProblemFeatures(problems: ProblemCollection | null): {
  areas: GeoJSON.FeatureCollection;
  markers: GeoJSON.FeatureCollection;
} {
  const features = problems?.features ?? [];
  const flat = (p: (typeof features)[number]['properties']) => ({ id: p.id, type: p.type, severity: p.severity });
  return {
    areas: {
      type: 'FeatureCollection',
      features: features
        .filter((f) => f.geometry && (f.geometry.type === 'Polygon' || f.geometry.type === 'MultiPolygon'))
        .map((f) => ({ type: 'Feature', geometry: f.geometry, properties: flat(f.properties) })),
    },
    markers: {
      type: 'FeatureCollection',
      features: features.map((f) => ({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: f.properties.point },
        properties: { ...flat(f.properties), area: AREA_TYPES.has(f.properties.type) },
      })),
    },
  };
}

/** The chosen problem's glow: blue, apart from every problem colour. */
export const HIGHLIGHT = '#1e88e5';

const typeColor = [
  'match',
  ['get', 'type'],
  ...Object.entries(PROBLEM_COLORS).flat(),
  '#555555',
] as unknown as ExpressionSpecification;
const selected = ['boolean', ['feature-state', 'selected'], false] as const;
const isType = (...types: ProblemType[]) => ['in', ['get', 'type'], ['literal', types]] as ExpressionSpecification;

// Once the areas themselves are big enough to see, their markers step back.
const markerOpacity = (full: number) =>
  [
    'interpolate',
    ['linear'],
    ['zoom'],
    15,
    full,
    17,
    ['case', selected, full, ['get', 'area'], 0.15 * full, full],
  ] as never;

/** Problem layers, bottom to top; added over the grid layers so they stay visible. */
export function problemLayers(): LayerSpecification[] {
  return [
    {
      // A glow under the chosen problem: a 2 m gap is thinner than any outline drawn over it.
      id: PROBLEM_LAYERS.selected,
      type: 'line',
      source: PROBLEM_SOURCES.areas,
      paint: {
        'line-color': HIGHLIGHT,
        'line-width': 16,
        'line-blur': 4,
        'line-opacity': ['case', selected, 0.55, 0] as never,
      },
    },
    {
      id: PROBLEM_LAYERS.fill,
      type: 'fill',
      source: PROBLEM_SOURCES.areas,
      // A multipart grid is the whole grid: outline it, do not paint it over.
      filter: isType('overlap', 'gap', 'sliver', 'outside'),
      paint: {
        'fill-color': typeColor,
        'fill-opacity': ['case', ['==', ['get', 'type'], 'outside'], 0.3, 0.8] as never,
      },
    },
    {
      id: PROBLEM_LAYERS.hatch,
      type: 'fill',
      source: PROBLEM_SOURCES.areas,
      filter: isType('overlap'),
      paint: { 'fill-pattern': HATCH_IMAGE },
    },
    {
      id: PROBLEM_LAYERS.line,
      type: 'line',
      source: PROBLEM_SOURCES.areas,
      filter: isType('overlap', 'gap', 'sliver'),
      paint: { 'line-color': typeColor, 'line-width': ['case', selected, 3, 2] as never },
    },
    {
      id: `${PROBLEM_LAYERS.line}-dashed`,
      type: 'line',
      source: PROBLEM_SOURCES.areas,
      filter: isType('outside', 'multipart'),
      paint: { 'line-color': typeColor, 'line-width': ['case', selected, 4, 2.5] as never, 'line-dasharray': [2, 1] },
    },
    {
      // Markers are a ring around a dot, so they do not read as service stations.
      id: PROBLEM_LAYERS.markerHalo,
      type: 'circle',
      source: PROBLEM_SOURCES.markers,
      paint: {
        'circle-color': typeColor,
        'circle-radius': ['case', selected, 16, ['==', ['get', 'severity'], 'info'], 7, 11] as never,
        'circle-opacity': markerOpacity(0.22),
        'circle-stroke-color': ['case', selected, '#111111', typeColor] as never,
        'circle-stroke-width': ['case', selected, 3, 2] as never,
        'circle-stroke-opacity': markerOpacity(0.95),
      },
    },
    {
      id: PROBLEM_LAYERS.markers,
      type: 'circle',
      source: PROBLEM_SOURCES.markers,
      paint: {
        'circle-color': typeColor,
        'circle-radius': ['case', ['==', ['get', 'severity'], 'info'], 3, 5] as never,
        'circle-opacity': markerOpacity(1),
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 1.5,
        'circle-stroke-opacity': markerOpacity(1),
      },
    },
  ];
}

/** Layers a click can hit, topmost first. */
export const PROBLEM_HIT_LAYERS = [PROBLEM_LAYERS.markers, PROBLEM_LAYERS.markerHalo, PROBLEM_LAYERS.fill] as const;
