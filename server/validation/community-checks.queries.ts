/** What the per-community check cache (community-checks.ts) reads and saves: epochs, scope, saved results. */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { subtreeCodes } from '../regions/regions.queries.ts';

export interface EpochRow {
  code: string;
  name: string;
  epoch: number;
}

/** Every community with its topology epoch (0 before its first change). */
export async function communityEpochs(db: Kysely<DB>): Promise<EpochRow[]> {
  const { rows } = await sql<EpochRow>`
    SELECT r.code, r.name, coalesce(t.epoch, 0)::float8 AS epoch
    FROM regions r LEFT JOIN topology_epochs t ON t.community_code = r.code
    WHERE r.level = 'community'`.execute(db);
  return rows;
}

/** The codes of the communities in `region`'s subtree. */
export async function communitiesUnder(db: Kysely<DB>, region: string): Promise<string[]> {
  const { rows } = await sql<{
    code: string;
  }>`SELECT code FROM regions WHERE level = 'community' AND code IN ${subtreeCodes(region)}`.execute(db);
  return rows.map((r) => r.code);
}

/** Saved results of these communities for these household bounds, in this result format. */
export async function readSavedChecks<R>(
  db: Kysely<DB>,
  codes: string[],
  boundsKey: string,
  format: number,
): Promise<{ epoch: number; result: R }[]> {
  const { rows } = await sql<{ epoch: number; result: R }>`
    SELECT epoch::float8 AS epoch, result FROM community_checks
    WHERE community_code = ANY(${codes}::text[]) AND bounds_key = ${boundsKey} AND format = ${format}`.execute(db);
  return rows;
}

/** Save results (JSON text, one per key) over older rows; communities deleted meanwhile are skipped. */
export async function upsertSavedChecks(
  db: Kysely<DB>,
  keys: readonly { code: string; epoch: number; boundsKey: string }[],
  results: readonly string[],
  format: number,
): Promise<void> {
  await sql`
      INSERT INTO community_checks (community_code, epoch, bounds_key, format, result)
      SELECT code, epoch, bounds_key, ${format}, result::jsonb
      FROM unnest(${keys.map((e) => e.code)}::text[], ${keys.map((e) => e.epoch)}::bigint[],
                  ${keys.map((e) => e.boundsKey)}::text[], ${results}::text[]) AS t (code, epoch, bounds_key, result)
      WHERE EXISTS (SELECT 1 FROM regions r WHERE r.code = t.code)
      ON CONFLICT (community_code) DO UPDATE
        SET epoch = EXCLUDED.epoch, bounds_key = EXCLUDED.bounds_key, format = EXCLUDED.format,
            result = EXCLUDED.result, checked_at = now()`.execute(db);
}
