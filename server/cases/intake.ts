/**
 * Intake (上报): a new case from a resident (the finder), a grid worker on patrol, or a 12345
 * hotline ticket. It is routed in the same transaction that writes it: by point-in-grid on the
 * published grids (the finder's in-process index when built, else PostGIS), or to the grid a
 * board's QR code names; a point in no grid goes to the nearest community's queue, flagged.
 * An open case of the same category within 50 m and 72 h is offered as a duplicate to merge.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { inTransaction } from '../db/transaction.ts';
import { badRequest } from '../http/errors.ts';
import { districtOf, streetOf } from '../../common/rules/region-codes.ts';
import type { CaseChannel } from '../../common/contracts/cases.ts';
import { locateGrid, type PublicIndexes } from '../public/public-index.ts';
import {
  duplicatesNear,
  gridAtPoint,
  gridByCode,
  insertPhotos,
  insertReportedCase,
  nearestCommunity,
  type StoredPhoto,
} from './cases.queries.ts';

/** A point in no grid is routed to a community at most this far away; farther is refused. */
export const MAX_OUTSIDE_METRES = 5_000;

export interface CaseReport {
  category: string;
  description: string;
  /** WGS84 (converted at the edge). */
  point?: { lon: number; lat: number };
  grid?: string;
  /** No place at all (a hotline ticket whose address names none): the street's queue, flagged outside the grids. */
  street?: string;
  address?: string;
  phone?: string;
  channel: CaseChannel;
  hotlineRef?: string;
  /** The staff member reporting (patrol, hotline import); null for a resident. */
  reporter?: { id: number; label: string } | null;
  photos?: readonly StoredPhoto[];
}

export interface ReportedCase {
  id: string;
  ticket: string;
  token: string;
  grid: { code: string; name: string } | null;
  communityCode: string;
  outsideGrids: boolean;
  dueAt: Date;
  possibleDuplicateOf: string | null;
}

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

interface Routed {
  grid: { code: string; name: string } | null;
  /** A community, or the street itself for a case with no place. */
  community: string;
  outside: boolean;
}

async function route(db: Kysely<DB>, report: CaseReport, indexes: PublicIndexes | null): Promise<Routed> {
  if (report.point) {
    const { lon, lat } = report.point;
    const index = indexes?.locate ?? null;
    const hit = index ? locateGrid(index, lon, lat) : null;
    // The index may lag a publish by its poll interval: a hit is confirmed to still exist.
    const grid = hit ? await gridByCode(db, hit.code) : await gridAtPoint(db, lon, lat);
    if (grid) return { grid: { code: grid.code, name: grid.name }, community: grid.community_code, outside: false };
    const near = await nearestCommunity(db, lon, lat, MAX_OUTSIDE_METRES);
    if (!near) {
      throw badRequest(
        'lon',
        `lon=${lon}, lat=${lat} is more than ${MAX_OUTSIDE_METRES / 1000} km from every community served here`,
      );
    }
    return { grid: null, community: near.code, outside: true };
  }
  if (report.grid) {
    const grid = await gridByCode(db, report.grid);
    if (!grid) throw badRequest('grid', `grid: no published grid has code ${report.grid}`);
    return { grid: { code: grid.code, name: grid.name }, community: grid.community_code, outside: false };
  }
  if (report.street) return { grid: null, community: report.street, outside: true };
  throw badRequest('lon', 'a location is required: lon and lat, or the grid code from a board');
}

/** Writes a new case (state 上报) with its first timeline entry and photos, in one transaction. */
export async function reportCase(
  db: Kysely<DB>,
  report: CaseReport,
  at: Date,
  indexes: PublicIndexes | null = null,
): Promise<ReportedCase> {
  const category = await cachedCategory(db, report.category);
  if (!category) throw badRequest('category', `category: unknown category "${report.category}"`);
  const token = randomBytes(18).toString('base64url');
  // Without photos the case and its first timeline entry are one statement (atomic on its own):
  // three round trips an intake instead of eight (routing check, duplicates, the write).
  const write = async (trx: Kysely<DB>): Promise<ReportedCase> => {
    const routed = await route(trx, report, indexes);
    const duplicates = report.point ? await duplicatesNear(trx, { ...report.point, category: category.code, at }) : [];
    const queue = routed.grid
      ? { kind: 'grid' as const, code: routed.grid.code }
      : !report.point && !report.grid && report.street
        ? { kind: 'street' as const, code: report.street }
        : { kind: 'community' as const, code: routed.community };
    const details = {
      channel: report.channel,
      ...(routed.outside ? { outsideGrids: true } : {}),
      ...(duplicates[0] ? { possibleDuplicateOf: duplicates[0].ticket } : {}),
    };
    const { id, ticket } = await insertReportedCase(trx, {
      at,
      tokenHash: hashToken(token),
      category: category.code,
      channel: report.channel,
      description: report.description,
      address: report.address ?? null,
      point: report.point ?? null,
      gridCode: routed.grid?.code ?? null,
      communityCode: routed.community,
      streetCode: streetOf(routed.community),
      districtCode: districtOf(routed.community),
      outsideGrids: routed.outside,
      phone: report.phone ?? null,
      hotlineRef: report.hotlineRef ?? null,
      queue,
      reporterId: report.reporter?.id ?? null,
      reporterLabel: report.reporter?.label ?? '居民',
      details,
    });
    await insertPhotos(trx, id, 1, report.photos ?? []);
    return {
      id,
      ticket,
      token,
      grid: routed.grid,
      communityCode: routed.community,
      outsideGrids: routed.outside,
      dueAt: new Date(at.getTime() + category.time_limit_hours * 3_600_000),
      possibleDuplicateOf: duplicates[0]?.ticket ?? null,
    };
  };
  return report.photos?.length ? inTransaction(db, write) : write(db);
}

/** Categories change by configuration, rarely: kept 30 s per database, asked again on a miss. */
const CATEGORY_TTL_MS = 30_000;
const categoryCache = new WeakMap<
  Kysely<DB>,
  { at: number; rows: Map<string, { code: string; time_limit_hours: number }> }
>();

async function cachedCategory(db: Kysely<DB>, code: string) {
  const cached = categoryCache.get(db);
  const hit = cached && Date.now() - cached.at < CATEGORY_TTL_MS ? cached.rows.get(code) : undefined;
  if (hit) return hit;
  const rows = await db.selectFrom('case_categories').select(['code', 'time_limit_hours']).execute();
  categoryCache.set(db, { at: Date.now(), rows: new Map(rows.map((r) => [r.code, r])) });
  return rows.find((r) => r.code === code);
}
