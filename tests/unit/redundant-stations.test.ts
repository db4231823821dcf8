/**
 * Redundant stations (冗余) on exact cases: reach from real geodesic distances (216 m, the
 * 3-minute walk at 1.2 m/s), redundancy judged within comparable kinds, one of a pair.
 *
 *   b0 ─ 150 m ─ b1 ─ 150 m ─ b2        (households 100 each)
 *   H1           H2, C        H3, R1    (帮办 points, the service centre, a 红色驿站)
 */
import { describe, expect, it } from 'vitest';
import geographiclib from 'geographiclib-geodesic';
import { reachStraightLine } from '../../server/geo/reach-straight-line.ts';
import { redundantStations } from '../../server/station-reach/redundant-stations.ts';
import type { StationKind } from '../../common/rules/station-kinds.ts';

const WGS84 = geographiclib.Geodesic.WGS84;
const ORIGIN: [number, number] = [116.7, 39.5];
/** The point `metres` east of the origin (on the ellipsoid). */
const east = (metres: number): [number, number] => {
  const p = WGS84.Direct(ORIGIN[1], ORIGIN[0], 90, metres);
  return [p.lon2!, p.lat2!];
};
const REACH_M = 216;

function judge(stations: { code: string; kind: StationKind; at: [number, number] }[], buildings: [number, number][]) {
  const reach = reachStraightLine(
    stations.map((s) => s.at),
    buildings,
    REACH_M,
  );
  return redundantStations({ stations, reach, buildings: buildings.map(() => ({ households: 100 })) });
}

describe('redundantStations', () => {
  it('two stations of one kind on the same spot: exactly one is redundant (the later code), not both', () => {
    const buildings = [east(0), east(50)];
    const result = judge(
      [
        { code: 'P1', kind: 'red_post', at: east(0) },
        { code: 'P2', kind: 'red_post', at: east(0) },
      ],
      buildings,
    );
    expect(result.redundant).toEqual(['P2']);
    expect(result.households).toEqual([200, 200]);
    expect(result.onlyHere).toEqual([0, 0]);
  });

  it('a service centre overlapped only by 帮办 points and 驿站 is not redundant; the posts are judged among themselves', () => {
    const buildings = [east(1000), east(1150), east(1300)];
    const result = judge(
      [
        { code: 'C', kind: 'party_service_center', at: east(1150) },
        { code: 'H1', kind: 'helper_post', at: east(1000) },
        { code: 'H2', kind: 'helper_post', at: east(1150) },
        { code: 'H3', kind: 'helper_post', at: east(1300) },
        { code: 'R1', kind: 'red_post', at: east(1300) },
      ],
      buildings,
    );
    // Buildings 150 m apart: C and H2 reach all three; H1, H3 and R1 reach two each (300 m > 216 m).
    expect(result.households).toEqual([300, 200, 300, 200, 200]);
    expect(result.onlyHere[0]).toBe(300); // no other centre reaches them
    expect(result.redundant).not.toContain('C');
    // Posts: H2 reaches all three, so H1, H3 and R1 could all go; closing the smallest first
    // (R1, H3, H1 by code) leaves H2 as the one post, and H2 itself is then needed.
    expect(result.redundant).toEqual(['H1', 'H3', 'R1']);
  });

  it('a centre fully overlapped by another centre is redundant, the other one is not', () => {
    const buildings = [east(3000), east(3050)];
    const result = judge(
      [
        { code: 'C1', kind: 'party_service_center', at: east(3025) },
        { code: 'C2', kind: 'convenience_center', at: east(3000) },
        { code: 'H', kind: 'helper_post', at: east(3025) },
      ],
      buildings,
    );
    expect(result.redundant).toEqual(['C2']);
  });

  it('a station that reaches households nobody else of its tier reaches is never redundant', () => {
    const result = judge(
      [
        { code: 'R', kind: 'red_post', at: east(5000) },
        { code: 'C', kind: 'party_service_center', at: east(5000) },
      ],
      [east(5000)],
    );
    expect(result.onlyHere).toEqual([100, 100]);
    expect(result.redundant).toEqual([]);
  });
});
