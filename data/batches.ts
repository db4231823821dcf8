/** Rows per INSERT: ~10 parameters a row keeps a statement far below PGlite's limits. */
const BATCH = 200;

/** Insert rows BATCH at a time, one statement after the other. */
export async function inBatches<T>(rows: readonly T[], insert: (batch: T[]) => Promise<unknown>): Promise<void> {
  for (let k = 0; k < rows.length; k += BATCH) await insert(rows.slice(k, k + BATCH));
}
