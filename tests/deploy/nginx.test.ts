/**
 * The deployment of deploy/ (nginx from deploy/nginx.conf.template in front of two API
 * processes on one PostgreSQL) driven through nginx with a representative set of the API's
 * requests: health, the public finder, tiles with ETag/304 and nginx's cache, an OGC page,
 * sign-in and a signed-in read, a 4xx JSON error; that both processes serve; that the address
 * the API keys its limits by is the client's (X-Forwarded-For, trust proxy = one hop), not
 * nginx's and not one the client made up; and that signed-in requests bypass the cache.
 * Server driver only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { Health } from '../../common/contracts/meta.ts';
import type { PublicLocateResponse } from '../../common/contracts/public.ts';
import type { SessionResponse } from '../../common/contracts/auth.ts';
import { httpClient } from '../helpers/http-client.ts';
import { deploySkipReason, getFrom, startDeployStack, type DeployStack } from '../helpers/deploy-stack.ts';

const reason = deploySkipReason();
const RATE_LIMIT = 1000;

/** The z14 tile holding a point (slippy-map numbering). */
function tileOf(lon: number, lat: number, z = 14) {
  const n = 2 ** z;
  const rad = (lat * Math.PI) / 180;
  return {
    z,
    x: Math.floor(((lon + 180) / 360) * n),
    y: Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n),
  };
}

/** `remaining` from the RateLimit header (draft-7 `remaining=n`, draft-8 `r=n`). */
function remaining(headers: Headers | Record<string, string | string[] | undefined>): number {
  const value = headers instanceof Headers ? headers.get('ratelimit') : headers['ratelimit'];
  const match = /(?:remaining|\br)=(\d+)/.exec(String(value ?? ''));
  if (!match) throw new Error(`no RateLimit remaining in "${value}"`);
  return Number(match[1]);
}

describe.skipIf(!!reason)(
  reason ? `nginx in front of two API processes (skipped: ${reason})` : 'nginx in front of two API processes [server]',
  () => {
    let stack: DeployStack;
    const cookies: Record<string, string> = {};
    const http = httpClient(() => stack.nginx.url, cookies);
    let point: { lon: number; lat: number; code: string };

    beforeAll(async () => {
      stack = await startDeployStack({ env: { WANGGE_PUBLIC_RATE_LIMIT: String(RATE_LIMIT) } });
      const { rows } = await sql<{ lon: number; lat: number; code: string }>`
        SELECT ST_X(p) AS lon, ST_Y(p) AS lat, code
        FROM (SELECT code, ST_PointOnSurface(geom) AS p FROM grids ORDER BY code LIMIT 1) g`.execute(stack.database.db);
      point = rows[0]!;
    });
    afterAll(async () => stack?.close());

    it('answers health through nginx from both API processes', async () => {
      const expected = stack.apis.map((a) => `127.0.0.1:${a.port}`).sort();
      // The process that answered each health request ("a:1, b:2" when nginx passed one on: b).
      const answered = () =>
        new Set(
          stack
            .accessLog()
            .filter((l) => l.includes('GET /api/health'))
            .map((l) => /upstream=(.+?) upstream_status=/.exec(l)![1]!.split(', ').at(-1)),
        );
      // Every request answers 200. A process that stumbled on its first request (a busy machine)
      // is out of nginx's rotation for fail_timeout, then back: ask until both have answered.
      for (let i = 0; i < 60 && answered().size < expected.length; i++) {
        const res = await http.get<Health>('/api/health');
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ status: 'ok', db: 'server', demo: true });
        if (i >= 5) await new Promise((r) => setTimeout(r, 250));
      }
      expect([...answered()].sort()).toEqual(expected);
    });

    it('finds the grid and stations at a point (public finder); answers marked no-store are not cached', async () => {
      const url = `/api/public/locate?lon=${point.lon}&lat=${point.lat}`;
      const first = await http.get<PublicLocateResponse>(url);
      expect(first.status).toBe(200);
      expect(first.body.grid?.code).toBe(point.code);
      expect(first.body.stations.length).toBeGreaterThan(0);
      expect(first.headers.get('cache-control')).toBe('no-store');
      const second = await http.get<PublicLocateResponse>(url);
      expect(second.body).toEqual(first.body);
      expect(second.headers.get('x-cache-status')).toBe('MISS');
    });

    it('bad input gets a 4xx JSON error naming the parameter, through nginx', async () => {
      const res = await http.get('/api/public/locate?lon=abc&lat=39.5');
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(res.body.error).toMatchObject({ code: expect.any(String), param: 'lon' });
      const missing = await http.get('/api/no-such-route');
      expect(missing.status).toBe(404);
      expect(missing.body.error?.code).toBeTruthy();
    });

    it("serves a tile once from the API, then from nginx's cache (same ETag and bytes); If-None-Match gets 304", async () => {
      const { z, x, y } = tileOf(point.lon, point.lat);
      const url = `${stack.nginx.url}/tiles/grids/${z}/${x}/${y}.pbf`;
      const first = await fetch(url);
      const firstBytes = Buffer.from(await first.arrayBuffer());
      expect(first.status).toBe(200);
      expect(firstBytes.length).toBeGreaterThan(0);
      expect(first.headers.get('x-cache-status')).toBe('MISS');
      expect(first.headers.get('cache-control')).toMatch(/^public, max-age=\d+/);
      const etag = first.headers.get('etag')!;
      expect(etag).toMatch(/^"/);

      const second = await fetch(url);
      expect(second.headers.get('x-cache-status')).toBe('HIT');
      expect(second.headers.get('etag')).toBe(etag);
      expect(Buffer.from(await second.arrayBuffer()).equals(firstBytes)).toBe(true);

      const revalidated = await fetch(url, { headers: { 'if-none-match': etag } });
      expect(revalidated.status).toBe(304);
      expect(revalidated.headers.get('etag')).toBe(etag);
      // Only the first request reached an API process. nginx writes a request's log line after
      // its answer, so under load the last line may come a moment after the client has it.
      const logged = () => stack.accessLog().filter((l) => l.includes(`/tiles/grids/${z}/${x}/${y}.pbf`));
      for (let i = 0; i < 50 && logged().length < 3; i++) await new Promise((resolve) => setTimeout(resolve, 100));
      const reached = logged();
      expect(reached.map((l) => /upstream=(\S+)/.exec(l)![1]!)).toEqual([
        expect.stringMatching(/^127\.0\.0\.1:/),
        '-',
        '-',
      ]);
    });

    it('signs in through nginx (a POST with a body) and reads as the signed-in user; signed-in tiles bypass the cache', async () => {
      await http.login('planner');
      const me = await http.get<SessionResponse>('/api/auth/me', { as: 'planner' });
      expect(me.status).toBe(200);
      expect(me.body.user.username).toBe('planner');
      // A signed-in read goes to whichever process: the session lives in the database.
      for (let i = 0; i < 4; i++) expect((await http.get('/api/auth/me', { as: 'planner' })).status).toBe(200);

      const { z, x, y } = tileOf(point.lon, point.lat);
      const path = `/tiles/grids/${z}/${x}/${y}.pbf`;
      const anonymous = await http.fetch('GET', path);
      await anonymous.arrayBuffer();
      expect(anonymous.headers.get('x-cache-status')).toBe('HIT');
      for (let i = 0; i < 2; i++) {
        const staff = await http.fetch('GET', path, { as: 'planner' });
        await staff.arrayBuffer();
        expect(staff.status).toBe(200);
        expect(staff.headers.get('x-cache-status')).toBe('BYPASS');
        expect(staff.headers.get('cache-control')).toMatch(/^private/);
        expect(staff.headers.get('etag')).not.toBe(anonymous.headers.get('etag'));
      }
      // The staff tile was not stored: the anonymous entry is still the public one.
      const after = await http.fetch('GET', path);
      await after.arrayBuffer();
      expect(after.headers.get('x-cache-status')).toBe('HIT');
      expect(after.headers.get('etag')).toBe(anonymous.headers.get('etag'));
      expect(after.headers.get('cache-control')).toMatch(/^public/);
      // Any session cookie bypasses, even one the API no longer knows.
      const stale = await http.fetch('GET', path, { cookie: 'wangge_session=expired' });
      await stale.arrayBuffer();
      expect(stale.headers.get('x-cache-status')).toBe('BYPASS');
    });

    it('revalidates an expired tile with If-None-Match: the API answers 304 and nginx serves its stored bytes', async () => {
      const { z, x, y } = tileOf(point.lon, point.lat);
      const url = `${stack.nginx.url}/tiles/grids/${z}/${x}/${y}.pbf`;
      const stored = await fetch(url);
      const bytes = Buffer.from(await stored.arrayBuffer());
      // The entry stays fresh for the API's max-age (10 s): wait for it to run out, bounded.
      let res = stored;
      for (let i = 0; i < 30 && res.headers.get('x-cache-status') === 'HIT'; i++) {
        await new Promise((r) => setTimeout(r, 500));
        res = await fetch(url);
        if (res.headers.get('x-cache-status') === 'HIT') await res.arrayBuffer();
      }
      expect(res.headers.get('x-cache-status')).toBe('REVALIDATED');
      expect(res.headers.get('etag')).toBe(stored.headers.get('etag'));
      expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
      // nginx writes the log line after the response has gone out: read it once it is there.
      const last = () =>
        stack
          .accessLog()
          .filter((l) => l.includes(`/tiles/grids/${z}/${x}/${y}.pbf`))
          .at(-1)!;
      await expect.poll(last, { timeout: 5_000, interval: 50 }).toMatch(/upstream_status=304 cache=REVALIDATED/);
    });

    it('pages OGC items through nginx with links on the address the client used', async () => {
      const res = await http.get<{ features: unknown[]; links: { rel: string; href: string }[] }>(
        '/ogc/collections/grids/items?limit=10&f=json',
      );
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/geo\+json/);
      expect(res.body.features).toHaveLength(10);
      const next = res.body.links.find((l) => l.rel === 'next')!;
      expect(next.href.startsWith(`${stack.nginx.url}/ogc/collections/grids/items`)).toBe(true);
      const page2 = await http.get<{ features: unknown[] }>(next.href);
      expect(page2.status).toBe(200);
      expect(page2.body.features.length).toBeGreaterThan(0);
    });

    it("keys limits by the client's address from X-Forwarded-For, not nginx's and not one the client claims", async () => {
      const url = `${stack.nginx.url}/api/public/stations/nearest?lon=${point.lon}&lat=${point.lat}&limit=1`;
      // Client A (127.0.0.2) uses both processes' buckets: some process counts ≥ 2 of 4 requests.
      const a: number[] = [];
      for (let i = 0; i < 4; i++) {
        const res = await getFrom('127.0.0.2', url);
        expect(res.status).toBe(200);
        a.push(remaining(res.headers));
      }
      expect(Math.min(...a)).toBeLessThanOrEqual(RATE_LIMIT - 2);
      // Client B (127.0.0.3) starts with a bucket of its own, whichever process answers: were the
      // key nginx's address (127.0.0.1), B would share A's count.
      const b = await getFrom('127.0.0.3', url);
      expect(b.status).toBe(200);
      expect(remaining(b.headers)).toBe(RATE_LIMIT - 1);
      // Client C (127.0.0.4) claims a new address each time: nginx replaces the header, so all
      // four count against C, and some process sees ≥ 2 of them.
      const c: number[] = [];
      for (let i = 0; i < 4; i++) {
        const res = await getFrom('127.0.0.4', url, { 'x-forwarded-for': `198.51.100.${i + 1}` });
        c.push(remaining(res.headers));
      }
      expect(Math.min(...c)).toBeLessThanOrEqual(RATE_LIMIT - 2);
      // express-rate-limit checks the trust proxy setting against X-Forwarded-For and logs ERR_ERL_* when wrong.
      for (const api of stack.apis) expect(api.output()).not.toMatch(/ERR_ERL_/);
    });
  },
);
