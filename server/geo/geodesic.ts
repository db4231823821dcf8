/**
 * Geodesic distances on the WGS84 ellipsoid (GeographicLib), and the cheap local bounds
 * that let a spatial index reject or accept most pairs without calling it (trap 3: lon/lat
 * degrees are not distances).
 */
import geographiclib from 'geographiclib-geodesic';

const { Geodesic } = geographiclib;
const WGS84 = Geodesic.WGS84;
const A = 6378137;
const F = 1 / 298.257223563;
const E2 = F * (2 - F);
const RAD = Math.PI / 180;

export type LonLat = readonly [number, number];

/** Geodesic distance in metres between two lon/lat points (WGS84 ellipsoid). */
export function geodesicDistanceM(a: LonLat, b: LonLat): number {
  return WGS84.Inverse(a[1], a[0], b[1], b[0], Geodesic.DISTANCE).s12!;
}

/** Metres per degree of latitude and of longitude at latitude `lat` (ellipsoidal radii). */
export function metresPerDegree(lat: number): { lat: number; lon: number } {
  const s = Math.sin(lat * RAD);
  const w = 1 - E2 * s * s;
  return { lat: (RAD * A * (1 - E2)) / (w * Math.sqrt(w)), lon: (RAD * A * Math.cos(lat * RAD)) / Math.sqrt(w) };
}

/**
 * A lon/lat box that contains every point within `radiusM` (geodesic) of `p`. Degrees of
 * latitude are never shorter than 110,574 m; degrees of longitude are widest apart at the
 * box's most poleward latitude; 1 % margin on top. Valid for radii up to a few hundred km
 * away from the poles, which is all a walking reach needs.
 */
export function degreeBox(p: LonLat, radiusM: number): [number, number, number, number] {
  const dLat = (radiusM / 110_574) * 1.01;
  const poleward = Math.min(89.9, Math.abs(p[1]) + dLat);
  const dLon =
    (radiusM / ((RAD * A * Math.cos(poleward * RAD)) / Math.sqrt(1 - E2 * Math.sin(poleward * RAD) ** 2))) * 1.01;
  return [p[0] - dLon, p[1] - dLat, p[0] + dLon, p[1] + dLat];
}

/**
 * A geodesic circle as a closed polygon ring: `segments` vertices exactly `radiusM` from the
 * centre (GeographicLib Direct), counter-clockwise from north. The chords lie inside the
 * circle by at most radiusM × (1 − cos(π / segments)): 0.29 m for 240 m and 64 segments.
 */
export function geodesicCircle(centre: LonLat, radiusM: number, segments = 64): [number, number][] {
  const ring: [number, number][] = [];
  for (let i = 0; i < segments; i++) {
    const azimuth = -(360 * i) / segments; // negative azimuths turn counter-clockwise
    const p = WGS84.Direct(centre[1], centre[0], azimuth, radiusM);
    ring.push([p.lon2!, p.lat2!]);
  }
  ring.push(ring[0]!);
  return ring;
}
