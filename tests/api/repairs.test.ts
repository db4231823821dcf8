/**
 * Repairs in a draft (issue 15, ADR 0013) over real HTTP on each driver, on hand-made
 * communities (units of 100 m, tests/helpers/validation-fixtures.ts) with known answers:
 *
 *   gap_to_longest_edge            overlap_to_longest_edge          overlap_cuts_a (refused)
 *   y=2 ┌────┬──┬────┬──┐          y=1 ┌─────┬─╱──────┐            ┌───┐  B reaches through A:
 *       │ B  │g │ C  │  │              │  A  │╱ piece │            ┌─┤ B ├─┐ giving the overlap to
 *       │    │  ├────┤E │              │     │  B     │            │A│   │A│ B cuts A in two.
 *   y=1 ├────┴──┴────┴──┤              └─────┴────────┘            └─┴───┴─┘
 *       │       A       │          A reaches 0.2 into B below y=0.5, tapering to x=1 at y=1
 *   y=0 └───────────────┘
 *   g = [1,1.5]×[1,2], 5,000 m²: B shares 100 m of its edge, C and D 50 m each (D under C), A 50 m.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { Draft } from '../../common/contracts/drafts.ts';
import type { RepairResponse } from '../../common/contracts/repairs.ts';
import type { ValidationReport } from '../../common/contracts/validation.ts';
import { DRIVERS } from '../helpers/db.ts';
import { rectPolygon } from '../helpers/squares.ts';
import { httpClient } from '../helpers/http-client.ts';
import { sessionCookie } from '../helpers/session.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { loadFixture, toPolygon, type LoadedFixture, type ValidationFixture } from '../helpers/validation-fixtures.ts';

const rect = (x0: number, y0: number, x1: number, y1: number) => [rectPolygon(x0, y0, x1, y1)];
const fixture = (
  name: string,
  community: number[][][][],
  grids: Record<string, number[][][][]>,
  buildings: ValidationFixture['buildings'] = [],
): ValidationFixture => ({
  name,
  description: name,
  unitMetres: 100,
  community,
  grids,
  buildings,
  expect: {},
});

const GAP = fixture(
  'gap_to_longest_edge',
  rect(0, 0, 4, 2),
  {
    A: rect(0, 0, 4, 1),
    B: rect(0, 1, 1, 2),
    C: rect(1.5, 1.5, 3, 2),
    D: rect(1.5, 1, 3, 1.5),
    E: rect(3, 1, 4, 2),
  },
  [
    { at: [1.25, 1.5], households: 120 },
    { at: [0.5, 1.5], households: 300 },
  ],
);
const OVERLAP = fixture('overlap_to_longest_edge', rect(0, 0, 2, 1), {
  A: [
    [
      [
        [0, 0],
        [1.2, 0],
        [1.2, 0.5],
        [1, 1],
        [0, 1],
        [0, 0],
      ],
    ],
  ],
  B: rect(1, 0, 2, 1),
});
const CUT = fixture('overlap_cuts_a', rect(0, 0, 2, 1.5), { A: rect(0, 0, 2, 1), B: rect(0.9, 0, 1.1, 1.5) });

/** Within 0.1 %: the local plane's scale against PostGIS's geodesic areas. */
const near = (actual: number, expected: number) => expect(Math.abs(actual - expected) / expected).toBeLessThan(1e-3);

for (const driver of DRIVERS) {
  describe(`repairs in a draft [${driver}]`, () => {
    let server: TestServer;
    let gap: LoadedFixture;
    let overlap: LoadedFixture;
    let cut: LoadedFixture;
    const cookies: Record<string, string> = {};
    const http = httpClient(() => server.url, cookies);
    const call = <T = Record<string, unknown>>(
      method: string,
      path: string,
      options: { as?: string; body?: unknown } = {},
    ) => http.request<T>(method, path, { as: options.as ?? 'admin', body: options.body });
    const db = () => server.database.db;
    const streetOf = (f: LoadedFixture) => f.community.slice(0, 9) + '000';
    const newDraft = async (f: LoadedFixture) =>
      (await call<Draft>('POST', '/api/drafts', { body: { street: streetOf(f), title: 'repair' } })).body.id;
    const problems = async (draft: number) =>
      (await call<ValidationReport>('GET', `/api/validation?draft=${draft}`)).body.problems.features;
    /** Geodesic area and households of a grid as the draft sees it; exact outline as hex. */
    const inDraft = async (draft: number, code: string) =>
      (
        await sql<{ area: number; hex: string; households: number | null }>`
        SELECT ST_Area(g.geom::geography)::float8 AS area, encode(ST_AsEWKB(g.geom), 'hex') AS hex,
               (SELECT households FROM draft_grids WHERE draft_id = ${draft} AND code = ${code}) AS households
        FROM (SELECT geom FROM draft_grids WHERE draft_id = ${draft} AND code = ${code} AND NOT retired
              UNION ALL SELECT geom FROM grids WHERE code = ${code}
                AND NOT EXISTS (SELECT 1 FROM draft_grids WHERE draft_id = ${draft} AND code = ${code})) g`.execute(
          db(),
        )
      ).rows[0]!;
    const checksum = async () =>
      (
        await sql<{ sum: string }>`SELECT md5(
          coalesce((SELECT string_agg(draft_id || code || revision || md5(ST_AsBinary(geom)::text) || households, ',' ORDER BY draft_id, code) FROM draft_grids), '') ||
          (SELECT count(*) FROM changesets) || (SELECT count(*) FROM changeset_grids)) AS sum`.execute(db())
      ).rows[0]!.sum;

    beforeAll(async () => {
      server = await startTestServer({ driver, demo: true });
      for (const username of ['admin', 'editor-003']) cookies[username] = await sessionCookie(server.url, username);
      // Half a degree and more east of the demo district: none of its buildings lie there.
      gap = await loadFixture(db(), GAP, 5);
      overlap = await loadFixture(db(), OVERLAP, 6);
      cut = await loadFixture(db(), CUT, 7);
    });
    afterAll(async () => {
      await server?.close();
    });

    it('gap_to_longest_edge: the draft lists the gap; 修复 gives it to B (longest shared edge), households follow the buildings', async () => {
      const draft = await newDraft(gap);
      const [g] = (await problems(draft)).filter((p) => p.properties.type === 'gap');
      expect(g).toBeDefined();
      near(g!.properties.areaM2!, 5_000);
      const B = gap.codes.B!;
      const res = await call<RepairResponse>('POST', `/api/drafts/${draft}/repairs`, {
        body: { problem: g!.properties.id },
      });
      expect(res.status).toBe(200);
      expect(res.body.repairs).toEqual([
        expect.objectContaining({ problem: g!.properties.id, status: 'repaired', to: B, grids: [B] }),
      ]);
      expect(res.body.changeset).toBeGreaterThan(0);
      const b = await inDraft(draft, B);
      near(b.area, 15_000);
      expect(b.households).toBe(420); // 300 already in B, and the 120 of the building that stood in the gap
      expect((await problems(draft)).filter((p) => p.properties.severity === 'error')).toEqual([]);
      const { rows } = await sql<{
        operation: string;
      }>`SELECT operation FROM changesets WHERE id = ${res.body.changeset!}`.execute(db());
      expect(rows[0]!.operation).toBe('repair');
      const history = (
        await call<{ history: { changeset: number; operation: string }[] }>('GET', `/api/grids/${B}/history`)
      ).body.history;
      expect(history[0]).toMatchObject({ changeset: res.body.changeset, operation: 'repair' });
    });

    it('to= names the neighbour (D, 50 m of shared edge); a grid that does not border the gap is a 422 naming those that do; nothing written', async () => {
      const draft = await newDraft(gap);
      const [g] = (await problems(draft)).filter((p) => p.properties.type === 'gap');
      const before = await checksum();
      const refused = await call('POST', `/api/drafts/${draft}/repairs`, {
        body: { problem: g!.properties.id, to: gap.codes.E },
      });
      expect(refused.status).toBe(422);
      expect(refused.body.error).toMatchObject({ code: 'not_a_neighbour', param: 'to' });
      expect(refused.body.error!.message).toContain(gap.codes.D!);
      expect(refused.body.error!.message).not.toContain(gap.codes.E!.slice(-3) + ',');
      expect(await checksum()).toBe(before);
      const ok = await call<RepairResponse>('POST', `/api/drafts/${draft}/repairs`, {
        body: { problem: g!.properties.id, to: gap.codes.D },
      });
      expect(ok.status).toBe(200);
      near((await inDraft(draft, gap.codes.D!)).area, 12_500);
      near((await inDraft(draft, gap.codes.B!)).area, 10_000);
    });

    it('undo restores the exact outlines (bit for bit), and the gap is back', async () => {
      const draft = await newDraft(gap);
      const [g] = (await problems(draft)).filter((p) => p.properties.type === 'gap');
      const B = gap.codes.B!;
      const exact = (await inDraft(draft, B)).hex;
      const res = await call<RepairResponse>('POST', `/api/drafts/${draft}/repairs`, {
        body: { problem: g!.properties.id },
      });
      expect((await inDraft(draft, B)).hex).not.toBe(exact);
      const undo = await call('POST', `/api/drafts/${draft}/changesets/${res.body.changeset}/undo`, {
        body: { comment: '撤销修复' },
      });
      expect(undo.status).toBe(200);
      expect((await inDraft(draft, B)).hex).toBe(exact);
      expect((await problems(draft)).map((p) => p.properties.id)).toContain(g!.properties.id);
    });

    it('overlap_to_longest_edge: B keeps the overlap (103.9 m against 100 m) and A gets back its square; to=A cuts it from B instead', async () => {
      const draft = await newDraft(overlap);
      const [o] = await problems(draft);
      expect(o!.properties).toMatchObject({ type: 'overlap' });
      near(o!.properties.areaM2!, 1_500);
      const res = await call<RepairResponse>('POST', `/api/drafts/${draft}/repairs`, {
        body: { problem: o!.properties.id },
      });
      expect(res.status).toBe(200);
      expect(res.body.repairs[0]).toMatchObject({ status: 'repaired', to: overlap.codes.B, grids: [overlap.codes.A] });
      near((await inDraft(draft, overlap.codes.A!)).area, 10_000);
      near((await inDraft(draft, overlap.codes.B!)).area, 10_000);
      expect(await problems(draft)).toEqual([]);

      const other = await newDraft(overlap);
      const toA = await call<RepairResponse>('POST', `/api/drafts/${other}/repairs`, {
        body: { problem: o!.properties.id, to: overlap.codes.A },
      });
      expect(toA.status).toBe(200);
      near((await inDraft(other, overlap.codes.A!)).area, 11_500);
      near((await inDraft(other, overlap.codes.B!)).area, 8_500);
      expect(await problems(other)).toEqual([]);
    });

    it('overlap_cuts_a: a repair that would create a problem (A cut in two) is refused with 409 and writes nothing', async () => {
      const draft = await newDraft(cut);
      const o = (await problems(draft)).find((p) => p.properties.type === 'overlap')!;
      const before = await checksum();
      const refused = await call('POST', `/api/drafts/${draft}/repairs`, {
        body: { problem: o.properties.id, to: cut.codes.B },
      });
      expect(refused.status).toBe(409);
      expect(refused.body.error!.code).toBe('creates_problems');
      expect(await checksum()).toBe(before);
      // The longest edge is A's (200 m against 20 m): that repair is fine.
      const ok = await call<RepairResponse>('POST', `/api/drafts/${draft}/repairs`, {
        body: { problem: o.properties.id },
      });
      expect(ok.body.repairs[0]).toMatchObject({ to: cut.codes.A, grids: [cut.codes.B] });
      near((await inDraft(draft, cut.codes.B!)).area, 1_000);
    });

    it('an unknown problem is a 404, a problem that is not a gap or overlap a 422, bad bodies 400; editors of another street 403', async () => {
      const draft = await newDraft(gap);
      const before = await checksum();
      expect(
        (await call('POST', `/api/drafts/${draft}/repairs`, { body: { problem: 'gap:139915001001:1,1' } })).status,
      ).toBe(404);
      expect((await call('POST', `/api/drafts/${draft}/repairs`, { body: { problem: 'x', extra: 1 } })).status).toBe(
        400,
      );
      expect(
        (await call('POST', `/api/drafts/${draft}/repairs`, { body: { region: gap.community, maxAreaM2: -1 } })).body
          .error,
      ).toMatchObject({ param: 'maxAreaM2' });
      expect(
        (await call('POST', `/api/drafts/${draft}/repairs`, { body: { problem: 'gap:x', to: '12' } })).body.error,
      ).toMatchObject({ param: 'to' });
      expect(
        (
          await call('POST', `/api/drafts/${draft}/repairs`, {
            as: 'editor-003',
            body: { region: gap.community, maxAreaM2: 10 },
          })
        ).status,
      ).toBe(403);
      expect(await checksum()).toBe(before);
    });

    it('batch in the current view (a GeoJSON polygon): only the problems whose point lies inside it', async () => {
      const draft = await newDraft(overlap);
      // The view covers the west half only: the overlap's point (x 1–1.2) lies outside it.
      const west = toPolygon(
        OVERLAP,
        [
          [
            [-0.5, -0.5],
            [0.9, -0.5],
            [0.9, 1.5],
            [-0.5, 1.5],
            [-0.5, -0.5],
          ],
        ],
        0.6,
      );
      const none = await call<RepairResponse>('POST', `/api/drafts/${draft}/repairs`, {
        body: { region: west, maxAreaM2: 2000 },
      });
      expect(none.body).toMatchObject({ changeset: null, repairs: [] });
      const all = toPolygon(
        OVERLAP,
        [
          [
            [-0.5, -0.5],
            [2.5, -0.5],
            [2.5, 1.5],
            [-0.5, 1.5],
            [-0.5, -0.5],
          ],
        ],
        0.6,
      );
      const res = await call<RepairResponse>('POST', `/api/drafts/${draft}/repairs`, {
        body: { region: all, maxAreaM2: 2000 },
      });
      expect(res.body.repairs).toEqual([
        expect.objectContaining({ type: 'overlap', status: 'repaired', to: overlap.codes.B }),
      ]);
      expect(await problems(draft)).toEqual([]);
    });

    it('batch: every problem under the area in the region, one changeset, listed per problem; too big ones are left', async () => {
      const draft = await newDraft(cut);
      const listed = await problems(draft);
      expect(listed.map((p) => p.properties.type).sort()).toEqual(['gap', 'gap', 'overlap']);
      const small = await call<RepairResponse>('POST', `/api/drafts/${draft}/repairs`, {
        body: { region: cut.community, maxAreaM2: 1_000 },
      });
      expect(small.status).toBe(200);
      expect(small.body.changeset).toBeNull(); // the gaps are 4,500 m² each, the overlap 2,000 m²
      const res = await call<RepairResponse>('POST', `/api/drafts/${draft}/repairs`, {
        body: { region: cut.community, maxAreaM2: 5_000, comment: '批量' },
      });
      expect(res.status).toBe(200);
      expect(res.body.repairs.map((r) => r.status)).toEqual(['repaired', 'repaired', 'repaired']);
      expect((await problems(draft)).filter((p) => p.properties.severity === 'error')).toEqual([]);
      const { rows } = await sql<{
        n: number;
      }>`SELECT count(*)::int AS n FROM changesets WHERE draft_id = ${draft} AND operation = 'repair'`.execute(db());
      expect(rows[0]!.n).toBe(1);
    });
  });
}
