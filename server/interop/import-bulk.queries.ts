/**
 * The set-based grid import (ADR 0014): the file's grids are staged in a temporary table
 * (multi-row INSERT … SELECT FROM unnest, 5,000 rows a statement), shaped there by PostGIS
 * (rounded to the stored grid with stOnGrid, counter-clockwise, repeated points dropped),
 * placed in their community, and written with one INSERT … SELECT and one UPDATE … FROM:
 * a city of 100,000 grids is a handful of statements, not 100,000 editor operations.
 * Everything runs in the caller's transaction; the staging table goes with it.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { stOnGrid } from '../db/precision.queries.ts';
import { SAME_GEOMETRY_DEGREES } from './import-plan.ts';
import { communityOf, gridSequence } from '../../common/rules/region-codes.ts';

type Trx = Kysely<DB>;

export interface StageRow {
  index: number;
  code: string | null;
  name: string | null;
  kind: string | null;
  households: number | null;
  community: string | null;
  geojson: string;
}

const CHUNK = 5_000;

/** Stage the rows: geometry parsed, rounded to the stored grid, made counter-clockwise. */
export async function stageGrids(trx: Trx, rows: readonly StageRow[]): Promise<void> {
  await sql`CREATE TEMP TABLE import_stage (
      i int PRIMARY KEY, code text, name text, kind text, households int, community text,
      geom geometry, manual boolean, valid boolean, reason text, existing boolean NOT NULL DEFAULT false, unchanged boolean NOT NULL DEFAULT false
    ) ON COMMIT DROP`.execute(trx);
  for (let start = 0; start < rows.length; start += CHUNK) {
    const part = rows.slice(start, start + CHUNK);
    const raw = sql`ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(k.g), 4326))`;
    // One pass: shape, judge, place (the column's community, else the published grid's, else
    // the community under the outline's point on surface).
    // MATERIALIZED: each outline is shaped once (an inlined subquery repeats the expression per reference).
    await sql`
      WITH k AS MATERIALIZED (
        SELECT k.*, ST_ForcePolygonCCW(ST_RemoveRepeatedPoints(${stOnGrid(raw)})) AS geom
        FROM unnest(${part.map((r) => r.index)}::int[], ${part.map((r) => r.code)}::text[], ${part.map((r) => r.name)}::text[],
                    ${part.map((r) => r.kind)}::text[], ${part.map((r) => r.households)}::int[], ${part.map((r) => r.community)}::text[],
                    ${part.map((r) => r.geojson)}::text[]) AS k(i, code, name, kind, households, community, g)),
      v AS MATERIALIZED (SELECT k.*, ST_IsValid(k.geom) AS valid FROM k),
      p AS MATERIALIZED (SELECT v.*, CASE WHEN v.valid THEN ST_PointOnSurface(v.geom) END AS pt FROM v)
      INSERT INTO import_stage (i, code, name, kind, households, community, manual, geom, valid)
      SELECT p.i, p.code, p.name, p.kind, p.households,
             coalesce(p.community, (SELECT g.community_code FROM grids g WHERE g.code = p.code),
                      -- array_agg, not ORDER BY code LIMIT 1: that walks the primary key past every region per row.
                      (SELECT (array_agg(r.code ORDER BY r.code))[1] FROM regions r WHERE r.level = 'community' AND r.geom && p.pt AND ST_Intersects(r.geom, p.pt))),
             p.households IS NOT NULL, p.geom, p.valid
      FROM p`.execute(trx);
  }
  await sql`UPDATE import_stage SET reason = ST_IsValidReason(geom) WHERE NOT valid`.execute(trx);
  await sql`ANALYZE import_stage`.execute(trx);
}

export interface Placement {
  index: number;
  code: string | null;
  community: string | null;
  /** The community's level when a community was named (null: no such region). */
  level: string | null;
  street: string | null;
  valid: boolean;
  reason: string | null;
  /** The code is published, in this community. */
  existing: boolean;
  /** The code is published in another community. */
  elsewhere: string | null;
}

/** Every staged row's placement (its community was settled when it was staged). */
export async function placeGrids(trx: Trx): Promise<Placement[]> {
  const { rows } = await sql<Placement>`
    SELECT s.i AS index, s.code, s.community, r.level, r.parent_code AS street, s.valid, s.reason,
           (g.community_code IS NOT DISTINCT FROM s.community AND g.code IS NOT NULL) AS existing,
           CASE WHEN g.community_code IS DISTINCT FROM s.community THEN g.community_code END AS elsewhere
    FROM import_stage s LEFT JOIN regions r ON r.code = s.community LEFT JOIN grids g ON g.code = s.code
    ORDER BY s.i`.execute(trx);
  return rows;
}

/** Per community: the sequences taken (published, drafts, history) and the published codes. */
export async function codesInUse(
  trx: Trx,
  communities: readonly string[],
): Promise<{ used: Map<string, Set<number>>; published: Map<string, Set<string>> }> {
  const { rows } = await sql<{ code: string; published: boolean }>`
    SELECT code, bool_or(published) AS published FROM (
      SELECT code, true AS published FROM grids WHERE community_code = ANY(${communities}::text[])
      UNION ALL SELECT code, false FROM draft_grids WHERE community_code = ANY(${communities}::text[])
      UNION ALL SELECT code, false FROM changeset_grids WHERE left(code, 12) = ANY(${communities}::text[])
    ) c GROUP BY code`.execute(trx);
  const used = new Map<string, Set<number>>();
  const published = new Map<string, Set<string>>();
  for (const r of rows) {
    const community = communityOf(r.code);
    const seq = gridSequence(r.code);
    if (!used.has(community)) used.set(community, new Set());
    used.get(community)!.add(seq);
    if (r.published) {
      if (!published.has(community)) published.set(community, new Set());
      published.get(community)!.add(r.code);
    }
  }
  return { used, published };
}

/** Drop rows that will not be written; give the others their codes; mark updates and unchanged rows. */
export async function settleStage(
  trx: Trx,
  keep: readonly { index: number; code: string; changed: boolean }[],
  total: number,
  mapped: { households: boolean },
): Promise<void> {
  if (keep.length < total)
    await sql`DELETE FROM import_stage WHERE NOT (i = ANY(${keep.map((k) => k.index)}::int[]))`.execute(trx);
  const changed = keep.filter((k) => k.changed);
  if (changed.length) {
    await sql`UPDATE import_stage s SET code = k.code FROM unnest(${changed.map((k) => k.index)}::int[], ${changed.map((k) => k.code)}::text[]) AS k(i, code)
              WHERE s.i = k.i`.execute(trx);
  }
  await sql`UPDATE import_stage s SET existing = true,
              unchanged = (s.name IS NULL OR s.name = g.name) AND (s.kind IS NULL OR s.kind = g.kind)
                AND (NOT ${mapped.households} OR s.households IS NOT DISTINCT FROM g.households)
                AND ST_HausdorffDistance(g.geom, s.geom) <= ${SAME_GEOMETRY_DEGREES}::float8
            FROM grids g WHERE g.code = s.code`.execute(trx);
}

/** Households for rows without a mapped figure: the buildings whose point on surface falls inside. */
export async function fillHouseholds(trx: Trx): Promise<void> {
  await sql`
    UPDATE import_stage s SET households = coalesce((
      SELECT sum(b.households) FROM buildings b WHERE b.geom && s.geom AND ST_Intersects(s.geom, ST_PointOnSurface(b.geom))), 0)
    WHERE s.households IS NULL AND NOT s.existing`.execute(trx);
}

const SNAPSHOT = (alias: string, source: string) =>
  sql.raw(`jsonb_build_object('name', ${alias}.name, 'community_code', ${alias}.community_code,
  'kind', ${alias}.kind, 'households', ${alias}.households, 'households_source', ${source}, 'geometry', ST_AsGeoJSON(${alias}.geom, 7)::jsonb)`);

/**
 * Write the staged grids: new ones inserted, changed ones updated (version + 1). Returns
 * the before snapshots of the updated grids, kept in a second temporary table for history.
 */
export async function writeGrids(trx: Trx): Promise<{ created: number; updated: number }> {
  await sql`CREATE TEMP TABLE import_before ON COMMIT DROP AS
            SELECT g.code, ${SNAPSHOT('g', "'buildings'")} AS before
            FROM grids g JOIN import_stage s ON s.code = g.code WHERE s.existing AND NOT s.unchanged`.execute(trx);
  const created = await sql`
    INSERT INTO grids (code, name, community_code, kind, households, geom)
    SELECT s.code, coalesce(s.name, s.code), s.community, coalesce(s.kind, 'residential'), s.households, s.geom
    FROM import_stage s WHERE NOT s.existing ORDER BY s.community, s.code`.execute(trx);
  const updated = await sql`
    UPDATE grids g SET name = coalesce(s.name, g.name), kind = coalesce(s.kind, g.kind), households = coalesce(s.households, g.households),
                       geom = s.geom, version = g.version + 1, updated_at = now()
    FROM import_stage s WHERE s.code = g.code AND s.existing AND NOT s.unchanged`.execute(trx);
  return { created: Number(created.numAffectedRows ?? 0), updated: Number(updated.numAffectedRows ?? 0) };
}

/**
 * History: per street a published draft titled after the file, and one 'publish' changeset
 * with every grid's before and after, the accepted problems and the reason. Returns the
 * changeset ids by street.
 */
export async function recordStreetChangesets(
  trx: Trx,
  input: { userId: number; title: string; reason: string; accepted: Map<string, unknown> },
): Promise<Map<string, number>> {
  const streets = [...input.accepted.keys()];
  const { rows: drafts } = await sql<{ id: number; street_code: string }>`
    INSERT INTO drafts (street_code, title, status, created_by, published_by, published_at, override_reason)
    SELECT s, ${input.title}, 'published', ${input.userId}, ${input.userId}, now(), ${input.reason} FROM unnest(${streets}::text[]) AS s ORDER BY s
    RETURNING id, street_code`.execute(trx);
  const { rows: changesets } = await sql<{ id: number; street_code: string }>`
    INSERT INTO changesets (draft_id, street_code, user_id, operation, comment, accepted_problems, accept_reason)
    SELECT d.id, d.street_code, ${input.userId}, 'publish', ${`${input.title} [按现状导入 as-is: ${input.reason}]`}, a.problems, ${input.reason}
    FROM unnest(${drafts.map((d) => d.id)}::int[], ${drafts.map((d) => d.street_code)}::text[]) AS d(id, street_code)
    JOIN unnest(${streets}::text[], ${streets.map((s) => JSON.stringify(input.accepted.get(s)))}::jsonb[]) AS a(street, problems) ON a.street = d.street_code
    RETURNING id, street_code`.execute(trx);
  const ids = new Map(changesets.map((c) => [c.street_code, c.id]));
  await sql`
    INSERT INTO changeset_grids (changeset_id, code, before, after)
    SELECT c.id, s.code, b.before,
           ${SNAPSHOT('g', "CASE WHEN s.manual THEN 'manual' ELSE 'buildings' END")}
    FROM import_stage s JOIN grids g ON g.code = s.code JOIN regions r ON r.code = s.community
    JOIN unnest(${[...ids.keys()]}::text[], ${[...ids.values()]}::int[]) AS c(street, id) ON c.street = r.parent_code
    LEFT JOIN import_before b ON b.code = s.code
    WHERE NOT s.unchanged`.execute(trx);
  return ids;
}

/** Fresh statistics after the bulk write, so the tiling check that follows plans on them. */
export async function analyzeGrids(trx: Trx): Promise<void> {
  await sql`ANALYZE grids`.execute(trx);
}

/** The staged grids as written, with their street, kind and households (for the household band). */
export async function stagedGridsWritten(
  trx: Trx,
): Promise<
  { code: string; community: string; street: string; kind: string; households: number; unchanged: boolean }[]
> {
  const { rows } = await sql<{
    code: string;
    community: string;
    street: string;
    kind: string;
    households: number;
    unchanged: boolean;
  }>`
    SELECT s.code, s.community, r.parent_code AS street, g.kind, g.households, s.unchanged
    FROM import_stage s JOIN grids g ON g.code = s.code JOIN regions r ON r.code = s.community`.execute(trx);
  return rows;
}
