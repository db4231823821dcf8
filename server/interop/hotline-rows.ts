/**
 * 12345 hotline tickets from a sheet's rows (no database): the columns found by their Chinese
 * headers (HOTLINE_COLUMNS), and each row checked on its own, so that the report names every
 * bad row with its value. Times without a zone are Beijing time, as the hotline's exports
 * write them; coordinates go through the finder's own rule (parsePublicPoint: inside China,
 * swapped pairs named, GCJ-02 / BD-09 converted with gcoord).
 */
import type { CaseImportReport, HotlineField } from '../../common/contracts/case-import.ts';
import { HOTLINE_COLUMNS } from '../../common/contracts/case-import.ts';
import type { PublicCrs } from '../../common/contracts/public.ts';
import { asHttpError, badRequest } from '../http/errors.ts';
import { parsePublicPoint } from '../public/public-params.ts';

export interface HotlineTicket {
  /** The row in the file, the header being row 1. */
  row: number;
  hotlineRef: string;
  category: string;
  at: Date;
  description: string;
  address: string | null;
  /** WGS84. */
  point: { lon: number; lat: number } | null;
  phone: string | null;
}

export type InvalidRow = CaseImportReport['invalid'][number];

export interface HotlineSheet {
  mapping: Partial<Record<HotlineField, string>>;
  tickets: HotlineTicket[];
  invalid: InvalidRow[];
}

const REQUIRED: HotlineField[] = ['ticket', 'time', 'category', 'content'];
const BEIJING_OFFSET_MS = 8 * 3_600_000;
/** A call may be logged a little ahead of this server's clock; more than this is a wrong date. */
const FUTURE_SLACK_MS = 3_600_000;
const EARLIEST = Date.UTC(2000, 0, 1);

/** The column for each field: the first of its names that the header has (case and spaces ignored). */
export function findColumns(columns: readonly string[]): HotlineSheet['mapping'] {
  const norm = (s: string) => s.replace(/\s+/g, '').toLowerCase();
  const mapping: HotlineSheet['mapping'] = {};
  for (const [field, names] of Object.entries(HOTLINE_COLUMNS) as [HotlineField, readonly string[]][]) {
    for (const name of names) {
      const hit = columns.find((c) => norm(c) === norm(name));
      if (hit) {
        mapping[field] = hit;
        break;
      }
    }
  }
  const missing = REQUIRED.filter((f) => !mapping[f]).map((f) => HOTLINE_COLUMNS[f][0]);
  if (missing.length)
    throw badRequest(
      'file',
      `file: no column ${missing.join(', ')} (the header has ${columns.join(', ') || 'nothing'})`,
    );
  if (!mapping.address && !(mapping.lon && mapping.lat))
    throw badRequest('file', 'file: a ticket needs a place: an 地址 column, or 经度 and 纬度 columns');
  return mapping;
}

const text = (value: unknown): string | null => {
  if (value === null || value === undefined) return null;
  const s = String(value).trim();
  return s === '' ? null : s;
};

/** Beijing wall-clock parts → the instant. */
function beijing(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): Date | null {
  const utc = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(utc);
  if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return null;
  return new Date(utc - BEIJING_OFFSET_MS);
}

const WALL_CLOCK =
  /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]+(\d{1,2})[:时](\d{1,2})(?:[:分](\d{1,2})秒?)?)?$/;
const WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
/** How the xlsx reader writes a date cell: Excel dates have no zone, so this is the wall clock. */
const XLSX_DATE_CELL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.000Z$/;

/** A call time as a spreadsheet holds it; null when it cannot be read. */
export function parseCallTime(value: unknown, format: 'csv' | 'xlsx'): Date | null {
  if (typeof value === 'number') {
    // An Excel serial date not formatted as one: days since 1899-12-30, Beijing wall clock.
    if (format !== 'xlsx' || !Number.isFinite(value)) return null;
    return new Date(Date.UTC(1899, 11, 30) + Math.round(value * 86_400_000) - BEIJING_OFFSET_MS);
  }
  const s = text(value);
  if (!s) return null;
  const cell = format === 'xlsx' ? XLSX_DATE_CELL.exec(s) : null;
  if (cell) return beijing(...(cell.slice(1, 7).map(Number) as [number, number, number, number, number, number]));
  const wall = WALL_CLOCK.exec(s);
  if (wall)
    return beijing(
      Number(wall[1]),
      Number(wall[2]),
      Number(wall[3]),
      Number(wall[4] ?? 0),
      Number(wall[5] ?? 0),
      Number(wall[6] ?? 0),
    );
  if (WITH_ZONE.test(s)) {
    const t = Date.parse(s);
    return Number.isNaN(t) ? null : new Date(t);
  }
  return null;
}

const PHONE = /^[0-9+\- ]{5,20}$/;

/**
 * Every row checked: required cells, the category (by its Chinese name or code), the time, the
 * place, the phone; a 工单编号 twice in the file is refused at its second row.
 */
export function readHotlineSheet(
  columns: readonly string[],
  rows: readonly Record<string, unknown>[],
  options: {
    format: 'csv' | 'xlsx';
    crs: PublicCrs;
    categories: readonly { code: string; name: string }[];
    now: Date;
  },
): HotlineSheet {
  const mapping = findColumns(columns);
  const byName = new Map<string, string>();
  for (const c of options.categories) {
    byName.set(c.name, c.code);
    byName.set(c.code, c.code);
  }
  const names = options.categories.map((c) => c.name).join('、');
  const tickets: HotlineTicket[] = [];
  const invalid: InvalidRow[] = [];
  const seen = new Map<string, number>();

  rows.forEach((cells, index) => {
    const row = index + 2;
    const problems: InvalidRow[] = [];
    const cell = (field: HotlineField) => (mapping[field] ? cells[mapping[field]] : undefined);
    const fail = (field: HotlineField, value: unknown, reason: string) =>
      problems.push({ row, field: mapping[field] ?? HOTLINE_COLUMNS[field][0], value: text(value), reason });

    const hotlineRef = text(cell('ticket'));
    if (!hotlineRef) fail('ticket', null, '工单编号 is empty');
    else if (hotlineRef.length > 40) fail('ticket', hotlineRef.slice(0, 40), '工单编号 is longer than 40 characters');
    else if (seen.has(hotlineRef))
      fail('ticket', hotlineRef, `the file has this 工单编号 twice (first at row ${seen.get(hotlineRef)})`);
    if (hotlineRef && !seen.has(hotlineRef)) seen.set(hotlineRef, row);

    const categoryText = text(cell('category'));
    const category = categoryText ? byName.get(categoryText) : undefined;
    if (!category)
      fail(
        'category',
        categoryText,
        categoryText ? `unknown category "${categoryText}"; the categories are ${names}` : '类别 is empty',
      );

    const rawTime = cell('time');
    const at = parseCallTime(rawTime, options.format);
    if (!at) fail('time', rawTime, 'not a time: write it as 2026-12-01 09:30 (Beijing time) or with its zone');
    else if (at.getTime() > options.now.getTime() + FUTURE_SLACK_MS) fail('time', rawTime, 'the time is in the future');
    else if (at.getTime() < EARLIEST) fail('time', rawTime, 'the time is before 2000');

    const description = text(cell('content'));
    if (!description || description.length < 2) fail('content', description, '诉求内容 is empty or too short');
    else if (description.length > 2000) fail('content', null, '诉求内容 is longer than 2,000 characters');

    const address = text(cell('address'));
    if (address && address.length > 200) fail('address', address.slice(0, 40), '地址 is longer than 200 characters');

    let point: HotlineTicket['point'] = null;
    const lon = text(cell('lon'));
    const lat = text(cell('lat'));
    if (lon || lat) {
      try {
        const p = parsePublicPoint({ lon: lon ?? '', lat: lat ?? '', crs: options.crs });
        point = { lon: p.lon, lat: p.lat };
      } catch (error) {
        const http = asHttpError(error);
        if (!http) throw error;
        const field = http.param === 'lat' ? 'lat' : 'lon';
        fail(field, field === 'lat' ? lat : lon, http.message);
      }
    } else if (!address) fail('address', null, 'the ticket has no place: neither 地址 nor 经度/纬度');

    const phone = text(cell('phone'));
    if (phone && !PHONE.test(phone)) fail('phone', null, '来电号码 is not a phone number of 5–20 digits');

    if (problems.length) return invalid.push(...problems);
    return tickets.push({
      row,
      hotlineRef: hotlineRef!,
      category: category!,
      at: at!,
      description: description!,
      address,
      point,
      phone,
    });
  });
  return { mapping, tickets, invalid };
}
