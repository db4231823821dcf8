/**
 * Web Mercator tile arithmetic for vector tiles (XYZ scheme, y down from the north, EPSG:3857).
 * Pure: no SQL, no Express. The tile query (server/tiles/tiles.queries.ts) asks PostGIS to map
 * features to tile units with the affine transform from `tileAffine`, and the encoder fixes
 * ring winding with `orientPolygon`, so both stay testable here with known numbers.
 *
 *   (0,0) ───── x → 4096
 *     │  tile units, y grows downwards (MVT spec 4.3)
 *     y
 *     ↓ 4096
 */

/** Half the Web Mercator world width in metres (π · 6378137). */
export const MERCATOR_HALF = 20037508.342789244;
/** Tile units per tile side: the MVT default, what ST_AsMVT and MapLibre assume. */
export const TILE_EXTENT = 4096;
/** Units kept around the tile (as ST_AsMVTGeom's buffer) so strokes do not stop at tile edges. */
export const TILE_BUFFER = 64;
export const MAX_ZOOM = 22;
/** Web Mercator's latitude limit. */
export const MAX_LAT = 85.0511287798066;

export interface TileAddress {
  z: number;
  x: number;
  y: number;
}

/** [minX, minY, maxX, maxY] */
export type Box = [number, number, number, number];

/** True when z is 0–22 and x, y are integers inside the 2^z × 2^z tile matrix. */
export function isValidTile({ z, x, y }: TileAddress): boolean {
  if (!Number.isInteger(z) || z < 0 || z > MAX_ZOOM) return false;
  const n = 2 ** z;
  return Number.isInteger(x) && Number.isInteger(y) && x >= 0 && y >= 0 && x < n && y < n;
}

/** The tile's side in EPSG:3857 metres. */
export function tileSizeMeters(z: number): number {
  return (2 * MERCATOR_HALF) / 2 ** z;
}

/** One tile unit (1/4096 of the tile) in EPSG:3857 metres at zoom z. */
export function unitMeters(z: number, extent = TILE_EXTENT): number {
  return tileSizeMeters(z) / extent;
}

/** Tile bounds in EPSG:3857 metres, [minX, minY, maxX, maxY] (what ST_TileEnvelope returns). */
export function tileBounds3857({ z, x, y }: TileAddress): Box {
  const size = tileSizeMeters(z);
  const minX = -MERCATOR_HALF + x * size;
  const maxY = MERCATOR_HALF - y * size;
  return [minX, maxY - size, minX + size, maxY];
}

export function mercatorToLonLat(mx: number, my: number): [number, number] {
  const lon = (mx / MERCATOR_HALF) * 180;
  const lat = (2 * Math.atan(Math.exp((my / MERCATOR_HALF) * Math.PI)) - Math.PI / 2) * (180 / Math.PI);
  return [lon, lat];
}

export function lonLatToMercator(lon: number, lat: number): [number, number] {
  const clamped = Math.max(-MAX_LAT, Math.min(MAX_LAT, lat));
  const mx = (lon / 180) * MERCATOR_HALF;
  const my = Math.log(Math.tan(Math.PI / 4 + (clamped * Math.PI) / 360)) * (MERCATOR_HALF / Math.PI);
  return [mx, my];
}

/**
 * Tile bounds in EPSG:4326 degrees [west, south, east, north], grown by `bufferUnits` tile
 * units on each side (for the `geom && envelope` prefilter that must also catch the buffer).
 */
export function tileBounds4326(tile: TileAddress, bufferUnits = 0): Box {
  const [minX, minY, maxX, maxY] = tileBounds3857(tile);
  const pad = bufferUnits * unitMeters(tile.z);
  const [west, south] = mercatorToLonLat(Math.max(-MERCATOR_HALF, minX - pad), Math.max(-MERCATOR_HALF, minY - pad));
  const [east, north] = mercatorToLonLat(Math.min(MERCATOR_HALF, maxX + pad), Math.min(MERCATOR_HALF, maxY + pad));
  return [west, south, east, north];
}

/**
 * The affine map from EPSG:3857 metres to tile units, as ST_Affine's (a, b, d, e, xoff, yoff):
 * x' = a·x + xoff, y' = e·y + yoff, with e negative because tile y grows downwards.
 */
export function tileAffine(
  tile: TileAddress,
  extent = TILE_EXTENT,
): { a: number; e: number; xoff: number; yoff: number } {
  const [minX, , , maxY] = tileBounds3857(tile);
  const scale = extent / tileSizeMeters(tile.z);
  return { a: scale, e: -scale, xoff: -minX * scale, yoff: maxY * scale };
}

/** A lon/lat in tile units of the given tile (not rounded; may fall outside 0..extent). */
export function lonLatToTileUnits(lon: number, lat: number, tile: TileAddress, extent = TILE_EXTENT): [number, number] {
  const [mx, my] = lonLatToMercator(lon, lat);
  const { a, e, xoff, yoff } = tileAffine(tile, extent);
  return [a * mx + xoff, e * my + yoff];
}

/** Tile units back to lon/lat: the inverse of `lonLatToTileUnits`. */
export function tileUnitsToLonLat(px: number, py: number, tile: TileAddress, extent = TILE_EXTENT): [number, number] {
  const { a, e, xoff, yoff } = tileAffine(tile, extent);
  return mercatorToLonLat((px - xoff) / a, (py - yoff) / e);
}

/** The tile at zoom z that holds a lon/lat. */
export function tileAt(lon: number, lat: number, z: number): TileAddress {
  const [mx, my] = lonLatToMercator(lon, lat);
  const size = tileSizeMeters(z);
  const n = 2 ** z;
  const x = Math.min(n - 1, Math.max(0, Math.floor((mx + MERCATOR_HALF) / size)));
  const y = Math.min(n - 1, Math.max(0, Math.floor((MERCATOR_HALF - my) / size)));
  return { z, x, y };
}

/** Every tile at zoom z that a lon/lat bbox touches, row by row. */
export function tilesCovering(bbox: Box, z: number): TileAddress[] {
  const nw = tileAt(bbox[0], bbox[3], z);
  const se = tileAt(bbox[2], bbox[1], z);
  const tiles: TileAddress[] = [];
  for (let y = nw.y; y <= se.y; y++) for (let x = nw.x; x <= se.x; x++) tiles.push({ z, x, y });
  return tiles;
}

export interface TilePoint {
  x: number;
  y: number;
}

/**
 * Twice the signed area of a ring by the surveyor's formula, in tile units (y down). Positive
 * means clockwise as drawn on screen: an exterior ring in the MVT spec (4.3.4.4). A closing
 * point equal to the first adds nothing.
 */
export function ringArea2(ring: readonly TilePoint[]): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    sum += (ring[j]!.x - ring[i]!.x) * (ring[j]!.y + ring[i]!.y);
  }
  return sum;
}

/**
 * One polygon (exterior then holes) with MVT winding: exterior positive area, holes negative.
 * Rings that collapsed to no area after snapping to tile units are dropped (as ST_AsMVTGeom
 * does); a polygon whose exterior collapsed is dropped whole (returns []).
 */
export function orientPolygon(rings: readonly (readonly TilePoint[])[]): TilePoint[][] {
  const out: TilePoint[][] = [];
  for (let i = 0; i < rings.length; i++) {
    const ring = rings[i]!;
    const area = ringArea2(ring);
    if (ring.length < 4 || area === 0) {
      if (i === 0) return [];
      continue;
    }
    const wantPositive = i === 0;
    out.push(area > 0 === wantPositive ? [...ring] : [...ring].reverse());
  }
  return out;
}

/**
 * How far the tile query may move a vertex when simplifying, in tile units: about one screen
 * pixel of a 512-px tile (8 units) below `fullDetailZoom`, and none beyond snapping to whole
 * units from there on, so a drawn grid sits within a pixel of its stored outline at street level.
 */
export function simplifyTolerance(z: number, fullDetailZoom = 14, extent = TILE_EXTENT): number {
  return z >= fullDetailZoom ? 0 : extent / 512;
}
