/**
 * Read (Multi)Polygon WKB (ST_AsBinary) straight into flat Float64Array rings.
 *
 * Hand-written on purpose: the validation engine reads a city's grids (100,000 geometries,
 * a million vertices) on every cold run, and a general WKB library (wkx) builds an object
 * per point. This reads the two geometry types the schema allows and refuses the rest.
 * A batch shares one Float64Array and rings are views into it: allocating a buffer per
 * ring or per geometry cost 0.3–0.6 s at 100,000 grids.
 */
import type { FlatRing, RingSet } from './match-edges.ts';

const WKB_POLYGON = 3;
const WKB_MULTIPOLYGON = 6;

function u32(b: Uint8Array, o: number, little: boolean): number {
  return little
    ? (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16)) + b[o + 3]! * 0x1000000
    : b[o]! * 0x1000000 + ((b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!);
}

/**
 * Where one geometry's rings are: [byteOffset, points, flags] triples, flags bit 0 = little
 * endian, bit 1 = shell. Written as plain loops with no closures: tsx's keepNames wraps
 * every closure created per call, which cost more than the parsing itself.
 */
function ringSpans(wkb: Uint8Array, out: number[], start = 0): number {
  out.length = 0;
  if (start + 9 > wkb.length) throw new Error('WKB: truncated');
  const little = wkb[start] === 1;
  const type = u32(wkb, start + 1, little) % 1000; // ISO Z/M variants are not stored
  let offset = start + 5;
  let polygons = 1;
  let multi = false;
  if (type === WKB_MULTIPOLYGON) {
    polygons = u32(wkb, offset, little);
    offset += 4;
    multi = true;
  } else if (type !== WKB_POLYGON) throw new Error(`WKB: expected Polygon or MultiPolygon, got type ${type}`);
  for (let p = 0; p < polygons; p++) {
    let order = little;
    if (multi) {
      if (offset + 5 > wkb.length) throw new Error('WKB: truncated');
      order = wkb[offset] === 1;
      const inner = u32(wkb, offset + 1, order) % 1000;
      if (inner !== WKB_POLYGON) throw new Error(`WKB: expected Polygon inside MultiPolygon, got type ${inner}`);
      offset += 5;
    }
    if (offset + 4 > wkb.length) throw new Error('WKB: truncated');
    const rings = u32(wkb, offset, order);
    offset += 4;
    for (let r = 0; r < rings; r++) {
      if (offset + 4 > wkb.length) throw new Error('WKB: truncated');
      const points = u32(wkb, offset, order);
      offset += 4;
      if (offset + points * 16 > wkb.length) throw new Error('WKB: truncated');
      out.push(offset, points, (order ? 1 : 0) | (r === 0 ? 2 : 0));
      offset += points * 16;
    }
  }
  return offset;
}

/** Read many geometries into one shared buffer. pg gives bytea as a Buffer, PGlite as a Uint8Array. */
export function ringSetsFromWkb(rows: readonly { owner: string; wkb: Uint8Array }[]): RingSet[] {
  const spans: number[] = [];
  let total = 0;
  for (const row of rows) {
    ringSpans(row.wkb, spans);
    for (let i = 0; i < spans.length; i += 3) total += spans[i + 1]! * 2;
  }
  const coords = new Float64Array(total);
  const sets: RingSet[] = [];
  let k = 0;
  for (const { owner, wkb } of rows) {
    ringSpans(wkb, spans);
    const rings: FlatRing[] = [];
    const shell: boolean[] = [];
    const view = new DataView(wkb.buffer, wkb.byteOffset, wkb.byteLength);
    for (let i = 0; i < spans.length; i += 3) {
      const at = spans[i]!;
      const n = spans[i + 1]! * 2;
      const little = (spans[i + 2]! & 1) === 1;
      for (let j = 0; j < n; j++) coords[k + j] = view.getFloat64(at + j * 8, little);
      rings.push(coords.subarray(k, k + n));
      shell.push((spans[i + 2]! & 2) === 2);
      k += n;
    }
    sets.push({ owner, rings, shell });
  }
  return sets;
}

export function ringSetFromWkb(owner: string, wkb: Uint8Array): RingSet {
  return ringSetsFromWkb([{ owner, wkb }])[0]!;
}

/** Number of polygons (parts) in a ring set: one shell per part. */
export function partCount(set: RingSet): number {
  return set.shell.filter(Boolean).length;
}

/**
 * Split WKB geometries written back to back (`string_agg(ST_AsBinary(geom), ''::bytea)`)
 * into views, one per geometry, without copying. Reading a community's grids as one value
 * instead of one row per grid cut node's work to a third at 100,000 grids.
 */
export function splitWkb(blob: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  const spans: number[] = [];
  let offset = 0;
  while (offset < blob.length) {
    const end = ringSpans(blob, spans, offset);
    out.push(blob.subarray(offset, end));
    offset = end;
  }
  return out;
}
