/**
 * Import of 12345 hotline tickets (issue 18): POST /api/import/cases (multipart/form-data) with
 * `file` (CSV or .xlsx), and optionally `crs` (wgs84, gcj02, bd09: the coordinates' system),
 * `street` (the street whose queue takes tickets that cannot be located) and `commit` ('1' to
 * write; otherwise a dry run that writes nothing). Each ticket becomes a case of channel
 * 'hotline' with its 工单编号 kept as hotline_ref.
 */
import { z } from 'zod';
import { PublicCrs } from './public.ts';

/** The fields of a ticket and the column headers that name them (the first header found is used). */
export const HOTLINE_COLUMNS = {
  ticket: ['工单编号', '工单号', '编号'],
  time: ['来电时间', '受理时间', '登记时间', '时间'],
  category: ['类别', '诉求类别', '问题类别', '分类'],
  content: ['诉求内容', '内容', '问题描述', '诉求描述'],
  address: ['地址', '事发地址', '事发地点', '诉求地址'],
  lon: ['经度', 'lon', 'lng', 'longitude'],
  lat: ['纬度', 'lat', 'latitude'],
  phone: ['来电号码', '联系电话', '电话'],
} as const;
export type HotlineField = keyof typeof HOTLINE_COLUMNS;

const CodeName = z.object({ code: z.string(), name: z.string() });

/** One ticket as the import routed it (or would). */
export const HotlineCaseRow = z.object({
  /** The row in the file, the header being row 1 (as a spreadsheet numbers it). */
  row: z.number().int(),
  hotlineRef: z.string(),
  category: z.string(),
  reportedAt: z.string(),
  /** How its place was found: its coordinates, its address (one confident match), or not at all. */
  located: z.enum(['coordinates', 'address', 'none']),
  /** What the address matched (a building, compound, road or station address). */
  matched: z.object({ type: z.string(), name: z.string() }).nullable(),
  grid: CodeName.nullable(),
  /** The queue that takes it: its grid, the nearest community (outside every grid) or the street (not located). */
  queue: z.object({ kind: z.enum(['grid', 'community', 'street']), code: z.string() }),
  /** An open case of the same category within 50 m and 72 h. */
  possibleDuplicateOf: z.string().nullable(),
  /** The case's ticket (commit; a dry run's numbers are not kept). */
  ticket: z.string().nullable(),
});
export type HotlineCaseRow = z.infer<typeof HotlineCaseRow>;

export const CaseImportReport = z
  .object({
    format: z.enum(['csv', 'xlsx']),
    crs: PublicCrs,
    columns: z.array(z.string()),
    /** Field → the column read for it. */
    mapping: z.record(z.string(), z.string()),
    /** Data rows in the file. */
    rows: z.number().int(),
    /** Cases created (commit) or that would be (dry run). */
    create: z.number().int(),
    cases: z.array(HotlineCaseRow),
    /** Cases per grid, most first; tickets routed to no grid are under code null. */
    byGrid: z.array(z.object({ code: z.string().nullable(), name: z.string().nullable(), cases: z.number().int() })),
    /** Rows located neither by coordinates nor by address: routed to the street's queue, flagged. */
    withoutLocation: z.array(
      z.object({ row: z.number().int(), hotlineRef: z.string(), address: z.string().nullable() }),
    ),
    /** Tickets already imported (the same 工单编号): skipped, not created twice. */
    duplicates: z.array(z.object({ row: z.number().int(), hotlineRef: z.string(), ticket: z.string() })),
    /** Rows that cannot be imported; any of these refuses the commit (422) and nothing is written. */
    invalid: z.array(
      z.object({ row: z.number().int(), field: z.string(), value: z.string().nullable(), reason: z.string() }),
    ),
    warnings: z.array(z.string()),
    committed: z.boolean(),
  })
  .meta({ id: 'CaseImportReport', description: 'What the hotline import would do (dry run) or did (commit)' });
export type CaseImportReport = z.infer<typeof CaseImportReport>;
