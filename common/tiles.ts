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

/**
 * The offline base map (issue 17): one tileset, /tiles/base/{z}/{x}/{y}.pbf, with a source
 * layer per kind of thing a street worker orients by. One tile, not four: a view of the
 * district is ~20 tiles, and four sources would be four times the requests for a few KB each.
 */
export const BASE_TILESET = 'base';
export const BASE_LAYERS = ['landcover', 'roads', 'compounds', 'labels'] as const;
export type BaseLayer = (typeof BASE_LAYERS)[number];
export const BASE_ZOOMS = { minzoom: 10, maxzoom: 22 } as const;

/** The tilesets /tiles serves: the three feature layers and the base map. */
export const TILESETS = [...TILE_LAYERS, BASE_TILESET] as const;
export type Tileset = (typeof TILESETS)[number];

/** Drawing classes of roads (migration 0009); a road without one is drawn as `local`. */
export const ROAD_CLASSES = ['arterial', 'secondary', 'local', 'service'] as const;
export type RoadClass = (typeof ROAD_CLASSES)[number];

/**
 * A road class is in base tiles from this zoom: arterials outline the district at z10–11,
 * local roads appear at the zoom a community fills the screen, service roads at street zoom.
 * Paths and footways without a class count as service roads.
 */
export const ROAD_CLASS_MINZOOM: Record<RoadClass, number> = { arterial: 10, secondary: 12, local: 13, service: 15 };

/** Compound (小区) outlines are in base tiles from this zoom. */
export const COMPOUNDS_MINZOOM = 13;

/** What a label point names; each kind is in base tiles over its own zooms. */
export const LABEL_KINDS = ['street', 'community', 'compound', 'grid'] as const;
export type LabelKind = (typeof LABEL_KINDS)[number];
export const LABEL_ZOOMS: Record<LabelKind, { minzoom: number; maxzoom: number }> = {
  street: { minzoom: 10, maxzoom: 13 },
  community: { minzoom: 12, maxzoom: 22 },
  grid: { minzoom: 14, maxzoom: 22 },
  compound: { minzoom: 15, maxzoom: 22 },
};

/** Fields of the base tileset's source layers, for its TileJSON. */
export const BASE_LAYER_FIELDS: Record<BaseLayer, Record<string, string>> = {
  landcover: { kind: 'String: water or green', name: 'String (may be absent)' },
  roads: {
    class: `String: ${ROAD_CLASSES.join(', ')} (a road without a class is local, a path or footway service)`,
    kind: 'String: road, path or footway',
    name: 'String (may be absent)',
  },
  compounds: { code: 'String', name: 'String' },
  labels: {
    kind: `String: ${LABEL_KINDS.join(', ')}`,
    code: 'String',
    name: 'String',
    households: 'Number, grid labels for signed-in readers only',
  },
};
