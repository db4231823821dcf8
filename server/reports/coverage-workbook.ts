/**
 * The coverage report as an Excel workbook (pure: report data in, .xlsx bytes out).
 * exceljs writes styles, number formats and frozen panes, and reads workbooks back for the tests;
 * SheetJS's npm release has been stale since 2022 and write-excel-file cannot read.
 */
import type ExcelJS from 'exceljs';
import type { CoverageReportData } from './coverage-report.ts';
import { coverageTables, type Cell, type CellFormat, type Table } from './coverage-tables.ts';
import type { ReportLang } from './report-labels.ts';

export const NUMBER_FORMATS: Record<CellFormat, string | undefined> = {
  text: undefined,
  count: '#,##0',
  share: '0.0%',
  coord: '0.000000',
  decimal: '0.###',
};

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF7' } };

/** Display width of a text in Excel's character units: CJK and full-width characters count two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text)
    width += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch)
      ? 2
      : 1;
  return width;
}

function shown(value: Cell, format: CellFormat): string {
  if (value === null) return '';
  if (typeof value === 'string') return value;
  if (format === 'share') return `${(value * 100).toFixed(1)}%`;
  if (format === 'coord') return value.toFixed(6);
  if (format === 'count') return value.toLocaleString('en-US');
  return String(value);
}

/** Fit each column to its longest header or value, within 8–60 characters. */
function fitColumns(sheet: ExcelJS.Worksheet, table: Table, extra: string[][] = []): void {
  table.columns.forEach((column, i) => {
    let width = displayWidth(column.header);
    for (const row of table.rows) width = Math.max(width, displayWidth(shown(row[i] ?? null, column.format)));
    for (const row of extra) width = Math.max(width, displayWidth(row[i] ?? ''));
    // exceljs leaves out a width of exactly 9 (its default), so nudge it.
    const fitted = Math.min(60, Math.max(8, width + 2));
    sheet.getColumn(i + 1).width = fitted === 9 ? 9.5 : fitted;
  });
}

function writeTable(sheet: ExcelJS.Worksheet, table: Table, headerRow: number): void {
  const header = sheet.getRow(headerRow);
  table.columns.forEach((column, i) => {
    const cell = header.getCell(i + 1);
    cell.value = column.header;
    cell.font = { bold: true };
    cell.fill = HEADER_FILL;
    cell.alignment = { vertical: 'middle' };
  });
  table.rows.forEach((values, r) => {
    const row = sheet.getRow(headerRow + 1 + r);
    table.columns.forEach((column, i) => {
      const value = values[i] ?? null;
      if (value === null || value === '') return;
      const cell = row.getCell(i + 1);
      cell.value = value;
      const format = NUMBER_FORMATS[column.format];
      if (format && typeof value === 'number') cell.numFmt = format;
    });
  });
}

function dataSheet(workbook: ExcelJS.Workbook, table: Table): void {
  const sheet = workbook.addWorksheet(table.name, { views: [{ state: 'frozen', ySplit: 1 }] });
  writeTable(sheet, table, 1);
  if (table.columns.length)
    sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: table.columns.length } };
  fitColumns(sheet, table);
}

export async function buildCoverageWorkbook(data: CoverageReportData, lang: ReportLang = 'zh'): Promise<Buffer> {
  const tables = coverageTables(data, lang);
  // Loaded on first use: exceljs is ~0.7 s of module loading that every start paid for.
  const { default: excel } = await import('exceljs');
  const workbook = new excel.Workbook();
  workbook.creator = 'Wangge 网格';
  workbook.created = data.generatedAt;
  workbook.title = `${tables.summary.title} ${data.region.name}`;

  // 汇总: the title, the facts (region, date, reach parameters, totals), then one row per region.
  const { summary } = tables;
  const tableStart = summary.facts.length + 4;
  // Frozen below the per-region table's header row (not the title): the facts and the headers
  // stay in view while the regions scroll.
  const sheet = workbook.addWorksheet(summary.name, { views: [{ state: 'frozen', ySplit: tableStart }] });
  sheet.getCell(1, 1).value = summary.title;
  sheet.getCell(1, 1).font = { bold: true, size: 14 };
  summary.facts.forEach(([label, value, format], i) => {
    const row = sheet.getRow(i + 2);
    row.getCell(1).value = label;
    row.getCell(1).font = { bold: true };
    if (value === null) return;
    row.getCell(2).value = value;
    const numFmt = NUMBER_FORMATS[format];
    if (numFmt && typeof value === 'number') row.getCell(2).numFmt = numFmt;
    row.getCell(2).alignment = { horizontal: 'left' };
  });
  sheet.getCell(tableStart - 1, 1).value = summary.tableTitle;
  sheet.getCell(tableStart - 1, 1).font = { bold: true };
  writeTable(sheet, summary, tableStart);
  // The facts' labels sit in the first column and their values in the second: fit those too.
  fitColumns(
    sheet,
    summary,
    summary.facts.map(([label, value, format]) => [label, shown(value, format)]),
  );

  for (const table of [tables.grids, tables.orgs, tables.stations, tables.problems]) dataSheet(workbook, table);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
