/**
 * Where public reads go: the Kysely over the read pool (read-pool.ts) when DATABASE_READ_URL
 * names a replica, else the primary's own. Registered by openDatabase, looked up by the primary's
 * handle, so every AppContext built on a Database finds it without another field to pass.
 */
import type { Kysely } from 'kysely';
import type { DB } from './schema.ts';

const reads = new WeakMap<Kysely<DB>, Kysely<DB>>();

export function registerReadDatabase(primary: Kysely<DB>, readDb: Kysely<DB>): void {
  reads.set(primary, readDb);
}

/** The handle for reads that may lag the primary (public answers); the primary itself when there is no replica. */
export function readDatabase(primary: Kysely<DB>): Kysely<DB> {
  return reads.get(primary) ?? primary;
}
