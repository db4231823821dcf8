/**
 * Upload limits for imports. Every limit has a name so a 413 says which one was hit; the
 * service may lower them per request (tests do, to make bombs small).
 */
import { HttpError } from '../../http/errors.ts';
import type { ReadLimits } from './types.ts';

export const DEFAULT_LIMITS: Readonly<ReadLimits> = Object.freeze({
  maxBytes: 50 * 1024 * 1024,
  maxUnzippedBytes: 200 * 1024 * 1024,
  maxRatio: 100,
  maxEntries: 100,
  maxFeatures: 200_000,
  maxVertices: 5_000_000,
});

/** The defaults overridden by whatever the caller set. */
export function resolveLimits(partial?: Partial<ReadLimits>): ReadLimits {
  return { ...DEFAULT_LIMITS, ...Object.fromEntries(Object.entries(partial ?? {}).filter(([, v]) => v !== undefined)) };
}

const WHAT: Record<keyof ReadLimits, string> = {
  maxBytes: 'file size',
  maxUnzippedBytes: 'uncompressed size of the archive',
  maxRatio: 'compression ratio of an archive entry',
  maxEntries: 'number of files in the archive',
  maxFeatures: 'number of features',
  maxVertices: 'number of vertices',
};

const human = (limit: keyof ReadLimits, n: number) =>
  limit === 'maxBytes' || limit === 'maxUnzippedBytes'
    ? `${(n / 1024 / 1024).toFixed(n < 1024 * 1024 ? 3 : 0)} MB`
    : n.toLocaleString('en');

/** HttpError 413 'too_large' naming the limit, e.g. "number of features exceeds the limit of 200,000". */
export function tooLarge(limit: keyof ReadLimits, value: number, limits: ReadLimits, detail = ''): HttpError {
  const seen = Number.isFinite(value) ? ` (${human(limit, value)})` : '';
  return new HttpError(
    413,
    'too_large',
    `The ${WHAT[limit]}${seen} exceeds the limit of ${human(limit, limits[limit])}${detail}`,
    limit,
  );
}
