/**
 * The photo rules of a case (issue 18): what a resident's report or a worker's transition may
 * carry. One copy read by the server's check (server/cases/photos.ts, which re-encodes every
 * photo) and by the report form (its `accept` attribute and its early "too large" message).
 * Pure: no sharp, no DOM.
 */

/** Photos per request: a report, or one transition. */
export const MAX_PHOTOS = 3;

/** Bytes per photo as uploaded (a phone's 12 MP JPEG is 2–4 MB). */
export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;

/**
 * Pixels per photo as declared by its header: a 40 MP ceiling decodes in ~160 MB at most, while a
 * 100 KB PNG can declare 50,000 × 50,000 (a decompression bomb of 10 GB).
 */
export const MAX_PHOTO_PIXELS = 40_000_000;

/** The long side after re-encoding: enough to read a street sign, a tenth of the storage. */
export const MAX_PHOTO_SIDE = 2560;

/** JPEG and WebP quality of the re-encoded photo. */
export const PHOTO_QUALITY = 85;

export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type PhotoType = (typeof PHOTO_TYPES)[number];

/** For `<input type="file" accept>`: a hint only; the server judges by content. */
export const PHOTO_ACCEPT = PHOTO_TYPES.join(',');

/** The form field of the photos in a multipart request. */
export const PHOTO_FIELD = 'photo';

/**
 * The type of an image by its first bytes (magic numbers), never by its name or declared type:
 * JPEG `FF D8 FF`, PNG `89 50 4E 47 0D 0A 1A 0A`, WebP `RIFF····WEBP`. Undefined for anything else.
 */
export function photoTypeOf(head: Uint8Array): PhotoType | undefined {
  const at = (offset: number, bytes: readonly number[]) => bytes.every((b, i) => head[offset + i] === b);
  if (at(0, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (at(0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (at(0, [0x52, 0x49, 0x46, 0x46]) && at(8, [0x57, 0x45, 0x42, 0x50])) return 'image/webp';
  return undefined;
}
