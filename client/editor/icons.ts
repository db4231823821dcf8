/**
 * The toolbar's icons: small stroked SVGs drawn in the button's text colour (no icon font or
 * image files, so nothing is fetched and the CSP stays `default-src 'self'`). Each has no text,
 * so a button's text is its label alone.
 */
import type { ToolAction } from './editor-view.ts';

export type IconName = ToolAction | 'undo' | 'redo';

/** 20 × 20 path data per icon. */
const PATHS: Record<IconName, string[]> = {
  draw: ['M3 16 L6 4 L16 6 L14 15 Z', 'M12 2 l3 3 -6 6 -3 1 1 -3 z'],
  reshape: ['M3 15 L5 4 L15 6 L16 15 Z', 'M15 6 l2.5 -2.5', 'M14 4 h3 v3'],
  boundary: ['M2 4 h16 v12 h-16 z', 'M10 4 v12', 'M6.5 10 h7', 'M8 8.5 l-1.5 1.5 1.5 1.5', 'M12 8.5 l1.5 1.5 -1.5 1.5'],
  split: ['M3 4 h14 v12 h-14 z', 'M12 1.5 L8 18.5'],
  merge: ['M2 5 h7 v10 h-7 z', 'M11 5 h7 v10 h-7 z', 'M7 10 h6', 'M11.5 8.5 l1.5 1.5 -1.5 1.5'],
  retire: ['M4 5 h12', 'M8 5 V3 h4 v2', 'M5.5 5 l1 12 h7 l1 -12', 'M8.5 8 v6', 'M11.5 8 v6'],
  attributes: ['M4 4 h12 v12 h-12 z', 'M7 8 h6', 'M7 11 h6', 'M7 14 h3'],
  propose: [
    'M3 3 h6 v6 h-6 z',
    'M11 3 h6 v6 h-6 z',
    'M3 11 h6 v6 h-6 z',
    'M14.5 10.5 v7',
    'M11 14 h7',
    'M12 11.5 l5 5',
    'M17 11.5 l-5 5',
  ],
  check: ['M10 2.5 a7.5 7.5 0 1 0 0.01 0 z', 'M6.5 10 l2.5 2.5 4.5 -5'],
  publish: ['M10 14 V3', 'M6 7 l4 -4 4 4', 'M3 13 v4 h14 v-4'],
  undo: ['M7 4 L3 8 l4 4', 'M3 8 h9 a5 5 0 0 1 0 10 h-3'],
  redo: ['M13 4 l4 4 -4 4', 'M17 8 h-9 a5 5 0 0 0 0 10 h3'],
};

const SVG = 'http://www.w3.org/2000/svg';

export function iconOf(name: IconName): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 20 20');
  svg.setAttribute('width', '20');
  svg.setAttribute('height', '20');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('class', 'tool-icon');
  for (const d of PATHS[name]) {
    const path = document.createElementNS(SVG, 'path');
    path.setAttribute('d', d);
    svg.append(path);
  }
  return svg;
}
