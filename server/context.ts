import type { Kysely } from 'kysely';
import type { DB } from './db/schema.ts';
import type { Config } from './config.ts';
import type { DriverName } from './db/database.ts';
import type { SharedCounters } from './http/shared-counters.ts';
import { readDatabase } from './db/read-database.ts';

/** What every route module gets: the one database handle and the configuration. */
export interface AppContext {
  db: Kysely<DB>;
  driver: DriverName;
  config: Config;
  /** The clock for time limits and "overdue now" (tests move it); the wall clock when absent. */
  now?: () => Date;
  /** Rate-limit counters in Redis, shared by every API process (REDIS_URL); absent: in memory. */
  counters?: SharedCounters;
}

/** The context's clock. */
export const clockOf = (ctx: Pick<AppContext, 'now'>): Date => ctx.now?.() ?? new Date();

/**
 * Where a public read goes: the replica (DATABASE_READ_URL) while it answers, else the primary.
 * Signed-in readers stay on the primary, so an editor sees a publish at once (read-your-writes);
 * anonymous answers may lag the primary by the replica's replay delay.
 */
export const publicReads = (ctx: Pick<AppContext, 'db'>, signedIn = false): Kysely<DB> =>
  signedIn ? ctx.db : readDatabase(ctx.db);
