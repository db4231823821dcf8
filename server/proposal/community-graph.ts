/**
 * One community's unit graph as a draft (or the published map) sees it: faces from PostGIS
 * (units.queries.ts), glued and matched in TS (build-unit-graph.ts). The faces are kept so
 * that assemble.queries.ts can union them into outlines.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { GridSource } from '../validation/grid-source.ts';
import { buildUnitGraph, type FaceInput, type PieceInput } from './build-unit-graph.ts';
import { readFaces } from './units.queries.ts';
import type { ProposalMode } from '../../common/contracts/proposals.ts';
import type { RoadClass, UnitGraph } from './unit-graph.ts';

export interface CommunityGraph {
  graph: UnitGraph;
  faces: FaceInput[];
  /** Unit of each face. */
  faceUnit: Int32Array;
}

const ids = (list: string | null): number[] => (list ? list.split(',').map(Number) : []);

export async function communityGraph(
  db: Kysely<DB>,
  community: string,
  source: GridSource,
  mode: ProposalMode,
): Promise<CommunityGraph> {
  const rebalance = mode === 'rebalance';
  const rows = await readFaces(db, community, source, rebalance);
  const faces: FaceInput[] = rows.faces.map((f) => ({
    wkb: f.wkb,
    areaM2: f.area,
    lon: f.lon,
    lat: f.lat,
    current: f.current,
    compound: f.compound,
    households: f.households,
    buildings: f.buildings,
    spans: ids(f.spans),
  }));
  const pieces: PieceInput[] = rows.pieces.map((p) => ({
    wkb: p.wkb,
    roads: ids(p.roads),
    classes: (p.classes ? p.classes.split(',') : []) as RoadClass[],
    alongCompound: p.along_compound === true,
  }));
  const { graph, faceUnit } = buildUnitGraph(community, faces, pieces, { gridsFixed: rebalance });
  return { graph, faces, faceUnit };
}
