/**
 * Short distances on the WGS84 ellipsoid by a local metric: degrees scaled by the meridian
 * (M) and prime-vertical (N) radii of curvature at the mean latitude. Up to a few km the
 * error against the geodesic is below 1e-6 (tests/unit/road-network.test.ts checks it
 * against geographiclib at 240 m and 2 km); longer segments use the true geodesic.
 */
import geodesic from 'geographiclib-geodesic';

const A = 6_378_137;
const F = 1 / 298.257223563;
const E2 = F * (2 - F);
const RAD = Math.PI / 180;
/** Above this a segment's length comes from geographiclib instead. */
const LOCAL_LIMIT_M = 5_000;

const WGS84 = geodesic.Geodesic.WGS84;

/** Metres per degree of longitude and of latitude at a latitude. */
export function metresPerDegree(lat: number): [number, number] {
  const s = Math.sin(lat * RAD);
  const w = Math.sqrt(1 - E2 * s * s);
  const n = A / w;
  const m = (A * (1 - E2)) / (w * w * w);
  return [n * Math.cos(lat * RAD) * RAD, m * RAD];
}

/** Distance in metres between two nearby points (local metric at their mean latitude). */
export function localDistanceM(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const [mx, my] = metresPerDegree((lat1 + lat2) / 2);
  return Math.hypot((lon2 - lon1) * mx, (lat2 - lat1) * my);
}

/** The true geodesic distance (geographiclib). */
export function geodesicDistanceM(lon1: number, lat1: number, lon2: number, lat2: number): number {
  return WGS84.Inverse(lat1, lon1, lat2, lon2, geodesic.Geodesic.DISTANCE).s12 ?? NaN;
}

/** Length of a straight road segment: local metric when short, geodesic when long. */
export function segmentLengthM(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const d = localDistanceM(lon1, lat1, lon2, lat2);
  return d < LOCAL_LIMIT_M ? d : geodesicDistanceM(lon1, lat1, lon2, lat2);
}
