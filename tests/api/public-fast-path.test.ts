/**
 * The finder's fast path (issue 20: locate and nearest answered before Express) gives what the
 * Express route gives, byte for byte: the whole app with the fast path and the whole app without
 * it (WANGGE_PUBLIC_FAST_PATH=0) over one database and one clock, asked the same requests in the
 * same order, must answer the same status, the same raw headers in the same order (the Date
 * aside, and the rate limit's reset second) and the same body bytes: points in grids and outside
 * any, kinds, limits, GCJ-02 and BD-09 points, bad input (400), an If-None-Match (no 304: these
 * answers are no-store on both) and, with a limit of 2 a minute, the 429. That the fast path
 * really answered is seen on the request: Express sets req.route when its router ran the route.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import type { Express } from 'express';
import { createApp } from '../../server/app.ts';
import { readConfig, type Config } from '../../server/config.ts';
import { publicIndexesFor } from '../../server/public/public-index.ts';
import { keepConnectionsAlive } from '../../server/http/keep-alive.ts';
import { DRIVERS } from '../helpers/db.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

interface Answer {
  status: number;
  /** Raw header names and values in wire order, the Date left out. */
  headers: string[];
  body: Buffer;
}

interface Served {
  url: string;
  /** Per finished request: did Express's router run a route for it? */
  viaExpress: Map<string, boolean>;
  close(): Promise<void>;
}

/** Listen on a free port, noting for each request whether Express routed it. */
async function serve(app: Express): Promise<Served> {
  const viaExpress = new Map<string, boolean>();
  const withHandle = app as unknown as {
    handle: (req: IncomingMessage, res: ServerResponse, next?: unknown) => void;
  };
  const handle = withHandle.handle.bind(app);
  withHandle.handle = (req, res, next) => {
    const url = req.url ?? '';
    res.once('finish', () => viaExpress.set(url, (req as { route?: unknown }).route !== undefined));
    handle(req, res, next);
  };
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  keepConnectionsAlive(server);
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    viaExpress,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function ask(base: string, path: string, options: { method?: string; headers?: Record<string, string> } = {}) {
  return new Promise<Answer>((resolve, reject) => {
    const req = httpRequest(`${base}${path}`, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const headers: string[] = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          const name = res.rawHeaders[i]!;
          if (name.toLowerCase() === 'date') continue;
          // The window's reset is in whole seconds from each limiter's own first hit.
          headers.push(name, res.rawHeaders[i + 1]!.replace(/reset=\d+/, 'reset=N'));
        }
        resolve({ status: res.statusCode!, headers, body: Buffer.concat(chunks) });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * An answer with the seconds left in each limiter's own window written as N (Retry-After, the
 * message that quotes it, and so the 429's ETag): the two limiters' windows start a few
 * milliseconds apart, so they may straddle a second.
 */
function same429(a: Answer) {
  const seconds = (text: string) => text.replace(/retry after \d+ s/, 'retry after N s');
  const headers = a.headers.map((value, i) => {
    const name = a.headers[i - 1]?.toLowerCase();
    return i % 2 && (name === 'retry-after' || name === 'etag') ? 'N' : value;
  });
  return { status: a.status, headers, body: seconds(a.body.toString()) };
}

const CLOCK = new Date('2026-11-23T01:30:00Z'); // a Monday, 09:30 in China: some stations open, some not

for (const driver of DRIVERS) {
  describe(`public finder fast path [${driver}]`, () => {
    let server: TestServer;
    const apps: Record<string, Served> = {};
    const paths: string[] = [];

    beforeAll(async () => {
      server = await startTestServer({ driver, demo: true });
      const db = server.database.db;
      const app = (config: Partial<Config>) =>
        createApp({ db, driver, now: () => CLOCK, config: { ...readConfig({}), port: 0, ...config } });
      for (const [name, config] of [
        ['fast', { publicFastPath: true, publicRateLimit: 0 }],
        ['express', { publicFastPath: false, publicRateLimit: 0 }],
        ['fastLimited', { publicFastPath: true, publicRateLimit: 1000 }],
        ['expressLimited', { publicFastPath: false, publicRateLimit: 1000 }],
        ['fastTwo', { publicFastPath: true, publicRateLimit: 2 }],
        ['expressTwo', { publicFastPath: false, publicRateLimit: 2 }],
      ] as const)
        apps[name] = await serve(app(config));
      await publicIndexesFor(db).refresh();

      const inner = await sql<{ x: number; y: number }>`
        SELECT ST_X(p)::float8 AS x, ST_Y(p)::float8 AS y FROM grids g, ST_PointOnSurface(g.geom) p
        ORDER BY g.code LIMIT 8`.execute(db);
      const ext = (
        await sql<{ x0: number; y0: number; x1: number; y1: number }>`
        SELECT ST_XMin(e)::float8 x0, ST_YMin(e)::float8 y0, ST_XMax(e)::float8 x1, ST_YMax(e)::float8 y1
        FROM (SELECT ST_Extent(geom)::geometry e FROM grids) t`.execute(db)
      ).rows[0]!;
      const at = (x: number, y: number) => `lon=${x.toFixed(6)}&lat=${y.toFixed(6)}`;
      for (const p of inner.rows) paths.push(`/api/public/locate?${at(p.x, p.y)}`);
      for (let i = 0; i < 6; i++) {
        const x = ext.x0 + ((i + 0.37) / 6) * (ext.x1 - ext.x0);
        const y = ext.y0 + ((5 - i + 0.61) / 6) * (ext.y1 - ext.y0);
        paths.push(`/api/public/locate?${at(x, y)}`, `/api/public/stations/nearest?${at(x, y)}&limit=3`);
      }
      const p = inner.rows[0]!;
      paths.push(
        `/api/public/locate?${at(ext.x1 + 0.2, ext.y1 + 0.2)}`, // outside every grid
        `/api/public/locate?${at(p.x, p.y)}&kind=party_service_center&limit=2`,
        `/api/public/locate?${at(p.x, p.y)}&kind=red_post,convenience_center&limit=20`,
        `/api/public/locate?lon=${(p.x + 0.0061).toFixed(6)}&lat=${(p.y + 0.0012).toFixed(6)}&crs=gcj02`,
        `/api/public/locate?lon=${(p.x + 0.0125).toFixed(6)}&lat=${(p.y + 0.0057).toFixed(6)}&crs=BD09`,
        `/api/public/stations/nearest?${at(p.x, p.y)}&crs=gcj02&kind=party_parlour`,
        `/api/public/locate?lat=${p.y}&lon=${p.x}&unknown=1`,
      );
    });
    afterAll(async () => {
      if (server) publicIndexesFor(server.database.db).stop();
      await Promise.all(Object.values(apps).map((a) => a.close()));
      await server?.close();
    });

    const BAD = [
      '/api/public/locate?lon=116.7',
      '/api/public/locate?lon=abc&lat=39.5',
      '/api/public/locate?lon=39.5&lat=116.7',
      '/api/public/locate?lon=116.7&lat=39.5&limit=21',
      '/api/public/locate?lon=116.7&lat=39.5&kind=castle',
      '/api/public/locate?lon=116.7&lon=116.8&lat=39.5',
      '/api/public/stations/nearest?lon=200&lat=39.5',
      '/api/public/locate?lon=116.7&lat=39.5&crs=utm',
    ];

    it('answers every point with the bytes and headers the Express route gives, without Express', async () => {
      expect(paths.length).toBeGreaterThanOrEqual(25);
      const statuses = new Set<number>();
      for (const [fast, express] of [
        ['fast', 'express'],
        ['fastLimited', 'expressLimited'],
      ] as const) {
        for (const path of paths) {
          const a = await ask(apps[fast]!.url, path);
          const b = await ask(apps[express]!.url, path);
          expect(a.status, path).toBe(200);
          expect(a.headers, path).toEqual(b.headers);
          expect(a.body.equals(b.body), `${path}\n${a.body}\n${b.body}`).toBe(true);
          expect(apps[fast]!.viaExpress.get(path), `${fast} ${path}`).toBe(false);
          expect(apps[express]!.viaExpress.get(path), `${express} ${path}`).toBe(true);
          statuses.add(a.status);
        }
      }
      // The answers are real ones: grids found, stations with distances, the limiter's headers.
      const sample = JSON.parse((await ask(apps.fast!.url, paths[0]!)).body.toString()) as {
        grid: unknown;
        stations: unknown[];
      };
      expect(sample.grid).not.toBeNull();
      expect(sample.stations.length).toBe(5);
      const limited = await ask(apps.fastLimited!.url, paths[0]!);
      await ask(apps.expressLimited!.url, paths[0]!); // the two limiters stay at the same count
      expect(limited.headers.map((h) => h.toLowerCase())).toContain('ratelimit');
      expect(limited.headers).toContain('Content-Security-Policy');
    });

    it('leaves bad input to Express: the same 400 JSON naming the parameter', async () => {
      for (const path of BAD) {
        const a = await ask(apps.fastLimited!.url, path);
        const b = await ask(apps.expressLimited!.url, path);
        expect(a.status, path).toBe(400);
        expect(a.headers, path).toEqual(b.headers);
        expect(a.body.equals(b.body), path).toBe(true);
        const error = (JSON.parse(a.body.toString()) as { error: { code: string; param?: string } }).error;
        expect(error.param, path).toMatch(/^(lon|lat|limit|kind|crs)$/);
        expect(apps.fastLimited!.viaExpress.get(path), path).toBe(true);
      }
    });

    it('answers an If-None-Match as before (200, no-store, no ETag: no 304 for a point), and HEAD and odd URLs through Express', async () => {
      const path = paths[1]!;
      const first = await ask(apps.express!.url, path);
      const etag = `"${first.body.length.toString(16)}"`;
      for (const headers of [{ 'if-none-match': etag }, { 'if-none-match': '*' }]) {
        const a = await ask(apps.fast!.url, path, { headers });
        const b = await ask(apps.express!.url, path, { headers });
        expect(a.status).toBe(200);
        expect(b.status).toBe(200);
        expect(a.headers).toEqual(b.headers);
        expect(a.headers.map((h) => h.toLowerCase())).not.toContain('etag');
        expect(a.headers).toContain('no-store');
        expect(a.body.equals(b.body)).toBe(true);
      }
      const odd = [path.replace('/locate', '/locate/'), path.replace('/api/public', '/API/public')];
      for (const p of odd) {
        const a = await ask(apps.fast!.url, p);
        const b = await ask(apps.express!.url, p);
        expect([a.status, a.headers, a.body.toString()], p).toEqual([b.status, b.headers, b.body.toString()]);
        expect(apps.fast!.viaExpress.get(p), p).toBe(true);
      }
      const a = await ask(apps.fast!.url, path, { method: 'HEAD' });
      const b = await ask(apps.express!.url, path, { method: 'HEAD' });
      expect([a.status, a.headers]).toEqual([b.status, b.headers]);
    });

    it('counts each request once against the same limiter and answers the same 429', async () => {
      const path = paths[2]!;
      const answers: Answer[][] = [[], []];
      for (let i = 0; i < 3; i++) {
        answers[0]!.push(await ask(apps.fastTwo!.url, path));
        answers[1]!.push(await ask(apps.expressTwo!.url, path));
      }
      expect(answers[0]!.map((a) => a.status)).toEqual([200, 200, 429]);
      for (let i = 0; i < 3; i++) {
        expect(same429(answers[0]![i]!)).toEqual(same429(answers[1]![i]!));
      }
      expect(JSON.parse(answers[0]![2]!.body.toString())).toMatchObject({ error: { code: 'rate_limited' } });
      // A bad request over the limit is the limiter's 429 on both paths too (the limiter runs first).
      const a = await ask(apps.fastTwo!.url, BAD[0]!);
      const b = await ask(apps.expressTwo!.url, BAD[0]!);
      expect(same429(a)).toEqual(same429(b));
      expect(a.status).toBe(429);
    });
  });
}
