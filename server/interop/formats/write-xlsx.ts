/**
 * .xlsx ledgers (台账): one sheet, the given (Chinese) headers in a bold frozen first row with
 * an autofilter, numbers stored as numbers (so sums work), yes/no as 是/否, lists joined with
 * 、. Geometry is not written: ledgers are attribute tables (use CSV or GeoJSON for maps).
 */
import type { Feature } from 'geojson';
import { cell, columnKeys } from './write-common.ts';
import type { WriteOptions } from './types.ts';

/** Excel sheet names: ≤ 31 characters, none of []:*?/\ . */
export const sheetName = (title: string) =>
  title
    .replace(/[[\]:*?/\\]/g, ' ')
    .trim()
    .slice(0, 31) || 'Sheet1';

function typed(value: unknown, type: string | undefined): string | number | boolean | null {
  const v = cell(value);
  if (v === null) return null;
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (
    (type === 'integer' || type === 'number') &&
    typeof v === 'string' &&
    v.trim() !== '' &&
    Number.isFinite(Number(v))
  )
    return Number(v);
  return v;
}

export async function writeXlsx(features: Feature[], options: WriteOptions): Promise<Uint8Array> {
  const keys = columnKeys(features, options.columns);
  const columns: NonNullable<WriteOptions['columns']> = options.columns ?? keys.map((key) => ({ key, header: key }));
  // Loaded on first use: exceljs is ~0.7 s of module loading that every start paid for.
  const { default: excel } = await import('exceljs');
  const workbook = new excel.Workbook();
  workbook.creator = 'Wangge';
  const sheet = workbook.addWorksheet(sheetName(options.title ?? options.name), {
    views: [{ state: 'frozen', ySplit: 1 }],
  });
  sheet.columns = columns.map((c) => ({
    header: c.header,
    key: c.key,
    width: Math.min(40, Math.max(10, [...c.header].length * 2 + 2)),
  }));
  for (const f of features) sheet.addRow(columns.map((c) => typed(f.properties?.[c.key], c.type)));
  sheet.getRow(1).font = { bold: true };
  if (columns.length) sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  columns.forEach((c, i) => {
    if (c.type === 'integer') sheet.getColumn(i + 1).numFmt = '0';
  });
  const buffer = await workbook.xlsx.writeBuffer();
  return new Uint8Array(buffer as ArrayBuffer);
}
