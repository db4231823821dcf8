/**
 * The board's map, drawn from the district's own layers (no tiles from outside): the grid
 * filled and outlined heavily, its neighbours with their names, the community outline,
 * compounds (小区), buildings, roads with names, water and green, the nearest stations as
 * numbered markers, a north arrow and a scale bar. Greys only: it prints in black and white.
 * Pure: coordinates in, primitives out (local equirectangular projection at the map's centre,
 * which at a few hundred metres distorts less than a printer does).
 */
import type { MultiPolygon, Polygon, Position } from 'geojson';
import type { BoardData, LonLatBox } from './board-data.ts';
import type { DrawItem, MeasureText, Point, TextItem } from './board-draw.ts';
import { boardTitle } from './board-title.ts';

const M_PER_DEG_LAT = 111_320;

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** The lon/lat box a map of `box`'s shape shows around `bbox`: padded, then widened to the box's aspect. */
export function mapExtent(bbox: LonLatBox, box: { w: number; h: number }): LonLatBox {
  const [minLon, minLat, maxLon, maxLat] = bbox;
  const cos = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  const cx = (minLon + maxLon) / 2;
  const cy = (minLat + maxLat) / 2;
  // Half sizes in metres, padded by a third and at least 120 m so the neighbours show.
  let hw = Math.max(((maxLon - minLon) / 2) * cos * M_PER_DEG_LAT * 1.35, 120);
  let hh = Math.max(((maxLat - minLat) / 2) * M_PER_DEG_LAT * 1.35, 120);
  if (hw / hh < box.w / box.h) hw = (hh * box.w) / box.h;
  else hh = (hw * box.h) / box.w;
  const dLon = hw / (cos * M_PER_DEG_LAT);
  const dLat = hh / M_PER_DEG_LAT;
  return [cx - dLon, cy - dLat, cx + dLon, cy + dLat];
}

/** Lon/lat to points in the box (north up). */
export function projector(extent: LonLatBox, box: Box): (p: Position) => Point {
  const [minLon, minLat, maxLon, maxLat] = extent;
  const cos = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  const scale = Math.min(box.w / ((maxLon - minLon) * cos), box.h / (maxLat - minLat));
  return (p) => [box.x + (p[0]! - minLon) * cos * scale, box.y + (maxLat - p[1]!) * scale];
}

/** Metres per point on the map. */
function metresPerPoint(extent: LonLatBox, box: Box): number {
  return ((extent[3] - extent[1]) * M_PER_DEG_LAT) / box.h;
}

const polygonRings = (g: Polygon | MultiPolygon): Position[][] =>
  g.type === 'Polygon' ? g.coordinates : g.coordinates.flat();

interface Rect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}
const overlaps = (a: Rect, b: Rect) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

/** Labels that do not collide with each other or with reserved areas (markers, legend). */
class LabelSpace {
  private readonly taken: Rect[] = [];
  constructor(private readonly box: Box) {}
  reserve(r: Rect): void {
    this.taken.push(r);
  }
  /** Takes the rectangle if it is inside the map and free. */
  claim(r: Rect): boolean {
    const b = this.box;
    if (r.x0 < b.x + 2 || r.y0 < b.y + 2 || r.x1 > b.x + b.w - 2 || r.y1 > b.y + b.h - 2) return false;
    if (this.taken.some((t) => overlaps(t, r))) return false;
    this.taken.push(r);
    return true;
  }
}

/** A centred label with its bounds (unrotated). */
function centredLabel(measure: MeasureText, text: string, at: Point, size: number, bold = false) {
  const w = measure(text, size, bold);
  const rect = { x0: at[0] - w / 2 - 2, y0: at[1] - size * 0.75, x1: at[0] + w / 2 + 2, y1: at[1] + size * 0.45 };
  const item: TextItem = { t: 'text', x: at[0] - w / 2, y: at[1] + size * 0.35, text, size, bold };
  return { item, rect, w };
}

const ROAD_WIDTH: Record<string, number> = { arterial: 5, secondary: 3.6, local: 2.4, service: 1.4 };
const ROAD_RANK: Record<string, number> = { arterial: 0, secondary: 1, local: 2, service: 3 };

/** The longest projected segment of a line inside the box: where its name goes. */
function longestSegment(points: Point[], box: Box): [Point, Point] | undefined {
  let best: [Point, Point] | undefined;
  let bestLen = 0;
  const inside = (p: Point) => p[0] > box.x && p[0] < box.x + box.w && p[1] > box.y && p[1] < box.y + box.h;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]!;
    const b = points[i]!;
    if (!inside(a) || !inside(b)) continue;
    const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
    if (len > bestLen) {
      bestLen = len;
      best = [a, b];
    }
  }
  return best;
}

/** Road names along the roads, each name once, major roads first. */
function roadLabels(
  data: BoardData,
  project: (p: Position) => Point,
  box: Box,
  measure: MeasureText,
  space: LabelSpace,
) {
  const items: DrawItem[] = [];
  const byName = new Map<string, { rank: number; seg: [Point, Point]; len: number }>();
  for (const road of data.base.roads) {
    if (!road.name || road.class === 'service') continue;
    const seg = longestSegment(road.geometry.coordinates.map(project), box);
    if (!seg) continue;
    const len = Math.hypot(seg[1][0] - seg[0][0], seg[1][1] - seg[0][1]);
    const rank = ROAD_RANK[road.class ?? 'local'] ?? 2;
    const had = byName.get(road.name);
    if (!had || len > had.len) byName.set(road.name, { rank, seg, len });
  }
  const size = 7.5;
  for (const [name, { seg, len }] of [...byName].sort((a, b) => a[1].rank - b[1].rank || b[1].len - a[1].len)) {
    const w = measure(name, size);
    if (w + 8 > len) continue;
    let [a, b] = seg;
    if (b[0] < a[0]) [a, b] = [b, a]; // read left to right
    let angle = (Math.atan2(b[1] - a[1], b[0] - a[0]) * 180) / Math.PI;
    if (angle > 90) angle -= 180;
    const mid: Point = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
    const r = Math.max(w / 2, size) + 1;
    const rect = {
      x0: mid[0] - r,
      y0: mid[1] - r * Math.abs(Math.sin((angle * Math.PI) / 180)) - size / 2,
      x1: mid[0] + r,
      y1: mid[1] + r * Math.abs(Math.sin((angle * Math.PI) / 180)) + size / 2,
    };
    if (!space.claim(rect)) continue;
    const rad = (angle * Math.PI) / 180;
    // The text starts half its width back along the road and sits on its centre line.
    const x = mid[0] - (Math.cos(rad) * w) / 2 - Math.sin(rad) * -size * 0.35;
    const y = mid[1] - (Math.sin(rad) * w) / 2 + Math.cos(rad) * size * 0.35;
    items.push({ t: 'text', x, y, text: name, size, color: '#333333', rotate: angle });
  }
  return items;
}

/** A "nice" scale bar length (1, 2 or 5 × 10ⁿ metres) near a quarter of the map width. */
export function scaleBarMetres(mapWidthM: number): number {
  const target = mapWidthM / 4;
  const pow = 10 ** Math.floor(Math.log10(target));
  for (const f of [5, 2, 1]) if (f * pow <= target) return f * pow;
  return pow;
}

/** Every primitive of the map box: the clipped map, markers, labels, frame, north arrow, scale bar, legend. */
export function drawMap(data: BoardData, box: Box, measure: MeasureText): DrawItem[] {
  const project = projector(data.extent, box);
  const ring = (r: Position[]) => r.map(project);
  const space = new LabelSpace(box);
  const map: DrawItem[] = [{ t: 'rect', x: box.x, y: box.y, w: box.w, h: box.h, fill: '#ffffff' }];
  const { base } = data;

  for (const l of base.landcover) {
    map.push({
      t: 'path',
      parts: polygonRings(l.geometry).map(ring),
      closed: true,
      fill: l.kind === 'water' ? '#dddddd' : '#f3f3f3',
      stroke: l.kind === 'water' ? '#aaaaaa' : undefined,
      lineWidth: 0.4,
    });
  }
  for (const b of base.buildings)
    map.push({
      t: 'path',
      parts: polygonRings(b.geometry).map(ring),
      closed: true,
      fill: '#ececec',
      stroke: '#c4c4c4',
      lineWidth: 0.3,
    });
  // The grid under the roads, so the streets that bound it stay readable.
  map.push({ t: 'path', parts: polygonRings(data.grid.geometry).map(ring), closed: true, fill: '#d4d4d4' });
  for (const cls of ['service', 'local', 'secondary', 'arterial', null] as const) {
    const lines = base.roads.filter((r) => (r.class ?? null) === cls).map((r) => r.geometry.coordinates.map(project));
    if (!lines.length) continue;
    const width = ROAD_WIDTH[cls ?? 'local'] ?? 2.4;
    map.push({ t: 'path', parts: lines, closed: false, stroke: '#8c8c8c', lineWidth: width + 1.2 });
    map.push({ t: 'path', parts: lines, closed: false, stroke: '#ffffff', lineWidth: width });
  }
  for (const c of base.compounds)
    map.push({
      t: 'path',
      parts: polygonRings(c.geometry).map(ring),
      closed: true,
      stroke: '#777777',
      lineWidth: 0.6,
      dash: [2.5, 2],
    });
  for (const n of base.neighbours) {
    if (n.code === data.grid.code) continue;
    map.push({ t: 'path', parts: polygonRings(n.geometry).map(ring), closed: true, stroke: '#666666', lineWidth: 0.9 });
  }
  for (const c of base.communities)
    map.push({
      t: 'path',
      parts: polygonRings(c.geometry).map(ring),
      closed: true,
      stroke: '#333333',
      lineWidth: 1.4,
      dash: [7, 3],
    });
  map.push({
    t: 'path',
    parts: polygonRings(data.grid.geometry).map(ring),
    closed: true,
    stroke: '#000000',
    lineWidth: 3,
  });

  // Markers first: their places are fixed, labels go round them.
  const markers: DrawItem[] = [];
  data.stations.forEach((s, i) => {
    const [x, y] = project([s.lon, s.lat]);
    if (x < box.x + 8 || x > box.x + box.w - 8 || y < box.y + 8 || y > box.y + box.h - 8) return;
    space.reserve({ x0: x - 8, y0: y - 8, x1: x + 8, y1: y + 8 });
    markers.push({ t: 'circle', cx: x, cy: y, r: 7, fill: '#000000', stroke: '#ffffff', lineWidth: 1.2 });
    const label = String(i + 1);
    const w = measure(label, 8.5, true);
    markers.push({ t: 'text', x: x - w / 2, y: y + 3, text: label, size: 8.5, bold: true, color: '#ffffff' });
  });
  const legend = legendItems(box, measure);
  space.reserve(legend.rect);
  const scale = scaleBar(data.extent, box, measure);
  space.reserve(scale.rect);
  space.reserve({ x0: box.x + box.w - 34, y0: box.y, x1: box.x + box.w, y1: box.y + 44 }); // north arrow

  const labels: DrawItem[] = [];
  // The grid's own name, boxed, first: it must show.
  const own = centredLabel(measure, data.grid.name, project(data.label), 11, true);
  space.reserve(own.rect);
  labels.push({
    t: 'rect',
    x: own.rect.x0 - 2,
    y: own.rect.y0 - 1,
    w: own.rect.x1 - own.rect.x0 + 4,
    h: own.rect.y1 - own.rect.y0 + 2,
    fill: '#ffffff',
    stroke: '#000000',
    lineWidth: 1,
  });
  labels.push(own.item);
  labels.push(...roadLabels(data, project, box, measure, space));
  for (const n of base.neighbours) {
    if (n.code === data.grid.code) continue;
    // A neighbour across the community line is named with its community: 第6网格 alone is ambiguous.
    const name =
      n.communityCode === data.grid.communityCode
        ? n.name
        : boardTitle({ name: n.name, communityName: n.communityName });
    const l = centredLabel(measure, name, project(n.label), 8);
    if (space.claim(l.rect)) labels.push({ ...l.item, color: '#444444' });
  }
  for (const c of base.compounds) {
    const l = centredLabel(measure, c.name, project(c.label), 6.5);
    l.item.y += 10;
    l.rect.y0 += 10;
    l.rect.y1 += 10;
    if (space.claim(l.rect)) labels.push({ ...l.item, color: '#666666' });
  }
  for (const w of base.landcover) {
    if (!w.name) continue;
    const rings = polygonRings(w.geometry);
    const first = rings[0]?.[0];
    if (!first) continue;
    const l = centredLabel(measure, w.name, project(first), 6.5);
    if (space.claim(l.rect)) labels.push({ ...l.item, color: '#555555' });
  }

  return [
    { t: 'clip', x: box.x, y: box.y, w: box.w, h: box.h, items: [...map, ...markers, ...labels] },
    { t: 'rect', x: box.x, y: box.y, w: box.w, h: box.h, stroke: '#000000', lineWidth: 1.2 },
    ...northArrow(box, measure),
    ...scale.items,
    ...legend.items,
  ];
}

function northArrow(box: Box, measure: MeasureText): DrawItem[] {
  const cx = box.x + box.w - 18;
  const top = box.y + 10;
  const w = measure('北', 9, true);
  return [
    {
      t: 'path',
      parts: [
        [
          [cx, top],
          [cx + 6, top + 18],
          [cx, top + 14],
          [cx - 6, top + 18],
        ],
      ],
      closed: true,
      fill: '#000000',
    },
    { t: 'text', x: cx - w / 2, y: top + 30, text: '北', size: 9, bold: true },
  ];
}

function scaleBar(extent: LonLatBox, box: Box, measure: MeasureText): { items: DrawItem[]; rect: Rect } {
  const mpp = metresPerPoint(extent, box);
  const metres = scaleBarMetres(mpp * box.w);
  const len = metres / mpp;
  const x1 = box.x + box.w - 12;
  const x0 = x1 - len;
  const y = box.y + box.h - 12;
  const text = metres >= 1000 ? `${metres / 1000} 千米` : `${metres} 米`;
  const tw = measure(text, 7.5);
  return {
    items: [
      { t: 'rect', x: x0 - 6, y: y - 16, w: len + 12, h: 22, fill: '#ffffff' },
      {
        t: 'path',
        parts: [
          [
            [x0, y - 4],
            [x0, y],
            [x1, y],
            [x1, y - 4],
          ],
        ],
        closed: false,
        stroke: '#000000',
        lineWidth: 1.2,
      },
      { t: 'text', x: (x0 + x1) / 2 - tw / 2, y: y - 6, text, size: 7.5 },
    ],
    rect: { x0: x0 - 6, y0: y - 16, x1: x1 + 6, y1: y + 6 },
  };
}

function legendItems(box: Box, measure: MeasureText): { items: DrawItem[]; rect: Rect } {
  const x = box.x + 8;
  const y = box.y + box.h - 8 - 4 * 13 - 6;
  const w = 92;
  const h = 4 * 13 + 8;
  const items: DrawItem[] = [{ t: 'rect', x, y, w, h, fill: '#ffffff', stroke: '#777777', lineWidth: 0.5 }];
  const rows: [string, DrawItem][] = [
    ['本网格', { t: 'rect', x: x + 6, y: y + 6, w: 16, h: 8, fill: '#d4d4d4', stroke: '#000000', lineWidth: 1.6 }],
    ['相邻网格', { t: 'rect', x: x + 6, y: y + 19, w: 16, h: 8, stroke: '#666666', lineWidth: 0.9 }],
    [
      '小区',
      {
        t: 'path',
        parts: [
          [
            [x + 6, y + 36],
            [x + 22, y + 36],
          ],
        ],
        closed: false,
        stroke: '#777777',
        lineWidth: 0.8,
        dash: [2.5, 2],
      },
    ],
    ['服务站点（序号见下表）', { t: 'circle', cx: x + 14, cy: y + 49, r: 4.5, fill: '#000000' }],
  ];
  rows.forEach(([label, symbol], i) => {
    items.push(symbol);
    items.push({ t: 'text', x: x + 28, y: y + 13 + i * 13, text: label, size: 7 });
  });
  const widest = Math.max(...rows.map(([l]) => measure(l, 7)));
  (items[0] as { w: number }).w = Math.max(w, widest + 34);
  return { items, rect: { x0: x, y0: y, x1: x + Math.max(w, widest + 34), y1: y + h } };
}
