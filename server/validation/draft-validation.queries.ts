/** What the draft report reads besides the tiling check: the draft's street and its communities. */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { subtreeCodes } from '../regions/regions.queries.ts';

/** The communities of a street, in code order, with their names. */
export async function streetCommunityRows(db: Kysely<DB>, street: string): Promise<{ code: string; name: string }[]> {
  const { rows } = await sql<{ code: string; name: string }>`
    SELECT code, name FROM regions WHERE level = 'community' AND code IN ${subtreeCodes(street)} ORDER BY code`.execute(
    db,
  );
  return rows;
}

export async function streetCommunities(db: Kysely<DB>, street: string): Promise<string[]> {
  return (await streetCommunityRows(db, street)).map((r) => r.code);
}

/** The street a draft belongs to (undefined: no such draft). */
export async function draftStreet(
  db: Kysely<DB>,
  draftId: number,
): Promise<{ code: string; name: string; level: 'street' } | undefined> {
  const { rows } = await sql<{ code: string; name: string; level: 'street' }>`
    SELECT r.code, r.name, r.level FROM drafts d JOIN regions r ON r.code = d.street_code WHERE d.id = ${draftId}`.execute(
    db,
  );
  return rows[0];
}
