/** Case photos as they are served: the bytes with what decides who may see them. */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { PhotoType } from '../../common/rules/case-photos.ts';

export interface ServedPhoto {
  case_id: string;
  ticket: string;
  token_hash: string;
  mime: PhotoType;
  bytes: Buffer;
}

export async function photoById(db: Kysely<DB>, id: string): Promise<ServedPhoto | undefined> {
  return db
    .selectFrom('case_photos as p')
    .innerJoin('cases as c', 'c.id', 'p.case_id')
    .select([sql<string>`p.case_id::text`.as('case_id'), 'c.ticket', 'c.token_hash', 'p.mime', 'p.bytes'])
    .where('p.id', '=', sql<string>`${id}::bigint`)
    .executeTakeFirst();
}
