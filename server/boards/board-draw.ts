/**
 * The drawing of a board as a list of primitives in PDF points (A4 = 595.28 × 841.89, y down),
 * laid out once (board-layout.ts) and painted twice: into a PDF by pdfkit (render-pdf.ts) and
 * into SVG for the PNG (render-svg.ts). Text is placed by its baseline and already measured,
 * so both renderers only paint: the PDF and the PNG show the same board.
 */

export const A4: { width: number; height: number } = { width: 595.28, height: 841.89 };

export type Point = [x: number, y: number];

export interface TextItem {
  t: 'text';
  x: number;
  /** Baseline. */
  y: number;
  text: string;
  size: number;
  bold?: boolean;
  color?: string;
  /** Degrees clockwise about (x, y). */
  rotate?: number;
}

export interface PathItem {
  t: 'path';
  /** Rings (closed) or lines (open). */
  parts: Point[][];
  closed: boolean;
  fill?: string;
  stroke?: string;
  lineWidth?: number;
  dash?: [number, number];
}

export interface RectItem {
  t: 'rect';
  x: number;
  y: number;
  w: number;
  h: number;
  fill?: string;
  stroke?: string;
  lineWidth?: number;
  /** No anti-aliasing (QR modules). */
  crisp?: boolean;
}

export interface CircleItem {
  t: 'circle';
  cx: number;
  cy: number;
  r: number;
  fill?: string;
  stroke?: string;
  lineWidth?: number;
}

/** Items drawn inside a rectangle and cut at its edges (the map). */
export interface ClipItem {
  t: 'clip';
  x: number;
  y: number;
  w: number;
  h: number;
  items: DrawItem[];
}

export type DrawItem = TextItem | PathItem | RectItem | CircleItem | ClipItem;

/** One page of the board. */
export interface BoardPage {
  title: string;
  items: DrawItem[];
}

/** Width of a text at a size, from the embedded font's metrics. */
export type MeasureText = (text: string, size: number, bold?: boolean) => number;
