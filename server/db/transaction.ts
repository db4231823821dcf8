/**
 * One transaction per write, also when writes compose: an operation called inside another
 * transaction (an import applying many edits, an OGC write publishing at once) runs in a
 * savepoint of it, so its own failure still undoes only its own work and the caller decides
 * whether the whole stands.
 */
import type { Kysely } from 'kysely';
import type { DB } from './schema.ts';
import { currentScope } from './request-scope.ts';
import { releaseSavepoint, rollbackToSavepoint, savepoint } from './session.queries.ts';

let savepoints = 0;

export async function inTransaction<T>(db: Kysely<DB>, work: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
  if (!db.isTransaction) {
    // The request's write hook (its Idempotency-Key) is written in this same transaction.
    const hook = currentScope()?.write;
    if (!hook) return db.transaction().execute(work);
    try {
      const result = await db.transaction().execute(async (trx) => {
        await hook.begin(trx);
        return work(trx);
      });
      hook.settle(true);
      return result;
    } catch (error) {
      hook.settle(false);
      throw error;
    }
  }
  const name = `wangge_sp_${++savepoints}`;
  await savepoint(db, name);
  try {
    const result = await work(db);
    await releaseSavepoint(db, name);
    return result;
  } catch (error) {
    await rollbackToSavepoint(db, name);
    throw error;
  }
}
