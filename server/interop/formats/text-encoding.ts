/**
 * Text encodings of attribute files from Chinese offices: Shapefiles and CSVs saved by
 * ArcGIS or Excel on Chinese Windows are GBK (code page 936) more often than UTF-8. Node's
 * TextDecoder (full ICU) reads gbk, gb18030 and big5; GB18030 is a superset of GBK, so it is
 * the fallback when bytes are not UTF-8.
 */
import { HttpError } from '../../http/errors.ts';

/** Canonical WHATWG label for what users and .cpg files write ('936', 'CP936', 'ANSI 936', 'UTF8', …). */
export function normaliseEncoding(label: string, param = 'encoding'): string {
  const t = label
    .trim()
    .toLowerCase()
    .replace(/^ansi\s*/, '')
    .replace(/^(cp|windows-?)(?=\d)/, '');
  const known: Record<string, string> = {
    'utf-8': 'utf-8',
    utf8: 'utf-8',
    '65001': 'utf-8',
    gbk: 'gbk',
    '936': 'gbk',
    gb2312: 'gbk',
    'gb_2312-80': 'gbk',
    'euc-cn': 'gbk',
    gb18030: 'gb18030',
    '54936': 'gb18030',
    big5: 'big5',
    '950': 'big5',
    '1252': 'windows-1252',
    latin1: 'windows-1252',
    'iso-8859-1': 'windows-1252',
  };
  const name = known[t] ?? t;
  try {
    return new TextDecoder(name).encoding;
  } catch {
    throw new HttpError(
      400,
      'invalid_parameter',
      `Unknown text encoding "${label}"; use utf-8, gbk, gb18030 or big5`,
      param,
    );
  }
}

/** dBASE language driver IDs (byte 29 of a .dbf) that say which code page the text is in. */
const LANGUAGE_DRIVERS: Record<number, string> = {
  0x4d: 'gbk', // 936 Chinese (PRC)
  0x7a: 'gbk', // 936 PRC GBK
  0x4f: 'big5', // 950 Chinese (Hong Kong SAR, Taiwan)
  0x78: 'big5', // 950 Taiwan Big5
  0x03: 'windows-1252',
};
/** 0x57: "ANSI", the writer's system code page: nothing to go on. */
export const LDID_ANSI = 0x57;

export function encodingFromLanguageDriver(ldid: number): string | undefined {
  return LANGUAGE_DRIVERS[ldid];
}

/** True when the bytes decode as UTF-8 without error. */
export function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** True when bytes hold something beyond ASCII (only then does the encoding matter). */
export const hasNonAscii = (bytes: Uint8Array) => bytes.some((b) => b >= 0x80);

export interface EncodingChoice {
  encoding: string;
  warnings: string[];
}

/**
 * Picks the encoding for `text` (all the attribute bytes): an explicit override is obeyed; a
 * declared one (`declared`, e.g. from a .cpg, with `source` saying where) is checked against
 * the bytes; with neither, UTF-8, else GB18030. A mismatch is reported in the warnings.
 */
export function chooseEncoding(
  text: Uint8Array,
  override: string | undefined,
  declared: string | undefined,
  source: string,
): EncodingChoice {
  const warnings: string[] = [];
  if (override) {
    const encoding = normaliseEncoding(override);
    if (encoding === 'utf-8' && !isUtf8(text))
      warnings.push(
        'the text is not valid UTF-8 although encoding=utf-8 was chosen: some characters are replaced (try gbk)',
      );
    return { encoding, warnings };
  }
  const utf8 = isUtf8(text);
  if (declared) {
    const encoding = normaliseEncoding(declared, 'file');
    if (encoding === 'utf-8' && !utf8) {
      warnings.push(
        `${source} says UTF-8 but the text is not valid UTF-8: decoded as GB18030 instead (set encoding if names look wrong)`,
      );
      return { encoding: 'gb18030', warnings };
    }
    if (encoding !== 'utf-8' && utf8 && hasNonAscii(text)) {
      warnings.push(
        `${source} says ${encoding} but the text is also valid UTF-8: decoded as ${encoding}; if names look garbled, set encoding=utf-8`,
      );
    }
    return { encoding, warnings };
  }
  if (utf8) return { encoding: 'utf-8', warnings };
  warnings.push(
    'the text is not valid UTF-8 and no encoding is declared: decoded as GB18030 (set encoding if names look wrong)',
  );
  return { encoding: 'gb18030', warnings };
}
