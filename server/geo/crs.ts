/**
 * The coordinate systems Chinese offices hand us, and the way to and from WGS84.
 *
 * - EPSG:4326 (WGS84) and EPSG:4490 (CGCS2000 geographic) are both taken as WGS84: the two
 *   frames differ by a few centimetres in China today, below what a grid boundary means.
 * - EPSG:4513–4533: CGCS2000 3-degree Gauss–Krüger zones 25–45 (central meridian 3·zone,
 *   false easting zone·1e6 + 500000, i.e. the zone number prefixed to the easting).
 *   EPSG:4534–4554: the same projections by central meridian 75°E–135°E, no prefix.
 *   Computed with proj4 on the GRS80 (= CGCS2000) ellipsoid; eastings are x, northings y.
 * - GCJ-02 and BD-09: the obfuscated offsets of Chinese web maps (500–1,200 m), converted
 *   with gcoord. They cannot be recognised from the numbers, so the user must declare them.
 *
 * Pure: no Express, no SQL. A refusal is a CrsError (crs-error.ts); the HTTP layer answers it with a 400.
 * See docs/adr/0007-coordinate-systems.md.
 */
import proj4 from 'proj4';
import gcoord, { type CRSTypes } from 'gcoord';
import type { Geometry, Position } from 'geojson';
import type { CrsName } from '../../common/contracts/interop.ts';
import { epsgOf, gaussKruger, parseCrsName, type GaussKruger } from './crs-names.ts';

export type PositionTransform = (position: Position) => Position;

const LONLAT_GRS80 = '+proj=longlat +ellps=GRS80 +no_defs';

/** proj4 definition of a Gauss–Krüger system. */
export function proj4Definition(gk: GaussKruger): string {
  return `+proj=tmerc +lat_0=0 +lon_0=${gk.centralMeridian} +k=1 +x_0=${gk.falseEasting} +y_0=0 +ellps=GRS80 +units=m +no_defs`;
}

const identity: PositionTransform = (p) => [...p];

function gcoordTransform(from: CRSTypes, to: CRSTypes): PositionTransform {
  return (p) => {
    const [x, y] = gcoord.transform([p[0]!, p[1]!], from, to) as [number, number];
    return p.length > 2 ? [x, y, ...p.slice(2)] : [x, y];
  };
}

function proj4Transform(crs: CrsName, inverse: boolean): PositionTransform {
  const gk = gaussKruger(epsgOf(crs)!)!;
  const converter = proj4(proj4Definition(gk), LONLAT_GRS80);
  return (p) => {
    const [x, y] = (inverse ? converter.inverse([p[0]!, p[1]!]) : converter.forward([p[0]!, p[1]!])) as [
      number,
      number,
    ];
    return p.length > 2 ? [x, y, ...p.slice(2)] : [x, y];
  };
}

/** A transform from `crs` to WGS84 lon/lat. */
export function toWgs84(crs: CrsName): PositionTransform {
  const name = parseCrsName(crs);
  if (name === 'EPSG:4326' || name === 'EPSG:4490') return identity;
  if (name === 'GCJ-02') return gcoordTransform(gcoord.GCJ02, gcoord.WGS84);
  if (name === 'BD-09') return gcoordTransform(gcoord.BD09, gcoord.WGS84);
  return proj4Transform(name, false);
}

/** A transform from WGS84 lon/lat to `crs`. */
export function fromWgs84(crs: CrsName): PositionTransform {
  const name = parseCrsName(crs);
  if (name === 'EPSG:4326' || name === 'EPSG:4490') return identity;
  if (name === 'GCJ-02') return gcoordTransform(gcoord.WGS84, gcoord.GCJ02);
  if (name === 'BD-09') return gcoordTransform(gcoord.WGS84, gcoord.BD09);
  return proj4Transform(name, true);
}

/** A new geometry with every position passed through `transform` (GeometryCollections included). */
export function reprojectGeometry<G extends Geometry>(geometry: G, transform: PositionTransform): G {
  const g = geometry as Geometry;
  switch (g.type) {
    case 'Point':
      return { ...g, coordinates: transform(g.coordinates) } as G;
    case 'MultiPoint':
    case 'LineString':
      return { ...g, coordinates: g.coordinates.map(transform) } as G;
    case 'MultiLineString':
    case 'Polygon':
      return { ...g, coordinates: g.coordinates.map((ring) => ring.map(transform)) } as G;
    case 'MultiPolygon':
      return { ...g, coordinates: g.coordinates.map((poly) => poly.map((ring) => ring.map(transform))) } as G;
    case 'GeometryCollection':
      return { ...g, geometries: g.geometries.map((child) => reprojectGeometry(child, transform)) } as G;
  }
}

/** Calls `visit` for every position of a geometry, stopping when it returns false. */
export function eachPosition(geometry: Geometry, visit: (p: Position) => boolean | void): boolean {
  switch (geometry.type) {
    case 'Point':
      return visit(geometry.coordinates) !== false;
    case 'MultiPoint':
    case 'LineString':
      for (const p of geometry.coordinates) if (visit(p) === false) return false;
      return true;
    case 'MultiLineString':
    case 'Polygon':
      for (const line of geometry.coordinates) for (const p of line) if (visit(p) === false) return false;
      return true;
    case 'MultiPolygon':
      for (const poly of geometry.coordinates)
        for (const ring of poly) for (const p of ring) if (visit(p) === false) return false;
      return true;
    case 'GeometryCollection':
      for (const child of geometry.geometries) if (!eachPosition(child, visit)) return false;
      return true;
  }
}

/** Up to `max` positions spread over the geometries (the first position of each, then more), for checkPlausible. */
export function samplePositions(geometries: Iterable<Geometry | null>, max = 2000): Position[] {
  const out: Position[] = [];
  for (const g of geometries) {
    if (!g) continue;
    let taken = 0;
    eachPosition(g, (p) => {
      out.push(p);
      return ++taken < 4 && out.length < max;
    });
    if (out.length >= max) break;
  }
  return out;
}

// The names, the .prj reader/writer and the plausibility check live beside this file; import them from here.
export {
  ACCEPTED_CRS_TEXT,
  epsgOf,
  gaussKruger,
  gkEpsg,
  isGeographic,
  parseCrsName,
  type GaussKruger,
} from './crs-names.ts';
export { CrsError } from './crs-error.ts';
export { crsFromPrj, prjOf, readPrj } from './crs-prj.ts';
export { checkPlausible, describeLikelyCrs } from './crs-plausible.ts';
