/**
 * Read a run of concatenated LineString WKB (`string_agg(ST_AsBinary(geom), ''::bytea)`)
 * into one flat coordinate array: the road layer of a city (a million lines) arrives as one
 * bytea instead of a million rows of GeoJSON text to parse (13 s → a few s, bench/road-network.ts).
 */
const WKB_LINESTRING = 2;

export interface FlatLines {
  /** lon, lat, lon, lat, … of every line, one after another. */
  coords: Float64Array;
  /** Line k has positions starts[k] … starts[k + 1] - 1 (so starts has lines + 1 entries). */
  starts: Int32Array;
}

export function readLineWkbRun(wkb: Uint8Array): FlatLines {
  const view = new DataView(wkb.buffer, wkb.byteOffset, wkb.byteLength);
  // Each point takes 16 bytes and each line at least 9: bounds for one allocation.
  const coords = new Float64Array(Math.floor(wkb.byteLength / 16) * 2);
  const starts: number[] = [0];
  let offset = 0;
  let n = 0;
  while (offset < wkb.byteLength) {
    if (offset + 9 > wkb.byteLength) throw new Error('WKB: truncated');
    const little = wkb[offset] === 1;
    const type = view.getUint32(offset + 1, little) % 1000;
    if (type !== WKB_LINESTRING) throw new Error(`WKB: expected LineString, got type ${type}`);
    const points = view.getUint32(offset + 5, little);
    offset += 9;
    if (offset + points * 16 > wkb.byteLength) throw new Error('WKB: truncated');
    for (let p = 0; p < points; p++) {
      coords[n++] = view.getFloat64(offset, little);
      coords[n++] = view.getFloat64(offset + 8, little);
      offset += 16;
    }
    starts.push(n / 2);
  }
  return { coords: coords.subarray(0, n), starts: Int32Array.from(starts) };
}
