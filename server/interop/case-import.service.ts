/**
 * 12345 hotline tickets into cases (issue 18), as the other imports do it: read and check
 * every row, then create the cases in ONE transaction, each by the intake itself (reportCase),
 * so routing, duplicates, due times and ticket numbers are those of a resident's report. A dry
 * run does all of it and rolls back (its ticket numbers are drawn from the sequence and lost);
 * a commit with any bad row is refused (422) with the report and nothing written.
 *
 * Place: the ticket's coordinates (crs wgs84, gcj02 or bd09, as the finder takes them), else
 * its address if the search index's names give one confident place (locate-address.ts), else
 * the street's queue, flagged (outside_grids), to be placed by a person. A 工单编号 already
 * imported is skipped and listed, so a file can be imported again after a failed attempt.
 */
import Papa from 'papaparse';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { CaseImportReport, HotlineCaseRow } from '../../common/contracts/case-import.ts';
import type { PublicCrs } from '../../common/contracts/public.ts';
import { streetOf } from '../../common/rules/region-codes.ts';
import { asHttpError, badRequest, HttpError } from '../http/errors.ts';
import { forbidden, type AuthUser } from '../auth/permissions.ts';
import { inTransaction } from '../db/transaction.ts';
import { reportCase } from '../cases/intake.ts';
import type { PublicIndexes } from '../public/public-index.ts';
import { searchIndexFor } from '../public/search-index.ts';
import { decodeText } from './formats/read-csv.ts';
import { readXlsx } from './formats/read-xlsx.ts';
import { formatFromName } from './formats/read-source.ts';
import { invalidFile } from './formats/errors.ts';
import { resolveLimits } from './formats/limits.ts';
import { readHotlineSheet, type HotlineTicket } from './hotline-rows.ts';
import { addressLocator, type AddressLocator } from './locate-address.ts';

/** Tickets per upload: a month of a busy street's 12345 tickets is a few hundred. */
export const MAX_HOTLINE_ROWS = 10_000;
/** How the timeline names who reported an imported ticket. */
export const HOTLINE_ACTOR = '12345热线';

export interface CaseImportRequest {
  user: AuthUser;
  bytes: Uint8Array;
  filename: string;
  crs: PublicCrs;
  /** The street whose queue takes tickets that cannot be located (an editor's own by default). */
  street?: string;
  commit: boolean;
  now: Date;
  indexes: PublicIndexes | null;
}

interface Table {
  format: 'csv' | 'xlsx';
  columns: string[];
  rows: Record<string, unknown>[];
  warnings: string[];
}

/** The sheet's header and rows, cells as text (CSV) or as the workbook holds them (xlsx). */
async function readTable(bytes: Uint8Array, filename: string): Promise<Table> {
  if (bytes.byteLength === 0) throw invalidFile(`"${filename}" is empty`);
  const format = formatFromName(filename);
  if (format !== 'csv' && format !== 'xlsx')
    throw invalidFile(`file: hotline tickets come as .csv or .xlsx, not ${format}`);
  let table: Table;
  if (format === 'xlsx') {
    const source = await readXlsx(bytes, resolveLimits());
    table = {
      format,
      columns: source.columns,
      rows: source.features.map((f) => f.properties),
      warnings: source.warnings,
    };
  } else {
    const { text, warnings } = decodeText(bytes, undefined);
    const parsed = Papa.parse<Record<string, string>>(text, {
      header: true,
      skipEmptyLines: 'greedy',
      transformHeader: (h) => h.trim(),
    });
    const fatal = parsed.errors.find((e) => e.type === 'Quotes');
    if (fatal) throw invalidFile(`The CSV cannot be read at row ${(fatal.row ?? 0) + 2}: ${fatal.message}`);
    table = { format, columns: parsed.meta.fields ?? [], rows: parsed.data, warnings };
  }
  if (table.rows.length > MAX_HOTLINE_ROWS)
    throw new HttpError(
      413,
      'too_large',
      `The file has ${table.rows.length} tickets; at most ${MAX_HOTLINE_ROWS.toLocaleString('en')} an upload`,
      'file',
    );
  return table;
}

/** Admins anywhere (street given or not); a street editor for their own street only. */
async function settleStreet(db: Kysely<DB>, request: CaseImportRequest): Promise<string | undefined> {
  const { user } = request;
  if (user.role !== 'admin' && user.role !== 'editor')
    throw forbidden('Only admins and street editors import 12345 hotline tickets');
  if (user.role === 'editor' && request.street && request.street !== user.street_code)
    throw forbidden(`Your account imports for street ${user.street_code ?? '(none)'}, not ${request.street}`);
  const street = request.street ?? (user.role === 'editor' ? (user.street_code ?? undefined) : undefined);
  if (street) {
    const found = await db
      .selectFrom('regions')
      .select('code')
      .where('code', '=', street)
      .where('level', '=', 'street')
      .executeTakeFirst();
    if (!found) throw badRequest('street', `street: no street has code ${street}`);
  }
  return street;
}

/** The cases that already carry these 工单编号: hotline_ref → ticket. */
async function importedRefs(db: Kysely<DB>, refs: readonly string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (let i = 0; i < refs.length; i += 1000) {
    const rows = await db
      .selectFrom('cases')
      .select(['hotline_ref', 'ticket'])
      .where('hotline_ref', 'in', refs.slice(i, i + 1000))
      .execute();
    for (const r of rows) if (r.hotline_ref && !found.has(r.hotline_ref)) found.set(r.hotline_ref, r.ticket);
  }
  return found;
}

/** Thrown inside the transaction to roll a dry run back. */
class DryRun extends Error {}

/** Which column a refusal of the intake is about. */
const fieldOf = (param: string | undefined, mapping: CaseImportReport['mapping']): string =>
  (param === 'lat' ? mapping.lat : param === 'lon' ? mapping.lon : param === 'category' ? mapping.category : null) ??
  param ??
  'row';

export async function runCaseImport(db: Kysely<DB>, request: CaseImportRequest): Promise<CaseImportReport> {
  const street = await settleStreet(db, request);
  const table = await readTable(request.bytes, request.filename);
  const categories = await db.selectFrom('case_categories').select(['code', 'name']).orderBy('sort').execute();
  const sheet = readHotlineSheet(table.columns, table.rows, {
    format: table.format,
    crs: request.crs,
    categories,
    now: request.now,
  });
  const report: CaseImportReport = {
    format: table.format,
    crs: request.crs,
    columns: table.columns,
    mapping: sheet.mapping,
    rows: table.rows.length,
    create: 0,
    cases: [],
    byGrid: [],
    withoutLocation: [],
    duplicates: [],
    invalid: [...sheet.invalid],
    warnings: [...table.warnings],
    committed: false,
  };
  if (sheet.mapping.lon && request.crs === 'wgs84')
    report.warnings.push(
      'Coordinates are read as WGS84: declare crs=gcj02 (高德/腾讯) or bd09 (百度) if the hotline system took them from a web map.',
    );
  const imported = await importedRefs(
    db,
    sheet.tickets.map((t) => t.hotlineRef),
  );
  let locator: AddressLocator | null = null;
  const locate = async (address: string) => {
    locator ??= addressLocator(
      (await searchIndexFor(db, request.indexes)) ??
        (await searchIndexFor(db, null)) ?? { entries: [], names: [], full: [], starts: [], initials: [], codes: [] },
    );
    return locator.locate(address);
  };

  const importOne = async (trx: Kysely<DB>, t: HotlineTicket): Promise<void> => {
    const already = imported.get(t.hotlineRef);
    if (already) {
      report.duplicates.push({ row: t.row, hotlineRef: t.hotlineRef, ticket: already });
      return;
    }
    let point = t.point;
    let located: HotlineCaseRow['located'] = point ? 'coordinates' : 'none';
    let matched: HotlineCaseRow['matched'] = null;
    if (!point && t.address) {
      const hit = await locate(t.address);
      if (hit) {
        point = { lon: hit.lon, lat: hit.lat };
        located = 'address';
        matched = { type: hit.type, name: hit.name };
      }
    }
    if (!point && !street) {
      report.invalid.push({
        row: t.row,
        field: sheet.mapping.address ?? '地址',
        value: t.address,
        reason:
          'the address names no single building, compound or road: give street to route it to that street’s queue',
      });
      return;
    }
    try {
      const created = await reportCase(
        trx,
        {
          category: t.category,
          description: t.description,
          ...(point ? { point } : { street }),
          ...(t.address ? { address: t.address } : {}),
          ...(t.phone ? { phone: t.phone } : {}),
          channel: 'hotline',
          hotlineRef: t.hotlineRef,
          reporter: { id: request.user.id, label: HOTLINE_ACTOR },
        },
        t.at,
        null,
      );
      const caseStreet = streetOf(created.communityCode);
      if (request.user.role === 'editor' && caseStreet !== request.user.street_code) {
        report.invalid.push({
          row: t.row,
          field: located === 'address' ? (sheet.mapping.address ?? '地址') : (sheet.mapping.lon ?? '经度'),
          value: located === 'address' ? t.address : `${t.point!.lon}, ${t.point!.lat}`,
          reason: `the place lies in street ${caseStreet}, not in yours (${request.user.street_code})`,
        });
        return;
      }
      const queue: HotlineCaseRow['queue'] = !point
        ? { kind: 'street', code: street! }
        : created.grid
          ? { kind: 'grid', code: created.grid.code }
          : { kind: 'community', code: created.communityCode };
      if (!point) report.withoutLocation.push({ row: t.row, hotlineRef: t.hotlineRef, address: t.address });
      report.cases.push({
        row: t.row,
        hotlineRef: t.hotlineRef,
        category: t.category,
        reportedAt: t.at.toISOString(),
        located,
        matched,
        grid: created.grid,
        queue,
        possibleDuplicateOf: created.possibleDuplicateOf,
        ticket: request.commit ? created.ticket : null,
      });
    } catch (error) {
      const refusal = asHttpError(error);
      if (!refusal || refusal.status >= 500) throw error;
      report.invalid.push({
        row: t.row,
        field: fieldOf(refusal.param, sheet.mapping),
        value: null,
        reason: refusal.message,
      });
    }
  };

  try {
    await inTransaction(db, async (trx) => {
      for (const ticket of sheet.tickets) await importOne(trx, ticket);
      if (!request.commit) throw new DryRun();
      if (report.invalid.length) {
        finish(report);
        throw new HttpError(
          422,
          'invalid_rows',
          `${report.invalid.length} row(s) cannot be imported (first: row ${report.invalid[0]!.row}, ${report.invalid[0]!.field}: ${report.invalid[0]!.reason}); nothing was written`,
          report.invalid[0]!.field,
          { report },
        );
      }
      report.committed = true;
    });
  } catch (error) {
    if (!(error instanceof DryRun)) throw error;
  }
  return finish(report);
}

/** Counts, the grid tally and rows in file order. */
function finish(report: CaseImportReport): CaseImportReport {
  report.invalid.sort((a, b) => a.row - b.row);
  report.cases.sort((a, b) => a.row - b.row);
  report.create = report.cases.length;
  const tally = new Map<string | null, { code: string | null; name: string | null; cases: number }>();
  for (const c of report.cases) {
    const key = c.grid?.code ?? null;
    const entry = tally.get(key) ?? { code: key, name: c.grid?.name ?? null, cases: 0 };
    entry.cases += 1;
    tally.set(key, entry);
  }
  report.byGrid = [...tally.values()].sort((a, b) => b.cases - a.cases || String(a.code).localeCompare(String(b.code)));
  return report;
}
