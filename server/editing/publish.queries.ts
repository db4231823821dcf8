/**
 * What publishing a draft (publish.ts) reads and writes: the draft's split/merge steps, row
 * locks on its published grids, the grids written to the published map, and the party
 * organisations and workers that follow them.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { GridInDraft, WorkerAssignment } from './drafts.queries.ts';

/** The draft's live split and merge steps, in order: which grids each ended and began. */
export async function splitMergeSteps(
  db: Kysely<DB>,
  draftId: number,
): Promise<{ operation: string; from: string[]; to: string[] }[]> {
  const { rows } = await sql<{ operation: string; from: string[]; to: string[] }>`
    SELECT c.operation,
           coalesce(array_agg(g.code ORDER BY g.code) FILTER (WHERE g.before IS NOT NULL AND g.after IS NULL), '{}') AS "from",
           coalesce(array_agg(g.code ORDER BY g.code) FILTER (WHERE g.before IS NULL AND g.after IS NOT NULL), '{}') AS "to"
    FROM changesets c JOIN changeset_grids g ON g.changeset_id = c.id
    WHERE c.draft_id = ${draftId} AND c.undone_by IS NULL AND c.operation IN ('split', 'merge')
    GROUP BY c.id, c.operation ORDER BY c.id`.execute(db);
  return rows;
}

/** The published grid-level party organisations of these grids (each once, by code). */
export async function publishedPartyOrgs(db: Kysely<DB>, codes: readonly string[]): Promise<string[]> {
  if (codes.length === 0) return [];
  const { rows } = await sql<{ org_code: string }>`
    SELECT DISTINCT org_code FROM org_grids WHERE grid_code = ANY(${codes}::text[]) ORDER BY org_code`.execute(db);
  return rows.map((r) => r.org_code);
}

/** Give grid `code` the party organisations and full- and part-time workers of the grids `from`. */
export async function inheritAssignments(db: Kysely<DB>, code: string, from: readonly string[]): Promise<void> {
  await sql`INSERT INTO org_grids (org_code, grid_code)
            SELECT DISTINCT org_code, ${code} FROM org_grids WHERE grid_code = ANY(${from}::text[])
            ON CONFLICT DO NOTHING`.execute(db);
  await sql`INSERT INTO grid_workers (name, phone, phone_public, role, grid_code)
            SELECT DISTINCT ON (name, phone, role) name, phone, phone_public, role, ${code}
            FROM grid_workers WHERE grid_code = ANY(${from}::text[]) AND role IN ('full_time', 'part_time')`.execute(
    db,
  );
}

export async function replacePartyOrgs(db: Kysely<DB>, code: string, orgs: readonly string[]): Promise<void> {
  await db.deleteFrom('org_grids').where('grid_code', '=', code).execute();
  await sql`INSERT INTO org_grids (org_code, grid_code) SELECT unnest(${orgs}::text[]), ${code}`.execute(db);
}

/** Replace the grid's full- and part-time workers (building and unit heads stay). */
export async function replaceWorkers(
  db: Kysely<DB>,
  code: string,
  workers: readonly WorkerAssignment[],
): Promise<void> {
  await db
    .deleteFrom('grid_workers')
    .where('grid_code', '=', code)
    .where('role', 'in', ['full_time', 'part_time'])
    .execute();
  for (const w of workers) {
    await db
      .insertInto('grid_workers')
      .values({ name: w.name, phone: w.phone, phone_public: w.phone_public, role: w.role, grid_code: code })
      .execute();
  }
}

/**
 * Lock the published grids among `codes` (in code order) and read their versions. With
 * `noWait` a lock held by another transaction fails at once (SQLSTATE 55P03).
 */
export async function lockGridVersions(
  db: Kysely<DB>,
  codes: readonly string[],
  noWait: boolean,
): Promise<{ code: string; version: number }[]> {
  const { rows } = await (
    noWait
      ? sql<{
          code: string;
          version: number;
        }>`SELECT code, version FROM grids WHERE code = ANY(${codes}::text[]) ORDER BY code FOR UPDATE NOWAIT`
      : sql<{
          code: string;
          version: number;
        }>`SELECT code, version FROM grids WHERE code = ANY(${codes}::text[]) ORDER BY code FOR UPDATE`
  ).execute(db);
  return rows;
}

/** The draft row's exact geometry (hex EWKB), as stored. */
const draftGeom = (r: GridInDraft) => sql`ST_Multi(ST_GeomFromEWKB(decode(${r.ewkb}, 'hex')))`;

export async function deletePublishedGrid(db: Kysely<DB>, code: string): Promise<void> {
  await db.deleteFrom('grids').where('code', '=', code).execute();
}

/** Overwrite a published grid with the draft's row, one version up. */
export async function updatePublishedGrid(db: Kysely<DB>, r: GridInDraft): Promise<void> {
  await sql`UPDATE grids SET name = ${r.name}, kind = ${r.kind}, households = ${r.households}, geom = ${draftGeom(r)},
              version = version + 1, updated_at = now() WHERE code = ${r.code}`.execute(db);
}

export async function insertPublishedGrid(db: Kysely<DB>, r: GridInDraft): Promise<void> {
  await sql`INSERT INTO grids (code, name, community_code, kind, households, geom)
            VALUES (${r.code}, ${r.name}, ${r.community_code}, ${r.kind}, ${r.households}, ${draftGeom(r)})`.execute(
    db,
  );
}

export async function markDraftPublished(
  db: Kysely<DB>,
  draftId: number,
  userId: number,
  override: string | null,
): Promise<void> {
  await sql`UPDATE drafts SET status = 'published', published_by = ${userId}, published_at = now(),
              override_reason = ${override} WHERE id = ${draftId}`.execute(db);
}
