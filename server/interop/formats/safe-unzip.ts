/**
 * Unzips an uploaded archive without trusting it. We read the central directory ourselves
 * (fflate does not expose the external attributes, where a symlink shows), refuse any entry
 * that could escape (absolute path, '..' segment, drive letter), link (unix mode 0o120000) or
 * is encrypted, and inflate with fflate's streaming Inflate while counting the bytes that
 * actually come out, so a header that lies about sizes cannot get a bomb through.
 *
 * Refusals: 400 'unsafe_archive' (paths, links, encryption, ratio, lying sizes), 413
 * 'too_large' (entry count, total uncompressed bytes), 400 'invalid_file' (not a zip).
 */
import { Inflate } from 'fflate';
import { invalidFile, unsafeArchive } from './errors.ts';
import { tooLarge } from './limits.ts';
import type { ReadLimits } from './types.ts';

/** The ratio limit applies once an entry has inflated past this: a 100:1 ratio on a small blank .dbf is harmless. */
export const RATIO_FLOOR_BYTES = 1024 * 1024;
const CHUNK = 64 * 1024;

export interface ZipEntry {
  /** The path inside the archive, '/'-separated. */
  name: string;
  bytes: Uint8Array;
}

interface DirectoryEntry {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  size: number;
  localOffset: number;
  isDirectory: boolean;
}

const u16 = (b: Uint8Array, o: number) => b[o]! | (b[o + 1]! << 8);
const u32 = (b: Uint8Array, o: number) => (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;

function decodeName(raw: Uint8Array, utf8Flag: boolean): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    // Windows zip tools in China write names in the ANSI code page without the UTF-8 flag.
    return new TextDecoder(utf8Flag ? 'utf-8' : 'gb18030').decode(raw);
  }
}

/** Refuses names that could write outside a target folder if anyone ever extracted them. */
export function checkEntryName(name: string): void {
  if (name.includes('\0')) throw unsafeArchive(`Archive entry "${name.replace(/\0/g, '\\0')}" has a NUL in its name`);
  if (/^[/\\]/.test(name) || /^[A-Za-z]:/.test(name))
    throw unsafeArchive(`Archive entry "${name}" has an absolute path`);
  if (name.split(/[/\\]/).some((segment) => segment === '..'))
    throw unsafeArchive(`Archive entry "${name}" points outside the archive ('..')`);
}

function readDirectory(zip: Uint8Array, limits: ReadLimits): DirectoryEntry[] {
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (u32(zip, i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw invalidFile('The file is not a zip archive (no end-of-directory record)');
  const count = u16(zip, eocd + 10);
  const dirOffset = u32(zip, eocd + 16);
  if (count === 0xffff || dirOffset === 0xffffffff)
    throw invalidFile('ZIP64 archives are not supported; zip the files again without ZIP64');
  if (count > limits.maxEntries) throw tooLarge('maxEntries', count, limits);
  const entries: DirectoryEntry[] = [];
  let declaredTotal = 0;
  let o = dirOffset;
  for (let n = 0; n < count; n++) {
    if (o + 46 > zip.length || u32(zip, o) !== 0x02014b50)
      throw invalidFile('The zip archive is damaged (central directory)');
    const madeBy = u16(zip, o + 4) >> 8;
    const flags = u16(zip, o + 8);
    const method = u16(zip, o + 10);
    const compressedSize = u32(zip, o + 20);
    const size = u32(zip, o + 24);
    const nameLength = u16(zip, o + 28);
    const extraLength = u16(zip, o + 30);
    const commentLength = u16(zip, o + 32);
    const external = u32(zip, o + 38);
    const localOffset = u32(zip, o + 42);
    const name = decodeName(zip.subarray(o + 46, o + 46 + nameLength), (flags & 0x800) !== 0);
    o += 46 + nameLength + extraLength + commentLength;

    checkEntryName(name);
    // Host 3 = unix: the high 16 bits of the external attributes are the st_mode.
    if (madeBy === 3 && ((external >>> 16) & 0o170000) === 0o120000)
      throw unsafeArchive(`Archive entry "${name}" is a symbolic link`);
    if (flags & 0x1) throw unsafeArchive(`Archive entry "${name}" is encrypted`);
    if (compressedSize === 0xffffffff || size === 0xffffffff)
      throw invalidFile('ZIP64 archives are not supported; zip the files again without ZIP64');
    const isDirectory = name.endsWith('/') || name.endsWith('\\');
    if (!isDirectory && method !== 0 && method !== 8)
      throw invalidFile(`Archive entry "${name}" uses compression method ${method}; only stored and deflate are read`);
    declaredTotal += size;
    if (declaredTotal > limits.maxUnzippedBytes)
      throw tooLarge('maxUnzippedBytes', declaredTotal, limits, ' (declared by the archive)');
    entries.push({ name: name.replace(/\\/g, '/'), method, flags, compressedSize, size, localOffset, isDirectory });
  }
  return entries;
}

function inflateEntry(
  zip: Uint8Array,
  entry: DirectoryEntry,
  limits: ReadLimits,
  budget: { used: number },
): Uint8Array {
  const o = entry.localOffset;
  if (o + 30 > zip.length || u32(zip, o) !== 0x04034b50)
    throw invalidFile(`The zip archive is damaged (entry "${entry.name}")`);
  const start = o + 30 + u16(zip, o + 26) + u16(zip, o + 28);
  const data = zip.subarray(start, start + entry.compressedSize);
  if (data.length !== entry.compressedSize) throw invalidFile(`The zip archive is truncated (entry "${entry.name}")`);
  const parts: Uint8Array[] = [];
  let produced = 0;
  const take = (chunk: Uint8Array) => {
    produced += chunk.length;
    budget.used += chunk.length;
    if (produced > entry.size)
      throw unsafeArchive(`Archive entry "${entry.name}" inflates past its declared size of ${entry.size} bytes`);
    if (budget.used > limits.maxUnzippedBytes) throw tooLarge('maxUnzippedBytes', budget.used, limits);
    if (produced > RATIO_FLOOR_BYTES && produced > limits.maxRatio * Math.max(1, entry.compressedSize)) {
      throw unsafeArchive(
        `Archive entry "${entry.name}" expands more than ${limits.maxRatio} times (a decompression bomb?)`,
      );
    }
    parts.push(chunk);
  };
  if (entry.method === 0) {
    take(data);
  } else {
    const inflater = new Inflate((chunk) => take(chunk));
    try {
      for (let i = 0; i < data.length; i += CHUNK) inflater.push(data.subarray(i, i + CHUNK), i + CHUNK >= data.length);
      if (data.length === 0) inflater.push(new Uint8Array(0), true);
    } catch (error) {
      if ((error as { status?: number }).status) throw error;
      throw invalidFile(`Archive entry "${entry.name}" cannot be inflated: ${(error as Error).message}`);
    }
  }
  if (produced !== entry.size)
    throw unsafeArchive(
      `Archive entry "${entry.name}" inflates to ${produced} bytes, not the ${entry.size} its header declares`,
    );
  const out = new Uint8Array(produced);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Every file entry of a zip (directories and macOS "__MACOSX/" resource forks skipped), after
 * all the checks above. `wanted` limits which entries are inflated; all are checked.
 */
export function safeUnzip(
  zip: Uint8Array,
  limits: ReadLimits,
  wanted: (name: string) => boolean = () => true,
): ZipEntry[] {
  const entries = readDirectory(zip, limits);
  const budget = { used: 0 };
  const out: ZipEntry[] = [];
  for (const entry of entries) {
    if (entry.isDirectory || entry.name.startsWith('__MACOSX/') || !wanted(entry.name)) continue;
    out.push({ name: entry.name, bytes: inflateEntry(zip, entry, limits, budget) });
  }
  return out;
}
