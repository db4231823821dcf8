/**
 * Part 4 routes: POST items (201 + Location), PUT and DELETE an item with If-Match.
 * Signed-in writers only (401 anonymous, 403 planners and other streets' editors); only
 * grids and stations are writable. A 412 carries the current ETag as a header too.
 */
import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../context.ts';
import { HttpError, notFound } from '../http/errors.ts';
import { requireWriter } from '../auth/permissions.ts';
import { findCollection, type OgcCollection } from './ogc.collections.ts';
import {
  createGridItem,
  createStationItem,
  deleteGridItem,
  deleteStationItem,
  replaceGridItem,
  replaceStationItem,
  type WriteResult,
} from './ogc.writes.ts';

function writable(id: string | undefined): OgcCollection {
  const c = findCollection(String(id));
  if (!c) throw notFound('collection', String(id));
  if (!c.writable)
    throw new HttpError(405, 'read_only', `Collection ${c.id} is read-only here; only grids and stations take writes`);
  return c;
}

/** Run a write; a 412's current tag also goes out as the ETag header. */
async function withEtagOnConflict<T>(res: Response, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof HttpError && error.status === 412 && typeof error.details?.current === 'string')
      res.set('ETag', error.details.current);
    throw error;
  }
}

const itemUrl = (req: Request, c: OgcCollection, id: string) =>
  `${req.protocol}://${req.get('host')}${req.baseUrl}/collections/${c.id}/items/${encodeURIComponent(id)}`;

export function ogcWriteRoutes({ db }: AppContext): Router {
  const router = Router();

  router.post('/collections/:id/items', async (req, res) => {
    const c = writable(req.params.id);
    const user = requireWriter(req);
    const result: WriteResult =
      c.id === 'grids' ? await createGridItem(db, user, req.body) : await createStationItem(db, user, req.body);
    res
      .status(201)
      .set({ Location: itemUrl(req, c, result.id), ETag: result.etag })
      .json({ id: result.id });
  });

  router.put('/collections/:id/items/:featureId', async (req, res) => {
    const c = writable(req.params.id);
    const user = requireWriter(req);
    const ifMatch = req.get('if-match');
    const id = req.params.featureId;
    const result = await withEtagOnConflict(res, () =>
      c.id === 'grids'
        ? replaceGridItem(db, user, id, ifMatch, req.body)
        : replaceStationItem(db, user, id, ifMatch, req.body),
    );
    res.set({ ETag: result.etag, Location: itemUrl(req, c, result.id) }).json({ id: result.id });
  });

  router.delete('/collections/:id/items/:featureId', async (req, res) => {
    const c = writable(req.params.id);
    const user = requireWriter(req);
    const ifMatch = req.get('if-match');
    const id = req.params.featureId;
    await withEtagOnConflict(res, () =>
      c.id === 'grids' ? deleteGridItem(db, user, id, ifMatch) : deleteStationItem(db, user, id, ifMatch),
    );
    res.status(204).end();
  });

  return router;
}
