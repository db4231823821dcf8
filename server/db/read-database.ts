/**
 * Where public reads go: the Kysely over the read pool (read-pool.ts) when DATABASE_READ_URL
 * names a replica, else the primary's own. Registered by openDatabase, looked up by the primary's
 * handle, so every AppContext built on a Database finds it without another field to pass.
 */
import type { Kysely } from 'kysely';
import type { DB } from './schema.ts';
import type { ReplicaState } from './read-pool.ts';

interface Reads {
  db: Kysely<DB>;
  /** Where reads go now; absent without a replica. */
  replicaState?: () => ReplicaState;
}

const reads = new WeakMap<Kysely<DB>, Reads>();

export function registerReadDatabase(primary: Kysely<DB>, readDb: Kysely<DB>, replicaState?: () => ReplicaState): void {
  reads.set(primary, { db: readDb, replicaState });
}

/** The handle for reads that may lag the primary (public answers); the primary itself when there is no replica. */
export function readDatabase(primary: Kysely<DB>): Kysely<DB> {
  return reads.get(primary)?.db ?? primary;
}

/** 'up' while reads go to the replica, 'down' while they fall back; undefined without a replica. */
export function readReplicaState(primary: Kysely<DB>): ReplicaState | undefined {
  return reads.get(primary)?.replicaState?.();
}
