/**
 * .prj files: which of our systems a WKT describes (read from its parameters, so an ESRI
 * "CGCS2000_3_Degree_GK_CM_117E", an OGC "CGCS2000 / 3-degree Gauss-Kruger zone 39" and a
 * WKT2 PROJCRS all work), and the ESRI WKT we write beside an exported Shapefile.
 */
import type { CrsName } from '../../common/contracts/interop.ts';
import { gaussKruger, gkEpsg, parseCrsName } from './crs-names.ts';
import { findNode, normName, parseWkt, wktEpsg, wktParams, type WktNode } from './wkt-crs.ts';

export interface PrjReading {
  crs?: CrsName;
  /** Why no crs was recognised, for the import report's warnings. */
  reason?: string;
}

const CGCS_NAMES = ['china2000', 'cgcs2000', 'chinageodeticcoordinatesystem2000', 'dchina2000'];
const WGS_NAMES = ['wgs84', 'wgs1984', 'dwgs1984', 'worldgeodeticsystem1984'];

const nameOf = (n: WktNode | undefined) => (n && typeof n.values[0] === 'string' ? normName(n.values[0]) : '');
const isOneOf = (name: string, names: string[]) => names.some((n) => name.includes(n));

/** The datum family of a geographic node: 'cgcs2000', 'wgs84', 'gcj02', 'bd09' or the datum's own name. */
function datumOf(geog: WktNode): string {
  const name = nameOf(geog);
  const datum = nameOf(findNode(geog, ['DATUM', 'GEODETICDATUM', 'TRF']));
  if (name.includes('gcj')) return 'gcj02';
  if (name.includes('bd09')) return 'bd09';
  if (isOneOf(name, CGCS_NAMES) || isOneOf(datum, CGCS_NAMES)) return 'cgcs2000';
  if (isOneOf(name, WGS_NAMES) || isOneOf(datum, WGS_NAMES)) return 'wgs84';
  return datum || name || 'unknown';
}

/** Reads a .prj (WKT1 ESRI/OGC or WKT2) and names the system, or says why it cannot. */
export function readPrj(wkt: string): PrjReading {
  const root = parseWkt(wkt.replace(/^\uFEFF/, ''));
  if (!root) return { reason: 'the .prj is not WKT' };
  const epsg = wktEpsg(root);
  if (['PROJCS', 'PROJCRS', 'PROJECTEDCRS'].includes(root.keyword)) {
    const geog = findNode(root, ['GEOGCS', 'BASEGEOGCRS', 'BASEGEODCRS', 'GEOGCRS', 'GEODCRS']);
    const datum = geog ? datumOf(geog) : 'unknown';
    const params = wktParams(root);
    const method = nameOf(findNode(root, ['PROJECTION', 'METHOD']));
    const cm =
      params.get('centralmeridian') ?? params.get('longitudeofnaturalorigin') ?? params.get('longitudeofcenter');
    const fe = params.get('falseeasting');
    const k = params.get('scalefactor') ?? params.get('scalefactoratnaturalorigin') ?? 1;
    const lat0 = params.get('latitudeoforigin') ?? params.get('latitudeofnaturalorigin') ?? 0;
    const fn = params.get('falsenorthing') ?? 0;
    if (datum !== 'cgcs2000') {
      return {
        reason: `the .prj's projection is on the "${datum}" datum; only CGCS2000 Gauss–Krüger is supported (Beijing 1954 and Xi'an 1980 differ by up to ~100 m)`,
      };
    }
    if (cm !== undefined && fe !== undefined) {
      const tmerc = method.includes('transversemercator') || method.includes('gausskruger');
      if (!tmerc || Math.abs(k - 1) > 1e-12 || lat0 !== 0 || fn !== 0) {
        return {
          reason: `the .prj's projection (${method || 'unnamed'}, scale ${k}) is not a CGCS2000 3-degree Gauss–Krüger zone`,
        };
      }
      const prefixed = fe !== 500000;
      const code = gkEpsg(cm, prefixed);
      if (code === undefined || (prefixed && fe !== (cm / 3) * 1e6 + 500000)) {
        const sixDegree = Number.isInteger((cm + 3) / 6) ? ' (a 6-degree zone?)' : '';
        return {
          reason: `the .prj's Gauss–Krüger central meridian ${cm}° with false easting ${fe} is not a 3-degree zone 25–45${sixDegree}`,
        };
      }
      return { crs: `EPSG:${code}` };
    }
    if (epsg !== undefined && gaussKruger(epsg)) return { crs: `EPSG:${epsg}` };
    return { reason: 'the .prj names a projection without central meridian and false easting' };
  }
  if (['GEOGCS', 'GEOGCRS', 'GEODCRS', 'GEOGRAPHICCRS'].includes(root.keyword)) {
    const datum = datumOf(root);
    if (datum === 'cgcs2000') return { crs: 'EPSG:4490' };
    if (datum === 'wgs84') return { crs: 'EPSG:4326' };
    if (datum === 'gcj02') return { crs: 'GCJ-02' };
    if (datum === 'bd09') return { crs: 'BD-09' };
    if (epsg === 4326 || epsg === 4490) return { crs: `EPSG:${epsg}` };
    return { reason: `the .prj's datum "${datum}" is neither WGS84 nor CGCS2000` };
  }
  return { reason: `the .prj's ${root.keyword} is not a coordinate system this importer reads` };
}

/** The system a .prj declares, or undefined when it is none of ours (readPrj says why). */
export function crsFromPrj(wkt: string): CrsName | undefined {
  return readPrj(wkt).crs;
}

const DEGREE = 'UNIT["Degree",0.0174532925199433]';
const GCS_CGCS2000 = `GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],${DEGREE}]`;
const GCS_WGS84 = `GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],${DEGREE}]`;

/**
 * ESRI WKT for an exported .prj (what ArcGIS and QGIS read). GCJ-02 and BD-09 have no datum
 * of their own: they are written as WGS84 geographic systems named "GCJ_02"/"BD_09", so that
 * readPrj recognises them again and other software at least sees degrees.
 */
export function prjOf(crs: CrsName): string {
  const name = parseCrsName(crs);
  if (name === 'EPSG:4326') return GCS_WGS84;
  if (name === 'EPSG:4490') return GCS_CGCS2000;
  if (name === 'GCJ-02' || name === 'BD-09') return GCS_WGS84.replace('GCS_WGS_1984', name.replace('-', '_'));
  const gk = gaussKruger(Number(name.slice(5)))!;
  const title = gk.prefixed ? `CGCS2000_3_Degree_GK_Zone_${gk.zone}` : `CGCS2000_3_Degree_GK_CM_${gk.centralMeridian}E`;
  return (
    `PROJCS["${title}",${GCS_CGCS2000},PROJECTION["Gauss_Kruger"],` +
    `PARAMETER["False_Easting",${gk.falseEasting.toFixed(1)}],PARAMETER["False_Northing",0.0],` +
    `PARAMETER["Central_Meridian",${gk.centralMeridian.toFixed(1)}],PARAMETER["Scale_Factor",1.0],` +
    `PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]`
  );
}
