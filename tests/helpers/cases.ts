/**
 * Cases over real HTTP (issue 18): report as a resident, walk a case through its lifecycle as
 * staff with If-Match, read its timeline from the database, and make the staff accounts of the
 * new roles (worker, community, department) that the privacy tests sign in as.
 */
import type { AddressInfo } from 'node:net';
import { sql, type Kysely } from 'kysely';
import { createApp } from '../../server/app.ts';
import type { AppContext } from '../../server/context.ts';
import type { DB } from '../../server/db/schema.ts';
import type { NewPublicCaseResponse, StaffCaseDetail } from '../../common/contracts/cases.ts';
import { hashPassword } from '../../server/auth/passwords.ts';
import { replayCaseTimeline, type CaseAction, type TimelineStep } from '../../common/rules/case-lifecycle.ts';
import type { HttpClient, HttpResponse } from './http-client.ts';
import { tablesChecksum } from './db.ts';
import { DEMO_PASSWORD } from './templates.ts';

/** Every table a case request may write. */
export const CASE_TABLES = ['cases', 'case_events', 'case_photos', 'case_daily_stats'] as const;
export const caseTablesChecksum = (db: Kysely<DB>) => tablesChecksum(db, CASE_TABLES);

/** Demo street 银河南路街道, community 丽景社区 and two of its neighbouring grids. */
export const STREET = '131002001000';
export const OTHER_STREET = '131002002000';
export const COMMUNITY = '131002001001';
export const OTHER_COMMUNITY = '131002001002';
export const GRID = '131002001001001';
export const NEIGHBOUR = '131002001001003';

export interface Reported {
  ticket: string;
  token: string;
  id: number;
  body: NewPublicCaseResponse;
}

export interface CaseRow {
  id: number;
  state: string;
  version: number;
  grid_code: string | null;
  community_code: string;
  queue_kind: string;
  queue_code: string;
  outside_grids: boolean;
}

export async function caseRow(db: Kysely<DB>, id: number): Promise<CaseRow> {
  const { rows } = await sql<CaseRow>`SELECT id::int AS id, state, version, grid_code, community_code, queue_kind,
    queue_code, outside_grids FROM cases WHERE id = ${id}`.execute(db);
  if (!rows[0]) throw new Error(`no case ${id}`);
  return rows[0];
}

export async function eventCount(db: Kysely<DB>, id: number): Promise<number> {
  const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM case_events WHERE case_id = ${id}`.execute(
    db,
  );
  return rows[0]!.n;
}

/** The case's timeline as the rule replays it. */
export async function timeline(db: Kysely<DB>, id: number): Promise<TimelineStep[]> {
  const { rows } = await sql<{ action: CaseAction; to_state: TimelineStep['to_state']; details: unknown }>`
    SELECT action, to_state, details FROM case_events WHERE case_id = ${id} ORDER BY seq`.execute(db);
  return rows.map((r) => ({
    action: r.action,
    to_state: r.to_state,
    details: (typeof r.details === 'string' ? JSON.parse(r.details) : r.details) as Record<string, unknown>,
  }));
}

/** Every case whose state column differs from the replay of its events (with why). */
export async function statesOffTheirTimeline(db: Kysely<DB>): Promise<string[]> {
  const { rows } = await sql<{ id: number; state: string }>`SELECT id::int AS id, state FROM cases ORDER BY id`.execute(
    db,
  );
  const off: string[] = [];
  for (const row of rows) {
    try {
      const replayed = replayCaseTimeline(await timeline(db, row.id));
      if (replayed !== row.state) off.push(`case ${row.id}: state ${row.state}, timeline says ${replayed}`);
    } catch (error) {
      off.push(`case ${row.id}: ${(error as Error).message}`);
    }
  }
  return off;
}

export interface NewCase {
  category?: string;
  description?: string;
  lon?: number;
  lat?: number;
  crs?: string;
  grid?: string;
  phone?: string;
  address?: string;
}

/** POST /api/public/cases as a resident; throws unless 201. */
export async function reportCase(http: HttpClient, db: Kysely<DB>, body: NewCase): Promise<Reported> {
  const res = await http.post<NewPublicCaseResponse>('/api/public/cases', {
    body: { category: 'safety', description: '楼道堆放杂物，堵塞消防通道', ...body },
  });
  if (res.status !== 201) throw new Error(`report failed: ${res.status} ${res.text}`);
  const { rows } = await sql<{ id: number }>`SELECT id::int AS id FROM cases WHERE ticket = ${res.body.ticket}`.execute(
    db,
  );
  return { ticket: res.body.ticket, token: res.body.token, id: rows[0]!.id, body: res.body };
}

/** A transition with the case's current ETag (read first), as `as`. */
export async function transition(
  http: HttpClient,
  as: string,
  id: number,
  body: Record<string, unknown>,
  ifMatch?: string,
): Promise<HttpResponse<StaffCaseDetail>> {
  const etag = ifMatch ?? (await http.get(`/api/cases/${id}`, { as })).etag ?? undefined;
  return http.post<StaffCaseDetail>(`/api/cases/${id}/transitions`, { as, body, ifMatch: etag });
}

/** Like `transition`, but throws unless 200. */
export async function act(http: HttpClient, as: string, id: number, body: Record<string, unknown>) {
  const res = await transition(http, as, id, body);
  if (res.status !== 200) throw new Error(`${String(body.action)} on case ${id}: ${res.status} ${res.text}`);
  return res.body;
}

export const rate = (http: HttpClient, r: Reported, rating: string, token = r.token) =>
  http.post(`/api/public/cases/${r.ticket}/rating`, { body: { token, rating } });

export interface StaffUser {
  username: string;
  role: 'worker' | 'community' | 'department';
  displayName: string;
  grids?: readonly string[];
  communityCode?: string;
  department?: { street: string; name: string };
}

/** Insert staff accounts of the new roles (password: the demo password); returns department ids by name. */
export async function createStaffUsers(db: Kysely<DB>, users: readonly StaffUser[]): Promise<void> {
  const hash = await hashPassword(DEMO_PASSWORD);
  for (const u of users) {
    let departmentId: number | null = null;
    if (u.department) {
      const { rows } = await sql<{ id: number }>`SELECT id FROM departments
        WHERE street_code = ${u.department.street} AND name = ${u.department.name}`.execute(db);
      departmentId =
        rows[0]?.id ??
        (
          await sql<{ id: number }>`INSERT INTO departments (street_code, name) VALUES (${u.department.street},
            ${u.department.name}) RETURNING id`.execute(db)
        ).rows[0]!.id;
    }
    const { rows } = await sql<{ id: number }>`INSERT INTO users (username, display_name, password_hash, role,
      street_code, community_code, department_id) VALUES (${u.username}, ${u.displayName}, ${hash}, ${u.role},
      ${u.department?.street ?? null}, ${u.communityCode ?? null}, ${departmentId}) RETURNING id`.execute(db);
    for (const grid of u.grids ?? [])
      await sql`INSERT INTO user_grids (user_id, grid_code) VALUES (${rows[0]!.id}, ${grid})`.execute(db);
  }
}

export async function departmentId(db: Kysely<DB>, street: string, name: string): Promise<number> {
  const { rows } = await sql<{ id: number }>`SELECT id FROM departments
    WHERE street_code = ${street} AND name = ${name}`.execute(db);
  if (!rows[0]) throw new Error(`no department ${name} in ${street}`);
  return rows[0].id;
}

export interface Listening {
  url: string;
  close(): Promise<void>;
}

/** Another app over the same database (e.g. with the finder's index off, or a low limit), on a free port. */
export async function listenApp(ctx: AppContext): Promise<Listening> {
  const server = await new Promise<import('node:http').Server>((resolve) => {
    const s = createApp(ctx).listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
