/**
 * Vector tiles (issue 7) as both server and client see them: the layers, the zooms each is
 * served at, and the TileJSON 3.0 document at /tiles/{layer}.json.
 */

export const TILE_LAYERS = ['grids', 'buildings', 'stations'] as const;
export type TileLayer = (typeof TILE_LAYERS)[number];

/**
 * Zooms at which a layer's tiles carry features; outside them a tile is empty (204).
 * Grids from z10: the densest z9 tile of the 100,000-grid city holds ~9,800 grids and came to
 * 533 KB even simplified and without names, over the 500 KB budget; a z10 tile holds ~3,300
 * (~200 KB). Stations from z10 (110,000 points fit no lower tile), buildings from z14 (a
 * street's worth of outlines is what a z14 tile shows).
 */
export const TILE_ZOOMS: Record<TileLayer, { minzoom: number; maxzoom: number }> = {
  grids: { minzoom: 10, maxzoom: 22 },
  buildings: { minzoom: 14, maxzoom: 22 },
  stations: { minzoom: 10, maxzoom: 22 },
};

/** Above this many grids in a region the map draws grids from tiles instead of one GeoJSON. */
export const GRID_TILES_THRESHOLD = 5000;
