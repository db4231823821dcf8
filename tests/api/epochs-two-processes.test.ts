/**
 * Two API processes on one PostgreSQL (server driver only): an edit published through one is
 * seen by the other without a restart. The other's public finder follows the data version
 * (topology_epochs + public_epochs) that its index poller reads every DEFAULT_POLL_MS
 * (server/public/public-index.ts), and its validation follows the community epochs on every
 * request (server/validation/community-checks.ts). Real processes (tests/faults/spawn-server.ts),
 * so no module-level cache can be shared by accident.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { EditResponse } from '../../common/contracts/editing.ts';
import type { GridDetailFeature } from '../../common/contracts/grids.ts';
import type { PublicLocateResponse, PublicIndexStatus } from '../../common/contracts/public.ts';
import type { ValidationReport } from '../../common/contracts/validation.ts';
import { DEFAULT_POLL_MS } from '../../server/public/public-index.ts';
import { openTestDatabase, SERVER_URL, type TestDatabase } from '../helpers/db.ts';
import { HttpClient } from '../helpers/http-client.ts';
import { cutLine } from '../helpers/squares.ts';
import { DEMO_PASSWORD } from '../helpers/templates.ts';
import { schemaUrl, spawnServer, type SpawnedServer } from '../faults/spawn-server.ts';

const STREET = '131002003000';
/** The poll interval, plus a rebuild of the demo district's index on a busy 2-core machine. */
const SEEN_WITHIN_MS = DEFAULT_POLL_MS + 8_000;
const SKIP = SERVER_URL ? undefined : 'TEST_DATABASE_URL is not set: two API processes need the server driver';
if (SKIP) console.warn(`[epochs-two-processes] skipped: ${SKIP}`);

describe.skipIf(SKIP)('an edit published through one API process, seen by another [server]', () => {
  let database: TestDatabase;
  let one: SpawnedServer;
  let other: SpawnedServer;
  let viaOne: HttpClient;
  let viaOther: HttpClient;

  beforeAll(async () => {
    database = await openTestDatabase('server', { demo: true });
    const env = { DATABASE_URL: schemaUrl(SERVER_URL!, database.schema!), WANGGE_DEMO_PASSWORD: DEMO_PASSWORD };
    [one, other] = await Promise.all([spawnServer(env), spawnServer(env)]);
    viaOne = new HttpClient(one.url);
    viaOther = new HttpClient(other.url);
    await viaOne.login('editor-003');
    await viaOther.login('planner');
  }, 240_000);
  afterAll(async () => {
    await Promise.all([one?.stop(), other?.stop()]);
    await database?.close();
  });

  it("the other process's finder and validation show a split published through the first", async () => {
    const { rows } = await sql<{ code: string; community: string; lon: number; lat: number }>`
      SELECT code, community_code AS community, ST_X(p)::float8 AS lon, ST_Y(p)::float8 AS lat
      FROM (SELECT code, community_code, ST_PointOnSurface(geom) AS p FROM grids
            WHERE community_code LIKE ${STREET.slice(0, 9) + '%'} ORDER BY code LIMIT 1) g`.execute(database.db);
    const { code, community, lon, lat } = rows[0]!;
    const locate = async () =>
      (await viaOther.get<PublicLocateResponse>(`/api/public/locate?lon=${lon}&lat=${lat}`)).body.grid?.code;
    const gridsIn = async () =>
      (await viaOther.get<ValidationReport>(`/api/validation?region=${community}`, { as: 'planner' })).body.grids;
    // The other process's index is built (its status says ready) and finds the grid.
    await until(
      async () => (await viaOther.get<PublicIndexStatus>('/api/public/status')).body.state === 'ready',
      60_000,
    );
    expect(await locate()).toBe(code);
    const gridsBefore = await gridsIn();

    // Split and publish through the first process.
    const grid = (await viaOne.get<GridDetailFeature>(`/api/grids/${code}`, { as: 'editor-003' })).body;
    const draft = await viaOne.post<{ id: number }>('/api/drafts', {
      as: 'editor-003',
      body: { street: STREET, title: 'seen by the other process' },
    });
    expect(draft.status).toBe(201);
    const split = await viaOne.post<EditResponse>(`/api/drafts/${draft.body.id}/grids/${code}/split`, {
      as: 'editor-003',
      ifMatch: `"${code}.v${grid.properties.version}"`,
      body: { line: cutLine(grid), comment: 'split for the other process' },
    });
    expect(split.status, split.text).toBe(200);
    const parts = split.body.grids.map((g) => g.code);
    const published = await viaOne.post(`/api/drafts/${draft.body.id}/publish`, {
      as: 'editor-003',
      body: { comment: 'publish for the other process' },
    });
    expect(published.status, published.text).toBe(200);
    const publishedAt = Date.now();

    // Validation reads the epochs on every request: the other process sees the new grids at once.
    expect(await gridsIn()).toBe(gridsBefore + 1);
    // The finder's index follows at its next poll: bounded wait, no fixed sleep.
    const seenAfter = await until(async () => (await locate()) !== code, SEEN_WITHIN_MS);
    expect(parts).toContain(await locate());
    console.log(
      `[epochs-two-processes] published through one process, seen by the other's finder after ${Date.now() - publishedAt} ms (poll ${DEFAULT_POLL_MS} ms; ${seenAfter} ms of polling)`,
    );
  }, 120_000);
});

/** Polls `probe` every 100 ms until it holds, at most `timeoutMs`; returns the time it took. */
async function until(probe: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await probe()) return Date.now() - started;
    if (Date.now() - started > timeoutMs) throw new Error(`not seen within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
