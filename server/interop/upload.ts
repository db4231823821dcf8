/**
 * The one uploaded file of an import (multer, in memory), with the upload size limited before
 * anything is parsed: too large → 413 naming the limit, any other multipart problem → 400.
 */
import type { Request, Response } from 'express';
import multer from 'multer';
import { badRequest, HttpError } from '../http/errors.ts';
import { DEFAULT_LIMITS } from './formats/limits.ts';

const MB = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;

const upload = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: DEFAULT_LIMITS.maxBytes, files: 1, fields: 20, fieldSize: 1024 * 1024 },
  // Chinese file names arrive as UTF-8 in the part headers.
  defParamCharset: 'utf8',
}).single('file');

/** multer as a promise, its errors as ours: too large → 413, anything else → 400. */
export function receive(req: Request, res: Response): Promise<void> {
  return new Promise((resolve, reject) => {
    upload(req, res, (error: unknown) => {
      if (!error) return resolve();
      if (error instanceof multer.MulterError) {
        if (error.code === 'LIMIT_FILE_SIZE') {
          return reject(
            new HttpError(
              413,
              'too_large',
              `The file exceeds the upload limit of ${MB(DEFAULT_LIMITS.maxBytes)}`,
              'file',
            ),
          );
        }
        return reject(
          badRequest(
            error.field ?? 'file',
            `${error.field ?? 'file'}: ${error.message} (send one file in the field "file")`,
          ),
        );
      }
      return reject(badRequest('body', 'The body must be multipart/form-data with a file'));
    });
  });
}
