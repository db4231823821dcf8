/**
 * A dBASE III reader for Shapefile attributes. Written here rather than taken from parsedbf
 * (shpjs's) because we need the language driver byte, one encoding decision for the whole
 * file checked against all its text bytes, typed values (blank numbers are null, not NaN)
 * and the deleted-record flag.
 */
import { invalidFile } from './errors.ts';
import {
  LDID_ANSI,
  chooseEncoding,
  normaliseEncoding,
  encodingFromLanguageDriver,
  hasNonAscii,
  type EncodingChoice,
} from './text-encoding.ts';

export interface DbfField {
  name: string;
  type: string;
  length: number;
  decimals: number;
}

export interface DbfTable {
  fields: DbfField[];
  /** One per record, in file order; null for a record marked deleted. */
  rows: (Record<string, unknown> | null)[];
  encoding: string;
  warnings: string[];
}

interface RawField {
  name: Uint8Array;
  type: string;
  offset: number;
  length: number;
  decimals: number;
}

const trimNul = (b: Uint8Array) => {
  const end = b.indexOf(0);
  return end < 0 ? b : b.subarray(0, end);
};

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function value(text: string, field: DbfField): unknown {
  const t = text.replace(/\0/g, '').trim();
  switch (field.type) {
    case 'N':
    case 'F': {
      if (t === '' || /^\*+$/.test(t)) return null;
      const n = Number(t);
      return Number.isFinite(n) ? n : null;
    }
    case 'L':
      return /^[YyTt]$/.test(t) ? true : /^[NnFf]$/.test(t) ? false : null;
    case 'D':
      return /^\d{8}$/.test(t) ? `${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)}` : null;
    default:
      return t === '' ? null : text.replace(/[\s\0]+$/, '');
  }
}

/**
 * Reads a .dbf. The encoding is: `override`, else the .cpg text, else the language driver
 * byte, else UTF-8 with a GB18030 fallback (chooseEncoding), warnings saying what was guessed.
 */
export function readDbf(bytes: Uint8Array, options: { override?: string; cpg?: string }): DbfTable {
  if (bytes.length < 33) throw invalidFile('The .dbf is too short to be a dBASE table');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const records = view.getUint32(4, true);
  const headerLength = view.getUint16(8, true);
  const recordLength = view.getUint16(10, true);
  const ldid = bytes[29]!;
  const raw: RawField[] = [];
  let offset = 1; // byte 0 of a record is the deletion flag
  for (let o = 32; o + 32 <= headerLength && bytes[o] !== 0x0d; o += 32) {
    const length = bytes[o + 16]!;
    raw.push({
      name: trimNul(bytes.subarray(o, o + 11)),
      type: String.fromCharCode(bytes[o + 11]!),
      offset,
      length,
      decimals: bytes[o + 17]!,
    });
    offset += length;
  }
  if (headerLength + records * recordLength > bytes.length)
    throw invalidFile(`The .dbf declares ${records} records but is shorter than that`);

  // All text that will be decoded (field names and character fields), to choose one encoding.
  const textParts = raw.map((f) => f.name);
  for (let r = 0; r < records; r++) {
    const base = headerLength + r * recordLength;
    for (const f of raw)
      if (f.type === 'C' || f.type === 'M') textParts.push(bytes.subarray(base + f.offset, base + f.offset + f.length));
  }
  const text = concat(textParts);
  const warnings: string[] = [];
  let declared = options.cpg?.trim() || undefined;
  let source = 'the .cpg';
  if (declared) {
    try {
      normaliseEncoding(declared, 'file');
    } catch {
      warnings.push(`the .cpg names an unknown encoding "${declared}": ignored`);
      declared = undefined;
    }
  }
  if (!declared && encodingFromLanguageDriver(ldid)) {
    declared = encodingFromLanguageDriver(ldid);
    source = `the .dbf language byte (0x${ldid.toString(16)})`;
  }
  const choice: EncodingChoice = chooseEncoding(text, options.override, declared, source);
  if (!options.override && !declared && ldid === LDID_ANSI && hasNonAscii(text)) {
    warnings.push(
      `the .dbf says "ANSI" (the writer's code page, unknown here): decoded as ${choice.encoding}; set encoding (e.g. gbk) if names look wrong`,
    );
  }
  warnings.push(...choice.warnings);
  const decoder = new TextDecoder(choice.encoding);

  const fields: DbfField[] = raw.map((f) => ({
    name: decoder.decode(f.name).trim(),
    type: f.type,
    length: f.length,
    decimals: f.decimals,
  }));
  const rows: (Record<string, unknown> | null)[] = [];
  for (let r = 0; r < records; r++) {
    const base = headerLength + r * recordLength;
    if (bytes[base] === 0x2a) {
      rows.push(null);
      continue;
    }
    const row: Record<string, unknown> = {};
    raw.forEach((f, i) => {
      const cell = bytes.subarray(base + f.offset, base + f.offset + f.length);
      const isText = f.type === 'C' || f.type === 'M';
      row[fields[i]!.name] = value(isText ? decoder.decode(cell) : new TextDecoder('latin1').decode(cell), fields[i]!);
    });
    rows.push(row);
  }
  return { fields, rows, encoding: choice.encoding, warnings };
}
