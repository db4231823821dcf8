/**
 * Fifty editors at once (issue 8), over real HTTP on each driver against the demo district.
 *
 * 1. Each opens a draft of 永华道街道, reads two adjacent published grids' ETags, moves their
 *    shared boundary by its own amount (If-Match) and publishes. The publishes that win form
 *    one sequence (each built on the one before), everyone else hears 409 or 412, and the two
 *    grids still cover exactly what they covered, with their households.
 * 2. Fifty renames of one grid in one draft, all with the same If-Match: one 200, 49 × 412.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { HistoryEntry } from '../../common/contracts/drafts.ts';
import type { ProblemProperties } from '../../common/contracts/validation.ts';
import { DRIVERS } from '../helpers/db.ts';
import { httpClient } from '../helpers/http-client.ts';
import { sessionCookie } from '../helpers/session.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { readDemoDataset } from '../../data/load.ts';
import { hashPassword } from '../../server/auth/passwords.ts';
import { GRID_SIZE } from '../../server/db/postgis.queries.ts';
import { boundaryRace, lastStep, renameRace, type Caller } from '../../bench/reliability-workloads.ts';

const STREET = '131002003000';
const EDITORS = 50;
const demoErrorGrids = readDemoDataset().meta.deliberateErrors.flatMap((e) => e.grids);

for (const driver of DRIVERS) {
  describe(`50 concurrent editors [${driver}]`, () => {
    let server: TestServer;
    let callers: Caller[];
    let planner: Caller;

    const get = async <T>(path: string, as: Caller = planner) => {
      const res = await httpClient(server.url).get<T>(path, { cookie: as.cookie });
      expect(res.status, path).toBe(200);
      return res.body as T;
    };

    beforeAll(async () => {
      // This file tests the concurrency control, not the load shedding: on this 2-core machine
      // 50 simultaneous edits keep PostgreSQL busy for several seconds, and with the pool's
      // default 1 s wait a few of them would be shed as 503 + Retry-After (by design; see the
      // pool tests). Here the pool may wait, so every answer is the editing layer's own.
      const connectTimeout = process.env.WANGGE_DB_CONNECT_TIMEOUT_MS;
      process.env.WANGGE_DB_CONNECT_TIMEOUT_MS = '60000';
      try {
        server = await startTestServer({ driver, demo: true });
      } finally {
        if (connectTimeout === undefined) delete process.env.WANGGE_DB_CONNECT_TIMEOUT_MS;
        else process.env.WANGGE_DB_CONNECT_TIMEOUT_MS = connectTimeout;
      }
      const db = server.database.db;
      planner = { username: 'planner', cookie: await sessionCookie(server.url, 'planner') };
      callers = [
        { username: 'editor-003', cookie: await sessionCookie(server.url, 'editor-003') },
        { username: 'admin', cookie: await sessionCookie(server.url, 'admin') },
      ];
      // Eight more editors of the street, each signed in over HTTP (successful sign-ins do not count against the login limit).
      const password = 'race-editor-password';
      const hash = await hashPassword(password);
      for (let k = 1; k <= 8; k++) {
        const username = `race-editor-${k}`;
        await sql`INSERT INTO users (username, display_name, role, street_code, password_hash)
                  VALUES (${username}, ${`并发编辑 ${k}`}, 'editor', ${STREET}, ${hash})`.execute(db);
        callers.push({ username, cookie: await sessionCookie(server.url, username, password) });
      }
    });
    afterAll(async () => server?.close());

    it('boundary race: winners publish in one sequence, losers get 409/412, nothing is lost or overlaps', async () => {
      const db = server.database.db;
      // Two published grids of one community sharing the longest edge, away from the demo's deliberate errors.
      const { rows: pairs } = await sql<{ a: string; b: string; community: string }>`
        SELECT a.code AS a, b.code AS b, a.community_code AS community FROM grids a
        JOIN grids b ON b.community_code = a.community_code AND a.code < b.code AND ST_Relate(a.geom, b.geom, '****1****')
        WHERE a.community_code LIKE ${STREET.slice(0, 9) + '%'}
          AND NOT EXISTS (SELECT 1 FROM grids e WHERE e.community_code = a.community_code AND e.code = ANY(${demoErrorGrids}::text[]))
        ORDER BY ST_Length(ST_Intersection(a.geom, b.geom)::geography) DESC LIMIT 1`.execute(db);
      const { a, b, community } = pairs[0]!;
      const state = async () =>
        (
          await sql<{
            code: string;
            version: number;
            households: number;
            geojson: unknown;
            ewkb: string;
            area: number;
          }>`
            SELECT code, version, households, ST_AsGeoJSON(geom, 7)::json AS geojson, encode(ST_AsEWKB(geom), 'hex') AS ewkb,
                   ST_Area(geom::geography)::float8 AS area
            FROM grids WHERE code IN (${a}, ${b}) ORDER BY code`.execute(db)
        ).rows;
      const [a0, b0] = await state();
      const problems = async () =>
        (
          await get<{ problems: { features: { properties: ProblemProperties }[] } }>(
            `/api/validation?region=${community}`,
          )
        ).problems.features.map((f) => f.properties);
      const problemsBefore = new Set((await problems()).map((p) => p.id));

      const { outcomes, wallMs } = await boundaryRace({
        url: server.url,
        callers,
        street: STREET,
        grid: a,
        neighbour: b,
        editors: EDITORS,
      });

      // Every request answered, none with a 5xx; every loser was told 409 or 412.
      expect(outcomes.filter((o) => o.failure !== null)).toEqual([]);
      const steps = outcomes.flatMap((o) => o.steps);
      expect(steps.filter((s) => s.status >= 500)).toEqual([]);
      const winners = outcomes.filter((o) => o.won);
      const losers = outcomes.filter((o) => !o.won);
      expect(winners.length).toBeGreaterThanOrEqual(1);
      expect(losers.map((o) => lastStep(o)).filter((s) => s?.status !== 409 && s?.status !== 412)).toEqual([]);
      for (const o of outcomes) {
        // Before the refusal, every step succeeded (draft 201, reads 200, boundary 200).
        expect(
          o.steps
            .slice(0, o.won ? undefined : -1)
            .every((s) => s.status === 200 || (s.step === 'draft' && s.status === 201)),
        ).toBe(true);
      }
      const tally = (status: number) => losers.filter((o) => lastStep(o)?.status === status).length;
      console.log(
        `[${driver}] boundary race: ${EDITORS} editors, ${steps.length} requests in ${(wallMs / 1000).toFixed(1)} s; ` +
          `${winners.length} published (editors ${winners.map((w) => w.editor).join(', ')}), ${tally(412)} × 412 (stale If-Match), ${tally(409)} × 409 (published first by another draft); ` +
          `slowest answer ${Math.max(...steps.map((s) => s.ms))} ms, winners' publish ${winners.map((w) => lastStep(w)!.ms).join('/')} ms`,
      );

      // Each publish moved both versions by one.
      const [a1, b1] = await state();
      expect(a1!.version).toBe(a0!.version + winners.length);
      expect(b1!.version).toBe(b0!.version + winners.length);
      // One history entry per successful publish, each built on the state the one before left.
      const history = (await get<{ history: HistoryEntry[] }>(`/api/grids/${a}/history`)).history
        .filter((h) => h.operation === 'publish')
        .sort((x, y) => x.changeset - y.changeset);
      expect(history.map((h) => h.changeset)).toEqual(winners.map((w) => w.publishChangeset!).sort((x, y) => x - y));
      expect(history.map((h) => h.user).sort()).toEqual(winners.map((w) => w.username).sort());
      for (const code of [a, b]) {
        const chain = history.map((h) => h.grids.find((g) => g.code === code)!);
        const start = code === a ? a0! : b0!;
        const end = code === a ? a1! : b1!;
        expect((chain[0]!.before as { geometry: unknown }).geometry).toEqual(start.geojson);
        for (let k = 1; k < chain.length; k++) {
          expect((chain[k]!.before as { geometry: unknown }).geometry).toEqual(
            (chain[k - 1]!.after as { geometry: unknown }).geometry,
          );
        }
        expect((chain[chain.length - 1]!.after as { geometry: unknown }).geometry).toEqual(end.geojson);
      }
      // What is published is exactly the last winner's draft, bit for bit.
      const last = winners.find((w) => w.publishChangeset === history[history.length - 1]!.changeset)!;
      const { rows: same } = await sql<{ code: string; same: boolean }>`
        SELECT g.code, ST_AsEWKB(g.geom) = ST_AsEWKB(d.geom) AS same FROM grids g JOIN draft_grids d ON d.code = g.code
        WHERE d.draft_id = ${last.draftId} ORDER BY g.code`.execute(db);
      expect(same).toEqual([
        { code: a, same: true },
        { code: b, same: true },
      ]);

      // The pair covers what it covered (within 0.01 m²), with no overlap and no gap between them.
      const { rows: cover } = await sql<{ diff: number; overlap: number; overlaps: boolean; parts: number }>`
        WITH before AS (SELECT ST_Union(ST_GeomFromEWKB(decode(${a0!.ewkb}, 'hex')), ST_GeomFromEWKB(decode(${b0!.ewkb}, 'hex')), ${GRID_SIZE}::float8) AS g),
             pair AS (SELECT (SELECT geom FROM grids WHERE code = ${a}) AS a, (SELECT geom FROM grids WHERE code = ${b}) AS b),
             after AS (SELECT ST_Union(a, b, ${GRID_SIZE}::float8) AS g FROM pair)
        SELECT ST_Area(ST_SymDifference(before.g, after.g, ${GRID_SIZE}::float8)::geography)::float8 AS diff,
               ST_Area(ST_CollectionExtract(ST_Intersection(pair.a, pair.b, ${GRID_SIZE}::float8), 3)::geography)::float8 AS overlap,
               ST_Overlaps(pair.a, pair.b) AS overlaps, ST_NumGeometries(after.g)::int AS parts
        FROM before, after, pair`.execute(db);
      expect(cover[0]!.diff).toBeLessThan(0.01);
      expect(cover[0]!.overlap).toBe(0);
      expect(cover[0]!.overlaps).toBe(false);
      expect(cover[0]!.parts).toBe(1);
      // The boundary really moved (every winning edit grows the first grid), and no household was lost.
      expect(a1!.area - a0!.area).toBeGreaterThan(1);
      expect(a1!.households + b1!.households).toBe(a0!.households + b0!.households);
      // Validation of the community finds nothing that was not there before.
      expect((await problems()).filter((p) => !problemsBefore.has(p.id))).toEqual([]);
    }, 300_000);

    it('50 renames of one grid in one draft with the same If-Match: exactly one 200, 49 × 412', async () => {
      const db = server.database.db;
      const { rows } = await sql<{ code: string }>`
        SELECT code FROM grids WHERE community_code LIKE ${STREET.slice(0, 9) + '%'} AND code <> ALL(${demoErrorGrids}::text[])
          AND NOT EXISTS (SELECT 1 FROM draft_grids d WHERE d.code = grids.code) ORDER BY code DESC LIMIT 1`.execute(
        db,
      );
      const code = rows[0]!.code;
      const editor = callers[0]!;
      const http = httpClient(server.url);
      const draftRes = await http.post<{ id: number }>('/api/drafts', {
        cookie: editor.cookie,
        body: { street: STREET, title: '并发改名' },
      });
      expect(draftRes.status).toBe(201);
      const draftId = draftRes.body.id;
      const etag = (await http.get(`/api/drafts/${draftId}/grids/${code}`, { cookie: editor.cookie })).etag!;
      const published = async () =>
        (
          await sql<{ sum: string }>`
        SELECT md5(string_agg(code || version || name || households || md5(ST_AsBinary(geom)::text), ',' ORDER BY code)) AS sum FROM grids`.execute(
            db,
          )
        ).rows[0]!.sum;
      const publishedBefore = await published();

      const { answers, wallMs } = await renameRace({
        url: server.url,
        caller: editor,
        draftId,
        code,
        etag,
        editors: EDITORS,
      });

      expect(answers.filter((x) => x.failure !== null)).toEqual([]);
      const ok = answers.filter((x) => x.status === 200);
      const stale = answers.filter((x) => x.status === 412);
      console.log(
        `[${driver}] rename race: ${EDITORS} PATCHes in ${(wallMs / 1000).toFixed(1)} s; ${ok.length} × 200, ${stale.length} × 412`,
      );
      expect(ok).toHaveLength(1);
      expect(stale).toHaveLength(EDITORS - 1);
      // Every 412 names the winner's tag as current, and the draft holds the winner's name only.
      const winnerTag = (ok[0]!.body.grids as { code: string; etag: string }[])[0]!.etag;
      expect(
        new Set(stale.map((x) => (x.body.error as unknown as { current: Record<string, string> }).current[code])),
      ).toEqual(new Set([winnerTag]));
      const { rows: draft } = await sql<{ name: string; revision: number }>`
        SELECT name, revision FROM draft_grids WHERE draft_id = ${draftId}`.execute(db);
      expect(draft.map((d) => d.name)).toEqual([ok[0]!.name]);
      expect(winnerTag).toBe(`"${code}.d${draftId}r${draft[0]!.revision}"`);
      const { rows: changesets } = await sql<{
        n: number;
      }>`SELECT count(*)::int AS n FROM changesets WHERE draft_id = ${draftId}`.execute(db);
      expect(changesets[0]!.n).toBe(1);
      // The published map did not move.
      expect(await published()).toBe(publishedBefore);
    }, 120_000);
  });
}
