/**
 * A case photo as it is stored: checked by content and re-encoded, so what residents upload never
 * reaches a reader byte for byte. The type comes from the magic numbers (a PNG named .jpg is a
 * PNG; a text file named photo.jpg is refused before any decoder sees it); the header's pixel
 * count is checked before decoding (a 100 KB PNG may declare 2.5 gigapixels); the pixels are
 * turned upright by their EXIF orientation and written again in the same format with no
 * metadata at all: no EXIF (GPS: where the resident lives), no XMP, no ICC. A damaged or
 * truncated file fails the decode and is refused. Rules: common/rules/case-photos.ts.
 */
import sharp, { type Metadata } from 'sharp';
import {
  MAX_PHOTO_BYTES,
  MAX_PHOTO_PIXELS,
  MAX_PHOTO_SIDE,
  PHOTO_QUALITY,
  photoTypeOf,
  type PhotoType,
} from '../../common/rules/case-photos.ts';
import { HttpError } from '../http/errors.ts';

export interface CheckedPhoto {
  mime: PhotoType;
  width: number;
  height: number;
  bytes: Buffer;
}

const SHARP_FORMAT: Record<PhotoType, string> = { 'image/jpeg': 'jpeg', 'image/png': 'png', 'image/webp': 'webp' };

const refuse = (field: string, message: string, code = 'invalid_photo', status = 400) =>
  new HttpError(status, code, `${field}: ${message}`, field);

/** Checks one uploaded photo and re-encodes it; throws a 400/413 HttpError naming `field`. */
export async function checkPhoto(bytes: Buffer, field: string): Promise<CheckedPhoto> {
  if (bytes.length === 0) throw refuse(field, 'the file is empty');
  if (bytes.length > MAX_PHOTO_BYTES)
    throw refuse(field, `larger than ${MAX_PHOTO_BYTES / 1024 / 1024} MB`, 'too_large', 413);
  const mime = photoTypeOf(bytes.subarray(0, 16));
  if (!mime) throw refuse(field, 'not a JPEG, PNG or WebP image', 'unsupported_photo');

  let declared: Metadata;
  try {
    declared = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    throw refuse(field, 'the image cannot be read (damaged or truncated)');
  }
  if (declared.format !== SHARP_FORMAT[mime]) throw refuse(field, 'not a JPEG, PNG or WebP image', 'unsupported_photo');
  const pixels = (declared.width ?? 0) * (declared.height ?? 0);
  if (pixels > MAX_PHOTO_PIXELS) {
    throw refuse(
      field,
      `${declared.width} × ${declared.height} pixels is more than the ${MAX_PHOTO_PIXELS / 1e6} megapixels allowed`,
      'too_many_pixels',
    );
  }

  try {
    // failOn 'warning': libjpeg's "premature end of data" is a warning, and a truncated photo
    // would otherwise be stored with a grey lower half.
    const image = sharp(bytes, { limitInputPixels: MAX_PHOTO_PIXELS, failOn: 'warning' })
      .autoOrient()
      .resize({ width: MAX_PHOTO_SIDE, height: MAX_PHOTO_SIDE, fit: 'inside', withoutEnlargement: true });
    const encoded =
      mime === 'image/jpeg'
        ? image.jpeg({ quality: PHOTO_QUALITY })
        : mime === 'image/png'
          ? image.png()
          : image.webp({ quality: PHOTO_QUALITY });
    // No withMetadata/keepExif: sharp writes no EXIF, XMP or ICC unless asked to.
    const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
    return { mime, width: info.width, height: info.height, bytes: data };
  } catch {
    throw refuse(field, 'the image cannot be decoded (damaged or truncated)');
  }
}

/** Checks the photos of one request in order (one at a time: each decode may take ~160 MB). */
export async function checkPhotos(files: readonly Buffer[], field: string): Promise<CheckedPhoto[]> {
  const checked: CheckedPhoto[] = [];
  for (const [i, bytes] of files.entries()) checked.push(await checkPhoto(bytes, `${field}[${i}]`));
  return checked;
}
