/** Paints a board page as SVG, text as the PDF font's glyph outlines, and rasterises it to PNG with resvg. */
import { Resvg } from '@resvg/resvg-js';
import type { BoardFonts } from './board-fonts.ts';
import { textOutline } from './board-text.ts';
import { A4, type BoardPage, type DrawItem } from './board-draw.ts';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const n = (v: number) => (Math.round(v * 100) / 100).toString();

function shapeAttrs(fill: string | undefined, stroke: string | undefined, lineWidth = 1): string {
  const f = `fill="${fill ?? 'none'}"`;
  return stroke
    ? `${f} stroke="${stroke}" stroke-width="${n(lineWidth)}" stroke-linejoin="round" stroke-linecap="round"`
    : f;
}

function svgItem(item: DrawItem, fonts: BoardFonts, clipIds: { next: number }): string {
  switch (item.t) {
    case 'rect':
      return `<rect x="${n(item.x)}" y="${n(item.y)}" width="${n(item.w)}" height="${n(item.h)}" ${shapeAttrs(item.fill, item.stroke, item.lineWidth)}${item.crisp ? ' shape-rendering="crispEdges"' : ''}/>`;
    case 'circle':
      return `<circle cx="${n(item.cx)}" cy="${n(item.cy)}" r="${n(item.r)}" ${shapeAttrs(item.fill, item.stroke, item.lineWidth)}/>`;
    case 'path': {
      const d = item.parts
        .filter((p) => p.length > 1)
        .map((p) => `M${p.map(([x, y]) => `${n(x)} ${n(y)}`).join('L')}${item.closed ? 'Z' : ''}`)
        .join('');
      const dash = item.dash ? ` stroke-dasharray="${item.dash.join(' ')}"` : '';
      return `<path d="${d}" fill-rule="evenodd" ${shapeAttrs(item.closed ? item.fill : undefined, item.stroke, item.lineWidth)}${dash}/>`;
    }
    case 'text': {
      const rotate = item.rotate ? ` transform="rotate(${n(item.rotate)} ${n(item.x)} ${n(item.y)})"` : '';
      const d = textOutline(fonts, item.text, item.x, item.y, item.size, item.bold);
      return `<path d="${d}" fill="${item.color ?? '#000000'}"${rotate}><title>${esc(item.text)}</title></path>`;
    }
    case 'clip': {
      const id = `clip${clipIds.next++}`;
      const inner = item.items.map((i) => svgItem(i, fonts, clipIds)).join('');
      return `<clipPath id="${id}"><rect x="${n(item.x)}" y="${n(item.y)}" width="${n(item.w)}" height="${n(item.h)}"/></clipPath><g clip-path="url(#${id})">${inner}</g>`;
    }
  }
}

export function renderSvg(page: BoardPage, fonts: BoardFonts): string {
  const clipIds = { next: 0 };
  const body = page.items.map((i) => svgItem(i, fonts, clipIds)).join('\n');
  return `<svg xmlns="http://www.w3.org/2000/svg" xml:space="preserve" width="${A4.width}" height="${A4.height}" viewBox="0 0 ${A4.width} ${A4.height}"><title>${esc(page.title)}</title><rect width="100%" height="100%" fill="#ffffff"/>\n${body}\n</svg>`;
}

/** The board as a PNG, `scale` pixels per point (2: 1191 × 1684, about 144 dpi). */
export function renderPng(page: BoardPage, fonts: BoardFonts, scale = 2): Buffer {
  const resvg = new Resvg(renderSvg(page, fonts), {
    fitTo: { mode: 'zoom', value: scale },
    background: '#ffffff',
    font: { loadSystemFonts: false }, // text is outlines already
  });
  return resvg.render().asPng();
}
