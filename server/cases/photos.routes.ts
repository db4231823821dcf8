/**
 * GET /api/public/cases/:ticket/photos/:id?token=  the reporter's view (any photo of their case)
 * GET /api/cases/photos/:id                         staff who may read the case
 *
 * A wrong ticket, token, id, or a case the staff member may not read: 404 alike, so neither
 * tickets nor photo ids can be probed. The bytes are the re-encoded ones (./photos.ts), served
 * `private` (never kept by a shared cache) and with nosniff.
 */
import { timingSafeEqual } from 'node:crypto';
import { Router, type Response } from 'express';
import type { AppContext } from '../context.ts';
import { HttpError, unauthorized } from '../http/errors.ts';
import { canReadCase } from './case-access.ts';
import { caseById, staffScope } from './cases.queries.ts';
import { hashToken } from './intake.ts';
import { photoById, type ServedPhoto } from './photos.queries.ts';

const noPhoto = () => new HttpError(404, 'not_found', 'No such photo');

/** A photo id as the path gives it: digits only (anything else cannot exist). */
const photoId = (value: unknown): string => {
  if (typeof value !== 'string' || !/^[0-9]{1,18}$/.test(value)) throw noPhoto();
  return value;
};

const sameHash = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

function send(res: Response, photo: ServedPhoto): void {
  res
    .set({
      'Content-Type': photo.mime,
      'Cache-Control': 'private, max-age=3600',
      'X-Content-Type-Options': 'nosniff',
      'Content-Disposition': 'inline',
    })
    .send(photo.bytes);
}

export function casePhotoRoutes({ db }: AppContext): Router {
  const router = Router();

  router.get('/public/cases/:ticket/photos/:id', async (req, res) => {
    const token = req.query.token;
    const photo = await photoById(db, photoId(req.params.id));
    if (!photo || typeof token !== 'string' || photo.ticket !== req.params.ticket) throw noPhoto();
    if (!sameHash(hashToken(token), photo.token_hash)) throw noPhoto();
    send(res, photo);
  });

  router.get('/cases/photos/:id', async (req, res) => {
    if (!req.user) throw unauthorized();
    const photo = await photoById(db, photoId(req.params.id));
    if (!photo) throw noPhoto();
    const [scope, place] = await Promise.all([staffScope(db, req.user), caseById(db, photo.case_id)]);
    if (!place || !canReadCase(scope, place)) throw noPhoto();
    send(res, photo);
  });

  return router;
}
