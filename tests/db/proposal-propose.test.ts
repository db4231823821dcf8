/**
 * proposeGrids end to end on both drivers (issue 19): hand-made communities with known
 * answers, and the demo district. Every proposal is written into a draft and judged by the
 * project's own tiling check (tests/helpers/proposal-tiling.ts): zero gaps, overlaps,
 * outside parts, slivers, invalid or multipart grids; no building cut; households conserved.
 */
import { beforeAll, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../server/db/schema.ts';
import { describeEachDriver } from '../helpers/db.ts';
import { ACROSS, FOUR, loadProposalFixtures, ONE_BIG, STREET } from '../helpers/proposal-fixtures.ts';
import { proposeGrids, proposeWith, type ProposalResult, type ProposeInput } from '../../server/proposal/propose.ts';
import { byTodaysGrids, markUnchanged, planBy, simpleMetrics } from '../helpers/proposal-plans.ts';
import { proposalTilingProblems } from '../helpers/proposal-tiling.ts';
import type { ProblemFeature } from '../../common/contracts/validation.ts';
import { checkTiling } from '../../server/validation/tiling.ts';
import { tilingProblems } from '../../server/validation/tiling-problems.ts';
import { PUBLISHED } from '../../server/validation/grid-source.ts';
import { DEFAULT_TOLERANCES } from '../../server/validation/problems.ts';

const BOUNDS = { min: 300, max: 500 };
const input = (level: 'community' | 'street', code: string, mode: 'fresh' | 'rebalance'): ProposeInput => ({
  draftId: null,
  scope: { level, code },
  mode,
  seed: 1,
  bounds: BOUNDS,
});

/** Households of the buildings of the given communities. */
async function buildingHouseholds(db: Kysely<DB>, communities: readonly string[]): Promise<number> {
  const { rows } = await sql<{ h: number }>`
    SELECT coalesce(sum(households), 0)::int AS h FROM buildings WHERE community_code IN (${sql.join(communities)})`.execute(
    db,
  );
  return rows[0]!.h;
}

/** Today's geometry of grids as the proposal prints it (10 decimals). */
async function todaysGeometry(db: Kysely<DB>, codes: readonly string[]): Promise<Map<string, unknown>> {
  const { rows } = await sql<{ code: string; g: string }>`
    SELECT code, ST_AsGeoJSON(geom, 10) AS g FROM grids WHERE code IN (${sql.join(codes)})`.execute(db);
  return new Map(rows.map((r) => [r.code, JSON.parse(r.g)]));
}

/** A problem as the check names it: its kind, its grids minus the proposal's new ones, and its area to 1 m². */
const problemKey = (f: ProblemFeature) =>
  `${f.properties.type}:${f.properties.grids.filter((g) => !/9[0-9]{2}$/.test(g)).join(',')}:${Math.round(f.properties.areaM2 ?? 0)}`;

async function tilingProblemsToday(db: Kysely<DB>, communities: readonly string[]): Promise<ProblemFeature[]> {
  const { communities: checked } = await checkTiling(db, communities, PUBLISHED);
  return checked.flatMap((c) => tilingProblems(c, DEFAULT_TOLERANCES));
}

async function expectSound(db: Kysely<DB>, p: ProposalResult, communities: readonly string[]) {
  expect(await proposalTilingProblems(db, p)).toEqual([]);
  expect(p.summary.buildingsCut).toBe(0);
  expect(p.summary.households).toBe(await buildingHouseholds(db, communities));
  expect(new Set(p.grids.map((g) => g.key)).size).toBe(p.grids.length);
  for (const g of p.grids) expect(g.geometry.type).toBe('MultiPolygon');
}

describeEachDriver('proposeGrids', { demo: true }, (get) => {
  beforeAll(async () => {
    await loadProposalFixtures(get().db);
  });

  it('fresh on the hand-made street: FOUR in 4 grids along its roads, ACROSS split at the road, 620 reported', async () => {
    const db = get().db;
    const progress: [number, number][] = [];
    const p = await proposeGrids(db, input('street', STREET, 'fresh'), (d, t) => progress.push([d, t]));
    expect(progress).toEqual([
      [0, 3],
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
    await expectSound(db, p, [FOUR, ONE_BIG, ACROSS]);
    const four = p.grids.filter((g) => g.community_code === FOUR);
    expect(four.map((g) => g.households)).toEqual([300, 300, 300, 300]);
    for (const g of four) expect(g.roadsCrossed).toBe(0);
    const across = p.grids.filter((g) => g.community_code === ACROSS && g.kind !== 'commercial');
    expect(across.map((g) => g.households)).toEqual([400, 400]);
    for (const g of across) expect(g.roadsCrossed).toBe(0);
    const commercial = p.grids.filter((g) => g.status === 'commercial');
    expect(commercial.map((g) => [g.code, g.households])).toEqual([[`${ACROSS}002`, 50]]);
    expect(commercial[0]!.geometry).toEqual((await todaysGeometry(db, [`${ACROSS}002`])).get(`${ACROSS}002`));
    const big = p.problems.filter((x) => x.kind === 'unit_over_ceiling');
    expect(big).toHaveLength(1);
    expect(big[0]!.community_name).toBe('高楼社区');
    expect(big[0]!.message).toContain('620');
    expect(big[0]!.message_en).toContain('620');
    // New grids: key new-<n>, no code, a name after the community's highest number.
    const { rows: today } = await sql<{ community_code: string; name: string }>`
      SELECT community_code, name FROM grids WHERE community_code IN (${FOUR}, ${ONE_BIG}, ${ACROSS})`.execute(db);
    for (const g of p.grids.filter((x) => x.status === 'new')) {
      expect(g.code).toBeNull();
      expect(g.key).toMatch(/^new-\d+$/);
      expect(g.name).toMatch(/^第\d+网格$/);
      expect(today.filter((t) => t.community_code === g.community_code).map((t) => t.name)).not.toContain(g.name);
    }
    // FOUR had 第1网格 and 第2网格: new grids go on from 第3网格.
    expect(
      four
        .filter((g) => g.status === 'new')
        .map((g) => g.name)
        .sort(),
    ).toContain('第3网格');
    expect(p.summary.grids).toBe(p.grids.length);
    expect(p.summary.residential).toBe(p.grids.length - 1);
  }, 120_000);

  it('rebalance where every grid stays: outlines byte-identical to today, nothing changed', async () => {
    const db = get().db;
    const p = await proposeWith(db, input('street', STREET, 'rebalance'), byTodaysGrids('rebalance'));
    expect(p.grids.map((g) => g.status)).toEqual(['unchanged', 'unchanged', 'unchanged', 'unchanged', 'commercial']);
    const today = await todaysGeometry(
      db,
      p.grids.map((g) => g.code!),
    );
    for (const g of p.grids) expect(g.geometry).toEqual(today.get(g.code!));
    expect(p.retired).toEqual([]);
    expect(p.summary.gridsChanged).toBe(0);
    await expectSound(db, p, [FOUR, ONE_BIG, ACROSS]);
  }, 120_000);

  it('rebalance splitting one grid by compound: the changed grids meet the unchanged one exactly', async () => {
    const db = get().db;
    const west = `${FOUR}001`;
    const p = await proposeWith(db, input('community', FOUR, 'rebalance'), {
      // The east grid in two along the east–west road (between its two compounds' centroids).
      regionalise: (graph) => {
        const ys = graph.units.filter((u) => u.compound?.startsWith(`${FOUR}X300`)).map((u) => u.y);
        const road = (Math.min(...ys) + Math.max(...ys)) / 2;
        return markUnchanged(
          graph,
          planBy(graph, (u) => (u.current === west ? west : u.y < road ? 'S' : 'N')),
        );
      },
      planMetrics: simpleMetrics,
    });
    expect(p.grids.map((g) => [g.status, g.households])).toEqual([
      ['unchanged', 600],
      ['new', 300],
      ['new', 300],
    ]);
    expect(p.grids[0]!.geometry).toEqual((await todaysGeometry(db, [west])).get(west));
    expect(p.retired).toEqual([`${FOUR}002`]);
    await expectSound(db, p, [FOUR]);
  }, 120_000);

  it('rebalance on the hand-made street: out-of-band grids redrawn, every proposal sound', async () => {
    const db = get().db;
    const p = await proposeGrids(db, input('street', STREET, 'rebalance'));
    await expectSound(db, p, [FOUR, ONE_BIG, ACROSS]);
    const four = p.grids.filter((g) => g.community_code === FOUR);
    expect(four.map((g) => g.households)).toEqual([300, 300, 300, 300]);
  }, 120_000);

  it('reads the grids as the draft sees them: a grid the draft retired is not retired again, nor kept', async () => {
    const db = get().db;
    await sql`INSERT INTO users (username, display_name, password_hash, role)
      VALUES ('proposal-draft', 'proposal-draft', 'x', 'admin') ON CONFLICT (username) DO NOTHING`.execute(db);
    const { rows } = await sql<{ id: number }>`
      INSERT INTO drafts (street_code, title, created_by)
      SELECT ${STREET}, 'retire ONE_BIG 001', id FROM users WHERE username = 'proposal-draft' RETURNING id`.execute(db);
    const draft = rows[0]!.id;
    await sql`INSERT INTO draft_grids (draft_id, code, retired, name, community_code, kind, households, geom)
      SELECT ${draft}, code, true, name, community_code, kind, households, geom FROM grids WHERE code = ${`${ONE_BIG}001`}`.execute(
      db,
    );
    const published = await proposeGrids(db, input('community', ONE_BIG, 'rebalance'));
    const drafted = await proposeGrids(db, { ...input('community', ONE_BIG, 'rebalance'), draftId: draft });
    await sql`DELETE FROM drafts WHERE id = ${draft}`.execute(db);
    expect(published.grids.some((g) => g.code === `${ONE_BIG}001`) || published.retired.includes(`${ONE_BIG}001`)).toBe(
      true,
    );
    expect(drafted.grids.map((g) => g.code)).not.toContain(`${ONE_BIG}001`);
    expect(drafted.retired).toEqual([]);
    expect(drafted.grids.every((g) => g.status === 'new')).toBe(true);
    expect(drafted.summary.households).toBe(920);
  }, 120_000);

  it('demo: fresh on one community and rebalance on every street of the district', async () => {
    const db = get().db;
    const t0 = performance.now();
    const fresh = await proposeGrids(db, input('community', '131002002006', 'fresh'));
    const freshMs = performance.now() - t0;
    await expectSound(db, fresh, ['131002002006']);
    const { rows } = await sql<{
      code: string;
    }>`SELECT code FROM regions WHERE level = 'street' AND code <> ${STREET} ORDER BY code`.execute(db);
    const timings: string[] = [];
    let changed = 0;
    let outOfBand = 0;
    const t1 = performance.now();
    for (const { code } of rows) {
      const p = await proposeGrids(db, input('street', code, 'rebalance'));
      timings.push(`${code} ${p.tookMs} ms`);
      changed += p.summary.gridsChanged;
      outOfBand += p.summary.residential - p.summary.inBand;
      const communities = (
        await sql<{
          code: string;
        }>`SELECT code FROM regions WHERE parent_code = ${code} AND level = 'community'`.execute(db)
      ).rows.map((r) => r.code);
      // The demo keeps deliberate gaps and overlaps for the tiling check: 调整 leaves them as
      // they are where nobody lives (修复 is the tool for them): it adds no problem, and every
      // household stays in a grid.
      const today = await tilingProblemsToday(db, communities);
      const after = await proposalTilingProblems(db, p);
      expect(after.map(problemKey).filter((k) => !today.map(problemKey).includes(k))).toEqual([]);
      expect(p.summary.buildingsCut).toBe(0);
      expect(p.summary.households).toBe(await buildingHouseholds(db, communities));
    }
    // Issue 19: the demo's out-of-band grids all end in band, and fewer than 15 grids change.
    expect(outOfBand).toBe(0);
    expect(changed).toBeLessThan(15);
    console.log(
      `[proposal timing] fresh 131002002006 (${fresh.summary.households} households): ${freshMs.toFixed(0)} ms; ` +
        `rebalance district: ${(performance.now() - t1).toFixed(0)} ms (${timings.join(', ')}); ` +
        `grids changed ${changed}, out of band ${outOfBand}`,
    );
  }, 600_000);
});
