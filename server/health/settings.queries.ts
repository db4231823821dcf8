import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';

export async function isDemo(db: Kysely<DB>): Promise<boolean> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', 'demo').executeTakeFirst();
  return row?.value === true;
}
