/**
 * PostgreSQL stopped and started again under the running API, for real: on a private
 * cluster (15/wgfault on port 5444) so the shared test cluster is never disturbed. While it
 * is down every request gets a quick 503 JSON with Retry-After (not a 500, not a hang), a
 * request in flight when it stops gets the same, the process survives its idle connections
 * dying, and once PostgreSQL is back the API answers 200 by itself within 10 s.
 *
 * Needs root (pg_createcluster); it runs as root here and in CI, and says why it skips otherwise.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { httpClient } from '../helpers/http-client.ts';
import { spawnServer, type SpawnedServer } from './spawn-server.ts';

const VERSION = '15';
const CLUSTER = 'wgfault';
const PORT = 5444;
const DATABASE = 'wangge_fault';
const isRoot = process.getuid?.() === 0;
const hasCluster = existsSync('/usr/bin/pg_createcluster') && existsSync(`/usr/lib/postgresql/${VERSION}/bin/postgres`);
if (!isRoot || !hasCluster)
  console.warn('[pg-restart] skipped: needs root and pg_createcluster (postgresql-common) to run a private cluster');

const ctl = (action: 'start' | 'stop') =>
  execFileSync('pg_ctlcluster', ['-m', 'fast', VERSION, CLUSTER, action], { stdio: 'pipe' });
const dropCluster = () => {
  try {
    execFileSync('pg_dropcluster', ['--stop', VERSION, CLUSTER], { stdio: 'pipe' });
  } catch {
    // Not there.
  }
};

describe.skipIf(!isRoot || !hasCluster)(
  'PostgreSQL stopped and restarted under the API [server, private cluster]',
  () => {
    let server: SpawnedServer | undefined;

    beforeAll(async () => {
      dropCluster();
      execFileSync('pg_createcluster', [VERSION, CLUSTER, '--port', String(PORT)], { stdio: 'pipe' });
      // A throwaway cluster on loopback only: trust, like the shared test cluster.
      writeFileSync(
        `/etc/postgresql/${VERSION}/${CLUSTER}/pg_hba.conf`,
        'local all all trust\nhost all all 127.0.0.1/32 trust\n',
      );
      ctl('start');
      const admin = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${PORT}/postgres` });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${DATABASE}`);
      await admin.end();
      const client = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${PORT}/${DATABASE}` });
      await client.connect();
      await client.query('CREATE EXTENSION postgis');
      await client.end();
      server = await spawnServer({
        DATABASE_URL: `postgres://postgres@127.0.0.1:${PORT}/${DATABASE}`,
        WANGGE_LOAD_DEMO: '0',
        WANGGE_TEST_HOOKS: '1',
      });
    });
    afterAll(async () => {
      await server?.kill9();
      dropCluster();
    });

    const get = async (path: string) => {
      const started = Date.now();
      const res = await httpClient(server!.url).get<{ error?: { code: string; message: string } }>(path, {
        signal: AbortSignal.timeout(15_000),
      });
      return {
        status: res.status,
        retryAfter: res.headers.get('retry-after'),
        body: res.body,
        ms: Date.now() - started,
      };
    };

    it('503 with Retry-After while it is down, 200 again within 10 s of its start, and the process never died', async () => {
      expect((await get('/api/health')).status).toBe(200);
      expect((await get('/api/regions')).status).toBe(200);

      // A request in flight when the server stops: its backend is terminated under it.
      const inFlight = get('/api/test/sleep?ms=20000');
      await new Promise((resolve) => setTimeout(resolve, 500));
      ctl('stop');
      const cut = await inFlight;
      expect(cut.status).toBe(503);
      expect(cut.body.error?.code).toBe('database_unavailable');
      expect(Number(cut.retryAfter)).toBeGreaterThan(0);

      for (const path of ['/api/health', '/api/regions', '/api/health', '/api/test/sleep?ms=10']) {
        const res = await get(path);
        expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBe(503);
        expect(res.body.error?.code).toBe('database_unavailable');
        expect(Number(res.retryAfter)).toBeGreaterThan(0);
        expect(res.ms).toBeLessThan(2_000);
      }
      // Idle pooled connections died with the server; the process is still here.
      expect(server!.process.exitCode).toBeNull();
      expect(server!.output()).not.toMatch(/Internal error|\[http\].*Error/);

      ctl('start');
      const started = Date.now();
      let recovered = 0;
      while (Date.now() - started < 15_000) {
        const res = await get('/api/health').catch(() => undefined);
        if (res?.status === 200) {
          recovered = Date.now() - started;
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      console.log(`[pg-restart] API answered 200 ${recovered} ms after PostgreSQL started`);
      expect(recovered).toBeGreaterThan(0);
      expect(recovered).toBeLessThan(10_000);
      expect((await get('/api/regions')).status).toBe(200);
      expect((await get('/api/test/sleep?ms=10')).status).toBe(200);
      expect(server!.process.exitCode).toBeNull();
    });
  },
);
