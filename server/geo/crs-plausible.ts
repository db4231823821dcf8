/**
 * Refuses coordinates that cannot be in the declared system, naming the system they look like.
 * Surveyors' Shapefiles often lose their .prj and users then pick "WGS84": Gauss–Krüger metres
 * read as degrees would land nowhere (or, with a small easting, somewhere wrong), so we stop
 * and say what the numbers probably are. GCJ-02/BD-09 look exactly like WGS84 and cannot be
 * told apart here: they are declared, never guessed.
 */
import type { Position } from 'geojson';
import type { CrsName } from '../../common/contracts/interop.ts';
import { CrsError } from './crs-error.ts';
import { gaussKruger, gkEpsg, parseCrsName } from './crs-names.ts';

/** China spans about 3.8°N–53.6°N: Gauss–Krüger northings from ~0.4e6 to ~5.95e6 m. */
const NORTHING_MIN = 0.3e6;
const NORTHING_MAX = 6.1e6;
/** A 3-degree zone is ±1.5° wide (≤ ±170 km); a 6-degree one ±3° (≤ ±340 km). Offsets from 500 km. */
const EASTING_HALF_WIDTH = 340_000;

const EXAMPLE_CMS =
  'e.g. Beijing/Hebei 117°E = EPSG:4548, Shanghai 120°E = EPSG:4549, Guangzhou/Wuhan 114°E = EPSG:4547, Chengdu 105°E = EPSG:4544';

type Looks =
  | { kind: 'degrees' }
  | { kind: 'swapped' }
  | { kind: 'gk3'; zone: number }
  | { kind: 'gk6'; zone: number }
  | { kind: 'gk-no-prefix' }
  | { kind: 'unknown' };

function looksLike([x, y]: Position): Looks {
  if (x === undefined || y === undefined) return { kind: 'unknown' };
  if (Math.abs(x) <= 180 && Math.abs(y) <= 90) return { kind: 'degrees' };
  if (x >= 3 && x <= 54 && y >= 73 && y <= 136) return { kind: 'swapped' };
  if (y < NORTHING_MIN || y > NORTHING_MAX) return { kind: 'unknown' };
  const zone = Math.floor(x / 1e6);
  const offset = x - zone * 1e6 - 500000;
  if (Math.abs(offset) > EASTING_HALF_WIDTH) return { kind: 'unknown' };
  if (zone === 0) return { kind: 'gk-no-prefix' };
  if (zone >= 25 && zone <= 45) return { kind: 'gk3', zone };
  if (zone >= 13 && zone <= 23) return { kind: 'gk6', zone };
  return { kind: 'unknown' };
}

/** What coordinates like these probably are, in words (for messages). */
export function describeLikelyCrs(position: Position): string {
  const looks = looksLike(position);
  switch (looks.kind) {
    case 'degrees':
      return 'these look like degrees of longitude/latitude (WGS84 EPSG:4326, CGCS2000 EPSG:4490, or GCJ-02/BD-09 if they come from a Chinese web map)';
    case 'swapped':
      return 'these look like latitude/longitude in the wrong order: swap the columns (longitude first)';
    case 'gk3':
      return `these look like CGCS2000 3-degree Gauss–Krüger metres, zone ${looks.zone} (EPSG:${gkEpsg(looks.zone * 3, true)})`;
    case 'gk6':
      return `these look like 6-degree Gauss–Krüger metres, zone ${looks.zone} (CGCS2000 EPSG:${4491 + looks.zone - 13}), which this importer does not read: reproject to a 3-degree zone or to WGS84 first`;
    case 'gk-no-prefix':
      return `these look like CGCS2000 3-degree Gauss–Krüger metres without the zone prefix (EPSG:4534–4554, central meridian 75°E–135°E in 3° steps for China); the central meridian cannot be told from the numbers: choose your area's, ${EXAMPLE_CMS}`;
    case 'unknown':
      return 'they match none of WGS84/CGCS2000 degrees or CGCS2000 Gauss–Krüger metres for China';
  }
}

const fmt = (p: Position) => `(${p.slice(0, 2).join(', ')})`;

/** Why one position cannot be in `crs`, or undefined when it can. */
function problem(p: Position, crs: CrsName): string | undefined {
  const looks = looksLike(p);
  const gk = gaussKruger(Number(crs.slice(5)));
  if (!gk) {
    return looks.kind === 'degrees' ? undefined : `${fmt(p)} cannot be degrees in ${crs}: ${describeLikelyCrs(p)}`;
  }
  if (looks.kind === 'gk3' && gk.prefixed && looks.zone === gk.zone) return undefined;
  if (looks.kind === 'gk-no-prefix' && !gk.prefixed) return undefined;
  if (looks.kind === 'gk-no-prefix' && gk.prefixed) {
    return `${fmt(p)} has no zone prefix, but ${crs} is zone ${gk.zone} with the prefix: the same zone without it is EPSG:${gkEpsg(gk.centralMeridian, false)}`;
  }
  if (looks.kind === 'gk3' && !gk.prefixed && looks.zone === gk.zone) {
    return `${fmt(p)} carries the zone prefix ${looks.zone}, but ${crs} has none: declare EPSG:${gkEpsg(gk.centralMeridian, true)}`;
  }
  return `${fmt(p)} cannot be ${crs} (CGCS2000 3-degree Gauss–Krüger, central meridian ${gk.centralMeridian}°E${gk.prefixed ? `, zone ${gk.zone}` : ''}): ${describeLikelyCrs(p)}`;
}

/**
 * Throws CrsError 'crs_mismatch' (a 400 on 'crs' over HTTP) when sampled positions cannot be in `crs`:
 * projected-looking numbers declared as degrees, degrees declared as metres, a wrong zone or a
 * missing/extra zone prefix, latitude/longitude swapped. The message names the likely system.
 * @example checkPlausible([[39500000, 4370000]], 'EPSG:4326') // throws "… zone 39 (EPSG:4527)"
 */
export function checkPlausible(positions: Iterable<Position>, crs: CrsName): void {
  const name = parseCrsName(crs);
  let bad = 0;
  let total = 0;
  let first: string | undefined;
  for (const p of positions) {
    total++;
    const why = problem(p, name);
    if (why) {
      bad++;
      first ??= why;
    }
  }
  if (first) {
    const share = total > 1 ? ` (${bad} of ${total} sampled positions)` : '';
    throw new CrsError('crs_mismatch', `The coordinates do not fit ${name}${share}: ${first}`);
  }
}
