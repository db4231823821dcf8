/**
 * checkPhoto (server/cases/photos.ts) on generated fixtures: the type by content, EXIF (GPS
 * included) gone after re-encoding, the orientation applied, the long side capped, and every
 * refusal a 400/413 naming the field.
 */
import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { checkPhoto, checkPhotos } from '../../server/cases/photos.ts';
import { HttpError } from '../../server/http/errors.ts';
import { MAX_PHOTO_SIDE, photoTypeOf } from '../../common/rules/case-photos.ts';
import {
  exifIfd0Tags,
  GPS_IFD_TAG,
  jpegWithGps,
  png,
  pngBomb,
  pngOver5MB,
  truncatedJpeg,
  webp,
} from '../helpers/photo-fixtures.ts';

async function refusal(bytes: Buffer, field = 'photo[2]'): Promise<HttpError> {
  const error = await checkPhoto(bytes, field).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof HttpError)) throw new Error(`expected an HttpError, got ${String(error)}`);
  return error;
}

describe('checkPhoto', () => {
  it('a JPEG with EXIF GPS comes back upright with no EXIF, XMP or ICC at all', async () => {
    const input = await jpegWithGps();
    const before = await sharp(input).metadata();
    expect(exifIfd0Tags(before.exif!)).toContain(GPS_IFD_TAG);
    expect([before.width, before.height, before.orientation]).toEqual([400, 300, 6]);

    const photo = await checkPhoto(input, 'photo[0]');
    expect(photo.mime).toBe('image/jpeg');
    expect([photo.width, photo.height]).toEqual([300, 400]);
    const after = await sharp(photo.bytes).metadata();
    expect(after.format).toBe('jpeg');
    expect([after.width, after.height]).toEqual([300, 400]);
    expect(after.exif).toBeUndefined();
    expect(after.xmp).toBeUndefined();
    expect(after.icc).toBeUndefined();
    expect(after.orientation).toBeUndefined();
    expect(photo.bytes.includes(Buffer.from('Exif\0\0', 'latin1'))).toBe(false);
    expect(photo.bytes.includes(Buffer.from('WanggePhone'))).toBe(false);
  });

  it('keeps PNG as PNG and WebP as WebP, judged by content whatever the name', async () => {
    const p = await checkPhoto(await png(), 'photo[0]');
    expect([p.mime, p.width, p.height, (await sharp(p.bytes).metadata()).format]).toEqual([
      'image/png',
      120,
      80,
      'png',
    ]);
    const w = await checkPhoto(await webp(), 'photo[1]');
    expect([w.mime, w.width, w.height, (await sharp(w.bytes).metadata()).format]).toEqual([
      'image/webp',
      64,
      48,
      'webp',
    ]);
  });

  it('caps the long side at MAX_PHOTO_SIDE, keeping the aspect', async () => {
    const p = await checkPhoto(await png(4000, 1000), 'photo[0]');
    expect([p.width, p.height]).toEqual([MAX_PHOTO_SIDE, 640]);
  });

  it('refuses a text file, naming the field', async () => {
    const error = await refusal(Buffer.from('这不是照片 — not a photo at all'));
    expect([error.status, error.code, error.param]).toEqual([400, 'unsupported_photo', 'photo[2]']);
    expect(error.message).toBe('photo[2]: not a JPEG, PNG or WebP image');
  });

  it('refuses a GIF and an SVG although sharp could read them', async () => {
    const gif = await sharp({ create: { width: 4, height: 4, channels: 3, background: 'red' } })
      .gif()
      .toBuffer();
    expect((await refusal(gif)).code).toBe('unsupported_photo');
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>');
    expect((await refusal(svg)).code).toBe('unsupported_photo');
  });

  it('refuses a photo over 5 MB with a 413', async () => {
    const big = await pngOver5MB();
    expect(big.length).toBeGreaterThan(5 * 1024 * 1024);
    const error = await refusal(big, 'photo[0]');
    expect([error.status, error.code, error.param, error.message]).toEqual([
      413,
      'too_large',
      'photo[0]',
      'photo[0]: larger than 5 MB',
    ]);
  });

  it('refuses a truncated JPEG', async () => {
    const error = await refusal(await truncatedJpeg(), 'photo[1]');
    expect([error.status, error.code, error.param]).toEqual([400, 'invalid_photo', 'photo[1]']);
  });

  it('refuses a decompression bomb from its header, before decoding', async () => {
    const bomb = pngBomb();
    expect(bomb.length).toBeLessThan(100_000);
    const started = Date.now();
    const error = await refusal(bomb);
    expect(Date.now() - started).toBeLessThan(2000);
    expect([error.status, error.code, error.param]).toEqual([400, 'too_many_pixels', 'photo[2]']);
    expect(error.message).toBe('photo[2]: 50000 × 50000 pixels is more than the 40 megapixels allowed');
  });

  it('refuses an empty file', async () => {
    expect((await refusal(Buffer.alloc(0))).message).toBe('photo[2]: the file is empty');
  });

  it('checkPhotos names each photo by its index', async () => {
    const error = await checkPhotos([await png(), Buffer.from('nope')], 'photo').then(
      () => undefined,
      (e: HttpError) => e,
    );
    expect(error?.param).toBe('photo[1]');
  });
});

describe('photoTypeOf', () => {
  it('reads the magic numbers only', () => {
    expect(photoTypeOf(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(photoTypeOf(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe('image/png');
    expect(photoTypeOf(new TextEncoder().encode('RIFF\0\0\0\0WEBPVP8 '))).toBe('image/webp');
    expect(photoTypeOf(new TextEncoder().encode('RIFF\0\0\0\0WAVEfmt '))).toBeUndefined();
    expect(photoTypeOf(new Uint8Array([0xff, 0xd8]))).toBeUndefined();
  });
});
