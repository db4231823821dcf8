/**
 * Photos for the case-photo tests, made on the fly with sharp (no binary files in the repo):
 * a phone-like JPEG with EXIF GPS and an orientation tag, a PNG, a WebP, a PNG over 5 MB, a
 * truncated JPEG and a decompression bomb (a 12 KB PNG whose header declares 50,000 × 50,000).
 */
import { crc32, deflateSync } from 'node:zlib';
import { randomBytes } from 'node:crypto';
import sharp from 'sharp';

const solid = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: { r: 200, g: 40, b: 30 } } });

/** 400 × 300 pixels, EXIF orientation 6 (shown 300 × 400), GPS 39°30′N 116°41′E, camera make "WanggePhone". */
export const jpegWithGps = (): Promise<Buffer> =>
  solid(400, 300)
    .jpeg()
    .withMetadata({
      orientation: 6,
      exif: {
        IFD0: { Make: 'WanggePhone' },
        IFD3: {
          GPSLatitudeRef: 'N',
          GPSLatitude: '39/1 30/1 0/1',
          GPSLongitudeRef: 'E',
          GPSLongitude: '116/1 41/1 0/1',
        },
      },
    })
    .toBuffer();

export const png = (width = 120, height = 80): Promise<Buffer> => solid(width, height).png().toBuffer();
export const webp = (): Promise<Buffer> => solid(64, 48).webp().toBuffer();

/** A PNG of noise, which does not compress: 1,500 × 1,400 pixels ≈ 6.3 MB. */
export const pngOver5MB = (): Promise<Buffer> =>
  sharp(randomBytes(1500 * 1400 * 3), { raw: { width: 1500, height: 1400, channels: 3 } })
    .png()
    .toBuffer();

/** The first 60 % of a JPEG photo. */
export async function truncatedJpeg(): Promise<Buffer> {
  const whole = await solid(800, 600).jpeg().toBuffer();
  return whole.subarray(0, Math.floor(whole.length * 0.6));
}

function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])));
  return Buffer.concat([head, data, crc]);
}

/** A 1-bit PNG declaring `side` × `side` pixels with a few zero rows of data (2.5 GP at 50,000). */
export function pngBomb(side = 50_000): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(side, 0);
  ihdr.writeUInt32BE(side, 4);
  ihdr[8] = 1; // bit depth 1, colour type 0 (grey)
  const rows = deflateSync(Buffer.alloc((1 + Math.ceil(side / 8)) * 2000), { level: 9 });
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', rows),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * The tags of a TIFF-structured EXIF block's IFD0 (sharp's `metadata().exif`), enough to see
 * whether a GPS IFD (tag 0x8825) and a camera make (0x010F) are there.
 */
export function exifIfd0Tags(exif: Buffer): number[] {
  const tiff = exif.toString('latin1', 0, 4) === 'Exif' ? exif.subarray(6) : exif;
  const little = tiff.toString('latin1', 0, 2) === 'II';
  const u16 = (o: number) => (little ? tiff.readUInt16LE(o) : tiff.readUInt16BE(o));
  const u32 = (o: number) => (little ? tiff.readUInt32LE(o) : tiff.readUInt32BE(o));
  const ifd = u32(4);
  return Array.from({ length: u16(ifd) }, (_, i) => u16(ifd + 2 + i * 12));
}

export const GPS_IFD_TAG = 0x8825;
