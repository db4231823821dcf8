/**
 * Editing over real HTTP on each driver, against the demo district: drafts, split, merge,
 * reshape, publish; If-Match (412/428); who may do what (401/403); every rejected request
 * changes nothing (checksums of the editing tables and the grids).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { Draft, PublishCheckResponse } from '../../common/contracts/drafts.ts';
import type { EditResponse } from '../../common/contracts/editing.ts';
import type { GridDetailFeature } from '../../common/contracts/grids.ts';
import type { ValidationPreview, ValidationReport } from '../../common/contracts/validation.ts';
import { DRIVERS } from '../helpers/db.ts';
import { httpClient } from '../helpers/http-client.ts';
import { sessionCookie } from '../helpers/session.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { cutLine } from '../helpers/squares.ts';
import { readDemoDataset } from '../../data/load.ts';

const STREET = '131002003000';
const demoErrorGrids = readDemoDataset().meta.deliberateErrors.flatMap((e) => e.grids);
const OTHER_STREET_EDITOR = 'editor-001';

for (const driver of DRIVERS) {
  describe(`editing API [${driver}]`, () => {
    let server: TestServer;
    const cookies: Record<string, string> = {};

    const call = httpClient(() => server.url, cookies).request;
    const checksum = async () =>
      (
        await sql<{ sum: string }>`SELECT md5(
            coalesce((SELECT string_agg(code || version || md5(ST_AsBinary(geom)::text) || households, ',' ORDER BY code) FROM grids), '') ||
            coalesce((SELECT string_agg(draft_id || code || revision || retired || md5(ST_AsBinary(geom)::text), ',' ORDER BY draft_id, code) FROM draft_grids), '') ||
            (SELECT count(*) FROM changesets) || (SELECT string_agg(id || status, ',' ORDER BY id) FROM drafts)) AS sum`.execute(
          server.database.db,
        )
      ).rows[0]!.sum;
    const newDraft = async (as = 'editor-003') =>
      (await call<Draft>('POST', '/api/drafts', { as, body: { street: STREET, title: 'test' } })).body;
    // Signed in: anonymous readers get no household figures.
    const published = async (code: string) => call<GridDetailFeature>('GET', `/api/grids/${code}`, { as: 'planner' });
    /** Grids of the street, in code order, with their households. */
    const gridOf = async (n: number) => {
      const { rows } = await sql<{
        code: string;
      }>`SELECT code FROM grids WHERE community_code LIKE ${STREET.slice(0, 9) + '%'} ORDER BY code OFFSET ${n} LIMIT 1`.execute(
        server.database.db,
      );
      return (await published(rows[0]!.code)).body;
    };

    beforeAll(async () => {
      server = await startTestServer({ driver, demo: true });
      for (const username of ['admin', 'planner', 'editor-003', OTHER_STREET_EDITOR])
        cookies[username] = await sessionCookie(server.url, username);
    });
    afterAll(async () => server?.close());

    it('split then merge gives back the original outline; households are conserved; publish leaves no new problem', async () => {
      const grid = await gridOf(0);
      const before = (
        await call<ValidationReport>('GET', `/api/validation?region=${grid.properties.community_code}`, {
          as: 'planner',
        })
      ).body;
      const draft = await newDraft();
      const tag = (await call('GET', `/api/drafts/${draft.id}/grids/${grid.properties.code}`, { as: 'editor-003' }))
        .etag!;
      expect(tag).toBe(`"${grid.properties.code}.v${grid.properties.version}"`);
      const split = await call<EditResponse>('POST', `/api/drafts/${draft.id}/grids/${grid.properties.code}/split`, {
        as: 'editor-003',
        ifMatch: tag,
        body: { line: cutLine(grid), comment: '拆分测试' },
      });
      expect(split.status, JSON.stringify(split.body)).toBe(200);
      expect(split.body.grids).toHaveLength(2);
      const { rows: parts } = await sql<{ households: number; source: string }>`
        SELECT households, households_source AS source FROM draft_grids WHERE draft_id = ${draft.id} AND NOT retired`.execute(
        server.database.db,
      );
      expect(parts.reduce((s, p) => s + p.households, 0)).toBe(grid.properties.households);
      expect(parts.every((p) => p.source === 'buildings')).toBe(true);

      const merge = await call<EditResponse>('POST', `/api/drafts/${draft.id}/merge`, {
        as: 'editor-003',
        ifMatch: split.body.grids.map((g) => g.etag).join(', '),
        body: { codes: split.body.grids.map((g) => g.code), comment: '合并回去' },
      });
      expect(merge.status, JSON.stringify(merge.body)).toBe(200);
      const mergedCode = merge.body.grids[0]!.code;
      const { rows: same } = await sql<{ equal: boolean; households: number }>`
        SELECT ST_Equals(d.geom, g.geom) AS equal, d.households FROM draft_grids d, grids g
        WHERE d.draft_id = ${draft.id} AND d.code = ${mergedCode} AND g.code = ${grid.properties.code}`.execute(
        server.database.db,
      );
      expect(same[0]).toEqual({ equal: true, households: grid.properties.households });

      const check = (await call<PublishCheckResponse>('GET', `/api/drafts/${draft.id}/check`, { as: 'editor-003' }))
        .body;
      expect(check).toMatchObject({ conflicts: [], created: [] });
      // The draft's grids are checked against the household band too (a warning, not a refusal).
      expect(check.outOfRange.map((g) => g.code)).toEqual(
        grid.properties.households! < 300 || grid.properties.households! > 500 ? [mergedCode] : [],
      );
      const publish = await call('POST', `/api/drafts/${draft.id}/publish`, {
        as: 'editor-003',
        body: { comment: '发布' },
      });
      expect(publish.status, JSON.stringify(publish.body)).toBe(200);
      expect((await published(grid.properties.code)).status).toBe(404);
      const merged = (await published(mergedCode)).body;
      expect(merged.properties.households).toBe(grid.properties.households);
      // The new grid took over the party organisation and the grid workers of the old one.
      expect(merged.properties.party_orgs).toEqual(grid.properties.party_orgs);
      expect(
        merged.properties.workers
          .filter((w) => w.role !== 'building_head' && w.role !== 'unit_head')
          .map((w) => w.name)
          .sort(),
      ).toEqual(
        grid.properties.workers
          .filter((w) => w.role !== 'building_head' && w.role !== 'unit_head')
          .map((w) => w.name)
          .sort(),
      );
      const after = (
        await call<ValidationReport>('GET', `/api/validation?region=${grid.properties.community_code}`, {
          as: 'planner',
        })
      ).body;
      const areal = (r: ValidationReport) =>
        r.problems.features.filter((p) => ['gap', 'overlap', 'outside', 'sliver'].includes(p.properties.type)).length;
      expect(areal(after)).toBe(areal(before));

      const hist = await call<{ history: { operation: string }[] }>(
        'GET',
        `/api/grids/${grid.properties.code}/history`,
        { as: 'planner' },
      );
      expect(hist.body.history.map((h) => h.operation)).toEqual(['publish', 'split']);
    });

    it("every write route: anonymous 401, planner 403, another street's editor 403, and nothing written", async () => {
      const grid = await gridOf(2);
      const draft = await newDraft();
      const tag = `"${grid.properties.code}.v${grid.properties.version}"`;
      const square = grid.geometry;
      const routes: [string, string, unknown][] = [
        ['POST', '/api/drafts', { street: STREET, title: 'x' }],
        [
          'POST',
          `/api/drafts/${draft.id}/grids`,
          { geometry: square, community: grid.properties.community_code, name: 'x', kind: 'residential', comment: 'x' },
        ],
        ['PATCH', `/api/drafts/${draft.id}/grids/${grid.properties.code}`, { name: 'x', comment: 'x' }],
        ['POST', `/api/drafts/${draft.id}/grids/${grid.properties.code}/split`, { line: cutLine(grid), comment: 'x' }],
        [
          'POST',
          `/api/drafts/${draft.id}/grids/${grid.properties.code}/boundary`,
          { neighbour: grid.properties.code.slice(0, 12) + '999', geometry: square, comment: 'x' },
        ],
        ['POST', `/api/drafts/${draft.id}/grids/${grid.properties.code}/retire`, { comment: 'x' }],
        [
          'POST',
          `/api/drafts/${draft.id}/merge`,
          { codes: [grid.properties.code, grid.properties.code.slice(0, 12) + '999'], comment: 'x' },
        ],
        ['POST', `/api/drafts/${draft.id}/changesets/1/undo`, { comment: 'x' }],
        ['POST', `/api/drafts/${draft.id}/changesets/1/redo`, { comment: 'x' }],
        ['POST', `/api/drafts/${draft.id}/publish`, { comment: 'x' }],
        ['POST', `/api/drafts/${draft.id}/discard`, undefined],
      ];
      const before = await checksum();
      for (const [method, path, body] of routes) {
        expect((await call(method, path, { body, ifMatch: tag })).status, `${method} ${path} anonymous`).toBe(401);
        expect(
          (await call(method, path, { as: 'planner', body, ifMatch: tag })).status,
          `${method} ${path} planner`,
        ).toBe(403);
        expect(
          (await call(method, path, { as: OTHER_STREET_EDITOR, body, ifMatch: tag })).status,
          `${method} ${path} other street`,
        ).toBe(403);
      }
      expect(await checksum()).toBe(before);
    });

    it('If-Match: missing gets 428, stale gets 412 with the current tag; neither writes anything', async () => {
      const grid = await gridOf(5);
      const draft = await newDraft();
      const body = { name: '改名', comment: '测试' };
      const before = await checksum();
      const missing = await call('PATCH', `/api/drafts/${draft.id}/grids/${grid.properties.code}`, {
        as: 'editor-003',
        body,
      });
      expect(missing.status).toBe(428);
      const stale = await call('PATCH', `/api/drafts/${draft.id}/grids/${grid.properties.code}`, {
        as: 'editor-003',
        body,
        ifMatch: `"${grid.properties.code}.v${grid.properties.version - 1}"`,
      });
      expect(stale.status).toBe(412);
      expect(stale.body.error!.current).toEqual({
        [grid.properties.code]: `"${grid.properties.code}.v${grid.properties.version}"`,
      });
      expect(await checksum()).toBe(before);
      const ok = await call<EditResponse>('PATCH', `/api/drafts/${draft.id}/grids/${grid.properties.code}`, {
        as: 'editor-003',
        body,
        ifMatch: `"${grid.properties.code}.v${grid.properties.version}"`,
      });
      expect(ok.status).toBe(200);
      expect(ok.body.grids[0]!.etag).toBe(`"${grid.properties.code}.d${draft.id}r1"`);
    });

    it("who may do what: anonymous 401, planner 403, another street's editor 403; nothing written", async () => {
      const grid = await gridOf(6);
      const draft = await newDraft();
      const tag = `"${grid.properties.code}.v${grid.properties.version}"`;
      const before = await checksum();
      const path = `/api/drafts/${draft.id}/grids/${grid.properties.code}`;
      expect((await call('PATCH', path, { body: { name: 'x', comment: 'c' }, ifMatch: tag })).status).toBe(401);
      expect(
        (await call('PATCH', path, { as: 'planner', body: { name: 'x', comment: 'c' }, ifMatch: tag })).status,
      ).toBe(403);
      expect(
        (await call('PATCH', path, { as: OTHER_STREET_EDITOR, body: { name: 'x', comment: 'c' }, ifMatch: tag }))
          .status,
      ).toBe(403);
      expect(
        (await call('POST', '/api/drafts', { as: OTHER_STREET_EDITOR, body: { street: STREET, title: 'x' } })).status,
      ).toBe(403);
      expect((await call('POST', '/api/drafts', { as: 'planner', body: { street: STREET, title: 'x' } })).status).toBe(
        403,
      );
      // Server-owned fields are never taken from a body.
      const owned = await call('PATCH', path, {
        as: 'editor-003',
        body: { name: 'x', comment: 'c', version: 9, code: grid.properties.code },
        ifMatch: tag,
      });
      expect(owned.status).toBe(400);
      expect(owned.body.error!.message).toMatch(/unrecognized|version|code/i);
      expect(await checksum()).toBe(before);
    });

    it('two concurrent merges touching one grid: exactly one succeeds, the other gets 412', async () => {
      // b and two of its neighbours a and c (sharing an edge, same community).
      const { rows } = await sql<{ a: string; b: string; c: string }>`
        SELECT a.code AS a, b.code AS b, c.code AS c FROM grids b
        JOIN grids a ON a.community_code = b.community_code AND a.code < b.code AND ST_Relate(a.geom, b.geom, '****1****')
        JOIN grids c ON c.community_code = b.community_code AND c.code > b.code AND ST_Relate(c.geom, b.geom, '****1****')
        WHERE b.community_code LIKE ${STREET.slice(0, 9) + '%'} AND b.code NOT IN (SELECT code FROM draft_grids)
          AND a.code NOT IN (SELECT code FROM draft_grids) AND c.code NOT IN (SELECT code FROM draft_grids)
        ORDER BY b.code DESC LIMIT 1`.execute(server.database.db);
      const { a, b, c } = rows[0]!;
      const grids = await Promise.all([a, b, c].map(async (code) => (await published(code)).body));
      const draft = await newDraft();
      const tags = grids.map((g) => `"${g.properties.code}.v${g.properties.version}"`).join(', ');
      const merge = (codes: string[]) =>
        call('POST', `/api/drafts/${draft.id}/merge`, {
          as: 'editor-003',
          ifMatch: tags,
          body: { codes, comment: '并发' },
        });
      const results = await Promise.all([merge([a, b]), merge([b, c])]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 412]);
      const { rows: merges } = await sql<{
        n: number;
      }>`SELECT count(*)::int AS n FROM changesets WHERE draft_id = ${draft.id} AND operation = 'merge'`.execute(
        server.database.db,
      );
      expect(merges[0]!.n).toBe(1);
    });

    it('retire a grid and draw it again roughly: snapping to the neighbours closes the tiling exactly', async () => {
      // A grid of a community with no planted error (those would reappear under a new code).
      const { rows: clean } = await sql<{ code: string }>`
        SELECT code FROM grids WHERE community_code LIKE ${STREET.slice(0, 9) + '%'}
          AND community_code NOT IN (SELECT left(c, 12) FROM unnest(${demoErrorGrids}::text[]) c)
          AND code NOT IN (SELECT code FROM draft_grids)
        ORDER BY code OFFSET 3 LIMIT 1`.execute(server.database.db);
      const grid = (await published(clean[0]!.code)).body;
      const draft = await newDraft();
      const tag = `"${grid.properties.code}.v${grid.properties.version}"`;
      expect(
        (
          await call('POST', `/api/drafts/${draft.id}/grids/${grid.properties.code}/retire`, {
            as: 'editor-003',
            ifMatch: tag,
            body: { comment: '撤销网格' },
          })
        ).status,
      ).toBe(200);
      const hole = (await call<PublishCheckResponse>('GET', `/api/drafts/${draft.id}/check`, { as: 'editor-003' }))
        .body;
      expect(hole.created.map((p) => p.properties.type)).toContain('gap');
      // Every vertex 0.2 m off (alternating), within the 0.5 m snapping tolerance.
      const rough = {
        type: 'Polygon',
        coordinates: [
          grid.geometry.coordinates[0]![0]!.map((p, i, ring) =>
            i === ring.length - 1 ? undefined : [p[0]! + (i % 2 ? 2e-6 : -2e-6), p[1]! + (i % 2 ? -1.5e-6 : 1.5e-6)],
          ).filter(Boolean),
        ],
      };
      rough.coordinates[0]!.push(rough.coordinates[0]![0]!);
      const created = await call<EditResponse>('POST', `/api/drafts/${draft.id}/grids`, {
        as: 'editor-003',
        body: {
          geometry: rough,
          community: grid.properties.community_code,
          name: '新网格',
          kind: 'residential',
          comment: '重画',
        },
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const check = (await call<PublishCheckResponse>('GET', `/api/drafts/${draft.id}/check`, { as: 'editor-003' }))
        .body;
      expect(check.created).toEqual([]);
      const { rows } = await sql<{
        households: number;
      }>`SELECT households FROM draft_grids WHERE draft_id = ${draft.id} AND code = ${created.body.grids[0]!.code}`.execute(
        server.database.db,
      );
      expect(rows[0]!.households).toBe(grid.properties.households);
      // A drawing reaching into another street is refused for a street editor.
      const far = {
        type: 'Polygon',
        coordinates: [
          [
            [116.5, 39.3],
            [116.51, 39.3],
            [116.51, 39.31],
            [116.5, 39.3],
          ],
        ],
      };
      const outside = await call('POST', `/api/drafts/${draft.id}/grids`, {
        as: 'editor-003',
        body: {
          geometry: far,
          community: grid.properties.community_code,
          name: 'x',
          kind: 'residential',
          comment: 'x',
        },
      });
      expect(outside.status).toBeGreaterThanOrEqual(400);
      expect(outside.status).toBeLessThan(500);
    });

    it('moving a shared boundary changes both grids together and keeps the tiling', async () => {
      const { rows } = await sql<{ a: string; b: string }>`
        SELECT a.code AS a, b.code AS b FROM grids a JOIN grids b ON b.community_code = a.community_code AND a.code < b.code
          AND ST_Relate(a.geom, b.geom, '****1****')
        WHERE a.community_code LIKE ${STREET.slice(0, 9) + '%'} AND a.code NOT IN (SELECT code FROM draft_grids)
          AND b.code NOT IN (SELECT code FROM draft_grids)
        ORDER BY a.code LIMIT 1`.execute(server.database.db);
      const [a, b] = [(await published(rows[0]!.a)).body, (await published(rows[0]!.b)).body];
      const draft = await newDraft();
      // A grows by 5 % around its centre: the part inside B moves to A; B keeps the rest.
      const ring = a.geometry.coordinates[0]![0]!;
      let [cx, cy] = [0, 0];
      for (const p of ring.slice(1)) [cx, cy] = [cx + p[0]! / (ring.length - 1), cy + p[1]! / (ring.length - 1)];
      const grown = {
        type: 'Polygon',
        coordinates: [ring.map((p) => [cx + (p[0]! - cx) * 1.05, cy + (p[1]! - cy) * 1.05])],
      };
      const moved = await call<EditResponse>('POST', `/api/drafts/${draft.id}/grids/${a.properties.code}/boundary`, {
        as: 'editor-003',
        ifMatch: [a, b].map((g) => `"${g.properties.code}.v${g.properties.version}"`).join(', '),
        body: { neighbour: b.properties.code, geometry: grown, comment: '调整边界' },
      });
      expect(moved.status, JSON.stringify(moved.body)).toBe(200);
      // Together they cover what they covered (to the overlay's 1e-10° grid: under 1 cm²).
      const { rows: same } = await sql<{ diff: number; moved: number }>`
        WITH before AS (SELECT ST_Union(geom, 1e-10) AS g FROM grids WHERE code IN (${a.properties.code}, ${b.properties.code})),
             after AS (SELECT ST_Union(geom, 1e-10) AS g FROM draft_grids WHERE draft_id = ${draft.id})
        SELECT ST_Area(ST_SymDifference(before.g, after.g, 1e-10)::geography)::float8 AS diff,
               (SELECT ST_Area(ST_SymDifference(d.geom, g.geom, 1e-10)::geography)::float8 FROM draft_grids d JOIN grids g ON g.code = d.code
                WHERE d.draft_id = ${draft.id} AND d.code = ${a.properties.code}) AS moved
        FROM before, after`.execute(server.database.db);
      expect(same[0]!.diff).toBeLessThan(1e-4);
      expect(same[0]!.moved).toBeGreaterThan(100); // the boundary really moved
      const check = (await call<PublishCheckResponse>('GET', `/api/drafts/${draft.id}/check`, { as: 'editor-003' }))
        .body;
      expect(check.created.filter((p) => p.properties.type !== 'outside')).toEqual([]);
    });

    it('undo puts the draft back bit for bit, and is refused while a later change touches the grids', async () => {
      const grid = await gridOf(35);
      const draft = await newDraft();
      const tag = `"${grid.properties.code}.v${grid.properties.version}"`;
      const split = await call<EditResponse>('POST', `/api/drafts/${draft.id}/grids/${grid.properties.code}/split`, {
        as: 'editor-003',
        ifMatch: tag,
        body: { line: cutLine(grid), comment: '拆' },
      });
      expect(split.status).toBe(200);
      const part = split.body.grids[0]!;
      const renamed = await call<EditResponse>('PATCH', `/api/drafts/${draft.id}/grids/${part.code}`, {
        as: 'editor-003',
        ifMatch: part.etag,
        body: { name: '改', comment: '改名' },
      });
      expect(renamed.status).toBe(200);
      const blocked = await call('POST', `/api/drafts/${draft.id}/changesets/${split.body.changeset}/undo`, {
        as: 'editor-003',
        body: { comment: '撤销' },
      });
      expect(blocked.status).toBe(409);
      expect(
        (
          await call('POST', `/api/drafts/${draft.id}/changesets/${renamed.body.changeset}/undo`, {
            as: 'editor-003',
            body: { comment: '撤销改名' },
          })
        ).status,
      ).toBe(200);
      expect(
        (
          await call('POST', `/api/drafts/${draft.id}/changesets/${split.body.changeset}/undo`, {
            as: 'editor-003',
            body: { comment: '撤销拆分' },
          })
        ).status,
      ).toBe(200);
      const { rows } = await sql<{
        n: number;
      }>`SELECT count(*)::int AS n FROM draft_grids WHERE draft_id = ${draft.id}`.execute(server.database.db);
      expect(rows[0]!.n).toBe(0);
      // Redo brings the split back exactly; a second redo has nothing to do.
      const redo = await call<EditResponse>('POST', `/api/drafts/${draft.id}/changesets/${split.body.changeset}/redo`, {
        as: 'editor-003',
        body: { comment: '重做' },
      });
      expect(redo.status, JSON.stringify(redo.body)).toBe(200);
      const { rows: back } = await sql<{ n: number; area: number }>`
        SELECT count(*)::int AS n, sum(ST_Area(geom::geography))::float8 AS area FROM draft_grids WHERE draft_id = ${draft.id} AND NOT retired`.execute(
        server.database.db,
      );
      expect(back[0]!.n).toBe(2);
      // …and the grid that was split is retired again (it must not reappear from the published map).
      const { rows: original } = await sql<{ retired: boolean }>`
        SELECT retired FROM draft_grids WHERE draft_id = ${draft.id} AND code = ${grid.properties.code}`.execute(
        server.database.db,
      );
      expect(original).toEqual([{ retired: true }]);
      const redone = (await call<PublishCheckResponse>('GET', `/api/drafts/${draft.id}/check`, { as: 'editor-003' }))
        .body;
      expect(redone.created).toEqual([]);
      expect(redone.grids).toBe(3);
      expect(Math.abs(back[0]!.area - grid.properties.area_m2) / grid.properties.area_m2).toBeLessThan(1e-6);
      expect(
        (
          await call('POST', `/api/drafts/${draft.id}/changesets/${split.body.changeset}/redo`, {
            as: 'editor-003',
            body: { comment: '再做' },
          })
        ).status,
      ).toBe(409);
      expect(
        (
          await call('POST', `/api/drafts/${draft.id}/changesets/${split.body.changeset}/undo`, {
            as: 'editor-003',
            body: { comment: '再撤销' },
          })
        ).status,
      ).toBe(200);
      // The grid is editable again with its published tag.
      expect(
        (await call('GET', `/api/drafts/${draft.id}/grids/${grid.properties.code}`, { as: 'editor-003' })).etag,
      ).toBe(tag);
      // Discarding closes the draft; further edits get 409.
      expect((await call('POST', `/api/drafts/${draft.id}/discard`, { as: 'editor-003' })).status).toBe(200);
      expect(
        (
          await call('PATCH', `/api/drafts/${draft.id}/grids/${grid.properties.code}`, {
            as: 'editor-003',
            ifMatch: tag,
            body: { name: 'x', comment: 'x' },
          })
        ).status,
      ).toBe(409);
      const listed = await call<{ drafts: Draft[] }>('GET', `/api/drafts?street=${STREET}&status=discarded`, {
        as: 'planner',
      });
      expect(listed.body.drafts.map((d) => d.id)).toContain(draft.id);
    });

    it('the live preview sees the draft: a part of a split grid checks clean against its draft neighbours', async () => {
      const grid = await gridOf(40);
      const draft = await newDraft();
      const split = await call<EditResponse>('POST', `/api/drafts/${draft.id}/grids/${grid.properties.code}/split`, {
        as: 'editor-003',
        ifMatch: `"${grid.properties.code}.v${grid.properties.version}"`,
        body: { line: cutLine(grid), comment: '拆' },
      });
      const part = split.body.grids[0]!;
      const partGrid = (
        await call<GridDetailFeature>('GET', `/api/drafts/${draft.id}/grids/${part.code}`, { as: 'editor-003' })
      ).body;
      const inDraft = await call<ValidationPreview>('POST', '/api/validation/preview', {
        as: 'editor-003',
        body: { geometry: partGrid.geometry, replaces: part.code, draft: draft.id, snapMetres: 0.5 },
      });
      expect(inDraft.status, JSON.stringify(inDraft.body)).toBe(200);
      expect(inDraft.body.created.features).toEqual([]);
      expect(inDraft.body.candidate.households).toBeGreaterThanOrEqual(0);
      // Published, the part does not exist yet.
      expect(
        (
          await call('POST', '/api/validation/preview', {
            as: 'editor-003',
            body: { geometry: partGrid.geometry, replaces: part.code },
          })
        ).status,
      ).toBe(404);
    });

    it("assigns a grid's party organisation and grid workers in a draft; publish puts them on the map", async () => {
      const grid = await gridOf(45);
      const draft = await newDraft();
      const tag = `"${grid.properties.code}.v${grid.properties.version}"`;
      const { rows: orgs } = await sql<{ code: string; kind: string }>`
        SELECT code, kind FROM party_orgs WHERE community_code = ${grid.properties.community_code} ORDER BY kind, code`.execute(
        server.database.db,
      );
      const committee = orgs.find((o) => o.kind === 'committee')!.code;
      const group = orgs.find((o) => o.kind === 'group' && !grid.properties.party_orgs.includes(o.code))!.code;
      const path = `/api/drafts/${draft.id}/grids/${grid.properties.code}`;
      const before = await checksum();
      const wrongKind = await call('PATCH', path, {
        as: 'editor-003',
        ifMatch: tag,
        body: { party_orgs: [committee], comment: 'x' },
      });
      expect(wrongKind.status).toBe(400);
      expect(wrongKind.body.error!.message).toMatch(/branch or a group/);
      const badPhone = await call('PATCH', path, {
        as: 'editor-003',
        ifMatch: tag,
        body: { workers: [{ name: '张三', phone: '12345', role: 'full_time' }], comment: 'x' },
      });
      expect(badPhone.status).toBe(400);
      expect(await checksum()).toBe(before);
      const ok = await call('PATCH', path, {
        as: 'editor-003',
        ifMatch: tag,
        body: {
          party_orgs: [group],
          workers: [{ name: '王测试', phone: '13812345678', role: 'full_time' }],
          comment: '调整党小组和网格员',
        },
      });
      expect(ok.status, JSON.stringify(ok.body)).toBe(200);
      expect(
        (await call('POST', `/api/drafts/${draft.id}/publish`, { as: 'editor-003', body: { comment: '发布' } })).status,
      ).toBe(200);
      const after = (await published(grid.properties.code)).body;
      expect(after.properties.party_orgs).toEqual([group]);
      const workers = after.properties.workers.filter((w) => w.role === 'full_time' || w.role === 'part_time');
      expect(workers).toEqual([{ name: '王测试', role: 'full_time', phone: '138****5678' }]);
    });

    it('publish refuses a draft that creates an overlap (nothing written); an admin may override with a reason', async () => {
      const grid = await gridOf(20);
      const draft = await newDraft();
      const ring = grid.geometry.coordinates[0]![0]!;
      let [cx, cy] = [0, 0];
      for (const p of ring.slice(1)) [cx, cy] = [cx + p[0]! / (ring.length - 1), cy + p[1]! / (ring.length - 1)];
      const grown = {
        type: 'Polygon',
        coordinates: [ring.map((p) => [cx + (p[0]! - cx) * 1.04, cy + (p[1]! - cy) * 1.04])],
      };
      const reshape = await call('PATCH', `/api/drafts/${draft.id}/grids/${grid.properties.code}`, {
        as: 'editor-003',
        ifMatch: `"${grid.properties.code}.v${grid.properties.version}"`,
        body: { geometry: grown, comment: '扩大' },
      });
      expect(reshape.status, JSON.stringify(reshape.body)).toBe(200);
      const check = (await call<PublishCheckResponse>('GET', `/api/drafts/${draft.id}/check`, { as: 'editor-003' }))
        .body;
      expect(check.created.some((p) => p.properties.type === 'overlap')).toBe(true);
      const before = await checksum();
      const refused = await call('POST', `/api/drafts/${draft.id}/publish`, {
        as: 'editor-003',
        body: { comment: '发布' },
      });
      expect(refused.status).toBe(409);
      expect(refused.body.error!.code).toBe('creates_problems');
      expect(
        (
          await call('POST', `/api/drafts/${draft.id}/publish`, {
            as: 'editor-003',
            body: { comment: '发布', override: '测试覆盖原因' },
          })
        ).status,
      ).toBe(403);
      expect(await checksum()).toBe(before);
      const forced = await call('POST', `/api/drafts/${draft.id}/publish`, {
        as: 'admin',
        body: { comment: '发布', override: '现场核实，待下周修正' },
      });
      expect(forced.status, JSON.stringify(forced.body)).toBe(200);
      expect((await published(grid.properties.code)).body.properties.version).toBe(grid.properties.version + 1);
    });

    it('two drafts editing one grid cannot both publish', async () => {
      const grid = await gridOf(25);
      const tag = `"${grid.properties.code}.v${grid.properties.version}"`;
      const [d1, d2] = [await newDraft(), await newDraft('admin')];
      for (const [d, as, n] of [
        [d1, 'editor-003', '甲'],
        [d2, 'admin', '乙'],
      ] as const) {
        expect(
          (
            await call('PATCH', `/api/drafts/${d.id}/grids/${grid.properties.code}`, {
              as,
              ifMatch: tag,
              body: { name: n, comment: n },
            })
          ).status,
        ).toBe(200);
      }
      expect(
        (await call('POST', `/api/drafts/${d1.id}/publish`, { as: 'editor-003', body: { comment: '先' } })).status,
      ).toBe(200);
      const before = await checksum();
      const second = await call('POST', `/api/drafts/${d2.id}/publish`, { as: 'admin', body: { comment: '后' } });
      expect(second.status).toBe(409);
      expect(second.body.error!.code).toBe('conflict');
      expect(await checksum()).toBe(before);
      expect((await published(grid.properties.code)).body.properties.name).toBe('甲');
    });
  });
}
