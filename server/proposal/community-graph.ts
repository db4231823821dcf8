/**
 * One community's unit graph as a draft (or the published map) sees it: faces from PostGIS
 * (units.queries.ts), described (face-attributes.ts), glued and matched in TS
 * (build-unit-graph.ts). The faces are kept so that assemble.ts can union them into outlines.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { GridSource } from '../validation/grid-source.ts';
import { buildUnitGraph, type AlongInput, type FaceInput } from './build-unit-graph.ts';
import { readLineWkbRun } from '../geo/read-line-wkb.ts';
import { ringSetFromWkb } from '../geo/read-wkb.ts';
import { readFaces } from './units.queries.ts';
import { faceAttributes } from './face-attributes.ts';
import type { ProposalMode } from '../../common/contracts/proposals.ts';
import type { RoadClass, UnitGraph } from './unit-graph.ts';

export interface CommunityGraph {
  graph: UnitGraph;
  faces: FaceInput[];
  /** Unit of each face. */
  faceUnit: Int32Array;
}

export async function communityGraph(
  db: Kysely<DB>,
  community: string,
  source: GridSource,
  mode: ProposalMode,
): Promise<CommunityGraph> {
  const rebalance = mode === 'rebalance';
  const rows = await readFaces(db, community, source, rebalance);
  const { attributes, rings } = faceAttributes(
    rows.faces,
    rows.buildings,
    rows.grids.filter((g) => g.grid_kind !== 'commercial'),
    rows.compounds,
  );
  const all: FaceInput[] = rows.faces.map((f, i) => ({ wkb: f.wkb, rings: rings[i]!, ...attributes[i]! }));
  const along: AlongInput = {
    roads: rows.roads.map((r) => ({ id: r.id, class: r.class as RoadClass, coords: readLineWkbRun(r.wkb).coords })),
    compoundRings: rows.compounds.flatMap((c) => ringSetFromWkb('compound', c.wkb).rings),
  };
  const options = { gridsFixed: rebalance };
  const first = buildUnitGraph(community, all, along, options);
  if (!rebalance) return { graph: first.graph, faces: all, faceUnit: first.faceUnit };
  // 调整 leaves an empty gap as it is (a digitising gap: the tiling check reports it and 修复
  // gives it to a grid), so no grid changes only because it borders one. A gap where people
  // live (e.g. a grid the draft retired) must be gridded, so it stays in (ADR 0020).
  const dropped = emptyGaps(first.graph);
  if (dropped.size === 0) return { graph: first.graph, faces: all, faceUnit: first.faceUnit };
  const faces = all.filter((_, i) => !dropped.has(first.faceUnit[i]!));
  const { graph, faceUnit } = buildUnitGraph(community, faces, along, options);
  return { graph, faces, faceUnit };
}

/** Units of the connected pieces of gap (no grid today) that hold no households. */
export function emptyGaps(graph: UnitGraph): Set<number> {
  const gap = (u: number) => graph.units[u]!.current === null;
  const next = new Map<number, number[]>();
  for (const e of graph.edges) {
    if (!gap(e.a) || !gap(e.b)) continue;
    next.set(e.a, [...(next.get(e.a) ?? []), e.b]);
    next.set(e.b, [...(next.get(e.b) ?? []), e.a]);
  }
  const seen = new Set<number>();
  const dropped = new Set<number>();
  for (const start of graph.units) {
    if (!gap(start.id) || seen.has(start.id)) continue;
    const piece = [start.id];
    seen.add(start.id);
    for (let i = 0; i < piece.length; i++)
      for (const v of next.get(piece[i]!) ?? [])
        if (!seen.has(v)) {
          seen.add(v);
          piece.push(v);
        }
    if (piece.every((u) => graph.units[u]!.households === 0)) for (const u of piece) dropped.add(u);
  }
  return dropped;
}
