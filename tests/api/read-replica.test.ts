/**
 * Public reads from a streaming replica (DATABASE_READ_URL, issue 20), server driver only: a
 * private primary and its replica made with pg_basebackup (tests/helpers/replica.ts), the app
 * over both. Proof that anonymous answers come from the replica: its pg_stat_activity holds the
 * read pool's connections (the primary's none), and with replay paused on the replica a station
 * written on the primary is missing from every anonymous answer (finder, OGC, tiles) while a
 * signed-in reader sees it at once. Resumed, the edit reaches the finder through the replica.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { sql } from 'kysely';
import pg from 'pg';
import { createApp } from '../../server/app.ts';
import { readConfig } from '../../server/config.ts';
import { openDatabase, type Database } from '../../server/db/database.ts';
import { migrate } from '../../server/db/migrate.ts';
import { readPublicVersion } from '../../server/public/public.queries.ts';
import { replayedTo, walPosition } from '../../server/db/session.queries.ts';
import { tileAt } from '../../server/geo/tile-math.ts';
import type { PublicIndexStatus, PublicNearestResponse, PublicStationDetail } from '../../common/contracts/public.ts';
import type { Health } from '../../common/contracts/meta.ts';
import { httpClient } from '../helpers/http-client.ts';
import { DEMO_PASSWORD } from '../helpers/templates.ts';
import { caughtUp, replicaSkipReason, startReplicaPair, type ReplicaPair } from '../helpers/replica.ts';

const DATABASE = 'wangge';
const STREET = '131002003000';
const skip = replicaSkipReason();
if (skip) console.warn(`[read-replica] skipped: ${skip}`);

/** Polls `check` every 200 ms until it holds; fails after `timeoutMs` (not a speed assertion: a bound). */
async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe.skipIf(!!skip)('public reads from a streaming replica [server]', () => {
  let pair: ReplicaPair;
  let database: Database;
  let server: Server;
  const http = httpClient(() => `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  const readConnections = async (on: 'primary' | 'replica') =>
    Number(
      (
        await pair[on].query<{ n: string }>(
          "SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'wangge-read'",
          DATABASE,
        )
      )[0]!.n,
    );
  const firstCommunity = async () =>
    (
      await pair.primary.query<{ code: string; x: number; y: number }>(
        `SELECT code, ST_X(ST_PointOnSurface(geom))::float8 AS x, ST_Y(ST_PointOnSurface(geom))::float8 AS y
         FROM regions WHERE parent_code = '${STREET}' ORDER BY code LIMIT 1`,
        DATABASE,
      )
    )[0]!;
  const stationTile = (x: number, y: number) => {
    const { z, x: tx, y: ty } = tileAt(x, y, 14);
    return `/tiles/stations/${z}/${tx}/${ty}.pbf`;
  };
  /** The public index's data version (the status route says "off" only with WANGGE_PUBLIC_INDEX=0). */
  const indexVersion = async () => {
    const status = (await http.get<PublicIndexStatus>('/api/public/status')).body;
    return 'version' in status ? status.version : undefined;
  };
  const replayPaused = async () =>
    (await pair.replica.query<{ s: string }>('SELECT pg_get_wal_replay_pause_state() AS s', DATABASE))[0]!.s ===
    'paused';

  beforeAll(async () => {
    pair = await startReplicaPair(DATABASE);
    database = await openDatabase({
      driver: 'server',
      connectionString: pair.primary.url(DATABASE),
      readConnectionString: pair.replica.url(DATABASE),
    });
    await migrate(database.db);
    const { loadDemoIfEmpty } = await import('../../data/load.ts');
    await loadDemoIfEmpty(database.db, { demoPassword: DEMO_PASSWORD });
    await caughtUp(pair, DATABASE);
    const app = createApp({ db: database.db, driver: database.driver, config: { ...readConfig({}), port: 0 } });
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    await http.login('editor-003', DEMO_PASSWORD);
    await eventually(
      'public index built',
      async () => (await http.get<PublicIndexStatus>('/api/public/status')).body.state === 'ready',
    );
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    await database?.close();
    pair?.destroy();
  });

  it("the finder's, OGC's and tiles' anonymous reads hold connections on the replica, none on the primary", async () => {
    const community = await firstCommunity();
    expect((await http.get(`/api/public/communities/${community.code}`)).status).toBe(200);
    expect((await http.get('/ogc/collections/stations/items?limit=5')).status).toBe(200);
    expect((await http.fetch('GET', stationTile(community.x, community.y))).status).toBeLessThan(300);
    expect(await readConnections('replica')).toBeGreaterThan(0);
    expect(await readConnections('primary')).toBe(0);
    expect((await http.get<Health>('/api/health')).body.readReplica).toBe('up');
    expect((await pair.replica.query<{ r: boolean }>('SELECT pg_is_in_recovery() AS r', DATABASE))[0]!.r).toBe(true);
  });

  it('a replica that refuses us stops the start with DATABASE_READ_URL named; one that is not there is no reason not to start', async () => {
    await expect(
      openDatabase({
        driver: 'server',
        connectionString: pair.primary.url(DATABASE),
        readConnectionString: pair.replica.url('no_such_database'),
      }),
    ).rejects.toThrow(/^DATABASE_READ_URL: .*no_such_database/);
    // Nothing listens on the primary's port + 1000 (outside the helpers' range): reads go to the primary.
    const lines: string[] = [];
    const log = console.error;
    console.error = (line: string) => void lines.push(line);
    try {
      const absent = await openDatabase({
        driver: 'server',
        connectionString: pair.primary.url(DATABASE),
        readConnectionString: `postgres://postgres@127.0.0.1:${pair.primary.port + 1000}/${DATABASE}`,
      });
      const [row] = (await sql<{ r: boolean }>`SELECT pg_is_in_recovery() AS r`.execute(absent.readDb)).rows;
      expect(row!.r).toBe(false);
      await absent.close();
    } finally {
      console.error = log;
    }
    expect(lines.filter((l) => l.includes('read replica unavailable'))).toHaveLength(1);
  });

  describe('a station written on the primary', () => {
    let point: { x: number; y: number };
    let code: string;

    it('with replay paused: anonymous answers are the replica’s older state, a signed-in reader sees the write', async () => {
      const community = await firstCommunity();
      point = { x: community.x, y: community.y };
      const tileUrl = stationTile(point.x, point.y);
      const tileTagBefore = (await http.fetch('GET', tileUrl)).headers.get('etag');
      const versionBefore = await indexVersion();

      await pair.replica.query('SELECT pg_wal_replay_pause()', DATABASE);
      await eventually('replay paused', replayPaused);
      const created = await http.post<{ id: string }>('/ogc/collections/stations/items', {
        as: 'editor-003',
        body: {
          type: 'Feature',
          geometry: { type: 'Point', coordinates: [point.x, point.y] },
          properties: { name: '副本测试驿站', kind: 'red_post', region_code: community.code },
        },
      });
      expect(created.status, created.text).toBe(201);
      code = created.body.id;
      expect(await readPublicVersion(database.db)).not.toBe(versionBefore);

      // Signed in: the primary, read-your-writes.
      expect((await http.get(`/ogc/collections/stations/items/${code}`, { as: 'editor-003' })).status).toBe(200);
      // Anonymous: the replica, which has not replayed the write.
      expect((await http.get(`/ogc/collections/stations/items/${code}`)).status).toBe(404);
      expect((await http.get(`/api/public/stations/${code}`)).status).toBe(404);
      const near = await http.get<PublicNearestResponse>(
        `/api/public/stations/nearest?lon=${point.x}&lat=${point.y}&limit=1`,
      );
      expect(near.body.stations[0]!.code).not.toBe(code);
      expect((await http.fetch('GET', tileUrl)).headers.get('etag')).toBe(tileTagBefore);
      // The index polls its version on the replica: it stays where the replica is.
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      expect(await indexVersion()).toBe(versionBefore);
      expect(await replayPaused()).toBe(true);
    });

    it('replay resumed: the published station reaches the finder, OGC and tiles through the replica', async () => {
      const tileUrl = stationTile(point.x, point.y);
      const tileTagPaused = (await http.fetch('GET', tileUrl)).headers.get('etag');
      await pair.replica.query('SELECT pg_wal_replay_resume()', DATABASE);
      await caughtUp(pair, DATABASE);
      await eventually('the finder shows the new station', async () => {
        const near = await http.get<PublicNearestResponse>(
          `/api/public/stations/nearest?lon=${point.x}&lat=${point.y}&limit=1`,
        );
        return near.body.stations[0]?.code === code;
      });
      const detail = await http.get<PublicStationDetail>(`/api/public/stations/${code}`);
      expect(detail.status).toBe(200);
      expect(detail.body.name).toBe('副本测试驿站');
      expect((await http.get(`/ogc/collections/stations/items/${code}`)).status).toBe(200);
      expect((await http.fetch('GET', tileUrl)).headers.get('etag')).not.toBe(tileTagPaused);
      expect(await indexVersion()).toBe(await readPublicVersion(database.db));
      expect(await readConnections('primary')).toBe(0);
    });
  });

  it('replayedTo (the read pool gate after an outage): a standby reaches a primary position only once it has replayed it; a server not in recovery always has', async () => {
    const onClient = async <T>(url: string, work: (client: pg.PoolClient) => Promise<T>) => {
      const pool = new pg.Pool({ connectionString: url, max: 1 });
      const client = await pool.connect();
      try {
        return await work(client);
      } finally {
        client.release();
        await pool.end();
      }
    };
    const now = await onClient(pair.primary.url(DATABASE), walPosition);
    await caughtUp(pair, DATABASE);
    const onReplica = await onClient(pair.replica.url(DATABASE), (c) => replayedTo(c, now));
    expect(onReplica.reached).toBe(true);
    expect(onReplica.at).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
    // A position the primary has not written yet: the standby has not replayed it.
    const ahead = await onClient(pair.replica.url(DATABASE), (c) => replayedTo(c, 'FF/0'));
    expect(ahead.reached).toBe(false);
    expect(ahead.at).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
    // The primary is not in recovery: there is no replay to wait for.
    expect(await onClient(pair.primary.url(DATABASE), (c) => replayedTo(c, 'FF/0'))).toEqual({
      at: 'none',
      reached: true,
    });
  });
});
