/**
 * The page of a grid board (网格公示牌), A4 portrait: a black title band, the grid's name large,
 * its street and community, the map, the grid workers with their published service phones,
 * the party organisation, the QR code that opens the finder on this grid, and the nearest
 * stations with kind, address and opening hours in Chinese. Public fields only (board-data.ts).
 */
import { formatOpeningHours } from '../../common/rules/opening-hours.ts';
import { STATION_KIND_LABELS } from '../../common/rules/station-kinds.ts';
import type { BoardData, BoardWorker } from './board-data.ts';
import { A4, type BoardPage, type DrawItem, type MeasureText } from './board-draw.ts';
import { drawMap } from './board-map.ts';
import { boardTitle } from './board-title.ts';

const M = 30; // page margin
const W = A4.width - 2 * M;
export const MAP_BOX = { x: M, y: 138, w: W, h: 292 };
/** The table stops above the footer. */
const TABLE_LIMIT = A4.height - 50;

const ROLE_LABEL: Record<string, string> = { full_time: '专职网格员', part_time: '兼职网格员' };
const PARTY_KIND_LABEL: Record<string, string> = {
  committee: '党委',
  general_branch: '党总支',
  branch: '网格党支部',
  group: '网格党小组',
};

/** Cuts a text to a width with an ellipsis. */
export function fitText(measure: MeasureText, text: string, size: number, maxW: number, bold = false): string {
  if (measure(text, size, bold) <= maxW) return text;
  let cut = text;
  while (cut.length > 1 && measure(`${cut}…`, size, bold) > maxW) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/** Walking-scale distance as people say it on a board. */
export function distanceText(m: number): string {
  return m < 1000 ? `${Math.max(10, Math.round(m / 10) * 10)} 米` : `${(m / 1000).toFixed(1)} 千米`;
}

function centred(measure: MeasureText, text: string, y: number, size: number, bold = false, color?: string): DrawItem {
  const w = measure(text, size, bold);
  return { t: 'text', x: A4.width / 2 - w / 2, y, text, size, bold, color };
}

/** A section heading: a black bar and the title. */
function heading(x: number, y: number, text: string): DrawItem[] {
  return [
    { t: 'rect', x, y: y - 11, w: 4, h: 13, fill: '#000000' },
    { t: 'text', x: x + 9, y, text, size: 12, bold: true },
  ];
}

function workerLines(workers: BoardWorker[]): { name: string; phone: string }[] {
  const grid = workers.filter((w) => w.role === 'full_time' || w.role === 'part_time').slice(0, 3);
  return grid.map((w) => ({
    name: `${w.name}（${ROLE_LABEL[w.role] ?? '网格员'}）`,
    phone: w.phone ? `服务电话 ${w.phone}` : '服务电话 未公布',
  }));
}

function qrItems(qr: boolean[][], x: number, y: number, size: number): DrawItem[] {
  const n = qr.length + 8; // 4 modules of quiet zone each side
  // Modules of whole half-points on half-point corners: whole pixels at 1×, 2× and 4×, so the
  // PNG's modules have sharp edges and a scanner finds a regular lattice.
  const cell = Math.floor((size / n) * 2) / 2;
  const x0 = Math.round((x + (size - cell * n) / 2) * 2) / 2;
  const y0 = Math.round((y + (size - cell * n) / 2) * 2) / 2;
  const items: DrawItem[] = [{ t: 'rect', x, y, w: size, h: size, fill: '#ffffff' }];
  qr.forEach((row, r) => {
    let c = 0;
    while (c < row.length) {
      if (!row[c]) {
        c++;
        continue;
      }
      const start = c;
      while (c < row.length && row[c]) c++;
      // A run of dark modules is one rectangle.
      items.push({
        t: 'rect',
        x: x0 + (start + 4) * cell,
        y: y0 + (r + 4) * cell,
        w: (c - start) * cell,
        h: cell,
        fill: '#000000',
        crisp: true,
      });
    }
  });
  return items;
}

/**
 * Lines of at most `maxW`, broken before any character (Chinese has no spaces), preferring
 * after a clause break (；，、), else a space; the last line cut with an ellipsis.
 */
export function wrapText(measure: MeasureText, text: string, size: number, maxW: number, maxLines: number): string[] {
  const lines: string[] = [];
  let rest = text;
  while (rest && lines.length < maxLines - 1 && measure(rest, size) > maxW) {
    let end = 1;
    while (end < rest.length && measure(rest.slice(0, end + 1), size) <= maxW) end++;
    // A clause break (；，、) before a space, a space before any character.
    const after = (seps: string[]) => Math.max(...seps.map((sep) => rest.lastIndexOf(sep, end - 1)));
    const clause = after(['；', '，', '、']);
    const space = after([' ']);
    const soft = clause >= end / 2 ? clause : space;
    const cut = soft >= end / 2 ? soft + 1 : end;
    lines.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest) lines.push(fitText(measure, rest, size, maxW));
  return lines;
}

/** The stations table: number, name, kind, distance, address, opening hours (in Chinese). */
function stationTable(data: BoardData, top: number, measure: MeasureText): DrawItem[] {
  const items: DrawItem[] = [];
  const cols = [
    { title: '序号', w: 28 },
    { title: '名称', w: 150 },
    { title: '类型', w: 80 },
    { title: '步行距离', w: 50 },
    { title: '地址', w: 108 },
    { title: '开放时间', w: W - 28 - 150 - 80 - 50 - 108 },
  ];
  const size = 8.5;
  const line = 11;
  items.push({ t: 'rect', x: M, y: top, w: W, h: 17, fill: '#e6e6e6' });
  let cx = M;
  for (const c of cols) {
    items.push({ t: 'text', x: cx + 4, y: top + 12, text: c.title, size: 9, bold: true });
    cx += c.w;
  }
  let ry = top + 17;
  for (const [i, s] of data.stations.entries()) {
    const cells = [
      String(i + 1),
      s.name,
      STATION_KIND_LABELS.zh[s.kind] ?? s.kind,
      distanceText(s.distanceM),
      s.address || '—',
      s.openingHours ? formatOpeningHours(s.openingHours, 'zh') : '—',
    ].map((text, c) => wrapText(measure, text, size, cols[c]!.w - 8, 2));
    const rowH = Math.max(...cells.map((l) => l.length)) * line + 6;
    if (ry + rowH > TABLE_LIMIT) break; // a crowded board lists fewer stations rather than overprint the footer
    items.push({
      t: 'path',
      parts: [
        [
          [M, ry],
          [M + W, ry],
        ],
      ],
      closed: false,
      stroke: '#999999',
      lineWidth: 0.5,
    });
    let x = M;
    cells.forEach((lines, c) => {
      lines.forEach((text, k) => items.push({ t: 'text', x: x + 4, y: ry + 11 + k * line, text, size }));
      x += cols[c]!.w;
    });
    ry += rowH;
  }
  items.push({ t: 'rect', x: M, y: top, w: W, h: ry - top, stroke: '#000000', lineWidth: 0.8 });
  if (!data.stations.length)
    items.push({ t: 'text', x: M + 4, y: ry + 12, text: '附近暂无服务站点', size: 9, color: '#333333' });
  return items;
}

export function layoutBoard(data: BoardData, qr: boolean[][], measure: MeasureText): BoardPage {
  const items: DrawItem[] = [];
  const { grid } = data;
  // Frame and title band.
  items.push({ t: 'rect', x: 14, y: 14, w: A4.width - 28, h: A4.height - 28, stroke: '#000000', lineWidth: 2 });
  items.push({ t: 'rect', x: 14, y: 14, w: A4.width - 28, h: 50, fill: '#000000' });
  items.push(centred(measure, '网 格 公 示 牌', 50, 27, true, '#ffffff'));
  // The grid's name, large, and where it is.
  const title = boardTitle(grid);
  const nameSize = measure(title, 30, true) > W ? 24 : 30;
  items.push(centred(measure, fitText(measure, title, nameSize, W, true), 102, nameSize, true));
  items.push(
    centred(
      measure,
      `${grid.streetName} · ${grid.communityName}\u3000\u3000网格编码 ${grid.code}`,
      124,
      10.5,
      false,
      '#333333',
    ),
  );

  items.push(...drawMap(data, MAP_BOX, measure));

  // Who to call (left) and the QR code (right).
  const top = MAP_BOX.y + MAP_BOX.h + 26;
  const qrSize = 118;
  const qrX = A4.width - M - qrSize;
  const leftW = qrX - M - 18;
  let y = top;
  items.push(...heading(M, y, '网格员'));
  y += 20;
  const workers = workerLines(data.workers);
  if (!workers.length) {
    items.push({ t: 'text', x: M + 9, y, text: '暂未配备，请联系社区', size: 11, color: '#333333' });
    y += 18;
  }
  for (const w of workers) {
    items.push({ t: 'text', x: M + 9, y, text: fitText(measure, w.name, 14, leftW, true), size: 14, bold: true });
    const nw = measure(w.name, 14, true);
    const phoneX = Math.min(M + 9 + nw + 14, M + leftW - measure(w.phone, 12));
    if (M + 9 + nw + 14 + measure(w.phone, 12) <= M + leftW)
      items.push({ t: 'text', x: phoneX, y, text: w.phone, size: 12 });
    else {
      y += 17;
      items.push({ t: 'text', x: M + 9, y, text: w.phone, size: 12 });
    }
    y += 21;
  }
  y += 4;
  items.push(...heading(M, y, '网格党组织'));
  y += 20;
  if (!data.partyOrgs.length) {
    items.push({ t: 'text', x: M + 9, y, text: '本网格尚未建立党组织', size: 11, color: '#333333' });
    y += 18;
  }
  for (const o of data.partyOrgs.slice(0, 2)) {
    const kind = PARTY_KIND_LABEL[o.kind];
    const text = o.name.endsWith(kind?.slice(-3) ?? '\u0000') || !kind ? o.name : `${o.name}（${kind}）`;
    items.push({ t: 'text', x: M + 9, y, text: fitText(measure, text, 12.5, leftW - 9), size: 12.5 });
    y += 19;
  }
  y += 4;
  items.push(...heading(M, y, '所属社区'));
  y += 20;
  items.push({
    t: 'text',
    x: M + 9,
    y,
    text: fitText(measure, `${grid.communityName}（${grid.streetName}）`, 12.5, leftW - 9),
    size: 12.5,
  });

  items.push({ t: 'rect', x: qrX - 6, y: top - 16, w: qrSize + 12, h: qrSize + 50, stroke: '#000000', lineWidth: 1 });
  items.push(...qrItems(qr, qrX, top - 10, qrSize));
  const caption = '扫码查看本网格';
  items.push({
    t: 'text',
    x: qrX + qrSize / 2 - measure(caption, 12, true) / 2,
    y: top + qrSize + 6,
    text: caption,
    size: 12,
    bold: true,
  });
  // The link in print too (for a phone that cannot scan), on two lines when long.
  const link = data.findUrl.replace(/^https?:\/\//, '');
  const url =
    measure(link, 6.5) <= qrSize + 6
      ? [link]
      : link
          .replace('?', '\n?')
          .split('\n')
          .map((line) => fitText(measure, line, 6.5, qrSize + 6));
  url.forEach((line, k) =>
    items.push({
      t: 'text',
      x: qrX + qrSize / 2 - measure(line, 6.5) / 2,
      y: top + qrSize + 18 + k * 8,
      text: line,
      size: 6.5,
      color: '#444444',
    }),
  );

  // The nearest stations, numbered as on the map.
  let ty = Math.max(y + 26, top + qrSize + 42);
  items.push(...heading(M, ty, '就近服务站点'));
  ty += 10;
  items.push(...stationTable(data, ty, measure));

  // Footer.
  const fy = A4.height - 26;
  items.push({
    t: 'path',
    parts: [
      [
        [M, fy - 14],
        [M + W, fy - 14],
      ],
    ],
    closed: false,
    stroke: '#000000',
    lineWidth: 0.8,
  });
  items.push({ t: 'text', x: M, y: fy, text: '党在格中建\u3000人在格中走\u3000事在格中办', size: 10, bold: true });
  const date = `${grid.communityName} · ${data.printedOn}`;
  items.push({ t: 'text', x: M + W - measure(date, 9), y: fy, text: date, size: 9, color: '#333333' });
  return { title: `${grid.name} 网格公示牌`, items };
}
