/**
 * The public finder under a flood from one address (issue 8), on each driver: autocannon sends
 * 5,000 requests to /api/public/locate with the public limit set to 1,000 a minute. The limit
 * holds (exactly 1,000 answers, the rest 429 with Retry-After, no 5xx), memory stays bounded,
 * and a signed-in planner reading a street's grids throughout is never limited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { DRIVERS } from '../helpers/db.ts';
import { httpClient } from '../helpers/http-client.ts';
import { sessionCookie } from '../helpers/session.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { publicFlood } from '../../bench/reliability-workloads.ts';

const LIMIT = 1_000;
const REQUESTS = 5_000;
const STREET = '131002003000';

for (const driver of DRIVERS) {
  describe(`public API under a flood [${driver}]`, () => {
    let server: TestServer;

    beforeAll(async () => {
      server = await startTestServer({ driver, demo: true, config: { publicRateLimit: LIMIT } });
    });
    afterAll(async () => server?.close());

    it(`${REQUESTS} locates from one address: ${LIMIT} answered, the rest 429 with Retry-After; staff unaffected; memory bounded`, async () => {
      const { rows } = await sql<{ x0: number; y0: number; x1: number; y1: number }>`
        SELECT ST_XMin(e)::float8 AS x0, ST_YMin(e)::float8 AS y0, ST_XMax(e)::float8 AS x1, ST_YMax(e)::float8 AS y1
        FROM (SELECT ST_Extent(geom)::geometry AS e FROM grids) t`.execute(server.database.db);
      const { x0, y0, x1, y1 } = rows[0]!;
      const staff = { username: 'planner', cookie: await sessionCookie(server.url, 'planner') };

      const r = await publicFlood({
        url: server.url,
        amount: REQUESTS,
        connections: 10,
        bbox: [x0, y0, x1, y1],
        staff,
        staffPath: `/api/grids?region=${STREET}`,
      });
      console.log(
        `[${driver}] public flood: ${r.requests} requests in ${(r.durationMs / 1000).toFixed(1)} s, statuses ${JSON.stringify(r.statuses)}; ` +
          `public p50 ${r.public.p50Ms} ms p99 ${r.public.p99Ms} ms; staff ${JSON.stringify(r.staffStatuses)}, median/p99 ` +
          `${r.staffBefore.medianMs}/${r.staffBefore.p99Ms} ms before, ${r.staffDuring.medianMs}/${r.staffDuring.p99Ms} ms during (${r.staffDuring.n} requests); ` +
          `rss ${r.memoryBefore.rssMB}→${r.memoryAfter.rssMB} MB, heap ${r.memoryBefore.heapUsedMB}→${r.memoryAfter.heapUsedMB} MB`,
      );

      // Every request answered: exactly the limit with 200 (the window is one minute from the
      // first request, and the flood is far shorter), every other one 429, nothing else.
      expect(r.errors).toBe(0);
      expect(r.timeouts).toBe(0);
      expect(r.requests).toBe(REQUESTS);
      expect(r.durationMs).toBeLessThan(55_000);
      expect(r.statuses).toEqual({ 200: LIMIT, 429: REQUESTS - LIMIT });
      expect(r.retryAfterMissing).toBe(0);

      // A limited answer says why and when to come back.
      const limited = await httpClient(server.url).get<{ error: { code: string } }>(
        `/api/public/locate?lon=${(x0 + x1) / 2}&lat=${(y0 + y1) / 2}`,
      );
      expect(limited.status).toBe(429);
      const retryAfter = Number(limited.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(limited.body.error.code).toBe('rate_limited');

      // The planner was never limited and always answered, during the flood too.
      expect(r.staffDuring.n).toBeGreaterThan(0);
      expect(r.staffStatuses).toEqual({ 200: r.staffBefore.n + r.staffDuring.n });
      // Server and load generator share this process and its two cores, so staff reads slow
      // down while autocannon runs; the bound is that they stay interactive.
      expect(r.staffDuring.medianMs).toBeLessThan(2_000);

      // Memory: the limiter keeps one counter per address; 5,000 requests leave no trace.
      expect(r.memoryAfter.rssMB - r.memoryBefore.rssMB).toBeLessThan(150);
      expect(r.memoryAfter.heapUsedMB - r.memoryBefore.heapUsedMB).toBeLessThan(150);
    }, 120_000);
  });
}
