/**
 * Regions → grid outlines, in Node (issue 19, ADR 0020). A region's outline is the union of
 * its faces (server/geo/union-faces.ts): faces of one polygonize share their noded edges
 * exactly, so the shared edges cancel and neighbouring outlines share theirs vertex for
 * vertex; the proposal tiles the area divided by construction. Coordinates are rounded to
 * the stored grid (STORE_DECIMALS, ADR 0011) as stOnGrid does; the faces are already on the
 * 1e-10° noding grid, so no vertex moves. Area is the sum of the faces' areas (face-attributes.ts),
 * perimeter the boundary's length by the local metric. PostGIS's ST_Union of the same faces
 * took two thirds of a community's assembly query.
 *
 * Also what each outline holds of each polygon building the lines cross, from the faces it
 * spans, for counting buildings cut (propose-community.ts).
 */
import type { MultiPolygon } from 'geojson';
import { STORE_DECIMALS } from '../db/precision.ts';
import { localDistanceM } from '../geo/local-metric.ts';
import { ringSetFromWkb } from '../geo/read-wkb.ts';
import type { FlatRing } from '../geo/match-edges.ts';
import { unionFaces } from '../geo/union-faces.ts';

export interface AssembleFace {
  wkb: Uint8Array;
  /** The rings read from wkb, when already read. */
  rings?: FlatRing[];
  /** Index of the outline the face belongs to. */
  outline: number;
  areaM2: number;
  /** Polygon buildings the face is part of. */
  spans: readonly number[];
}

export interface AssembledOutline {
  outline: number;
  geometry: MultiPolygon;
  areaM2: number;
  perimeterM: number;
}

/** building id → outline → m² of the building the outline holds. */
export type BuildingParts = Map<number, Map<number, number>>;

const onGrid = (v: number) => Number(v.toFixed(STORE_DECIMALS));

export function assembleOutlines(faces: readonly AssembleFace[]): {
  outlines: AssembledOutline[];
  parts: BuildingParts;
} {
  const byOutline = new Map<number, AssembleFace[]>();
  const parts: BuildingParts = new Map();
  for (const face of faces) {
    const list = byOutline.get(face.outline);
    if (list) list.push(face);
    else byOutline.set(face.outline, [face]);
    for (const building of face.spans) addPart(parts, building, face.outline, face.areaM2);
  }
  const outlines: AssembledOutline[] = [];
  for (const [outline, list] of [...byOutline].sort((a, b) => a[0] - b[0])) {
    const { polygons, boundary } = unionFaces(list.map((f) => f.rings ?? ringSetFromWkb('face', f.wkb).rings));
    let perimeterM = 0;
    for (let i = 0; i < boundary.length; i += 4)
      perimeterM += localDistanceM(boundary[i]!, boundary[i + 1]!, boundary[i + 2]!, boundary[i + 3]!);
    outlines.push({
      outline,
      geometry: {
        type: 'MultiPolygon',
        coordinates: polygons.map((p) => p.map((ring) => ring.map(([x, y]) => [onGrid(x!), onGrid(y!)]))),
      },
      areaM2: list.reduce((s, f) => s + f.areaM2, 0),
      perimeterM,
    });
  }
  return { outlines, parts };
}

export function addPart(parts: BuildingParts, building: number, outline: number, areaM2: number): void {
  let held = parts.get(building);
  if (!held) parts.set(building, (held = new Map()));
  held.set(outline, (held.get(outline) ?? 0) + areaM2);
}

/**
 * A building counts as cut when two outlines each hold more than this much of it (m²): an
 * outline snapped to the 1e-10° grid runs up to 7e-11° inside a full-precision footprint, and
 * the interior test alone would call that sliver of a neighbour a cut.
 */
export const CUT_MIN_M2 = 0.01;

/** Buildings two or more outlines each hold more than CUT_MIN_M2 of. */
export function buildingsCut(parts: BuildingParts): number {
  let cut = 0;
  for (const held of parts.values()) {
    let holders = 0;
    for (const m2 of held.values()) if (m2 > CUT_MIN_M2) holders++;
    if (holders > 1) cut++;
  }
  return cut;
}
