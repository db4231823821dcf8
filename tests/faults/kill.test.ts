/**
 * kill -9 in the middle of a split, a merge, a publish and an import (server driver).
 *
 * The real API runs as a child process with WANGGE_TEST_HOOKS=1 and WANGGE_TEST_PAUSE=<op>:
 * it stops inside the operation's transaction after writing rows, prints PAUSED <op>, and
 * is killed with SIGKILL. After a restart on the same database nothing of the operation is
 * there (published grids and their geometry per community, household totals, draft rows,
 * changesets, stations, idempotency keys: all equal bit for bit), validation reports the
 * same problems, and the request retried with the same Idempotency-Key takes effect once:
 * the second retry gets the stored first answer with `Idempotent-Replayed: true`, and the
 * key with a different body is refused (422).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { EditResponse } from '../../common/contracts/editing.ts';
import type { GridDetailFeature } from '../../common/contracts/grids.ts';
import type { ValidationReport } from '../../common/contracts/validation.ts';
import { openTestDatabase, SERVER_URL, type TestDatabase } from '../helpers/db.ts';
import { httpClient } from '../helpers/http-client.ts';
import { DEMO_PASSWORD } from '../helpers/templates.ts';
import { cutLine } from '../helpers/squares.ts';
import { schemaUrl, spawnServer, type SpawnedServer } from './spawn-server.ts';

const STREET = '131002003000';
type PausePoint = 'split' | 'merge' | 'publish' | 'import';

describe.skipIf(!SERVER_URL)('kill -9 mid-operation, then the same Idempotency-Key [server]', () => {
  let database: TestDatabase;
  let server: SpawnedServer | undefined;
  const cookies: Record<string, string> = {};

  const start = async (pause?: PausePoint) => {
    server = await spawnServer({
      DATABASE_URL: schemaUrl(SERVER_URL!, database.schema!),
      WANGGE_TEST_HOOKS: '1',
      WANGGE_TEST_PAUSE: pause ?? '',
      WANGGE_DEMO_PASSWORD: DEMO_PASSWORD,
    });
  };
  const http = httpClient(() => server!.url, cookies);
  const call = async <T = Record<string, unknown>>(
    method: string,
    path: string,
    options: { as: string; body?: unknown; ifMatch?: string; key?: string; form?: FormData },
  ) => {
    const res = await http.request<T>(method, path, {
      as: options.as,
      ...(options.form ? { raw: options.form } : { body: options.body, contentType: 'application/json' }),
      ifMatch: options.ifMatch || undefined,
      headers: options.key ? { 'idempotency-key': options.key } : {},
    });
    return {
      status: res.status,
      replayed: res.headers.get('idempotent-replayed'),
      body: (res.text ? res.body : null) as T & { error?: { code: string; message: string } },
    };
  };
  const login = async (username: string) => {
    await http.login(username);
  };

  /** Everything an interrupted operation could have left behind, per community where it matters. */
  const state = async () => {
    const { rows } = await sql<Record<string, unknown>>`SELECT
        (SELECT json_object_agg(community_code, s) FROM (
           SELECT community_code, json_build_object('grids', count(*), 'households', sum(households),
                  'geometry', md5(string_agg(code || ':' || version || ':' || md5(ST_AsBinary(geom)::text), ',' ORDER BY code))) AS s
           FROM grids GROUP BY community_code) c) AS published,
        (SELECT md5(coalesce(string_agg(draft_id || code || revision || retired || households || md5(ST_AsBinary(geom)::text), ',' ORDER BY draft_id, code), '')) FROM draft_grids) AS draft_grids,
        (SELECT string_agg(id || status, ',' ORDER BY id) FROM drafts) AS drafts,
        (SELECT count(*) FROM changesets) AS changesets,
        (SELECT count(*) FROM changeset_grids) AS changeset_grids,
        (SELECT md5(coalesce(string_agg(code || name || md5(ST_AsBinary(geom)::text), ',' ORDER BY code), '')) FROM stations) AS stations,
        (SELECT count(*) FROM org_grids) AS org_grids,
        (SELECT count(*) FROM grid_workers) AS grid_workers,
        (SELECT count(*) FROM idempotency_keys) AS keys`.execute(database.db);
    return rows[0]!;
  };
  /**
   * The region's validation report. A 503 (the database busy or a connect timing out, which CI's
   * load once gave just after a restart) is retried after its Retry-After, as a client would; any
   * other answer than 200 fails with its body.
   */
  const validation = async (region: string) => {
    for (let attempt = 1; ; attempt++) {
      const res = await call<ValidationReport>('GET', `/api/validation?region=${region}`, { as: 'planner' });
      if (res.status === 503 && attempt < 5) {
        console.warn(`[kill] validation answered 503 (${JSON.stringify(res.body)}); retrying`);
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        continue;
      }
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body;
    }
  };
  const problems = async (region: string) =>
    (await validation(region)).problems.features.map((p) => p.properties.id).sort();
  const problemTypes = async (region: string) =>
    (await validation(region)).problems.features.map((p) => p.properties.type).sort();

  /** Send the request, wait until the server pauses inside its transaction, kill -9, restart. */
  const killDuring = async (point: PausePoint, send: () => Promise<unknown>, next?: PausePoint) => {
    const inFlight = send().then(
      (r) => ({ answered: r }),
      (error: Error) => ({ error }),
    );
    await server!.waitFor(`PAUSED ${point}`, 60_000);
    await server!.kill9();
    // The client sees its connection drop: it never learns whether the write happened.
    expect(await inFlight).toHaveProperty('error');
    await start(next);
  };

  let grid: GridDetailFeature;
  let draftId: number;
  let initial: Record<string, unknown>;
  let initialProblems: string[];
  let initialTypes: string[];

  beforeAll(async () => {
    database = await openTestDatabase('server', { demo: true });
    await start('split');
    for (const user of ['admin', 'planner', 'editor-003']) await login(user);
    const { rows } = await sql<{
      code: string;
    }>`SELECT code FROM grids WHERE community_code LIKE ${STREET.slice(0, 9) + '%'} ORDER BY code LIMIT 1`.execute(
      database.db,
    );
    grid = (await call<GridDetailFeature>('GET', `/api/grids/${rows[0]!.code}`, { as: 'planner' })).body;
    const draft = await call<{ id: number }>('POST', '/api/drafts', {
      as: 'editor-003',
      body: { street: STREET, title: 'kill -9' },
    });
    expect(draft.status).toBe(201);
    draftId = draft.body.id;
    initial = await state();
    initialProblems = await problems(grid.properties.community_code);
    initialTypes = await problemTypes(grid.properties.community_code);
  });
  afterAll(async () => {
    await server?.kill9();
    await database?.close();
  });

  let parts: EditResponse['grids'];
  let merged: EditResponse['grids'];

  it('split: killed before COMMIT leaves nothing; the retried key splits once', async () => {
    const tag = `"${grid.properties.code}.v${grid.properties.version}"`;
    const split =
      (key: string, comment = 'kill -9 split') =>
      () =>
        call<EditResponse>('POST', `/api/drafts/${draftId}/grids/${grid.properties.code}/split`, {
          as: 'editor-003',
          ifMatch: tag,
          key,
          body: { line: cutLine(grid), comment },
        });
    await killDuring('split', split('split-1'), 'merge');
    expect(await state()).toEqual(initial);
    expect(await problems(grid.properties.community_code)).toEqual(initialProblems);

    const first = await split('split-1')();
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.replayed).toBeNull();
    const second = await split('split-1')();
    expect(second).toEqual({ status: 200, replayed: 'true', body: first.body });
    expect((await split('split-1', 'another comment')()).status).toBe(422);
    const after = await state();
    expect(after.changesets).toBe(Number(initial.changesets) + 1);
    expect(after.keys).toBe(Number(initial.keys) + 1);
    parts = first.body.grids;
    expect(parts).toHaveLength(2);
  });

  it('merge: killed before COMMIT leaves the split as it was; the retried key merges once', async () => {
    const before = await state();
    const merge = (key: string) => () =>
      call<EditResponse>('POST', `/api/drafts/${draftId}/merge`, {
        as: 'editor-003',
        key,
        ifMatch: parts.map((g) => g.etag).join(', '),
        body: { codes: parts.map((g) => g.code), comment: 'kill -9 merge' },
      });
    await killDuring('merge', merge('merge-1'), 'publish');
    expect(await state()).toEqual(before);

    const first = await merge('merge-1')();
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(await merge('merge-1')()).toEqual({ status: 200, replayed: 'true', body: first.body });
    expect((await state()).changesets).toBe(Number(before.changesets) + 1);
    merged = first.body.grids;
  });

  it('publish: killed after the grids were rewritten, before COMMIT: the published map is untouched; the retry publishes once', async () => {
    const before = await state();
    expect(before.published).toEqual(initial.published);
    const publish = (key: string) => () =>
      call('POST', `/api/drafts/${draftId}/publish`, { as: 'editor-003', key, body: { comment: 'kill -9 publish' } });
    await killDuring('publish', publish('publish-1'), 'import');
    expect(await state()).toEqual(before);
    expect(await problems(grid.properties.community_code)).toEqual(initialProblems);

    const first = await publish('publish-1')();
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(await publish('publish-1')()).toEqual({ status: 200, replayed: 'true', body: first.body });
    const after = await state();
    expect(after.changesets).toBe(Number(before.changesets) + 1);
    // One grid became another with the same outline: same count and household total per community.
    const community = grid.properties.community_code;
    const [was, now] = [initial.published, after.published].map(
      (p) => (p as Record<string, { grids: number; households: number }>)[community]!,
    );
    expect({ grids: now!.grids, households: now!.households }).toEqual({
      grids: was!.grids,
      households: was!.households,
    });
    expect((await call('GET', `/api/grids/${grid.properties.code}`, { as: 'planner' })).status).toBe(404);
    const { rows } = await sql<{
      equal: boolean;
    }>`SELECT ST_Equals(geom, ST_GeomFromGeoJSON(${JSON.stringify(grid.geometry)})) AS equal FROM grids WHERE code = ${merged[0]!.code}`.execute(
      database.db,
    );
    expect(rows).toEqual([{ equal: true }]);
    expect(await problemTypes(community)).toEqual(initialTypes);
  });

  it('import: killed after the stations were written, before COMMIT: none is there; the retried key imports once', async () => {
    const before = await state();
    const { rows } = await sql<{ x: number; y: number }>`SELECT ST_X(p)::float8 AS x, ST_Y(p)::float8 AS y FROM
      (SELECT ST_PointOnSurface(geom) AS p FROM grids WHERE community_code LIKE ${STREET.slice(0, 9) + '%'} ORDER BY code LIMIT 1) s`.execute(
      database.db,
    );
    const file = (name: string) =>
      JSON.stringify({
        type: 'FeatureCollection',
        features: [
          {
            type: 'Feature',
            properties: { code: 'KILL-S1', name, kind: 'red_post' },
            geometry: { type: 'Point', coordinates: [rows[0]!.x, rows[0]!.y] },
          },
        ],
      });
    const upload =
      (key: string, name = '断电驿站') =>
      () => {
        const form = new FormData();
        form.append('file', new Blob([file(name)]), 'stations.geojson');
        form.append('layer', 'stations');
        form.append('commit', '1');
        return call<{ committed: boolean; create: number }>('POST', '/api/import', { as: 'admin', key, form });
      };
    await killDuring('import', upload('import-1'));
    expect(await state()).toEqual(before);

    const first = await upload('import-1')();
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({ committed: true, create: 1 });
    expect(await upload('import-1')()).toEqual({ status: 201, replayed: 'true', body: first.body });
    const other = await upload('import-1', '另一个名字')();
    expect(other.status).toBe(422);
    expect(other.body.error?.code).toBe('idempotency_key_reused');
    const { rows: stations } = await sql<{ name: string }>`SELECT name FROM stations WHERE code = 'KILL-S1'`.execute(
      database.db,
    );
    expect(stations).toEqual([{ name: '断电驿站' }]);
  });
});
