/**
 * A second connection that sees exactly what a REPEATABLE READ transaction sees
 * (`pg_export_snapshot` / `SET TRANSACTION SNAPSHOT`), so a long read can be spread over two
 * connections (two server cores) and still describe one moment. Server driver only: the
 * embedded driver has one connection, and a second transaction there would wait for the
 * first forever. When no connection is free within the pool's connect timeout, the work runs
 * on the transaction alone: slower, same answer.
 *
 * Only for read-only work: the sibling does not see the transaction's own uncommitted writes
 * (a publish or a dry-run import must not use it).
 */
import type { Kysely } from 'kysely';
import type { DB } from './schema.ts';
import { serviceDatabase } from './database.ts';
import { exportSnapshot, importSnapshot, jitOffInTransaction } from './session.queries.ts';

/** True when `db` is a pooled server handle (more than one connection). */
export const hasSiblingConnections = (db: Kysely<DB>): boolean => serviceDatabase(db) !== db;

/**
 * Run `work` with `trx` (a REPEATABLE READ transaction of `root`) and, on the server driver,
 * a sibling read-only transaction sharing its snapshot; `null` on the embedded driver.
 */
export async function withSnapshotSibling<T>(
  root: Kysely<DB>,
  trx: Kysely<DB>,
  work: (sibling: Kysely<DB> | null) => Promise<T>,
): Promise<T> {
  if (!hasSiblingConnections(root) || root.isTransaction) return work(null);
  const snapshot = await exportSnapshot(trx);
  let started = false;
  try {
    return await root
      .transaction()
      .setIsolationLevel('repeatable read')
      .setAccessMode('read only')
      .execute(async (sibling) => {
        await importSnapshot(sibling, snapshot);
        await jitOffInTransaction(sibling);
        started = true;
        return work(sibling);
      });
  } catch (error) {
    // No free connection (or the snapshot could not be imported): the transaction alone.
    if (started) throw error;
    return work(null);
  }
}
