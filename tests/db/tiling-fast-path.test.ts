/**
 * The first check's fast path (issue 15) gives the plain path's answers, on a generated
 * district with injected gaps and overlaps:
 *   - the tiling check spread over two connections sharing one snapshot (server driver)
 *     returns exactly what one connection returns, measurement for measurement;
 *   - both find the gaps and overlaps the whole-community SQL finds (ST_Difference of each
 *     community and the union of its grids; the GiST self-join for overlaps);
 *   - the second connection sees the transaction's snapshot, not a write committed after it.
 */
import { beforeAll, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { describeEachDriver } from '../helpers/db.ts';
import type { DB } from '../../server/db/schema.ts';
import { loadDataset } from '../../data/load.ts';
import { ANCI_OPTIONS, generateDistrict } from '../../data/generator/index.ts';
import type { Dataset } from '../../data/generator/types.ts';
import { checkTiling, type CommunityTiling } from '../../server/validation/tiling.ts';
import { withSnapshotSibling } from '../../server/db/snapshot.ts';
import { PUBLISHED } from '../../server/validation/grid-source.ts';
import { naiveGaps, naiveOverlaps } from '../../bench/validation/naive-sql.ts';

// A district unlike the demo one: its own seed and code, 12 injected errors.
const dataset: Dataset = generateDistrict({
  ...ANCI_OPTIONS,
  seed: 15_017,
  code: '130102',
  name: '测试区',
  deliberateErrors: 12,
});

/** Order-free form of a check: communities by code, their areas by kind, grids and area. */
function canonical(list: CommunityTiling[]) {
  const key = (a: CommunityTiling['areas'][number]) => `${a.kind} ${a.grids.join(',')} ${a.areaM2.toFixed(6)}`;
  return [...list]
    .sort((a, b) => a.code.localeCompare(b.code))
    .map((c) => ({
      ...c,
      areas: [...c.areas].sort((a, b) => key(a).localeCompare(key(b))),
      reaches: [...c.reaches].sort(),
    }));
}

const inSnapshot = <T>(db: Kysely<DB>, work: (trx: Kysely<DB>) => Promise<T>) =>
  db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      await sql`SET LOCAL jit = off`.execute(trx);
      return work(trx);
    });

describeEachDriver('tiling check: fast path = plain path', {}, (get, driver) => {
  let communities: string[] = [];
  beforeAll(async () => {
    await loadDataset(get().db, dataset, { demoPassword: 'test-password' });
    communities = dataset.regions.filter((r) => r.level === 'community').map((r) => r.code);
  }, 120_000);

  it('two connections sharing a snapshot answer exactly what one connection answers', async () => {
    const { plain, fast, shared } = await inSnapshot(get().db, async (trx) => {
      const plain = await checkTiling(trx, communities, PUBLISHED, null);
      let shared = false;
      const fast = await withSnapshotSibling(get().db, trx, (sibling) => {
        shared = sibling !== null;
        return checkTiling(trx, communities, PUBLISHED, sibling);
      });
      return { plain, fast, shared };
    });
    expect(shared).toBe(driver === 'server');
    expect(plain.stats.overlaid).toBe(fast.stats.overlaid);
    expect(plain.communities).toHaveLength(communities.length);
    expect(canonical(fast.communities)).toEqual(canonical(plain.communities));
    // Every injected error is there (a vertex moved 3–5 m: a few hundred m²).
    const areas = plain.communities.flatMap((c) => c.areas);
    for (const e of dataset.meta.deliberateErrors) {
      expect(
        areas.some((a) => a.kind === e.kind && e.grids.every((g) => a.grids.includes(g))),
        `${e.kind} ${e.grids.join('/')}`,
      ).toBe(true);
    }
  });

  it('finds the same gaps and overlaps as the whole-community SQL', async () => {
    const { communities: checked } = await inSnapshot(get().db, (trx) =>
      withSnapshotSibling(get().db, trx, (sibling) => checkTiling(trx, communities, PUBLISHED, sibling)),
    );
    const [overlaps, gaps] = await inSnapshot(get().db, async (trx) => [
      await naiveOverlaps(trx),
      await naiveGaps(trx),
    ]);
    const seen = new Set<string>();
    const engine: string[] = [];
    for (const a of checked.flatMap((c) => c.areas)) {
      const id = `${a.kind} ${a.kind === 'overlap' ? [...a.grids].sort().join(',') : ''} ${a.areaM2.toFixed(1)}`;
      if (!seen.has(id)) engine.push(id);
      seen.add(id);
    }
    const plain = [
      ...overlaps.map((o) => `overlap ${o.grids.join(',')} ${o.areaM2!.toFixed(1)}`),
      ...gaps.map((g) => `gap  ${g.areaM2!.toFixed(1)}`),
    ];
    expect(plain.length).toBeGreaterThanOrEqual(dataset.meta.deliberateErrors.length);
    expect(engine.sort()).toEqual(plain.sort());
  });

  it.runIf(driver === 'server')(
    'the second connection reads the snapshot, not grids moved after it',
    async () => {
      await sql`CREATE TABLE grids_before_move AS SELECT id, geom FROM grids`.execute(get().db);
      const result = await inSnapshot(get().db, async (trx) => {
        const before = await checkTiling(trx, communities, PUBLISHED, null);
        // Committed by another connection after the snapshot: every grid moves 50 m east, so
        // every community (whichever connection checks it) would be broken.
        await sql`UPDATE grids SET geom = ST_Translate(geom, 0.0006, 0)`.execute(get().db);
        let shared = false;
        const after = await withSnapshotSibling(get().db, trx, (sibling) => {
          shared = sibling !== null;
          return checkTiling(trx, communities, PUBLISHED, sibling);
        });
        return { before, after, shared };
      });
      try {
        expect(result.shared).toBe(true);
        expect(canonical(result.after.communities)).toEqual(canonical(result.before.communities));
        // …and a new snapshot sees the move.
        const now = await inSnapshot(get().db, (trx) => checkTiling(trx, communities, PUBLISHED, null));
        expect(now.stats.overlaid).toBe(communities.length);
      } finally {
        await sql`UPDATE grids g SET geom = b.geom FROM grids_before_move b WHERE b.id = g.id`.execute(get().db);
        await sql`DROP TABLE grids_before_move`.execute(get().db);
      }
      // Three full checks of the 20k-grid community set: ~35–50 s on this 2-core box, more under load.
    },
    180_000,
  );
});
