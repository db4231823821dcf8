/**
 * The road layer as a graph for walking distances: every vertex of every line is a node,
 * every straight piece between two consecutive vertices is an edge (its length from
 * local-metric.ts). Lines join only where they share an identical vertex, so roads must be
 * noded at their crossings (as OpenStreetMap ways are); a bridge over a road without a
 * shared vertex stays a bridge.
 *
 * A point joins the network by a straight access leg to the nearest point of the nearest
 * edge, not of the nearest vertex. Access legs are capped (accessCapM, 100 m by default):
 * a point farther from every road is off the network.
 */
import Flatbush from 'flatbush';
import { metresPerDegree, segmentLengthM } from './local-metric.ts';
import { VertexTable } from './vertex-table.ts';
import type { FlatLines } from './read-line-wkb.ts';

export interface RoadGraph {
  nodeLon: Float64Array;
  nodeLat: Float64Array;
  /** Edges (straight pieces of road): end nodes and length in metres. */
  edgeA: Int32Array;
  edgeB: Int32Array;
  edgeLen: Float64Array;
  /** Adjacency in CSR form: the neighbours of node n are adjNode[adjStart[n] … adjStart[n+1]). */
  adjStart: Int32Array;
  adjNode: Int32Array;
  adjEdge: Int32Array;
  adjLen: Float64Array;
  /** Edge bounding boxes in degrees, for snapping; null when there are no edges. */
  edgeIndex: Flatbush | null;
  /** Longest access leg, metres. */
  accessCapM: number;
  /** Total length of all edges, metres. */
  lengthM: number;
}

export interface RoadGraphOptions {
  accessCapM?: number;
}

/** Where a point joins the network: edge, fraction along it from edgeA, access leg in metres. */
export interface Snap {
  edge: number;
  t: number;
  accessM: number;
}

export const DEFAULT_ACCESS_CAP_M = 100;

/** Build the graph from lines given as [lon, lat] positions (a MultiLineString is several lines). */
export function buildRoadGraph(lines: [number, number][][], options: RoadGraphOptions = {}): RoadGraph {
  let positions = 0;
  for (const line of lines) positions += line.length;
  const coords = new Float64Array(positions * 2);
  const starts = new Int32Array(lines.length + 1);
  let n = 0;
  for (const [k, line] of lines.entries()) {
    for (const p of line) {
      coords[n++] = p[0];
      coords[n++] = p[1];
    }
    starts[k + 1] = n / 2;
  }
  return buildRoadGraphFlat({ coords, starts }, options);
}

/** The same from flat coordinates (read-line-wkb.ts), without an array per position. */
export function buildRoadGraphFlat({ coords, starts }: FlatLines, options: RoadGraphOptions = {}): RoadGraph {
  const positions = starts[starts.length - 1] ?? 0;
  const vertices = new VertexTable(positions);
  const ea = new Int32Array(positions);
  const eb = new Int32Array(positions);
  let edges = 0;
  for (let k = 0; k + 1 < starts.length; k++) {
    let prev = -1;
    for (let p = starts[k]!; p < starts[k + 1]!; p++) {
      const id = vertices.id(coords[2 * p]!, coords[2 * p + 1]!);
      if (prev >= 0 && prev !== id) {
        ea[edges] = prev;
        eb[edges++] = id;
      }
      prev = id;
    }
  }
  const nodeLon = vertices.lon.slice(0, vertices.size);
  const nodeLat = vertices.lat.slice(0, vertices.size);
  const edgeA = ea.slice(0, edges);
  const edgeB = eb.slice(0, edges);
  const edgeLen = new Float64Array(edges);
  let lengthM = 0;
  const degree = new Int32Array(nodeLon.length + 1);
  for (let e = 0; e < edges; e++) {
    const a = edgeA[e]!;
    const b = edgeB[e]!;
    edgeLen[e] = segmentLengthM(nodeLon[a]!, nodeLat[a]!, nodeLon[b]!, nodeLat[b]!);
    lengthM += edgeLen[e]!;
    degree[a + 1]!++;
    degree[b + 1]!++;
  }
  const adjStart = new Int32Array(nodeLon.length + 1);
  for (let n = 0; n < nodeLon.length; n++) adjStart[n + 1] = adjStart[n]! + degree[n + 1]!;
  const fill = adjStart.slice(0, nodeLon.length);
  const adjNode = new Int32Array(2 * edges);
  const adjEdge = new Int32Array(2 * edges);
  const adjLen = new Float64Array(2 * edges);
  for (let e = 0; e < edges; e++) {
    const a = edgeA[e]!;
    const b = edgeB[e]!;
    adjNode[fill[a]!] = b;
    adjEdge[fill[a]!] = e;
    adjLen[fill[a]!++] = edgeLen[e]!;
    adjNode[fill[b]!] = a;
    adjEdge[fill[b]!] = e;
    adjLen[fill[b]!++] = edgeLen[e]!;
  }
  let edgeIndex: Flatbush | null = null;
  if (edges > 0) {
    edgeIndex = new Flatbush(edges);
    for (let e = 0; e < edges; e++) {
      const a = edgeA[e]!;
      const b = edgeB[e]!;
      edgeIndex.add(
        Math.min(nodeLon[a]!, nodeLon[b]!),
        Math.min(nodeLat[a]!, nodeLat[b]!),
        Math.max(nodeLon[a]!, nodeLon[b]!),
        Math.max(nodeLat[a]!, nodeLat[b]!),
      );
    }
    edgeIndex.finish();
  }
  return {
    nodeLon,
    nodeLat,
    edgeA,
    edgeB,
    edgeLen,
    adjStart,
    adjNode,
    adjEdge,
    adjLen,
    edgeIndex,
    accessCapM: options.accessCapM ?? DEFAULT_ACCESS_CAP_M,
    lengthM,
  };
}

/**
 * The nearest point of the nearest edge within the access cap, or null (off the network).
 * Projection in the local metric frame of the point: exact enough for legs of ≤ 100 m.
 */
export function snapToRoad(graph: RoadGraph, lon: number, lat: number): Snap | null {
  if (!graph.edgeIndex) return null;
  const [mx, my] = metresPerDegree(lat);
  const cap = graph.accessCapM;
  // A box a little larger than the cap, so no edge within the cap is missed.
  const dLon = (cap * 1.01 + 1) / mx;
  const dLat = (cap * 1.01 + 1) / my;
  let best: Snap | null = null;
  const { nodeLon, nodeLat, edgeA, edgeB } = graph;
  for (const e of graph.edgeIndex.search(lon - dLon, lat - dLat, lon + dLon, lat + dLat)) {
    const a = edgeA[e]!;
    const b = edgeB[e]!;
    const ax = (nodeLon[a]! - lon) * mx;
    const ay = (nodeLat[a]! - lat) * my;
    const bx = (nodeLon[b]! - lon) * mx;
    const by = (nodeLat[b]! - lat) * my;
    const dx = bx - ax;
    const dy = by - ay;
    const len2 = dx * dx + dy * dy;
    const t = len2 === 0 ? 0 : Math.min(1, Math.max(0, -(ax * dx + ay * dy) / len2));
    const d = Math.hypot(ax + t * dx, ay + t * dy);
    if (d <= cap && (!best || d < best.accessM || (d === best.accessM && e < best.edge)))
      best = { edge: e, t, accessM: d };
  }
  return best;
}
