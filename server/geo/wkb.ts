/**
 * Read (Multi)Polygon WKB (ST_AsBinary) straight into flat Float64Array rings.
 *
 * Hand-written on purpose: the validation engine reads a city's grids (100,000 geometries,
 * a million vertices) on every cold run, and a general WKB library (wkx) builds an object
 * per point. This reads the two geometry types the schema allows and refuses the rest.
 */
import type { FlatRing, RingSet } from './edge-match.ts';

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const WKB_POLYGON = 3;
const WKB_MULTIPOLYGON = 6;

/** pg returns bytea as a Buffer; PGlite as a Uint8Array. */
export function ringSetFromWkb(owner: string, wkb: Uint8Array): RingSet {
  const view = new DataView(wkb.buffer, wkb.byteOffset, wkb.byteLength);
  const rings: FlatRing[] = [];
  const shell: boolean[] = [];
  let offset = 0;

  const header = (): { little: boolean; type: number } => {
    const little = view.getUint8(offset) === 1;
    const type = view.getUint32(offset + 1, little) % 1000; // ISO Z/M variants are not stored
    offset += 5;
    return { little, type };
  };
  const polygon = (little: boolean): void => {
    const ringCount = view.getUint32(offset, little);
    offset += 4;
    for (let r = 0; r < ringCount; r++) {
      const points = view.getUint32(offset, little);
      offset += 4;
      let flat: Float64Array;
      if (little && LITTLE_ENDIAN_HOST) {
        // One memcpy into an aligned buffer, then read the doubles in place.
        const start = wkb.byteOffset + offset;
        flat = new Float64Array(wkb.buffer.slice(start, start + points * 16));
        offset += points * 16;
      } else {
        flat = new Float64Array(points * 2);
        for (let i = 0; i < points * 2; i++) {
          flat[i] = view.getFloat64(offset, little);
          offset += 8;
        }
      }
      rings.push(flat);
      shell.push(r === 0);
    }
  };

  const { little, type } = header();
  if (type === WKB_POLYGON) polygon(little);
  else if (type === WKB_MULTIPOLYGON) {
    const count = view.getUint32(offset, little);
    offset += 4;
    for (let p = 0; p < count; p++) {
      const inner = header();
      if (inner.type !== WKB_POLYGON) throw new Error(`WKB: expected Polygon inside MultiPolygon, got type ${inner.type}`);
      polygon(inner.little);
    }
  } else throw new Error(`WKB: expected Polygon or MultiPolygon, got type ${type}`);
  return { owner, rings, shell };
}

/** Number of polygons (parts) in a ring set: one shell per part. */
export function partCount(set: RingSet): number {
  return set.shell.filter(Boolean).length;
}
