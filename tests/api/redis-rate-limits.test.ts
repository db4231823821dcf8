/**
 * Rate limits in Redis (REDIS_URL): two API instances with their own Redis clients on one
 * database and one real redis-server that the test starts, stops and starts again on a free
 * loopback port. The counters are one count across the two; with Redis down the public reads
 * pass (fail open, one log line per outage) and sign-in answers 503 rate_limit_unavailable
 * (fail closed); after Redis is back both work again without restarting the API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DRIVERS } from '../helpers/db.ts';
import { httpClient } from '../helpers/http-client.ts';
import { NO_REDIS, startRedis, type TestRedis } from '../helpers/redis-server.ts';
import { DEMO_PASSWORD } from '../helpers/templates.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

if (NO_REDIS) console.warn(`[redis-rate-limits] skipped: ${NO_REDIS}`);

const LIMIT = 3;
const PER_MINUTE = 5;

/** Polls `probe` until it returns true, at most `timeoutMs`; the bound keeps a broken recovery from hanging. */
async function until(probe: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await probe()) return Date.now() - started;
    if (Date.now() - started > timeoutMs) throw new Error(`not recovered within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

for (const driver of DRIVERS) {
  describe.skipIf(NO_REDIS)(`rate limits shared in Redis, and Redis down [${driver}]`, () => {
    let redis: TestRedis;
    let a: TestServer;
    let b: TestServer;
    let late: TestServer | undefined;
    const logs = { a: [] as string[], b: [] as string[], late: [] as string[] };
    const at = { a: httpClient(() => a.url), b: httpClient(() => b.url), late: httpClient(() => late!.url) };
    const login = (via: keyof typeof at, username: string, password: string, address: string) =>
      at[via].fetch('POST', '/api/auth/login', {
        headers: { 'x-forwarded-for': address },
        body: { username, password },
      });
    const find = (via: keyof typeof at, address: string) =>
      at[via].fetch('GET', '/api/public/status', { headers: { 'x-forwarded-for': address } });

    beforeAll(async () => {
      redis = await startRedis();
      const config = {
        redisUrl: redis.url,
        loginRateLimit: LIMIT,
        publicRateLimit: PER_MINUTE,
        trustProxy: 'loopback',
      };
      a = await startTestServer({ driver, demo: true, config, log: (m) => logs.a.push(m) });
      b = await startTestServer({ database: a.database, config, log: (m) => logs.b.push(m) });
    }, 180_000);
    afterAll(async () => {
      await late?.close();
      await b?.close();
      await a?.close();
      await redis?.stop();
    });

    it('the public limit is one count across both instances', async () => {
      for (let i = 0; i < PER_MINUTE; i++) expect((await find(i % 2 ? 'a' : 'b', '10.5.0.1')).status).toBe(200);
      const limited = await find('a', '10.5.0.1');
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await find('b', '10.5.0.1')).status).toBe(429);
      expect((await find('b', '10.5.0.2')).status).toBe(200);
    });

    it('sign-in failures through one instance count at the other; the real user at another address signs in', async () => {
      for (let i = 0; i < LIMIT; i++) expect((await login('a', 'admin', 'wrong', '10.6.0.1')).status).toBe(401);
      const limited = await login('b', 'admin', 'wrong', '10.6.0.1');
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await login('b', 'admin', DEMO_PASSWORD, '10.6.0.1')).status).toBe(429);
      expect((await login('b', 'admin', DEMO_PASSWORD, '10.6.0.2')).status).toBe(200);
      // The per-username backoff is shared too: failures from a second address through b wait
      // behind the ones through a (LIMIT + 1st counted failure → 0.25 s).
      const started = performance.now();
      expect((await login('b', 'admin', 'wrong', '10.6.0.3')).status).toBe(401);
      expect(performance.now() - started).toBeGreaterThanOrEqual(245);
    });

    it('Redis down: public reads pass (one log line), sign-in answers 503; back up: both recover without a restart', async () => {
      expect(logs.a.join('\n')).not.toMatch(/unavailable/);
      await redis.stop();

      // Fail open: past the limit, and still 200.
      for (let i = 0; i < PER_MINUTE + 3; i++) expect((await find('a', '10.7.0.1')).status).toBe(200);
      // Fail closed: 503 naming the problem, never a 500, never a guess without a count.
      const refused = await login('b', 'planner', DEMO_PASSWORD, '10.7.0.2');
      expect(refused.status).toBe(503);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('rate_limit_unavailable');
      expect((await login('a', 'planner', 'wrong', '10.7.0.2')).status).toBe(503);
      // One log line per outage per process, however many requests met it.
      expect(logs.a.filter((m) => /unavailable/.test(m))).toHaveLength(1);
      expect(logs.b.filter((m) => /unavailable/.test(m))).toHaveLength(1);
      // An instance that starts while Redis is down serves too, and joins in once it is back.
      late = await startTestServer({ database: a.database, config: a.config, log: (m) => logs.late.push(m) });
      expect((await find('late', '10.7.0.6')).status).toBe(200);
      expect((await login('late', 'admin', DEMO_PASSWORD, '10.7.0.6')).status).toBe(503);

      await redis.start();
      // The clients reconnect by themselves (bounded poll, no fixed sleep).
      await until(async () => (await login('b', 'planner', DEMO_PASSWORD, '10.7.0.3')).status === 200, 15_000);
      await until(async () => (await login('a', 'planner', DEMO_PASSWORD, '10.7.0.3')).status === 200, 15_000);
      await until(async () => (await login('late', 'planner', DEMO_PASSWORD, '10.7.0.3')).status === 200, 15_000);
      expect(logs.b.filter((m) => /is back/.test(m))).toHaveLength(1);
      // Counting again (the restarted Redis starts empty): the public limit bites anew.
      for (let i = 0; i < PER_MINUTE; i++) expect((await find('a', '10.7.0.4')).status).toBe(200);
      expect((await find('b', '10.7.0.4')).status).toBe(429);
      for (let i = 0; i < LIMIT; i++) expect((await login('a', 'editor-003', 'wrong', '10.7.0.5')).status).toBe(401);
      expect((await login('late', 'editor-003', 'wrong', '10.7.0.5')).status).toBe(429);
    });
  });
}
