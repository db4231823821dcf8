/**
 * When and how the map draws grids from vector tiles (/tiles) instead of one GeoJSON of the
 * whole region: a city of 100,000 grids is ~60 MB of GeoJSON, its tiles a few hundred KB per
 * view. Pure data, like layers.ts: the adapter applies it.
 */
import type { LayerSpecification, VectorSourceSpecification } from 'maplibre-gl';
import { GRID_TILES_THRESHOLD, TILE_ZOOMS } from '../../common/tiles.ts';
import { LAYERS } from './layers.ts';

export const TILE_SOURCES = { grids: 'grid-tiles', buildings: 'building-tiles' } as const;

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
