/**
 * The cases' 台账 as an Excel workbook, streamed (exceljs's streaming writer): sheet 案件台账
 * one row per case, sheet 统计 the totals and one row per child region. A district-year is
 * thousands of rows (a city-year a million), so rows are written and flushed page by page
 * instead of building the workbook in memory as the coverage workbook does.
 * Nothing personal: no reporter phone, description or address.
 */
import type { Writable } from 'node:stream';
import type ExcelJS from 'exceljs';
import type { CaseCounts, CaseStats } from '../../common/contracts/cases.ts';
import type { CaseRating, CaseState } from '../../common/rules/case-lifecycle.ts';
import { CHANNEL_NAMES, OUTSIDE_GRIDS } from '../cases/stats.ts';
import type { LedgerCase } from './cases-ledger.queries.ts';
import { NUMBER_FORMATS } from './coverage-workbook.ts';

export const CASE_STATE_NAMES: Record<CaseState, string> = {
  reported: '已上报',
  accepted: '已受理',
  dispatched: '已派遣',
  handled: '已处置',
  fed_back: '已反馈',
  closed: '已结案',
  rated: '已评价',
  not_accepted: '不予受理',
  merged: '已合并',
};

export const RATING_NAMES: Record<CaseRating, string> = {
  satisfied: '满意',
  basically_satisfied: '基本满意',
  unsatisfied: '不满意',
};

export const LEDGER_SHEET = '案件台账';
export const STATS_SHEET = '统计';

const TIME_FORMAT = 'yyyy-mm-dd hh:mm';
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF7' } };
const BEIJING_OFFSET_MS = 8 * 3_600_000;

/** Excel has no time zones: a time is written as its Beijing wall-clock reading. */
const beijing = (at: Date | null): Date | null => (at ? new Date(at.getTime() + BEIJING_OFFSET_MS) : null);

interface Column<T> {
  header: string;
  width: number;
  numFmt?: string;
  value: (row: T) => string | number | Date | null;
}

const hours = (from: Date, to: Date) => Math.round(((to.getTime() - from.getTime()) / 3_600_000) * 10) / 10;

export function ledgerColumns(now: Date): Column<LedgerCase>[] {
  return [
    { header: '工单号', width: 18, value: (c) => c.ticket },
    { header: '类别', width: 10, value: (c) => c.category },
    { header: '渠道', width: 11, value: (c) => CHANNEL_NAMES[c.channel] ?? c.channel },
    { header: '上报时间', width: 17, numFmt: TIME_FORMAT, value: (c) => beijing(c.reported_at) },
    { header: '所在网格', width: 22, value: (c) => (c.grid_code ? (c.grid_name ?? c.grid_code) : OUTSIDE_GRIDS) },
    { header: '社区', width: 16, value: (c) => c.community },
    { header: '街道', width: 14, value: (c) => c.street },
    { header: '状态', width: 10, value: (c) => CASE_STATE_NAMES[c.state as CaseState] ?? c.state },
    { header: '处理方式', width: 22, value: (c) => c.handling },
    { header: '受理时间', width: 17, numFmt: TIME_FORMAT, value: (c) => beijing(c.accepted_at) },
    { header: '办理时限', width: 17, numFmt: TIME_FORMAT, value: (c) => beijing(c.due_at) },
    { header: '办结时间', width: 17, numFmt: TIME_FORMAT, value: (c) => beijing(c.closed_at) },
    {
      header: '是否按期',
      width: 10,
      value: (c) =>
        c.closed_at && c.accepted_at ? (c.due_at === null || c.closed_at <= c.due_at ? '是' : '否') : null,
    },
    { header: '评价', width: 10, value: (c) => (c.rating ? (RATING_NAMES[c.rating as CaseRating] ?? c.rating) : null) },
    { header: '网格编码', width: 17, value: (c) => c.grid_code },
    {
      header: '办理时长（小时）',
      width: 18,
      numFmt: '0.0',
      value: (c) => (c.closed_at && c.accepted_at ? hours(c.accepted_at, c.closed_at) : null),
    },
    {
      header: '当前超期',
      width: 10,
      value: (c) => (!c.closed_at && c.due_at && c.due_at < now && !c.duplicate_of ? '是' : null),
    },
    { header: '合并至', width: 18, value: (c) => c.duplicate_of },
  ];
}

type StatsRow = CaseCounts & { code: string; name: string };

export const STATS_COLUMNS: Column<StatsRow>[] = [
  { header: '编码', width: 17, value: (r) => r.code },
  { header: '名称', width: 22, value: (r) => r.name },
  { header: '上报数', width: 9.5, numFmt: NUMBER_FORMATS.count, value: (r) => r.reported },
  { header: '受理数', width: 9.5, numFmt: NUMBER_FORMATS.count, value: (r) => r.accepted },
  { header: '办结数', width: 9.5, numFmt: NUMBER_FORMATS.count, value: (r) => r.closed },
  { header: '办结率', width: 9.5, numFmt: NUMBER_FORMATS.share, value: (r) => r.closureRate },
  { header: '应办结', width: 9.5, numFmt: NUMBER_FORMATS.count, value: (r) => r.due },
  { header: '按期办结', width: 10, numFmt: NUMBER_FORMATS.count, value: (r) => r.closedOnTime },
  { header: '按期办结率', width: 12, numFmt: NUMBER_FORMATS.share, value: (r) => r.onTimeRate },
  { header: '评价数', width: 9.5, numFmt: NUMBER_FORMATS.count, value: (r) => r.rated },
  { header: '满意率', width: 9.5, numFmt: NUMBER_FORMATS.share, value: (r) => r.satisfactionRate },
  {
    header: '平均办理时长（小时）',
    width: 22,
    numFmt: '0.0',
    value: (r) => (r.avgHandlingHours === null ? null : Math.round(r.avgHandlingHours * 10) / 10),
  },
  { header: '当前超期', width: 10, numFmt: NUMBER_FORMATS.count, value: (r) => r.overdueNow },
];

function addSheet<T>(workbook: ExcelJS.stream.xlsx.WorkbookWriter, name: string, columns: Column<T>[]) {
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((c) => ({
    header: c.header,
    width: c.width,
    style: c.numFmt ? { numFmt: c.numFmt } : {},
  }));
  const header = sheet.getRow(1);
  header.font = { bold: true };
  header.fill = HEADER_FILL;
  header.alignment = { vertical: 'middle' };
  header.commit();
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  const add = (row: T) => {
    const values = columns.map((c) => c.value(row));
    sheet.addRow(values.map((v) => (v === null ? undefined : v))).commit();
  };
  return { sheet, add };
}

/**
 * Writes the workbook into `out` and ends it: the ledger page by page as `pages` yields them,
 * then the statistics (the region's totals first, then its child regions).
 */
export async function writeCasesWorkbook(
  out: Writable,
  stats: CaseStats,
  pages: AsyncIterable<LedgerCase[]>,
  now: Date,
): Promise<void> {
  const { default: excel } = await import('exceljs');
  const workbook = new excel.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = 'Wangge 网格';
  workbook.created = now;
  workbook.title = `案件台账 ${stats.region.name} ${stats.from} 至 ${stats.to}`;

  const ledger = addSheet(workbook, LEDGER_SHEET, ledgerColumns(now));
  for await (const page of pages) for (const row of page) ledger.add(row);
  ledger.sheet.commit();

  const summary = addSheet(workbook, STATS_SHEET, STATS_COLUMNS);
  summary.add({ ...stats.totals, code: stats.region.code, name: `合计（${stats.region.name}）` });
  for (const row of stats.byRegion) summary.add(row);
  summary.sheet.addRow([]).commit();
  summary.sheet.addRow(['统计期间', `${stats.from} 至 ${stats.to}（按上报日期，北京时间）`]).commit();
  summary.sheet.commit();
  await workbook.commit();
}

export const casesWorkbookName = (stats: Pick<CaseStats, 'region' | 'from' | 'to'>) =>
  `cases-${stats.region.code}-${stats.from}-${stats.to}.xlsx`;
