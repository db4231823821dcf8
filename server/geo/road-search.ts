/**
 * Bounded Dijkstra over a RoadGraph, reusable across many searches: the distance array is
 * allocated once and only the nodes a search touched are reset, so a search costs what it
 * reaches (a few hundred nodes for a 3-minute walk), not the size of the city.
 */
import TinyQueue from 'tinyqueue';
import type { RoadGraph, Snap } from './road-graph.ts';

interface Entry {
  node: number;
  d: number;
}

export class BoundedSearch {
  /** Walking distance of each node from the seeds; Infinity when not reached. */
  readonly dist: Float64Array;
  /** Nodes reached by the last search. */
  touched: number[] = [];
  private readonly queue = new TinyQueue<Entry>([], (a, b) => a.d - b.d);

  constructor(private readonly graph: RoadGraph) {
    this.dist = new Float64Array(graph.nodeLon.length).fill(Infinity);
  }

  /** Forget the last search. */
  reset(): void {
    for (const n of this.touched) this.dist[n] = Infinity;
    this.touched = [];
  }

  /** Start a walk at a snapped point: both ends of its edge, after the access leg. */
  seedSnap(snap: Snap, bound: number): void {
    const len = this.graph.edgeLen[snap.edge]!;
    this.seed(this.graph.edgeA[snap.edge]!, snap.accessM + snap.t * len, bound);
    this.seed(this.graph.edgeB[snap.edge]!, snap.accessM + (1 - snap.t) * len, bound);
  }

  seed(node: number, d: number, bound: number): void {
    if (d > bound || d >= this.dist[node]!) return;
    if (this.dist[node] === Infinity) this.touched.push(node);
    this.dist[node] = d;
    this.queue.push({ node, d });
  }

  /** Settle every node within `bound` metres of the seeds. */
  run(bound: number): void {
    const { adjStart, adjNode, adjLen } = this.graph;
    const dist = this.dist;
    const queue = this.queue;
    while (queue.length) {
      const { node, d } = queue.pop()!;
      if (d > dist[node]!) continue;
      for (let k = adjStart[node]!, end = adjStart[node + 1]!; k < end; k++) {
        const next = adjNode[k]!;
        const nd = d + adjLen[k]!;
        if (nd <= bound && nd < dist[next]!) {
          if (dist[next] === Infinity) this.touched.push(next);
          dist[next] = nd;
          queue.push({ node: next, d: nd });
        }
      }
    }
  }

  /** Walking distance to a snapped point from the current search, given the seed's own snap (same edge: along it). */
  distanceTo(target: Snap, from: Snap | null): number {
    const len = this.graph.edgeLen[target.edge]!;
    let d = Math.min(
      this.dist[this.graph.edgeA[target.edge]!]! + target.t * len,
      this.dist[this.graph.edgeB[target.edge]!]! + (1 - target.t) * len,
    );
    if (from && from.edge === target.edge) d = Math.min(d, from.accessM + Math.abs(from.t - target.t) * len);
    return d + target.accessM;
  }
}
