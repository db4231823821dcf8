/**
 * The split preview (POST …/split/preview, issue 17) over real HTTP on each driver: it gives
 * the parts' households exactly as the split then writes them, the party organisations the
 * parts would inherit, and writes nothing; a split may give its parts an organisation.
 * Rejected requests change nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { Draft, DraftGridFeature } from '../../common/contracts/drafts.ts';
import type { EditResponse, SplitPreview } from '../../common/contracts/editing.ts';
import type { GridDetailFeature } from '../../common/contracts/grids.ts';
import { DRIVERS } from '../helpers/db.ts';
import { httpClient } from '../helpers/http-client.ts';
import { sessionCookie } from '../helpers/session.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { cutLine } from '../helpers/squares.ts';

const STREET = '131002003000';

for (const driver of DRIVERS) {
  describe(`split preview API [${driver}]`, () => {
    let server: TestServer;
    const cookies: Record<string, string> = {};
    const call = httpClient(() => server.url, cookies).request;
    const checksum = async () =>
      (
        await sql<{ sum: string }>`SELECT md5(
            coalesce((SELECT string_agg(draft_id || code || revision || retired || coalesce(array_to_string(party_orgs, '/'), '-'), ',' ORDER BY draft_id, code) FROM draft_grids), '') ||
            (SELECT count(*) FROM changesets) || (SELECT count(*) FROM org_grids)) AS sum`.execute(server.database.db)
      ).rows[0]!.sum;
    const newDraft = async (street = STREET, as = 'editor-003') =>
      (await call<Draft>('POST', '/api/drafts', { as, body: { street, title: 'preview test' } })).body;
    const published = async (code: string) =>
      (await call<GridDetailFeature>('GET', `/api/grids/${code}`, { as: 'planner' })).body;
    const firstGrid = async (where: ReturnType<typeof sql>) => {
      const { rows } = await sql<{
        code: string;
      }>`SELECT code FROM grids g WHERE ${where} ORDER BY code LIMIT 1`.execute(server.database.db);
      return published(rows[0]!.code);
    };

    beforeAll(async () => {
      server = await startTestServer({ driver, demo: true });
      for (const username of ['admin', 'planner', 'editor-003', 'editor-001'])
        cookies[username] = await sessionCookie(server.url, username);
    });
    afterAll(async () => server?.close());

    it('gives the households the split writes and the organisations the parts inherit, and writes nothing', async () => {
      const grid = await firstGrid(
        sql`g.community_code LIKE ${STREET.slice(0, 9) + '%'} AND EXISTS (SELECT 1 FROM org_grids og WHERE og.grid_code = g.code)`,
      );
      const draft = await newDraft();
      const path = `/api/drafts/${draft.id}/grids/${grid.properties.code}/split`;
      const before = await checksum();
      const preview = await call<SplitPreview>('POST', `${path}/preview`, {
        as: 'editor-003',
        body: { line: cutLine(grid) },
      });
      expect(preview.status, JSON.stringify(preview.body)).toBe(200);
      expect(await checksum()).toBe(before);
      expect(preview.body.code).toBe(grid.properties.code);
      expect(preview.body.cuts).toBe(true);
      expect(preview.body.parts).toHaveLength(2);
      expect(preview.body.parts.reduce((s, p) => s + p.households, 0)).toBe(grid.properties.households);
      for (const part of preview.body.parts) {
        expect(part.party_orgs).toEqual([...grid.properties.party_orgs].sort());
        expect(part.areaM2).toBeGreaterThan(0);
      }

      const tag = (await call('GET', `/api/drafts/${draft.id}/grids/${grid.properties.code}`, { as: 'editor-003' }))
        .etag!;
      const split = await call<EditResponse>('POST', path, {
        as: 'editor-003',
        ifMatch: tag,
        body: { line: cutLine(grid), comment: '拆分' },
      });
      expect(split.status, JSON.stringify(split.body)).toBe(200);
      const parts = await Promise.all(
        split.body.grids.map(
          async (g) =>
            (await call<DraftGridFeature>('GET', `/api/drafts/${draft.id}/grids/${g.code}`, { as: 'editor-003' })).body,
        ),
      );
      expect(parts.map((p) => p.properties.households)).toEqual(preview.body.parts.map((p) => p.households));

      // A part of the split, new in the draft, passes on the split grid's organisations (its lineage).
      const part = parts[0]!;
      const again = await call<SplitPreview>(
        'POST',
        `/api/drafts/${draft.id}/grids/${part.properties.code}/split/preview`,
        { as: 'editor-003', body: { line: cutLine(part as never) } },
      );
      expect(again.status, JSON.stringify(again.body)).toBe(200);
      expect(again.body.parts[0]!.party_orgs).toEqual([...grid.properties.party_orgs].sort());
    });

    it('a split can give the parts of a grid with no organisation one of its community', async () => {
      const grid = await firstGrid(sql`NOT EXISTS (SELECT 1 FROM org_grids og WHERE og.grid_code = g.code)`);
      const street = grid.properties.community_code.slice(0, 9) + '000';
      const orgs = (
        await call<{ party_orgs: { code: string; kind: string }[] }>(
          'GET',
          `/api/party-orgs?region=${grid.properties.community_code}`,
          { as: 'admin' },
        )
      ).body.party_orgs;
      const group = orgs.find((o) => o.kind === 'group' || o.kind === 'branch')!;
      const committee = orgs.find((o) => o.kind === 'committee' || o.kind === 'general_branch');
      const draft = await newDraft(street, 'admin');
      const path = `/api/drafts/${draft.id}/grids/${grid.properties.code}/split`;
      const preview = await call<SplitPreview>('POST', `${path}/preview`, {
        as: 'admin',
        body: { line: cutLine(grid) },
      });
      expect(preview.status).toBe(200);
      expect(preview.body.parts.every((p) => p.party_orgs.length === 0)).toBe(true);
      const tag = (await call('GET', `/api/drafts/${draft.id}/grids/${grid.properties.code}`, { as: 'admin' })).etag!;

      // Not a grid-level organisation: a 400 naming party_orgs, nothing written.
      const before = await checksum();
      if (committee) {
        const refused = await call('POST', path, {
          as: 'admin',
          ifMatch: tag,
          body: { line: cutLine(grid), party_orgs: [committee.code], comment: '拆分' },
        });
        expect(refused.status).toBe(400);
        expect(JSON.stringify(refused.body)).toContain('party_orgs');
      }
      const unknown = await call('POST', path, {
        as: 'admin',
        ifMatch: tag,
        body: { line: cutLine(grid), party_orgs: ['NO-SUCH-ORG'], comment: '拆分' },
      });
      expect(unknown.status).toBe(400);
      expect(await checksum()).toBe(before);

      const split = await call<EditResponse>('POST', path, {
        as: 'admin',
        ifMatch: tag,
        body: { line: cutLine(grid), party_orgs: [group.code], comment: '拆分并指定党组织' },
      });
      expect(split.status, JSON.stringify(split.body)).toBe(200);
      for (const g of split.body.grids) {
        const part = (await call<DraftGridFeature>('GET', `/api/drafts/${draft.id}/grids/${g.code}`, { as: 'admin' }))
          .body;
        expect(part.properties.party_orgs).toEqual([group.code]);
      }
    });

    it('refuses strangers, planners, another street and a malformed line, changing nothing', async () => {
      const grid = await firstGrid(sql`g.community_code LIKE ${STREET.slice(0, 9) + '%'}`);
      const draft = await newDraft();
      const path = `/api/drafts/${draft.id}/grids/${grid.properties.code}/split/preview`;
      const before = await checksum();
      expect((await call('POST', path, { body: { line: cutLine(grid) } })).status).toBe(401);
      expect((await call('POST', path, { as: 'planner', body: { line: cutLine(grid) } })).status).toBe(403);
      expect((await call('POST', path, { as: 'editor-001', body: { line: cutLine(grid) } })).status).toBe(403);
      const [x, y] = grid.geometry.coordinates[0]![0]![0]!;
      const outside = {
        type: 'LineString',
        coordinates: [
          [x! - 0.01, y! - 0.01],
          [x! - 0.011, y! - 0.012],
        ],
      };
      // A line that does not cut (yet) is the normal state while drawing: no parts, and why.
      const miss = await call<SplitPreview>('POST', path, { as: 'editor-003', body: { line: outside } });
      expect(miss.status).toBe(200);
      expect(miss.body).toMatchObject({ cuts: false, parts: [] });
      expect(miss.body.reason).toContain('line');
      const bad = await call<{ error: { param: string } }>('POST', path, { as: 'editor-003', body: { line: 'x' } });
      expect(bad.status).toBe(400);
      expect(
        (
          await call('POST', `/api/drafts/${draft.id}/grids/131002003999999/split/preview`, {
            as: 'editor-003',
            body: { line: cutLine(grid) },
          })
        ).status,
      ).toBe(404);
      expect(await checksum()).toBe(before);
    });
  });
}
