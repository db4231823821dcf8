/** Printed grid boards: GET /api/grids/:code/board.pdf|png, GET /api/regions/:code/boards.pdf. Public. */
import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../context.ts';
import { badRequest, notFound } from '../http/errors.ts';
import { checkQuery, parseGridCode, parseRegionCode } from '../http/params.ts';
import { boardPng, boardsPdf, loadBoard } from './boards.ts';
import { communityGridCodes, regionLevel } from './boards.queries.ts';
import type { BoardData } from './board-data.ts';

/** RFC 6266 filename: ASCII fallback plus the UTF-8 name. */
function attachmentName(res: Response, name: string, ext: string): void {
  // The app's CSP has `object-src 'none'`, which can keep the browser's built-in PDF viewer (a
  // plugin) from showing the board; a generated PDF or PNG runs no script, so only the
  // clickjacking rule stays.
  res.set('Content-Security-Policy', "frame-ancestors 'none'");
  res.set(
    'Content-Disposition',
    `inline; filename="board.${ext}"; filename*=UTF-8''${encodeURIComponent(`${name}.${ext}`)}`,
  );
}

export function boardsRoutes({ db, config }: AppContext): Router {
  const router = Router();
  /** Where the QR code points: PUBLIC_URL when set (behind a proxy), else the origin the request came to. */
  const origin = (req: Request) => config.publicUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`;

  const gridBoard = async (req: Request): Promise<BoardData> => {
    checkQuery(req.query, []);
    const code = parseGridCode(req.params.code, 'code');
    const board = await loadBoard(db, code, origin(req), new Date());
    if (!board) throw notFound('Grid', code);
    return board;
  };

  router.get('/grids/:code/board.pdf', async (req, res) => {
    const board = await gridBoard(req);
    const pdf = await boardsPdf([board], `${board.grid.name} 网格公示牌`);
    attachmentName(res, `${board.grid.name}-公示牌`, 'pdf');
    res.set('Cache-Control', 'no-cache').type('application/pdf').send(pdf);
  });

  router.get('/grids/:code/board.png', async (req, res) => {
    const board = await gridBoard(req);
    attachmentName(res, `${board.grid.name}-公示牌`, 'png');
    res
      .set('Cache-Control', 'no-cache')
      .type('image/png')
      .send(await boardPng(board));
  });

  router.get('/regions/:code/boards.pdf', async (req, res) => {
    checkQuery(req.query, []);
    const code = parseRegionCode(req.params.code, 'code')!;
    const level = await regionLevel(db, code);
    if (!level) throw notFound('Region', code);
    if (level !== 'community')
      throw badRequest('code', `code: ${code} is a ${level}; boards are printed per community`);
    const boards: BoardData[] = [];
    const now = new Date();
    for (const grid of await communityGridCodes(db, code)) {
      const board = await loadBoard(db, grid, origin(req), now);
      if (board) boards.push(board);
    }
    if (!boards.length) throw notFound('Grids of community', code);
    const name = boards[0]!.grid.communityName;
    const pdf = await boardsPdf(boards, `${name} 网格公示牌`);
    attachmentName(res, `${name}-网格公示牌`, 'pdf');
    res.set('Cache-Control', 'no-cache').type('application/pdf').send(pdf);
  });

  return router;
}
