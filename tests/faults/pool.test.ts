/**
 * Pool exhaustion at ten times the pool size (server driver): the real API with
 * WANGGE_DB_POOL=4 gets 40 slow requests at once (GET /api/test/sleep holds a connection in
 * pg_sleep; WANGGE_TEST_HOOKS=1). Four run, the other 36 get 503 with Retry-After within a
 * second, none gets a 500, and /api/health answers meanwhile from its own connections. A
 * client that hangs up has its query cancelled: its pg_sleep leaves pg_stat_activity.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openTestDatabase, SERVER_URL, type TestDatabase } from '../helpers/db.ts';
import { httpClient } from '../helpers/http-client.ts';
import { schemaUrl, spawnServer, type SpawnedServer } from './spawn-server.ts';

const POOL = 4;
const APP = `wangge-pool-${process.pid}`;

describe.skipIf(!SERVER_URL)('pool exhaustion at ten times the pool size [server]', () => {
  let database: TestDatabase;
  let server: SpawnedServer | undefined;

  beforeAll(async () => {
    database = await openTestDatabase('server');
    const url = new URL(schemaUrl(SERVER_URL!, database.schema!));
    url.searchParams.set('application_name', APP);
    server = await spawnServer({
      DATABASE_URL: url.toString(),
      WANGGE_DB_POOL: String(POOL),
      WANGGE_LOAD_DEMO: '0',
      WANGGE_TEST_HOOKS: '1',
    });
  });
  afterAll(async () => {
    await server?.kill9();
    await database?.close();
  });

  const timed = async (path: string, signal?: AbortSignal) => {
    const started = Date.now();
    const res = await httpClient(server!.url).get<{ error?: { code: string } }>(path, { signal });
    return {
      status: res.status,
      retryAfter: res.headers.get('retry-after'),
      code: res.body.error?.code,
      ms: Date.now() - started,
    };
  };
  /** The sleeps this server runs now, as PostgreSQL sees them. */
  const sleeping = async () =>
    Number(
      (
        await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_stat_activity
      WHERE application_name = ${APP} AND state = 'active' AND query ILIKE '%pg_sleep%'`.execute(database.db)
      ).rows[0]!.n,
    );

  it('40 slow requests on a pool of 4: 4 answered, 36 × 503 within 1 s, health answers throughout', async () => {
    // Warm: the routes compiled and the four connections open, as on a server that has run a while.
    await Promise.all(Array.from({ length: POOL }, () => timed('/api/test/sleep?ms=50')));
    const requests = Array.from({ length: 10 * POOL }, () => timed('/api/test/sleep?ms=3000'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const health = await timed('/api/health');
    const results = await Promise.all(requests);
    expect(health.status).toBe(200);
    expect(health.ms).toBeLessThan(1_000);

    const ok = results.filter((r) => r.status === 200);
    const busy = results.filter((r) => r.status === 503);
    expect(ok).toHaveLength(POOL);
    expect(busy).toHaveLength(9 * POOL);
    console.log(
      `[pool] 503s answered in ${busy
        .map((r) => r.ms)
        .sort((a, b) => a - b)
        .join(' ')} ms; health in ${health.ms} ms`,
    );
    for (const r of busy) {
      expect(r.code).toBe('database_unavailable');
      expect(Number(r.retryAfter)).toBeGreaterThan(0);
      expect(r.ms).toBeLessThan(1_000);
    }
    // The pool is whole again.
    expect((await timed('/api/test/sleep?ms=10')).status).toBe(200);
  });

  it('a client that hangs up has its query cancelled', async () => {
    const abort = new AbortController();
    const request = timed('/api/test/sleep?ms=60000', abort.signal).catch((error: Error) => error);
    const deadline = Date.now() + 5_000;
    while ((await sleeping()) === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await sleeping()).toBe(1);
    abort.abort();
    expect(await request).toBeInstanceOf(Error);
    const aborted = Date.now();
    while ((await sleeping()) > 0 && Date.now() - aborted < 5_000)
      await new Promise((resolve) => setTimeout(resolve, 50));
    const gone = Date.now() - aborted;
    console.log(`[pool] the hung-up client's pg_sleep left pg_stat_activity after ${gone} ms`);
    expect(await sleeping()).toBe(0);
    expect(gone).toBeLessThan(2_000);
    // Its connection went back to the pool: four more sleeps run at once.
    const four = await Promise.all(Array.from({ length: POOL }, () => timed('/api/test/sleep?ms=200')));
    expect(four.map((r) => r.status)).toEqual(Array(POOL).fill(200));
  });
});
