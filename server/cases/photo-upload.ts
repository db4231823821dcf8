/**
 * The photo-carrying requests of cases (a resident's report, a worker's transition): JSON as
 * before, or multipart/form-data with the JSON in one text field (`case` or `transition`) and up
 * to MAX_PHOTOS files in `photo`. multer holds the parts in memory under hard limits (a part over
 * MAX_PHOTO_BYTES stops the upload with a 413), then every photo is checked and re-encoded
 * (./photos.ts) before the handler runs, so a refused photo writes nothing. The handler sees
 * `req.body` as the parsed JSON and `req.checkedPhotos`.
 */
import type { Request, RequestHandler, Response } from 'express';
import multer from 'multer';
import { MAX_PHOTO_BYTES, MAX_PHOTOS, PHOTO_FIELD } from '../../common/rules/case-photos.ts';
import { badRequest, HttpError, unauthorized } from '../http/errors.ts';
import { checkPhotos, type CheckedPhoto } from './photos.ts';

declare module 'express-serve-static-core' {
  interface Request {
    /** The request's photos, checked and re-encoded ([] for a JSON request). */
    checkedPhotos?: CheckedPhoto[];
  }
}

/** The JSON field of the form: 20 KB is ten times a 2,000-character description in UTF-8. */
const MAX_JSON_FIELD_BYTES = 20 * 1024;

const upload = multer({
  storage: multer.memoryStorage(),
  limits: {
    fileSize: MAX_PHOTO_BYTES,
    files: MAX_PHOTOS,
    // A few text fields more than the one, so that a stray field is named rather than counted.
    fields: 8,
    fieldSize: MAX_JSON_FIELD_BYTES,
    parts: MAX_PHOTOS + 8,
    headerPairs: 50,
  },
}).array(PHOTO_FIELD);

/** multer's refusals as ours, each naming the field it is about. */
function asRefusal(error: unknown, jsonField: string): HttpError {
  if (!(error instanceof multer.MulterError)) {
    return badRequest(
      'body',
      `The body must be multipart/form-data with "${jsonField}" and up to ${MAX_PHOTOS} "${PHOTO_FIELD}" files`,
    );
  }
  switch (error.code) {
    case 'LIMIT_FILE_SIZE':
      return new HttpError(
        413,
        'too_large',
        `${PHOTO_FIELD}: a photo is larger than ${MAX_PHOTO_BYTES / 1024 / 1024} MB`,
        PHOTO_FIELD,
      );
    case 'LIMIT_FILE_COUNT':
      return new HttpError(
        400,
        'too_many_photos',
        `${PHOTO_FIELD}: at most ${MAX_PHOTOS} photos per request`,
        PHOTO_FIELD,
      );
    case 'LIMIT_FIELD_VALUE':
      return badRequest(jsonField, `${jsonField}: longer than ${MAX_JSON_FIELD_BYTES / 1024} KB`);
    case 'LIMIT_UNEXPECTED_FILE':
      return badRequest(
        error.field ?? 'body',
        `${error.field ?? 'a file'}: unexpected file; photos go in "${PHOTO_FIELD}"`,
      );
    default:
      // LIMIT_FIELD_COUNT, LIMIT_PART_COUNT, LIMIT_FIELD_KEY, …
      return badRequest(
        error.field ?? 'body',
        `${error.field ?? 'body'}: ${error.message} (send "${jsonField}" once and up to ${MAX_PHOTOS} "${PHOTO_FIELD}" files)`,
      );
  }
}

function receive(req: Request, res: Response, jsonField: string): Promise<void> {
  return new Promise((resolve, reject) =>
    upload(req, res, (error: unknown) => (error ? reject(asRefusal(error, jsonField)) : resolve())),
  );
}

function parseJsonField(body: unknown, jsonField: string): unknown {
  const fields = (body ?? {}) as Record<string, unknown>;
  for (const name of Object.keys(fields)) {
    if (name !== jsonField) throw badRequest(name, `${name}: unexpected field; send the JSON in "${jsonField}"`);
  }
  const text = fields[jsonField];
  if (Array.isArray(text)) throw badRequest(jsonField, `${jsonField} must be sent once`);
  if (typeof text !== 'string') throw badRequest(jsonField, `${jsonField} is required: the request as JSON text`);
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'invalid_json', `${jsonField} is not valid JSON`, jsonField);
  }
}

/**
 * Mounted before a handler that takes photos: leaves `req.body` as the JSON object and
 * `req.checkedPhotos` as the checked photos (none for a JSON request). `signedIn`: a staff
 * route refuses an anonymous request (401) before reading, let alone decoding, its photos.
 */
export function casePhotoUpload(
  jsonField: 'case' | 'transition',
  options: { signedIn?: boolean } = {},
): RequestHandler[] {
  const intake: RequestHandler = (req, res, next) => {
    req.checkedPhotos = [];
    if (options.signedIn && !req.user) return next(unauthorized('Sign in to work on cases'));
    if (!req.is('multipart/form-data')) return next();
    receive(req, res, jsonField)
      .then(async () => {
        req.body = parseJsonField(req.body, jsonField);
        const files = (req.files ?? []) as Express.Multer.File[];
        req.checkedPhotos = await checkPhotos(
          files.map((file) => file.buffer),
          PHOTO_FIELD,
        );
      })
      .then(() => next(), next);
  };
  return [intake];
}
