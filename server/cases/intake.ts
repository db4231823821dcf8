/**
 * Intake (上报): a new case from a resident (the finder), a grid worker on patrol, or a 12345
 * hotline ticket. It is routed in the same transaction that writes it: by point-in-grid on the
 * published grids (the finder's in-process index when built, else PostGIS), or to the grid a
 * board's QR code names; a point in no grid goes to the nearest community's queue, flagged.
 * An open case of the same category within 50 m and 72 h is offered as a duplicate to merge.
 */
import { createHash, randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { stGeomFromGeoJSON } from '../db/postgis.queries.ts';
import type { DB } from '../db/schema.ts';
import { inTransaction } from '../db/transaction.ts';
import { badRequest } from '../http/errors.ts';
import { districtOf, streetOf } from '../../common/rules/region-codes.ts';
import type { CaseChannel } from '../../common/contracts/cases.ts';
import { locateGrid, type PublicIndexes } from '../public/public-index.ts';
import {
  appendEvent,
  categoryByCode,
  duplicatesNear,
  gridAtPoint,
  gridByCode,
  insertPhotos,
  nearestCommunity,
  nextTicket,
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
  const category = await categoryByCode(db, report.category);
  if (!category) throw badRequest('category', `category: unknown category "${report.category}"`);
  const token = randomBytes(18).toString('base64url');
  return inTransaction(db, async (trx) => {
    const routed = await route(trx, report, indexes);
    const duplicates = report.point ? await duplicatesNear(trx, { ...report.point, category: category.code, at }) : [];
    const ticket = await nextTicket(trx, at);
    const queue = routed.grid
      ? { queue_kind: 'grid' as const, queue_code: routed.grid.code }
      : !report.point && !report.grid && report.street
        ? { queue_kind: 'street' as const, queue_code: report.street }
        : { queue_kind: 'community' as const, queue_code: routed.community };
    const { id } = await trx
      .insertInto('cases')
      .values({
        ticket,
        token_hash: hashToken(token),
        category: category.code,
        channel: report.channel,
        description: report.description,
        address: report.address ?? null,
        geom: report.point
          ? stGeomFromGeoJSON({ type: 'Point', coordinates: [report.point.lon, report.point.lat] })
          : null,
        grid_code: routed.grid?.code ?? null,
        community_code: routed.community,
        street_code: streetOf(routed.community),
        district_code: districtOf(routed.community),
        outside_grids: routed.outside,
        reporter_phone: report.phone ?? null,
        hotline_ref: report.hotlineRef ?? null,
        state: 'reported',
        ...queue,
        reported_at: at,
        created_by: report.reporter?.id ?? null,
      })
      .returning(sql<string>`id::text`.as('id'))
      .executeTakeFirstOrThrow();
    const seq = await appendEvent(trx, {
      caseId: id,
      at,
      action: 'report',
      from: null,
      to: 'reported',
      actorUserId: report.reporter?.id ?? null,
      actorLabel: report.reporter?.label ?? '居民',
      comment: null,
      details: {
        channel: report.channel,
        ...(routed.outside ? { outsideGrids: true } : {}),
        ...(duplicates[0] ? { possibleDuplicateOf: duplicates[0].ticket } : {}),
      },
    });
    await insertPhotos(trx, id, seq, report.photos ?? []);
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
  });
}
