/**
 * The validation engine on both drivers: hand-made coverages with known answers, the demo
 * district's deliberate errors (all found, nothing else), the per-community cache following
 * edits, per-district household bounds, and the live preview of a candidate outline.
 */
import { beforeAll, expect, it } from 'vitest';
import { sql } from 'kysely';
import { describeEachDriver } from '../helpers/db.ts';
import { loadFixture, readFixtures, toPolygon, type LoadedFixture } from '../helpers/validation-fixtures.ts';
import { previewValidation, validateRegion } from '../../server/validation/validation.engine.ts';
import { checksSaved, clearCheckCache } from '../../server/validation/community-checks.ts';
import { readDemoDataset } from '../../data/load.ts';
import type { ProblemFeature } from '../../common/contracts/validation.ts';

const fixtures = readFixtures();
const areaCases = fixtures.filter((f) => f.expect.problems);
const demo = readDemoDataset().meta;

describeEachDriver('validation: hand-made coverages', {}, (get) => {
  const loaded = new Map<string, LoadedFixture>();
  beforeAll(async () => {
    for (const [i, f] of fixtures.entries()) loaded.set(f.name, await loadFixture(get().db, f, i));
  });

  for (const fixture of areaCases) {
    it(`${fixture.name}: ${fixture.description}`, async () => {
      const at = loaded.get(fixture.name)!;
      const report = await validateRegion(get().db, { region: at.community });
      const unit2 = fixture.unitMetres ** 2;
      const found = report.problems.features.map((p) => ({
        type: p.properties.type,
        grids: p.properties.grids.map((code) => at.names[code] ?? code),
        areaM2: p.properties.areaM2,
        households: p.properties.households,
        buildings: p.properties.buildings,
        detail: p.properties.detail,
      }));
      const expected = fixture.expect.problems!;
      expect(found.map((p) => [p.type, p.grids])).toEqual(expected.map((p) => [p.type, p.grids]));
      for (const [k, want] of expected.entries()) {
        const got = found[k]!;
        // Geodesic area against the constructed area: the local scale is good to < 0.1 %.
        expect(Math.abs(got.areaM2! - want.areaUnits * unit2) / (want.areaUnits * unit2)).toBeLessThan(0.002);
        if (want.households !== undefined) expect(got.households).toBe(want.households);
        if (want.buildings !== undefined) expect(got.buildings).toBe(want.buildings);
        if (want.of) expect(got.detail.of).toBe(want.of);
        if (want.share !== undefined) expect(got.detail.share).toBeCloseTo(want.share, 3);
      }
      const status = report.communities.find((c) => c.code === at.community)!;
      const tiles = !expected.some((p) => ['gap', 'overlap', 'sliver', 'outside'].includes(p.type));
      expect(status.tiled).toBe(tiles);
    });
  }

  it('the tolerances are parameters: a 0.8 m strip is a sliver under a 1 m width tolerance', async () => {
    const at = loaded.get('sliver-above')!;
    const strict = await validateRegion(get().db, { region: at.community });
    const loose = await validateRegion(get().db, { region: at.community, widthTolerance: 1 });
    expect(strict.summary).toMatchObject({ gaps: 1, slivers: 0 });
    expect(loose.summary).toMatchObject({ gaps: 0, slivers: 1 });
    const small = await validateRegion(get().db, {
      region: loaded.get('sliver-small-area')!.community,
      areaTolerance: 0.1,
      widthTolerance: 0.1,
    });
    expect(small.summary).toMatchObject({ gaps: 1, slivers: 0 });
  });

  it('the cache follows an edit: fixing the gap is seen at once, and only that community is re-checked', async () => {
    const at = loaded.get('gap')!;
    const before = await validateRegion(get().db, { region: at.community });
    expect(before.summary.gaps).toBe(1);
    const again = await validateRegion(get().db, { region: at.community });
    expect(again.stats.recomputed).toBe(0);
    // Grid B grows north over the missing square.
    const fixture = fixtures.find((f) => f.name === 'gap')!;
    const index = fixtures.indexOf(fixture);
    const grown = toPolygon(
      fixture,
      [
        [
          [1, 0],
          [2, 0],
          [2, 2],
          [1, 2],
          [1, 0],
        ],
      ],
      index * 0.1,
    );
    await sql`UPDATE grids SET geom = ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(grown)}), 4326))
              WHERE code = ${at.codes.B!}`.execute(get().db);
    const after = await validateRegion(get().db, { region: at.community });
    expect(after.stats.recomputed).toBe(1);
    expect(after.summary.gaps).toBe(0);
    expect(after.communities[0]!.tiled).toBe(true);
  });

  it('a restarted process reads the saved checks back; an edit made meanwhile is still seen', async () => {
    const at = loaded.get('overlap')!;
    const first = await validateRegion(get().db, { region: at.community });
    await checksSaved(get().db); // the server driver saves after answering
    const saved = await get()
      .db.selectFrom('community_checks')
      .select(['epoch', 'format'])
      .where('community_code', '=', at.community)
      .executeTakeFirst();
    expect(saved).toBeDefined();
    clearCheckCache(get().db); // as after a restart
    const restarted = await validateRegion(get().db, { region: at.community });
    expect(restarted.stats).toMatchObject({ fromDatabase: 1, recomputed: 0 });
    expect(restarted.problems).toEqual(first.problems);
    // Another process edits the community while this one holds its result in memory.
    await sql`UPDATE grids SET households = households + 1 WHERE code = ${at.codes.B!}`.execute(get().db);
    clearCheckCache(get().db);
    const edited = await validateRegion(get().db, { region: at.community });
    expect(edited.stats).toMatchObject({ fromDatabase: 0, recomputed: 1 });
    expect(edited.summary.overlaps).toBe(1);
    // Different household bounds make a saved result unusable too.
    await sql`UPDATE settings SET value = jsonb_set(value, '{default}', '{"min": 1, "max": 2}') WHERE key = 'household_bounds'`.execute(
      get().db,
    );
    try {
      clearCheckCache(get().db);
      const rebounded = await validateRegion(get().db, { region: at.community });
      expect(rebounded.stats.recomputed).toBe(1);
      expect(rebounded.summary.householdsOutOfRange).toBe(2);
    } finally {
      await sql`UPDATE settings SET value = jsonb_set(value, '{default}', '{"min": 300, "max": 500}') WHERE key = 'household_bounds'`.execute(
        get().db,
      );
    }
  });

  it('a worker or party assignment removed is seen at once (attribute rules are cached by the same epoch)', async () => {
    const at = loaded.get('tiled-2x2')!;
    expect((await validateRegion(get().db, { region: at.community })).summary).toMatchObject({
      withoutWorker: 0,
      uncoveredByParty: 0,
    });
    await sql`DELETE FROM grid_workers WHERE grid_code = ${at.codes.A!}`.execute(get().db);
    await sql`DELETE FROM org_grids WHERE grid_code = ${at.codes.B!}`.execute(get().db);
    const report = await validateRegion(get().db, { region: at.community });
    expect(report.summary).toMatchObject({ withoutWorker: 1, uncoveredByParty: 1 });
    const ids = report.problems.features.map((p) => p.properties.id).sort();
    expect(ids).toEqual([`party:${at.codes.B}`, `worker:${at.codes.A}`]);
  });

  it('preview: a bow-tie is invalid, reported with its crossing point and reason, not repaired', async () => {
    const fixture = fixtures.find((f) => f.name === 'bow-tie')!;
    const at = loaded.get('bow-tie')!;
    const offset = fixtures.indexOf(fixture) * 0.1;
    const result = await previewValidation(get().db, {
      geometry: toPolygon(fixture, fixture.candidate!, offset),
      community: at.community,
    });
    expect(result.candidate.valid).toBe(false);
    expect(result.created.features).toHaveLength(1);
    const invalid = result.created.features[0]!.properties;
    expect(invalid.type).toBe('invalid');
    expect(String(invalid.detail.reason)).toContain(fixture.expect.reason!);
    const [lon, lat] = toPolygon(fixture, [[fixture.expect.invalidAt!]], offset).coordinates[0]![0]!;
    expect(invalid.point[0]).toBeCloseTo(lon!, 7);
    expect(invalid.point[1]).toBeCloseTo(lat!, 7);
  });

  it('preview: the same outline changes nothing; growing into a neighbour creates exactly that overlap', async () => {
    const fixture = fixtures.find((f) => f.name === 'tiled-2x2')!;
    const at = loaded.get('tiled-2x2')!;
    const offset = fixtures.indexOf(fixture) * 0.1;
    const same = await previewValidation(get().db, {
      geometry: toPolygon(fixture, fixture.grids.A![0]!, offset),
      replaces: at.codes.A,
    });
    expect(same.created.features).toEqual([]);
    expect(same.removed.features).toEqual([]);
    expect(same.after.features).toEqual([]);
    // A grows 0.25 east into B: an overlap of 0.25 unit² with B, and nothing else.
    const grown = await previewValidation(get().db, {
      geometry: toPolygon(
        fixture,
        [
          [
            [0, 0],
            [1.25, 0],
            [1.25, 1],
            [0, 1],
            [0, 0],
          ],
        ],
        offset,
      ),
      replaces: at.codes.A,
    });
    const created = grown.created.features.map((p: ProblemFeature) => [p.properties.type, p.properties.grids]);
    expect(created).toEqual([['overlap', [at.codes.A, at.codes.B].sort()]]);
    expect(grown.created.features[0]!.properties.areaM2).toBeGreaterThan(2500 * 0.998);
    expect(grown.created.features[0]!.properties.areaM2).toBeLessThan(2500 * 1.002);
    // Shrinking A by 0.25 on the west opens a gap of 0.25 unit² against the community edge,
    // bordered by A (east) and C (north).
    const shrunk = await previewValidation(get().db, {
      geometry: toPolygon(
        fixture,
        [
          [
            [0.25, 0],
            [1, 0],
            [1, 1],
            [0.25, 1],
            [0.25, 0],
          ],
        ],
        offset,
      ),
      replaces: at.codes.A,
    });
    expect(shrunk.created.features.map((p) => [p.properties.type, p.properties.grids])).toEqual([
      ['gap', [at.codes.A, at.codes.C].sort()],
    ]);
    expect(shrunk.created.features[0]!.properties.areaM2).toBeCloseTo(2500, -1);
  });

  it('preview: redrawing a grid over an existing gap removes it', async () => {
    const fixture = fixtures.find((f) => f.name === 'overlap')!;
    const at = loaded.get('overlap')!;
    const offset = fixtures.indexOf(fixture) * 0.1;
    // A pulled back to x ≤ 1 removes its overlap with B.
    const fixed = await previewValidation(get().db, {
      geometry: toPolygon(
        fixture,
        [
          [
            [0, 0],
            [1, 0],
            [1, 1],
            [0, 1],
            [0, 0],
          ],
        ],
        offset,
      ),
      replaces: at.codes.A,
    });
    expect(fixed.created.features).toEqual([]);
    expect(fixed.removed.features.map((p) => p.properties.id)).toEqual([`overlap:${at.codes.A}:${at.codes.B}`]);
    expect(fixed.candidate.households).toBe(0);
  });

  it('preview refuses a grid that does not exist and a community that is not one', async () => {
    const fixture = fixtures.find((f) => f.name === 'tiled-2x2')!;
    const geometry = toPolygon(fixture, fixture.grids.A![0]!);
    await expect(previewValidation(get().db, { geometry, replaces: '139999999999999' })).rejects.toMatchObject({
      status: 404,
    });
    await expect(
      previewValidation(get().db, { geometry, community: loaded.get('gap')!.district }),
    ).rejects.toMatchObject({ status: 400 });
  });
});

describeEachDriver('validation: the demo district', { demo: true }, (get) => {
  it('finds every deliberate gap and overlap, and nothing else', async () => {
    const report = await validateRegion(get().db, { region: demo.districtCode });
    const areal = report.problems.features.filter((p) =>
      ['gap', 'overlap', 'sliver', 'outside', 'multipart', 'invalid'].includes(p.properties.type),
    );
    expect(areal.map((p) => p.properties.type).sort()).toEqual(demo.deliberateErrors.map((e) => e.kind).sort());
    for (const error of demo.deliberateErrors) {
      const match = areal.find(
        (p) => p.properties.type === error.kind && error.grids.every((g) => p.properties.grids.includes(g)),
      );
      expect(match, `${error.kind} between ${error.grids.join(' and ')}`).toBeDefined();
      // A vertex moved 3–5 m on a ~200 m cell edge: a thin triangle of a few hundred m².
      expect(match!.properties.areaM2).toBeGreaterThan(100);
      expect(match!.properties.areaM2).toBeLessThan(2000);
    }
    expect(report.summary.overlaps).toBe(2);
    expect(report.summary.gaps).toBe(2);
    expect(report.communities.filter((c) => !c.tiled)).toHaveLength(4);
    expect(report.grids).toBe(demo.counts.grids);
  });

  it('reports the out-of-band and uncovered grids the generator planted, exactly', async () => {
    const report = await validateRegion(get().db, { region: demo.districtCode });
    const codes = (type: string) =>
      report.problems.features
        .filter((p) => p.properties.type === type)
        .map((p) => p.properties.grids[0])
        .sort();
    expect(codes('households')).toEqual([...demo.outOfBandGrids].sort());
    expect(codes('party')).toEqual([...demo.uncoveredGrids].sort());
    expect(report.summary.withoutWorker).toBe(0);
    // Problem ids are stable from run to run.
    const again = await validateRegion(get().db, { region: demo.districtCode });
    expect(again.problems.features.map((p) => p.properties.id)).toEqual(
      report.problems.features.map((p) => p.properties.id),
    );
  });

  it('household bounds are a setting per district', async () => {
    await sql`UPDATE settings SET value = jsonb_set(value, ${`{${demo.districtCode}}`}::text[], '{"min": 100, "max": 2000}')
              WHERE key = 'household_bounds'`.execute(get().db);
    try {
      const report = await validateRegion(get().db, { region: demo.districtCode });
      expect(report.householdBounds).toEqual({ min: 100, max: 2000 });
      expect(report.summary.householdsOutOfRange).toBe(0);
    } finally {
      await sql`UPDATE settings SET value = value - ${demo.districtCode}::text WHERE key = 'household_bounds'`.execute(
        get().db,
      );
    }
    expect((await validateRegion(get().db, { region: demo.districtCode })).summary.householdsOutOfRange).toBe(
      demo.outOfBandGrids.length,
    );
  });

  it('a street validates only its own communities', async () => {
    const street = demo.deliberateErrors[0]!.grids[0]!.slice(0, 9) + '000';
    const report = await validateRegion(get().db, { region: street });
    expect(report.region.level).toBe('street');
    expect(report.communities.every((c) => c.code.startsWith(street.slice(0, 9)))).toBe(true);
    expect(report.problems.features.every((p) => p.properties.community_code.startsWith(street.slice(0, 9)))).toBe(
      true,
    );
  });
});
