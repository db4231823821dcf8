/**
 * Excel (.xlsx) sheets for the attribute-only layers (party organisations, grid workers):
 * the first worksheet, the first non-empty row as the header. An .xlsx is a zip of XML, so it
 * goes through safeUnzip (bombs, paths) and the DOCTYPE refusal before exceljs opens it.
 * Cell values: numbers stay numbers, formulas give their cached result, rich text and links
 * their text, dates an ISO date (time added when not midnight); empty cells are null.
 */
import type ExcelJS from 'exceljs';
import { invalidFile } from './errors.ts';
import { refuseDoctype } from './read-kml.ts';
import { safeUnzip } from './safe-unzip.ts';
import type { ParsedSource, ReadLimits, SourceFeature } from './types.ts';

function cellValue(value: ExcelJS.CellValue): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value.trim() === '' ? null : value;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Date) {
    const iso = value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('formula' in value || 'sharedFormula' in value)
    return cellValue((value as { result?: ExcelJS.CellValue }).result ?? null);
  if ('hyperlink' in value) return (value as { text?: string }).text ?? value.hyperlink;
  if ('error' in value) return null;
  return String(value);
}

/** Reads the first sheet of an .xlsx as attribute rows (geometry null). */
export async function readXlsx(bytes: Uint8Array, limits: ReadLimits): Promise<ParsedSource> {
  const entries = safeUnzip(bytes, limits);
  const decoder = new TextDecoder();
  for (const entry of entries)
    if (/\.(xml|rels)$/i.test(entry.name)) refuseDoctype(decoder.decode(entry.bytes.subarray(0, 4096)));
  // Loaded on first use: exceljs is ~0.7 s of module loading that every start paid for.
  const { default: excel } = await import('exceljs');
  const workbook = new excel.Workbook();
  try {
    await workbook.xlsx.load(
      Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as Parameters<
        typeof workbook.xlsx.load
      >[0],
    );
  } catch (error) {
    throw invalidFile(`The .xlsx cannot be read: ${(error as Error).message}`);
  }
  const sheet = workbook.worksheets[0];
  if (!sheet || sheet.actualRowCount === 0) throw invalidFile('The .xlsx has no rows in its first sheet');
  const warnings: string[] =
    workbook.worksheets.length > 1 ? [`read the first sheet "${sheet.name}" of ${workbook.worksheets.length}`] : [];

  let header: string[] | undefined;
  const features: SourceFeature[] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => {
    const values: unknown[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      values[col - 1] = cellValue(cell.value);
    });
    if (!header) {
      header = Array.from(values, (v, i) => (v === null || v === undefined ? `column_${i + 1}` : String(v).trim()));
      return;
    }
    if (values.every((v) => v === null || v === undefined)) return;
    const properties: Record<string, unknown> = {};
    header.forEach((h, i) => {
      properties[h] = values[i] ?? null;
    });
    features.push({ geometry: null, properties });
  });
  return { format: 'xlsx', features, columns: header ?? [], encoding: 'utf-8', warnings };
}
