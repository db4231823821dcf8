/**
 * Writes compose: an operation inside another transaction runs in a savepoint. Its failure
 * undoes its own work only; the outer transaction's failure undoes everything.
 */
import { expect, it } from 'vitest';
import { sql } from 'kysely';
import { describeEachDriver } from '../helpers/db.ts';
import { inTransaction } from '../../server/db/transaction.ts';

describeEachDriver('inTransaction', {}, (get) => {
  const value = async (key: string) =>
    (await get().db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst())?.value;
  const put = (db: Parameters<Parameters<typeof inTransaction>[1]>[0], key: string, v: number) =>
    db
      .insertInto('settings')
      .values({ key, value: JSON.stringify(v) })
      .execute();

  it('an inner failure rolls back only the inner work, also after a database error', async () => {
    await inTransaction(get().db, async (outer) => {
      await put(outer, 'tx-outer', 1);
      await expect(
        inTransaction(outer, async (inner) => {
          await put(inner, 'tx-inner', 2);
          await sql`SELECT 1 / 0`.execute(inner); // aborts the transaction: only the savepoint saves it
        }),
      ).rejects.toThrow(/division by zero/);
      await put(outer, 'tx-after', 3);
    });
    expect(await value('tx-outer')).toBe(1);
    expect(await value('tx-inner')).toBeUndefined();
    expect(await value('tx-after')).toBe(3);
  });

  it('an outer failure rolls back inner work that succeeded', async () => {
    await expect(
      inTransaction(get().db, async (outer) => {
        await inTransaction(outer, (inner) => put(inner, 'tx-nested-ok', 4));
        expect(
          await outer.selectFrom('settings').select('key').where('key', '=', 'tx-nested-ok').executeTakeFirst(),
        ).toBeDefined();
        throw new Error('give up');
      }),
    ).rejects.toThrow('give up');
    expect(await value('tx-nested-ok')).toBeUndefined();
  });
});
