/**
 * When and how the map draws grids from vector tiles (/tiles) instead of one GeoJSON of the
 * whole region: a city of 100,000 grids is ~60 MB of GeoJSON, its tiles a few hundred KB per
 * view. Pure data, like layers.ts: the adapter applies it.
 */
import type { LayerSpecification, VectorSourceSpecification } from 'maplibre-gl';
import { GRID_TILES_THRESHOLD, TILE_ZOOMS } from '../../common/tiles.ts';
import { LAYERS } from './layers.ts';

export const TILE_SOURCES = { grids: 'grid-tiles', buildings: 'building-tiles' } as const;
export const BUILDING_LAYER = 'building-outline';
/** Buildings are drawn from this zoom (their tiles start at z14; at z14 they are specks). */
export const BUILDINGS_MINZOOM = 15;

export type GridSourceKind = 'geojson' | 'tiles';

/**
 * Tiles when the region holds more grids than the threshold; `?tiles=1` or `?tiles=0` in the
 * page's query forces either (for testing the tile path on the small demo district).
 */
export function gridSourceKind(gridCount: number, search = '', threshold = GRID_TILES_THRESHOLD): GridSourceKind {
  const forced = new URLSearchParams(search).get('tiles');
  if (forced === '1') return 'tiles';
  if (forced === '0') return 'geojson';
  return gridCount > threshold ? 'tiles' : 'geojson';
}

/**
 * A vector source over /tiles/{layer}; `version` is appended so a publish or a sign-in change
 * fetches new tiles instead of the browser's cached ones (they vary by cookie and data).
 */
export function tileSource(origin: string, layer: 'grids' | 'buildings', version: number): VectorSourceSpecification {
  const { minzoom, maxzoom } = TILE_ZOOMS[layer];
  return {
    type: 'vector',
    tiles: [`${origin}/tiles/${layer}/{z}/{x}/{y}.pbf?v=${version}`],
    minzoom,
    maxzoom: Math.min(maxzoom, 16), // overzoomed past z16: the grids carry full detail from z14
    promoteId: { [layer]: 'code' },
  };
}

/** The grid layers of layers.ts, drawn from the tile source: same ids, same paint rules. */
export function gridLayersFromTiles(geojsonLayers: readonly LayerSpecification[]): LayerSpecification[] {
  const gridIds: string[] = [LAYERS.gridFill, LAYERS.gridHatch, LAYERS.gridLine, LAYERS.gridSelected];
  return geojsonLayers
    .filter((layer) => gridIds.includes(layer.id))
    .map((layer) => ({ ...layer, source: TILE_SOURCES.grids, 'source-layer': 'grids' }) as LayerSpecification);
}

/** Building outlines, thin and grey under the grid lines. */
export function buildingLayer(): LayerSpecification {
  return {
    id: BUILDING_LAYER,
    type: 'line',
    source: TILE_SOURCES.buildings,
    'source-layer': 'buildings',
    minzoom: BUILDINGS_MINZOOM,
    paint: { 'line-color': '#6b6b6b', 'line-width': 0.6, 'line-opacity': 0.8 },
  };
}
