/**
 * Allowed gaps (允许的缝隙, issue 15, ADR 0013) over real HTTP on each driver: an admin marks
 * one of the demo's deliberate gaps as intended; it is listed apart and counted nowhere; a
 * draft that widens a gap inside an allowed area publishes; removing the mark is logged and
 * the gap is an error again. Editors get 403, and a refused request writes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { Draft } from '../../common/contracts/drafts.ts';
import type { TilingException } from '../../common/contracts/repairs.ts';
import type { ValidationReport } from '../../common/contracts/validation.ts';
import { DRIVERS } from '../helpers/db.ts';
import { rectPolygon } from '../helpers/squares.ts';
import { httpClient } from '../helpers/http-client.ts';
import { sessionCookie } from '../helpers/session.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { loadFixture, toPolygon, type LoadedFixture, type ValidationFixture } from '../helpers/validation-fixtures.ts';

const rect = (x0: number, y0: number, x1: number, y1: number) => [rectPolygon(x0, y0, x1, y1)];
// A strip of two grids with a 0.2-unit gap between them (a canal, 2,000 m²).
const CANAL: ValidationFixture = {
  name: 'canal',
  description: 'canal',
  unitMetres: 100,
  community: rect(0, 0, 2.2, 1),
  grids: { A: rect(0, 0, 1, 1), B: rect(1.2, 0, 2.2, 1) },
  buildings: [],
  expect: {},
};

for (const driver of DRIVERS) {
  describe(`allowed gaps [${driver}]`, () => {
    let server: TestServer;
    let canal: LoadedFixture;
    const cookies: Record<string, string> = {};
    const http = httpClient(() => server.url, cookies);
    const call = <T = Record<string, unknown>>(
      method: string,
      path: string,
      as: string,
      body?: unknown,
      ifMatch?: string,
    ) => http.request<T>(method, path, { as, body, ifMatch: ifMatch || undefined });
    const count = async () =>
      (
        await sql<{ n: string }>`SELECT count(*) || '/' || count(removed_at) AS n FROM tiling_exceptions`.execute(
          server.database.db,
        )
      ).rows[0]!.n;
    const report = async (region: string) =>
      (await call<ValidationReport>('GET', `/api/validation?region=${region}`, 'admin')).body;

    beforeAll(async () => {
      server = await startTestServer({ driver, demo: true });
      for (const username of ['admin', 'editor-003', 'planner'])
        cookies[username] = await sessionCookie(server.url, username);
      canal = await loadFixture(server.database.db, CANAL, 8);
    });
    afterAll(async () => {
      await server?.close();
    });

    it('an admin allows a demo gap: listed apart, not counted; removal is logged and the gap is an error again', async () => {
      const before = await report('131002000000');
      const gap = before.problems.features.find((p) => p.properties.type === 'gap')!;
      const community = gap.properties.community_code;
      expect(before.summary.gaps).toBeGreaterThan(0);

      const n0 = await count();
      expect(
        (await call('POST', '/api/validation/exceptions', 'editor-003', { problem: gap.properties.id, reason: '河道' }))
          .status,
      ).toBe(403);
      expect(
        (await call('POST', '/api/validation/exceptions', 'admin', { problem: gap.properties.id, reason: '  ' })).body
          .error,
      ).toMatchObject({ param: 'reason' });
      expect(
        (await call('POST', '/api/validation/exceptions', 'admin', { problem: 'overlap:1:2', reason: '河道' })).status,
      ).toBe(422);
      expect(await count()).toBe(n0);

      const made = await call<TilingException>('POST', '/api/validation/exceptions', 'admin', {
        problem: gap.properties.id,
        reason: '河道，不划网格',
      });
      expect(made.status).toBe(201);
      expect(made.body).toMatchObject({
        community_code: community,
        problem_id: gap.properties.id,
        reason: '河道，不划网格',
        created_by: 'admin',
        removed_at: null,
      });
      expect(made.body.areaM2).toBeCloseTo(gap.properties.areaM2!, 0);

      const allowed = await report('131002000000');
      expect(allowed.problems.features.map((p) => p.properties.id)).not.toContain(gap.properties.id);
      expect(allowed.allowed!.features.map((p) => p.properties.id)).toEqual([gap.properties.id]);
      expect(allowed.summary.gaps).toBe(before.summary.gaps - 1);

      expect((await call('DELETE', `/api/validation/exceptions/${made.body.id}`, 'editor-003', {})).status).toBe(403);
      const removed = await call<TilingException>('DELETE', `/api/validation/exceptions/${made.body.id}`, 'admin', {
        reason: '河道已填平',
      });
      expect(removed.status).toBe(200);
      expect(removed.body).toMatchObject({
        removed_by: 'admin',
        removal_reason: '河道已填平',
        reason: '河道，不划网格',
      });
      expect(removed.body.removed_at).toBeTruthy();
      expect((await call('DELETE', `/api/validation/exceptions/${made.body.id}`, 'admin', {})).status).toBe(409);
      const log = (
        await call<{ exceptions: TilingException[] }>(
          'GET',
          `/api/validation/exceptions?region=${community}`,
          'planner',
        )
      ).body.exceptions;
      expect(log.find((e) => e.id === made.body.id)).toMatchObject({
        removed_by: 'admin',
        removal_reason: '河道已填平',
      });
      expect((await report('131002000000')).problems.features.map((p) => p.properties.id)).toContain(gap.properties.id);
    });

    it('a gap inside an allowed area does not stop publish (a wider canal publishes); without the mark it is refused', async () => {
      const street = canal.community.slice(0, 9) + '000';
      const area = toPolygon(
        CANAL,
        [
          [
            [0.8, -0.1],
            [1.4, -0.1],
            [1.4, 1.1],
            [0.8, 1.1],
            [0.8, -0.1],
          ],
        ],
        0.8,
      );
      const widen = async () => {
        const draft = (await call<Draft>('POST', '/api/drafts', 'admin', { street, title: '加宽河道' })).body;
        const tag = (
          await call<{ properties: { etag: string } }>('GET', `/api/drafts/${draft.id}/grids/${canal.codes.A}`, 'admin')
        ).body.properties.etag;
        const patched = await call(
          'PATCH',
          `/api/drafts/${draft.id}/grids/${canal.codes.A}`,
          'admin',
          { geometry: toPolygon(CANAL, rect(0, 0, 0.9, 1)[0]!, 0.8), snapMetres: 0, comment: '加宽' },
          tag,
        );
        expect(patched.status).toBe(200);
        return await call('POST', `/api/drafts/${draft.id}/publish`, 'admin', { comment: '发布' });
      };
      expect((await widen()).body.error).toMatchObject({ code: 'creates_problems' });
      const made = await call<TilingException>('POST', '/api/validation/exceptions', 'admin', {
        geometry: area,
        reason: '运河',
      });
      expect(made.status).toBe(201);
      expect(made.body.community_code).toBe(canal.community);
      expect((await widen()).status).toBe(200);
      const r = await report(canal.community);
      expect(r.summary.gaps).toBe(0);
      expect(r.allowed!.features).toHaveLength(1);
      expect(r.allowed!.features[0]!.properties.areaM2).toBeCloseTo(3000, -1);
    });
  });
}
