/**
 * The offline base map (issue 17): water and green, compounds, buildings and roads under the
 * grids, and the names a street worker orients by (roads along their lines, streets,
 * communities, compounds, grids) over them. Drawn from the app's own tiles (/tiles/base and
 * /tiles/buildings), so it needs no internet. Pure data, like layers.ts: the adapter adds them.
 *
 * Text needs no glyph files: with no `glyphs` URL in the style, MapLibre draws every label with
 * the browser's own fonts (TinySDF), CJK through `localIdeographFontFamily` (flat-map.ts).
 * The grids stay the focus: the base is pale and drawn underneath; only roads, thin and light,
 * cross the grid fills, because blocks are read by the roads around them.
 */
import type { ExpressionSpecification, LayerSpecification, VectorSourceSpecification } from 'maplibre-gl';
import {
  BASE_TILESET,
  BASE_ZOOMS,
  COMPOUNDS_MINZOOM,
  LABEL_ZOOMS,
  ROAD_CLASS_MINZOOM,
  TILE_ZOOMS,
  type LabelKind,
  type RoadClass,
} from '../../common/tiles.ts';

export const BASE_SOURCES = { base: 'base-tiles', buildings: 'building-tiles' } as const;

export const BASE_LAYER_IDS = {
  water: 'base-water',
  green: 'base-green',
  compoundFill: 'base-compound-fill',
  compoundLine: 'base-compound-line',
  buildings: 'base-buildings',
  roadCasing: 'base-road-casing',
  road: 'base-road',
  roadLabel: 'base-road-label',
  streetLabel: 'base-label-street',
  communityLabel: 'base-label-community',
  compoundLabel: 'base-label-compound',
  gridLabel: 'base-label-grid',
} as const;

/** Buildings are drawn from this zoom (their tiles start at z14; at z14 they are specks). */
export const BUILDINGS_MINZOOM = 15;

export const BASE_COLORS = {
  water: '#a9cbe6',
  green: '#cfe4bd',
  compound: '#ebe4d6',
  compoundLine: '#b3a488',
  building: '#d8d1c4',
  buildingLine: '#b4ab9a',
  road: { arterial: '#f6c86e', secondary: '#fbe3a6', local: '#ffffff', service: '#fbfaf7' },
  casing: { arterial: '#c8913a', secondary: '#c9ab6a', local: '#b9b1a2', service: '#cfc8bb' },
  text: '#3d3a33',
  halo: 'rgba(255,255,255,0.9)',
} as const satisfies Record<string, unknown>;

/** A source over /tiles/{tileset}; `version` changes fetch new tiles (after a publish or a sign-in). */
export function baseTileSource(
  origin: string,
  tileset: typeof BASE_TILESET | 'buildings',
  version: number,
): VectorSourceSpecification {
  const { minzoom } = tileset === BASE_TILESET ? BASE_ZOOMS : TILE_ZOOMS.buildings;
  return {
    type: 'vector',
    tiles: [`${origin}/tiles/${tileset}/{z}/{x}/{y}.pbf?v=${version}`],
    minzoom,
    maxzoom: 16, // overzoomed past z16: full detail from z14
  };
}

const byClass = <T>(values: Record<RoadClass, T>, fallback: T): ExpressionSpecification =>
  ['match', ['get', 'class'], ...Object.entries(values).flat(), fallback] as unknown as ExpressionSpecification;

/** Road width in pixels per class, growing with the zoom. */
function roadWidth(casing: boolean): ExpressionSpecification {
  const extra = casing ? 1.5 : 0;
  const at = (arterial: number, secondary: number, local: number, service: number) =>
    byClass(
      { arterial: arterial + extra, secondary: secondary + extra, local: local + extra, service: service + extra },
      1,
    );
  return [
    'interpolate',
    ['exponential', 1.6],
    ['zoom'],
    10,
    at(1, 0.6, 0.4, 0.3),
    14,
    at(5, 3.5, 2.5, 1),
    17,
    at(16, 12, 8, 4),
  ];
}

/** Below the grid fills: water, green, compounds, buildings. */
export function baseUnderLayers(options: { external: boolean }): LayerSpecification[] {
  const base = { source: BASE_SOURCES.base };
  const landcover: LayerSpecification[] = options.external
    ? [] // a configured basemap draws its own water and green
    : [
        {
          id: BASE_LAYER_IDS.water,
          type: 'fill',
          ...base,
          'source-layer': 'landcover',
          filter: ['==', ['get', 'kind'], 'water'],
          paint: { 'fill-color': BASE_COLORS.water },
        },
        {
          id: BASE_LAYER_IDS.green,
          type: 'fill',
          ...base,
          'source-layer': 'landcover',
          filter: ['==', ['get', 'kind'], 'green'],
          paint: { 'fill-color': BASE_COLORS.green },
        },
      ];
  return [
    ...landcover,
    {
      id: BASE_LAYER_IDS.compoundFill,
      type: 'fill',
      ...base,
      'source-layer': 'compounds',
      minzoom: COMPOUNDS_MINZOOM,
      paint: { 'fill-color': BASE_COLORS.compound, 'fill-opacity': 0.7 },
    },
    {
      id: BASE_LAYER_IDS.compoundLine,
      type: 'line',
      ...base,
      'source-layer': 'compounds',
      minzoom: COMPOUNDS_MINZOOM,
      paint: { 'line-color': BASE_COLORS.compoundLine, 'line-width': 1, 'line-dasharray': [3, 2] },
    },
    {
      id: BASE_LAYER_IDS.buildings,
      type: 'fill',
      source: BASE_SOURCES.buildings,
      'source-layer': 'buildings',
      minzoom: BUILDINGS_MINZOOM,
      paint: { 'fill-color': BASE_COLORS.building, 'fill-outline-color': BASE_COLORS.buildingLine },
    },
  ];
}

/** Over the grid fills, under the grid and community outlines: the roads. */
export function baseRoadLayers(options: { external: boolean }): LayerSpecification[] {
  if (options.external) return []; // the configured basemap has its own roads
  const roads = { source: BASE_SOURCES.base, 'source-layer': 'roads', minzoom: ROAD_CLASS_MINZOOM.arterial };
  const lineLayout = { 'line-join': 'round', 'line-cap': 'round' } as const;
  return [
    {
      id: BASE_LAYER_IDS.roadCasing,
      type: 'line',
      ...roads,
      layout: lineLayout,
      paint: {
        'line-color': byClass(BASE_COLORS.casing, BASE_COLORS.casing.local),
        'line-width': roadWidth(true),
        'line-opacity': 0.8,
      },
    },
    {
      id: BASE_LAYER_IDS.road,
      type: 'line',
      ...roads,
      layout: lineLayout,
      paint: {
        'line-color': byClass(BASE_COLORS.road, BASE_COLORS.road.local),
        'line-width': roadWidth(false),
        'line-opacity': 0.9,
      },
    },
  ];
}

const halo = { 'text-color': BASE_COLORS.text, 'text-halo-color': BASE_COLORS.halo, 'text-halo-width': 1.5 };

function labelLayer(
  id: string,
  kind: LabelKind,
  layout: Record<string, unknown>,
  paint: Record<string, unknown> = {},
): LayerSpecification {
  const { minzoom, maxzoom } = LABEL_ZOOMS[kind];
  return {
    id,
    type: 'symbol',
    source: BASE_SOURCES.base,
    'source-layer': 'labels',
    filter: ['==', ['get', 'kind'], kind],
    minzoom,
    maxzoom: maxzoom + 1, // the layer's maxzoom is exclusive, the tiles' inclusive
    layout: { 'text-field': ['get', 'name'], 'text-max-width': 8, ...layout } as never,
    paint: { ...halo, ...paint } as never,
  };
}

/**
 * A grid's name, and under it its households when the tile has them (signed-in readers only:
 * anonymous tiles carry none, so nothing here can show them).
 */
export function gridLabelText(householdsUnit: string): ExpressionSpecification {
  return [
    'case',
    ['has', 'households'],
    [
      'format',
      ['get', 'name'],
      {},
      '\n',
      {},
      ['concat', ['to-string', ['get', 'households']], householdsUnit],
      { 'font-scale': 0.85, 'text-color': '#4d5b6b' },
    ],
    ['get', 'name'],
  ];
}

/** The names, over everything but stations: roads along their lines, then places by rank. */
export function baseLabelLayers(options: {
  external: boolean;
  /** After a grid's households on its label; null: names only (the residents' page). */
  householdsUnit: string | null;
}): LayerSpecification[] {
  const roadLabel: LayerSpecification[] = options.external
    ? []
    : [
        {
          id: BASE_LAYER_IDS.roadLabel,
          type: 'symbol',
          source: BASE_SOURCES.base,
          'source-layer': 'roads',
          minzoom: ROAD_CLASS_MINZOOM.secondary,
          filter: ['has', 'name'],
          layout: {
            'symbol-placement': 'line',
            'text-field': ['get', 'name'],
            'text-size': ['interpolate', ['linear'], ['zoom'], 12, 10, 16, 13],
            'symbol-spacing': 300,
            'text-max-angle': 30,
            'text-padding': 4,
          },
          paint: { ...halo, 'text-color': '#5a4f3c' },
        },
      ];
  return [
    ...roadLabel,
    labelLayer(
      BASE_LAYER_IDS.compoundLabel,
      'compound',
      { 'text-size': 11, 'text-padding': 4 },
      { 'text-color': '#7a6a4f' },
    ),
    labelLayer(
      BASE_LAYER_IDS.gridLabel,
      'grid',
      {
        'text-field': options.householdsUnit === null ? ['get', 'name'] : gridLabelText(options.householdsUnit),
        'text-size': 12,
        'text-padding': 6,
      },
      { 'text-color': '#1f3650' },
    ),
    labelLayer(
      BASE_LAYER_IDS.communityLabel,
      'community',
      {
        'text-size': ['interpolate', ['linear'], ['zoom'], 12, 12, 16, 16],
        'text-font': ['Open Sans Bold'],
        'text-letter-spacing': 0.1,
      },
      { 'text-color': '#2b2b36', 'text-halo-width': 2 },
    ),
    labelLayer(
      BASE_LAYER_IDS.streetLabel,
      'street',
      { 'text-size': 15, 'text-font': ['Open Sans Bold'], 'text-letter-spacing': 0.15 },
      { 'text-color': '#4a2c2a', 'text-halo-width': 2 },
    ),
  ];
}
