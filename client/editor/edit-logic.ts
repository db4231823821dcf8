/** Pure helpers of the editor: tags, rings, snapping, point-in-polygon. No DOM, no map. */
import type { MultiPolygon, Polygon, Position } from 'geojson';

/** One If-Match header naming every grid an edit touches: `"a.v1", "b.d3r2"`. */
export function ifMatchHeader(etags: readonly string[]): string {
  return etags.join(', ');
}

/** The single polygon of a grid, or null when it has several parts (the editor reshapes one ring set). */
export function singlePolygon(geometry: Polygon | MultiPolygon): Polygon | null {
  if (geometry.type === 'Polygon') return geometry;
  return geometry.coordinates.length === 1 ? { type: 'Polygon', coordinates: geometry.coordinates[0]! } : null;
}

/**
 * Put back the exact original coordinates of vertices the user did not move. The drawing
 * library rounds coordinates (to 1e-9°); a shared boundary must keep its exact vertices or the
 * neighbours would see a sliver.
 */
export function restoreUnmoved(edited: Polygon, original: Polygon, tolerance = 1e-8): Polygon {
  const originals = original.coordinates.flat();
  const restore = (p: Position): Position =>
    originals.find((o) => Math.abs(o[0]! - p[0]!) <= tolerance && Math.abs(o[1]! - p[1]!) <= tolerance) ?? p;
  return { type: 'Polygon', coordinates: edited.coordinates.map((ring) => ring.map(restore)) };
}

/** Ray casting; true inside the outer ring of any polygon and outside its holes. */
export function containsPoint(geometry: Polygon | MultiPolygon, [x, y]: Position): boolean {
  const inRing = (ring: Position[]) => {
    let inside = false;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i] as [number, number];
      const [xj, yj] = ring[j] as [number, number];
      if (yi > y! !== yj > y! && x! < ((xj - xi) * (y! - yi)) / (yj - yi) + xi) inside = !inside;
    }
    return inside;
  };
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  return polygons.some(([outer, ...holes]) => !!outer && inRing(outer) && !holes.some(inRing));
}

/**
 * The nearest candidate vertex within `tolerancePx` of a screen point, or undefined: snapping
 * a dragged or drawn vertex onto a neighbouring grid's vertex so boundaries stay shared.
 */
export function nearestVertex(
  point: { x: number; y: number },
  candidates: readonly Position[],
  project: (lon: number, lat: number) => { x: number; y: number },
  tolerancePx: number,
): Position | undefined {
  let best: Position | undefined;
  let bestDistance = tolerancePx;
  for (const candidate of candidates) {
    const p = project(candidate[0]!, candidate[1]!);
    const distance = Math.hypot(p.x - point.x, p.y - point.y);
    if (distance <= bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Call `fn` once `ms` have passed without another call; `cancel` drops a pending call. */
export function debounce<A extends unknown[]>(
  fn: (...args: A) => void,
  ms: number,
): ((...args: A) => void) & { cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const debounced = (...args: A) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
  debounced.cancel = () => clearTimeout(timer);
  return debounced;
}

/** A polygon worth previewing: a closed outer ring of at least three distinct corners. */
export function isPreviewable(polygon: Polygon): boolean {
  const ring = polygon.coordinates[0] ?? [];
  return new Set(ring.map((p) => `${p[0]},${p[1]}`)).size >= 3 && ring.length >= 4;
}

/** Every vertex of these outlines: what a drawn or dragged vertex may snap to. */
export function outlineVertices(geometries: Iterable<Polygon | MultiPolygon>): Position[] {
  const out: Position[] = [];
  for (const geometry of geometries) {
    const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
    for (const polygon of polygons) for (const ring of polygon) out.push(...ring);
  }
  return out;
}

/**
 * A changeset's time as the server writes it (`2026-11-23 14:35:12.5+00`) in the reader's
 * local time, `11-23 22:35`; the text unchanged when it does not parse.
 */
export function changesetTime(text: string): string {
  const iso = text.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00');
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return text;
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}`;
}
