/** Case rows: reading, routing fallbacks, duplicates, and the timeline (Kysely over both drivers). */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { textArray } from '../db/postgis.queries.ts';
import type { CaseRating, CaseState } from '../../common/rules/case-lifecycle.ts';
import { DUPLICATE_HOURS, DUPLICATE_METRES } from '../../common/rules/case-lifecycle.ts';
import type { StaffScope } from './case-access.ts';

const point = (lon: number, lat: number) => sql`ST_SetSRID(ST_MakePoint(${lon}, ${lat}), 4326)`;

/** Everything a case answer needs, with names joined in. */
export interface CaseRow {
  id: string;
  ticket: string;
  token_hash: string;
  category: string;
  category_name: string;
  time_limit_hours: number;
  channel: 'finder' | 'patrol' | 'hotline';
  description: string;
  address: string | null;
  lon: number | null;
  lat: number | null;
  grid_code: string | null;
  grid_name: string | null;
  community_code: string;
  community_name: string;
  street_code: string;
  street_name: string;
  district_code: string;
  outside_grids: boolean;
  reporter_phone: string | null;
  state: CaseState;
  queue_kind: 'grid' | 'community' | 'street' | 'department' | 'hotline';
  queue_code: string;
  queue_name: string | null;
  handling: string | null;
  handling_name: string | null;
  reported_at: Date;
  accepted_at: Date | null;
  due_at: Date | null;
  handled_at: Date | null;
  closed_at: Date | null;
  rating: CaseRating | null;
  rated_at: Date | null;
  duplicate_of: string | null;
  duplicate_ticket: string | null;
  reopened: number;
  version: number;
  departments: number[];
}

const CASE_SELECT = sql`
  c.id::text AS id, c.ticket, c.token_hash, c.category, cc.name AS category_name, cc.time_limit_hours,
  c.channel, c.description, c.address, ST_X(c.geom) AS lon, ST_Y(c.geom) AS lat,
  c.grid_code, g.name AS grid_name, c.community_code, coalesce(rc.name, c.community_code) AS community_name,
  c.street_code, coalesce(rs.name, c.street_code) AS street_name, c.district_code, c.outside_grids, c.reporter_phone,
  c.state, c.queue_kind, c.queue_code,
  CASE c.queue_kind
    WHEN 'grid' THEN (SELECT name FROM grids WHERE code = c.queue_code)
    WHEN 'department' THEN (SELECT name FROM departments WHERE id::text = c.queue_code)
    WHEN 'hotline' THEN '12345'
    ELSE (SELECT name FROM regions WHERE code = c.queue_code) END AS queue_name,
  c.handling, h.name AS handling_name, c.reported_at, c.accepted_at, c.due_at, c.handled_at, c.closed_at,
  c.rating, c.rated_at, c.duplicate_of::text AS duplicate_of, d.ticket AS duplicate_ticket, c.reopened, c.version,
  coalesce((SELECT array_agg(DISTINCT (e.details->'to'->>'code')::int) FROM case_events e
    WHERE e.case_id = c.id AND e.details->'to'->>'kind' = 'department'), '{}') AS departments`;
const CASE_FROM = sql`cases c
  JOIN case_categories cc ON cc.code = c.category
  LEFT JOIN grids g ON g.code = c.grid_code
  LEFT JOIN regions rc ON rc.code = c.community_code
  LEFT JOIN regions rs ON rs.code = c.street_code
  LEFT JOIN case_handlings h ON h.code = c.handling
  LEFT JOIN cases d ON d.id = c.duplicate_of`;

export async function caseById(db: Kysely<DB>, id: string, lock = false): Promise<CaseRow | undefined> {
  if (lock) await sql`SELECT 1 FROM cases WHERE id = ${id}::bigint FOR UPDATE`.execute(db);
  const { rows } = await sql<CaseRow>`SELECT ${CASE_SELECT} FROM ${CASE_FROM} WHERE c.id = ${id}::bigint`.execute(db);
  return rows[0];
}

export async function caseByTicket(db: Kysely<DB>, ticket: string, lock = false): Promise<CaseRow | undefined> {
  if (lock) await sql`SELECT 1 FROM cases WHERE ticket = ${ticket} FOR UPDATE`.execute(db);
  const { rows } = await sql<CaseRow>`SELECT ${CASE_SELECT} FROM ${CASE_FROM} WHERE c.ticket = ${ticket}`.execute(db);
  return rows[0];
}

export interface CaseFilter {
  region?: { level: 'district' | 'street' | 'community' | 'grid'; code: string };
  state?: CaseState[];
  open?: boolean;
  overdue?: boolean;
  category?: string;
  /** Only what is in the user's own queue. */
  mine?: boolean;
  limit: number;
  offset: number;
}

/** The staff member's scope as SQL: what canReadCase allows, for lists. */
function scopeCondition(user: StaffScope) {
  switch (user.role) {
    case 'admin':
      return sql`true`;
    case 'editor':
      return sql`c.street_code = ${user.street_code}`;
    case 'community':
      return sql`c.community_code = ${user.community_code}`;
    case 'worker':
      return user.grids.length === 0
        ? sql`false`
        : sql`(c.grid_code = ANY(${textArray(user.grids)}) OR (c.queue_kind = 'grid' AND c.queue_code = ANY(${textArray(user.grids)})))`;
    case 'department':
      return sql`((c.queue_kind = 'department' AND c.queue_code = ${String(user.department_id)}) OR EXISTS (
        SELECT 1 FROM case_events e WHERE e.case_id = c.id AND e.details->'to'->>'kind' = 'department'
          AND e.details->'to'->>'code' = ${String(user.department_id)}))`;
    default:
      return sql`false`;
  }
}

function mineCondition(user: StaffScope) {
  switch (user.role) {
    case 'worker':
      return user.grids.length === 0
        ? sql`false`
        : sql`c.queue_kind = 'grid' AND c.queue_code = ANY(${textArray(user.grids)})`;
    case 'community':
      return sql`c.queue_kind = 'community' AND c.queue_code = ${user.community_code}`;
    case 'editor':
      return sql`c.queue_kind = 'street' AND c.queue_code = ${user.street_code}`;
    case 'department':
      return sql`c.queue_kind = 'department' AND c.queue_code = ${String(user.department_id)}`;
    default:
      return sql`true`;
  }
}

/** A page of the user's cases: open ones by time left (overdue first), then the newest. */
export async function listCases(
  db: Kysely<DB>,
  user: StaffScope,
  filter: CaseFilter,
  now: Date,
): Promise<{ rows: CaseRow[]; total: number }> {
  const conditions = [scopeCondition(user)];
  if (filter.region) {
    const column = {
      district: 'c.district_code',
      street: 'c.street_code',
      community: 'c.community_code',
      grid: 'c.grid_code',
    }[filter.region.level];
    conditions.push(sql`${sql.raw(column)} = ${filter.region.code}`);
  }
  if (filter.state?.length) conditions.push(sql`c.state = ANY(${textArray(filter.state)})`);
  if (filter.open) conditions.push(sql`c.closed_at IS NULL`);
  if (filter.overdue) conditions.push(sql`c.closed_at IS NULL AND c.due_at < ${now}`);
  if (filter.category) conditions.push(sql`c.category = ${filter.category}`);
  if (filter.mine) conditions.push(mineCondition(user));
  const where = sql.join(conditions, sql` AND `);
  const [{ rows }, count] = await Promise.all([
    sql<CaseRow>`SELECT ${CASE_SELECT} FROM ${CASE_FROM} WHERE ${where}
      ORDER BY (c.closed_at IS NULL) DESC, c.due_at ASC NULLS LAST, c.reported_at DESC, c.id DESC
      LIMIT ${filter.limit} OFFSET ${filter.offset}`.execute(db),
    sql<{ n: string }>`SELECT count(*) AS n FROM cases c WHERE ${where}`.execute(db),
  ]);
  return { rows, total: Number(count.rows[0]!.n) };
}

export interface EventRow {
  seq: number;
  at: Date;
  action: string;
  from_state: CaseState | null;
  to_state: CaseState;
  actor_user_id: number | null;
  actor_label: string;
  actor_role: string | null;
  comment: string | null;
  details: Record<string, unknown>;
  photos: string[];
}

export async function caseTimeline(db: Kysely<DB>, id: string): Promise<EventRow[]> {
  const { rows } = await sql<EventRow>`
    SELECT e.seq, e.at, e.action, e.from_state, e.to_state, e.actor_user_id, e.actor_label, u.role AS actor_role,
      e.comment, e.details,
      coalesce((SELECT array_agg(p.id::text ORDER BY p.id) FROM case_photos p WHERE p.case_id = e.case_id AND p.event_seq = e.seq), '{}') AS photos
    FROM case_events e LEFT JOIN users u ON u.id = e.actor_user_id
    WHERE e.case_id = ${id}::bigint ORDER BY e.seq`.execute(db);
  return rows;
}

/** Open cases of the category within 50 m and 72 h of the point, nearest first. */
export async function duplicatesNear(
  db: Kysely<DB>,
  p: { lon: number; lat: number; category: string; at: Date; exceptId?: string },
): Promise<{ id: string; ticket: string; distance_m: number }[]> {
  const since = new Date(p.at.getTime() - DUPLICATE_HOURS * 3_600_000);
  const here = point(p.lon, p.lat);
  // 0.001° is ≥ 85 m east–west up to 40° N and 111 m north–south: a bounding box around 50 m.
  const { rows } = await sql<{ id: string; ticket: string; distance_m: number }>`
    SELECT c.id::text AS id, c.ticket, ST_Distance(c.geom::geography, ${here}::geography) AS distance_m
    FROM cases c
    WHERE c.closed_at IS NULL AND c.duplicate_of IS NULL AND c.category = ${p.category}
      AND c.reported_at >= ${since} AND c.reported_at <= ${p.at}
      AND c.geom && ST_Expand(${here}, 0.001)
      AND ST_DWithin(c.geom::geography, ${here}::geography, ${DUPLICATE_METRES})
      ${p.exceptId ? sql`AND c.id <> ${p.exceptId}::bigint` : sql``}
    ORDER BY distance_m, c.id LIMIT 5`.execute(db);
  return rows.map((r) => ({ ...r, distance_m: Number(r.distance_m) }));
}

/** The nearest community within `maxMetres` (KNN shortlist re-ranked geodesically: trap 3). */
export async function nearestCommunity(
  db: Kysely<DB>,
  lon: number,
  lat: number,
  maxMetres: number,
): Promise<{ code: string; distance_m: number } | undefined> {
  const here = point(lon, lat);
  const { rows } = await sql<{ code: string; distance_m: number }>`
    SELECT code, distance_m FROM (
      SELECT code, ST_Distance(geom::geography, ${here}::geography) AS distance_m
      FROM (SELECT code, geom FROM regions WHERE level = 'community' ORDER BY geom <-> ${here} LIMIT 8) k) r
    WHERE distance_m <= ${maxMetres} ORDER BY distance_m, code LIMIT 1`.execute(db);
  return rows[0] && { code: rows[0].code, distance_m: Number(rows[0].distance_m) };
}

/** A published grid by code, with its community. */
export async function gridByCode(
  db: Kysely<DB>,
  code: string,
): Promise<{ code: string; name: string; community_code: string } | undefined> {
  return db.selectFrom('grids').select(['code', 'name', 'community_code']).where('code', '=', code).executeTakeFirst();
}

/** The grid covering a point in PostGIS (first by code on a shared edge, as the public index). */
export async function gridAtPoint(
  db: Kysely<DB>,
  lon: number,
  lat: number,
): Promise<{ code: string; name: string; community_code: string } | undefined> {
  const { rows } = await sql<{ code: string; name: string; community_code: string }>`
    SELECT code, name, community_code FROM grids WHERE ST_Intersects(geom, ${point(lon, lat)}) ORDER BY code LIMIT 1`.execute(
    db,
  );
  return rows[0];
}

/** A staff member's scope: their grids for a worker. */
export async function staffScope(
  db: Kysely<DB>,
  user: { id: number; role: StaffScope['role']; street_code: string | null },
): Promise<StaffScope> {
  const row = await db
    .selectFrom('users')
    .select(['community_code', 'department_id'])
    .where('id', '=', user.id)
    .executeTakeFirst();
  const grids =
    user.role === 'worker'
      ? (await db.selectFrom('user_grids').select('grid_code').where('user_id', '=', user.id).execute()).map(
          (r) => r.grid_code,
        )
      : [];
  return {
    id: user.id,
    role: user.role,
    street_code: user.street_code,
    community_code: row?.community_code ?? null,
    department_id: row?.department_id ?? null,
    grids,
  };
}

export async function categoryByCode(
  db: Kysely<DB>,
  code: string,
): Promise<{ code: string; name: string; time_limit_hours: number } | undefined> {
  return db
    .selectFrom('case_categories')
    .select(['code', 'name', 'time_limit_hours'])
    .where('code', '=', code)
    .executeTakeFirst();
}

export async function caseConfig(db: Kysely<DB>, street?: string | null) {
  const [categories, handlings, departments] = await Promise.all([
    db.selectFrom('case_categories').select(['code', 'name', 'time_limit_hours']).orderBy('sort').execute(),
    db.selectFrom('case_handlings').select(['code', 'name']).orderBy('sort').execute(),
    db
      .selectFrom('departments')
      .select(['id', 'street_code', 'name', 'report_hours'])
      .$if(!!street, (q) => q.where('street_code', '=', street!))
      .orderBy('street_code')
      .orderBy('id')
      .execute(),
  ]);
  return { categories, handlings, departments };
}

/** The next ticket: the Beijing date of `at` and a sequence number. */
export async function nextTicket(db: Kysely<DB>, at: Date): Promise<string> {
  const { rows } = await sql<{ ticket: string }>`
    SELECT to_char(${at}::timestamptz AT TIME ZONE 'Asia/Shanghai', 'YYYYMMDD') || '-' ||
      lpad(nextval('case_ticket_seq')::text, 6, '0') AS ticket`.execute(db);
  return rows[0]!.ticket;
}

export interface NewEvent {
  caseId: string;
  at: Date;
  action: string;
  from: CaseState | null;
  to: CaseState;
  actorUserId: number | null;
  actorLabel: string;
  comment: string | null;
  details: Record<string, unknown>;
}

/** Appends an event (seq = last + 1; the caller holds the case's row lock) and returns its seq. */
export async function appendEvent(db: Kysely<DB>, e: NewEvent): Promise<number> {
  const { rows } = await sql<{ seq: number }>`
    INSERT INTO case_events (case_id, seq, at, action, from_state, to_state, actor_user_id, actor_label, comment, details)
    SELECT ${e.caseId}::bigint, coalesce(max(seq), 0) + 1, ${e.at}, ${e.action}, ${e.from}, ${e.to}, ${e.actorUserId},
      ${e.actorLabel}, ${e.comment}, ${JSON.stringify(e.details)}::jsonb
    FROM case_events WHERE case_id = ${e.caseId}::bigint
    RETURNING seq`.execute(db);
  return rows[0]!.seq;
}

export interface StoredPhoto {
  mime: 'image/jpeg' | 'image/png' | 'image/webp';
  width: number;
  height: number;
  bytes: Buffer;
}

export async function insertPhotos(db: Kysely<DB>, caseId: string, seq: number, photos: readonly StoredPhoto[]) {
  if (photos.length === 0) return;
  await db
    .insertInto('case_photos')
    .values(
      photos.map((p) => ({
        case_id: caseId,
        event_seq: seq,
        mime: p.mime,
        width: p.width,
        height: p.height,
        bytes: p.bytes,
      })),
    )
    .execute();
}

export interface ReportedCaseRow {
  at: Date;
  tokenHash: string;
  category: string;
  channel: 'finder' | 'patrol' | 'hotline';
  description: string;
  address: string | null;
  point: { lon: number; lat: number } | null;
  gridCode: string | null;
  communityCode: string;
  streetCode: string;
  districtCode: string;
  outsideGrids: boolean;
  phone: string | null;
  hotlineRef: string | null;
  queue: { kind: 'grid' | 'community' | 'street'; code: string };
  reporterId: number | null;
  reporterLabel: string;
  details: Record<string, unknown>;
}

/**
 * A new case (上报) and its first timeline entry in one statement, so an intake without photos
 * needs no transaction of its own; the ticket is the Beijing date and the next sequence number.
 */
export async function insertReportedCase(db: Kysely<DB>, c: ReportedCaseRow): Promise<{ id: string; ticket: string }> {
  const geom = c.point
    ? sql`ST_SetSRID(ST_MakePoint(${c.point.lon}::float8, ${c.point.lat}::float8), 4326)`
    : sql`NULL`;
  const { rows } = await sql<{ id: string; ticket: string }>`
    WITH made AS (
      INSERT INTO cases (ticket, token_hash, category, channel, description, address, geom, grid_code, community_code,
        street_code, district_code, outside_grids, reporter_phone, hotline_ref, state, queue_kind, queue_code,
        reported_at, created_by)
      VALUES (
        to_char(${c.at}::timestamptz AT TIME ZONE 'Asia/Shanghai', 'YYYYMMDD') || '-' || lpad(nextval('case_ticket_seq')::text, 6, '0'),
        ${c.tokenHash}, ${c.category}, ${c.channel}, ${c.description}, ${c.address}::text,
        ${geom}, ${c.gridCode}::text, ${c.communityCode}, ${c.streetCode},
        ${c.districtCode}, ${c.outsideGrids}, ${c.phone}::text, ${c.hotlineRef}::text,
        'reported', ${c.queue.kind}, ${c.queue.code}, ${c.at}::timestamptz, ${c.reporterId}::integer)
      RETURNING id, ticket),
    timeline AS (
      INSERT INTO case_events (case_id, seq, at, action, from_state, to_state, actor_user_id, actor_label, details)
      SELECT id, 1, ${c.at}::timestamptz, 'report', NULL, 'reported', ${c.reporterId}::integer,
        ${c.reporterLabel}::text, ${JSON.stringify(c.details)}::jsonb FROM made)
    SELECT id::text AS id, ticket FROM made`.execute(db);
  return rows[0]!;
}
