/**
 * The finder's answers (locate, nearest) written as JSON text from parts serialised once per
 * index: a grid's card and a station's fixed fields are the same in every answer, so only the
 * point, "open now", the distance and the walking minutes are written per request. The text is
 * byte for byte what `JSON.stringify` gives for the Express route's object (same keys, same
 * order; tests/api/public-fast-path.test.ts and tests/unit/locate-json.test.ts hold it there).
 */
import type { PublicCrs } from '../../common/contracts/public.ts';
import type { LocateIndex } from './public-index.ts';
import { walkMinutes, type GridInfo } from './public-answers.ts';
import { openNow } from './opening-hours.ts';
import { toCrs } from './public-params.ts';

interface StationParts {
  /** `{"code":…,"name":…,"kind":…,"lon":` */
  head: string;
  /** `116.7,"lat":39.5` in WGS84 (other crs are converted per answer). */
  wgs84: string;
  /** `,"address":…,"opening_hours":…,"openNow":` */
  mid: string;
  /** `,"services":[…],"phone":…,"distanceM":` */
  tail: string;
  /** UTF-8 bytes of head + mid + tail. */
  bytes: number;
}

interface GridPart {
  text: string;
  bytes: number;
}

interface IndexParts {
  /** `"grid":…,"community":…,"worker":…,"partyOrg":…,` per grid, written on first use. */
  grids: (GridPart | undefined)[];
  stations: (StationParts | undefined)[];
}

/**
 * An answer's text and its length in UTF-8 bytes, summed from the parts (Buffer.byteLength of
 * the joined text flattened and scanned it again: a tenth of the fast path's time).
 */
export interface JsonText {
  text: string;
  bytes: number;
}

const NO_GRID_TEXT = '"grid":null,"community":null,"worker":null,"partyOrg":null,';
const NO_GRID: GridPart = { text: NO_GRID_TEXT, bytes: NO_GRID_TEXT.length };
const partsByIndex = new WeakMap<LocateIndex, IndexParts>();

/** A number as JSON writes it (non-finite numbers are null there). */
const num = (n: number): string => (Number.isFinite(n) ? `${n}` : 'null');
const str = JSON.stringify;

function partsOf(index: LocateIndex): IndexParts {
  let parts = partsByIndex.get(index);
  if (!parts) {
    parts = { grids: new Array(index.gridInfo.length), stations: new Array(index.stations.length) };
    partsByIndex.set(index, parts);
  }
  return parts;
}

export function gridPart(grid: GridInfo): string {
  return (
    `"grid":${str({ code: grid.code, name: grid.name })},"community":${str(grid.community ?? null)},` +
    `"worker":${str(grid.worker ?? null)},"partyOrg":${str(grid.partyOrg ?? null)},`
  );
}

function stationParts(index: LocateIndex, i: number): StationParts {
  const parts = partsOf(index).stations;
  let p = parts[i];
  if (!p) {
    const s = index.stations[i]!;
    const head = `{"code":${str(s.code)},"name":${str(s.name)},"kind":${str(s.kind)},"lon":`;
    const mid = `,"address":${str(s.address)},"opening_hours":${str(s.opening_hours)},"openNow":`;
    const tail = `,"services":${str(s.services)},"phone":${str(s.phone)},"distanceM":`;
    const bytes = Buffer.byteLength(head) + Buffer.byteLength(mid) + Buffer.byteLength(tail);
    p = { head, wgs84: `${num(s.lon)},"lat":${num(s.lat)}`, mid, tail, bytes };
    parts[i] = p;
  }
  return p;
}

export interface Near {
  /** The station's position in index.stations. */
  index: number;
  distanceM: number;
}

/** The stations array and its UTF-8 length. */
function stationsJson(index: LocateIndex, near: readonly Near[], crs: PublicCrs, now: Date): JsonText {
  let out = '[';
  let partBytes = 0;
  for (let k = 0; k < near.length; k++) {
    const n = near[k]!;
    const s = index.stations[n.index]!;
    const p = stationParts(index, n.index);
    let lonLat = p.wgs84;
    if (crs !== 'wgs84') {
      const [lon, lat] = toCrs(s.lon, s.lat, crs);
      lonLat = `${num(lon)},"lat":${num(lat)}`;
    }
    const open = openNow(s.opening_hours, now);
    partBytes += p.bytes - p.head.length - p.mid.length - p.tail.length; // the parts' non-ASCII surplus
    out +=
      (k ? ',' : '') +
      p.head +
      lonLat +
      p.mid +
      `${open}` +
      p.tail +
      num(Math.round(n.distanceM * 10) / 10) +
      `,"walkMin":${num(walkMinutes(n.distanceM))}}`;
  }
  out += ']';
  // Everything outside the parts is ASCII (one byte a character).
  return { text: out, bytes: out.length + partBytes };
}

const pointJson = (lon: number, lat: number, crs: PublicCrs) =>
  `{"point":{"lon":${num(lon)},"lat":${num(lat)}},"crs":${str(crs)},`;

/** GET /api/public/locate's body: `grid` is the position in index.gridInfo, or -1 for none. */
export function locateJson(
  index: LocateIndex,
  point: { lon: number; lat: number; crs: PublicCrs },
  grid: number,
  near: readonly Near[],
  now: Date,
): JsonText {
  let card = NO_GRID;
  if (grid >= 0) {
    const grids = partsOf(index).grids;
    if (!grids[grid]) {
      const text = gridPart(index.gridInfo[grid]!);
      grids[grid] = { text, bytes: Buffer.byteLength(text) };
    }
    card = grids[grid];
  }
  const head = pointJson(point.lon, point.lat, point.crs);
  const stations = stationsJson(index, near, point.crs, now);
  return {
    text: `${head}${card.text}"stations":${stations.text}}`,
    bytes: head.length + card.bytes + 11 + stations.bytes + 1,
  };
}

/** GET /api/public/stations/nearest's body. */
export function nearestJson(
  index: LocateIndex,
  point: { lon: number; lat: number; crs: PublicCrs },
  near: readonly Near[],
  now: Date,
): JsonText {
  const head = pointJson(point.lon, point.lat, point.crs);
  const stations = stationsJson(index, near, point.crs, now);
  return { text: `${head}"stations":${stations.text}}`, bytes: head.length + 11 + stations.bytes + 1 };
}
