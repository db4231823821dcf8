/**
 * Printed grid boards (网格公示牌): one grid's board as PDF or PNG, a community's boards as one
 * PDF. A board is public: it shows what the public rule allows whoever asks (grid workers'
 * names and published service phones, the organisation's name; no secretary, no household
 * figures, no unpublished phone, not even masked).
 */
import type { Kysely } from 'kysely';
import QRCode from 'qrcode';
import type { DB } from '../db/schema.ts';
import type { BoardData } from './board-data.ts';
import type { BoardPage } from './board-draw.ts';
import { boardFonts } from './board-fonts.ts';
import { layoutBoard, MAP_BOX } from './board-layout.ts';
import { mapExtent } from './board-map.ts';
import { readBoardBase, readBoardGrid, readNearestStations } from './boards.queries.ts';
import { fontMeasure } from './board-text.ts';
import { workersFor } from '../../common/rules/public-fields.ts';

/** Stations listed on a board (and numbered on its map). */
export const BOARD_STATIONS = 5;

/** The finder link a board's QR code opens. */
export function findUrl(origin: string, gridCode: string): string {
  return `${origin.replace(/\/+$/, '')}/find?grid=${encodeURIComponent(gridCode)}`;
}

/** Today in China (UTC+8), as printed at the foot of a board. */
export function chinaDate(now: Date): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

export async function loadBoard(
  db: Kysely<DB>,
  code: string,
  origin: string,
  now: Date,
): Promise<BoardData | undefined> {
  const grid = await readBoardGrid(db, code);
  if (!grid) return undefined;
  const extent = mapExtent(grid.bbox, MAP_BOX);
  const [base, stations] = await Promise.all([
    readBoardBase(db, extent),
    readNearestStations(db, grid.label[0], grid.label[1], BOARD_STATIONS),
  ]);
  const { bbox: _bbox, label, workers, partyOrgs, ...gridFields } = grid;
  return {
    grid: gridFields,
    label,
    // A posted board is public whoever prints it: the one rule for what the public sees.
    workers: workersFor('public', workers),
    partyOrgs,
    stations,
    extent,
    base,
    findUrl: findUrl(origin, code),
    printedOn: chinaDate(now),
  };
}

/** The QR code's dark modules, row by row (error correction M: readable with a smudge). */
export function qrMatrix(text: string): boolean[][] {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const size = modules.size;
  return Array.from({ length: size }, (_, r) => Array.from({ length: size }, (_, c) => Boolean(modules.get(r, c))));
}

export function boardPage(data: BoardData): BoardPage {
  return layoutBoard(data, qrMatrix(data.findUrl), fontMeasure(boardFonts()));
}

// pdfkit and resvg load on first use: every start would pay for them otherwise (issue 17's later start).
export async function boardsPdf(boards: BoardData[], title: string): Promise<Buffer> {
  const { renderPdf } = await import('./render-pdf.ts');
  return renderPdf(boards.map(boardPage), boardFonts(), title);
}

export async function boardPng(board: BoardData): Promise<Buffer> {
  const { renderPng } = await import('./render-svg.ts');
  return renderPng(boardPage(board), boardFonts());
}
