/**
 * Sessions (expiry, sliding idle timeout, logout, cookie flags, hashed tokens), passwords
 * (scrypt parameters, rehash, malformed hashes, no user-enumeration by timing), sign-in
 * throttling (per username-and-address, a backoff per username, per address) and the security headers, over real HTTP on both drivers. The server trusts the
 * loopback proxy, so X-Forwarded-For / X-Forwarded-Proto stand in for other clients and HTTPS.
 */
import { createHash, randomBytes, scryptSync } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../common/contracts/auth.ts';
import { hashPassword, needsRehash, PASSWORD_PARAMS, verifyPassword } from '../../server/auth/passwords.ts';
import { cspDirectives } from '../../server/http/security.ts';
import { backoffDelayMs, LOGIN_ADDRESS_FACTOR, LOGIN_MAX_DELAY_MS } from '../../server/auth/login-rate-limit.ts';
import { DRIVERS } from '../helpers/db.ts';
import { httpClient } from '../helpers/http-client.ts';
import { DEMO_PASSWORD } from '../helpers/templates.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

const LIMIT = 3;

describe('passwords (pure)', () => {
  it('hashes with scrypt N=2^15, r=8, p=1 (32 MiB), a 16-byte salt and a 32-byte key', async () => {
    const stored = await hashPassword('秘密 password');
    const [scheme, n, r, p, salt, key] = stored.split('$');
    expect([scheme, Number(n), Number(r), Number(p)]).toEqual(['scrypt', 2 ** 15, 8, 1]);
    expect(128 * Number(n) * Number(r)).toBe(32 * 1024 * 1024);
    expect(Buffer.from(salt!, 'base64')).toHaveLength(16);
    expect(Buffer.from(key!, 'base64')).toHaveLength(32);
    expect(await verifyPassword('秘密 password', stored)).toBe(true);
    expect(await verifyPassword('秘密 passwore', stored)).toBe(false);
    expect(needsRehash(stored)).toBe(false);
    expect(stored).not.toBe(await hashPassword('秘密 password')); // salted
  });

  it('refuses malformed or absurd stored hashes with false, never a throw', async () => {
    const good = await hashPassword('x');
    const [, , , , salt, key] = good.split('$');
    const bad = [
      '',
      'plain',
      'bcrypt$10$abc',
      `scrypt$16385$8$1$${salt}$${key}`,
      `scrypt$NaN$8$1$${salt}$${key}`,
      `scrypt$${2 ** 30}$8$1$${salt}$${key}`,
      `scrypt$32768$8$1$${salt}$`,
      `scrypt$32768$8$1$${salt}$${key!.slice(0, 8)}`,
      `scrypt$32768$8$1$${salt}$${key}$extra`,
      `scrypt$32768$0$1$${salt}$${key}`,
    ];
    for (const stored of bad) await expect(verifyPassword('x', stored), stored).resolves.toBe(false);
    expect(needsRehash('plain')).toBe(true);
  });
});

describe('sign-in backoff (pure)', () => {
  it('waits nothing up to the free failures, then 0.25 s doubling, never more than the cap', () => {
    expect([0, 3, 4, 5, 6, 7, 8].map((n) => backoffDelayMs(n, 3))).toEqual([0, 0, 250, 500, 1000, 2000, 4000]);
    for (const n of [9, 20, 100, 1e6]) expect(backoffDelayMs(n, 3)).toBe(LOGIN_MAX_DELAY_MS);
    expect(LOGIN_MAX_DELAY_MS).toBeLessThanOrEqual(5_000); // "a few seconds"
  });
});

describe('security headers (pure)', () => {
  it('lets the basemap origin (and WANGGE_CSP_ORIGINS) fetch data and images, never scripts', () => {
    const d = cspDirectives({
      basemapStyleUrl: 'https://t0.tianditu.gov.cn/styles/vec.json?tk=KEY',
      cspOrigins: ['https://t1.tianditu.gov.cn'],
    });
    expect(d['connect-src']).toEqual(["'self'", 'https://t0.tianditu.gov.cn', 'https://t1.tianditu.gov.cn']);
    expect(d['img-src']).toEqual(expect.arrayContaining(['https://t0.tianditu.gov.cn', 'https://t1.tianditu.gov.cn']));
    expect(d['script-src']).toEqual(["'self'"]);
    expect(cspDirectives({ basemapStyleUrl: undefined, cspOrigins: [] })['connect-src']).toEqual(["'self'"]);
    expect(() => cspDirectives({ basemapStyleUrl: 'not a url', cspOrigins: [] })).toThrow(/BASEMAP_STYLE_URL/);
  });
});

for (const driver of DRIVERS) {
  describe(`sessions, sign-in and headers [${driver}]`, () => {
    let server: TestServer;
    const http = httpClient(() => server.url);
    const login = (username: string, password = DEMO_PASSWORD, headers: Record<string, string> = {}) =>
      http.fetch('POST', '/api/auth/login', { headers, body: { username, password } });
    const cookieOf = (res: Response) => res.headers.get('set-cookie')!.split(';')[0]!;
    const me = (cookie: string) => http.fetch('GET', '/api/auth/me', { cookie });
    const tokenHash = (cookie: string) =>
      createHash('sha256')
        .update(decodeURIComponent(cookie.split('=')[1]!))
        .digest('base64url');
    const row = async (cookie: string) =>
      (
        await sql<{
          created_at: Date;
          expires_at: Date;
        }>`SELECT created_at, expires_at FROM sessions WHERE token_hash = ${tokenHash(cookie)}`.execute(
          server.database.db,
        )
      ).rows[0];
    const setSession = (cookie: string, created: string, expires: string) =>
      sql`UPDATE sessions SET created_at = now() + ${created}::interval, expires_at = now() + ${expires}::interval WHERE token_hash = ${tokenHash(cookie)}`.execute(
        server.database.db,
      );

    beforeAll(async () => {
      server = await startTestServer({ driver, demo: true, config: { loginRateLimit: LIMIT, trustProxy: 'loopback' } });
    }, 180_000);
    afterAll(async () => server?.close());

    it('the cookie is HttpOnly, SameSite=Lax, Path=/; Secure only behind HTTPS; the token is stored hashed', async () => {
      const plain = await login('admin');
      const flags = plain.headers.get('set-cookie')!;
      expect(flags).toMatch(new RegExp(`^${SESSION_COOKIE}=[A-Za-z0-9_-]{43};`));
      expect(flags).toMatch(/; HttpOnly/);
      expect(flags).toMatch(/; SameSite=Lax/);
      expect(flags).toMatch(/; Path=\//);
      expect(flags).not.toMatch(/; Secure/);
      const https = await login('admin', DEMO_PASSWORD, { 'x-forwarded-proto': 'https' });
      expect(https.headers.get('set-cookie')).toMatch(/; Secure/);
      const cookie = cookieOf(plain);
      const token = decodeURIComponent(cookie.split('=')[1]!);
      const stored = await sql<{ token_hash: string }>`SELECT token_hash FROM sessions`.execute(server.database.db);
      expect(stored.rows.map((r) => r.token_hash)).toContain(tokenHash(cookie));
      expect(stored.rows.some((r) => r.token_hash.includes(token))).toBe(false);
    });

    it('an expired session gets 401, its row is deleted and the cookie cleared; logout deletes the row', async () => {
      const cookie = cookieOf(await login('planner'));
      expect((await me(cookie)).status).toBe(200);
      await setSession(cookie, '-1 hour', '-1 second');
      const expired = await me(cookie);
      expect(expired.status).toBe(401);
      expect(expired.headers.get('set-cookie')).toMatch(new RegExp(`^${SESSION_COOKIE}=;.*Expires=Thu, 01 Jan 1970`));
      expect(await row(cookie)).toBeUndefined();

      const other = cookieOf(await login('planner'));
      expect(await row(other)).toBeDefined();
      expect((await http.fetch('POST', '/api/auth/logout', { cookie: other, contentType: '' })).status).toBe(204);
      expect(await row(other)).toBeUndefined();
      expect((await me(other)).status).toBe(401);
    });

    it('sliding expiry: use pushes the end to now + idle timeout, capped by the absolute lifetime', async () => {
      expect([server.config.sessionHours, server.config.sessionIdleMinutes]).toEqual([12, 120]);
      const cookie = cookieOf(await login('planner'));
      const fresh = (await row(cookie))!;
      // A new session ends after the idle timeout (2 h), not the absolute lifetime (12 h).
      expect(new Date(fresh.expires_at).getTime() - new Date(fresh.created_at).getTime()).toBeCloseTo(120 * 60_000, -3);
      await setSession(cookie, '-1 hour', '10 seconds');
      expect((await me(cookie)).status).toBe(200);
      const slid = new Date((await row(cookie))!.expires_at).getTime();
      expect(Math.abs(slid - (Date.now() + 120 * 60_000))).toBeLessThan(10_000);
      // Signed in 11.5 h ago: the absolute end (30 min from now) wins over the idle one.
      await setSession(cookie, '-11 hours -30 minutes', '10 seconds');
      expect((await me(cookie)).status).toBe(200);
      const capped = new Date((await row(cookie))!.expires_at).getTime();
      expect(Math.abs(capped - (Date.now() + 30 * 60_000))).toBeLessThan(10_000);
    });

    it('a short configured lifetime (sessionHours) ends sessions, existing ones included', async () => {
      const cookie = cookieOf(await login('planner'));
      const saved = server.config.sessionHours;
      try {
        server.config.sessionHours = 1.5 / 3600; // 1.5 s
        const short = cookieOf(await login('planner'));
        expect((await me(short)).status).toBe(200);
        await new Promise((resolve) => setTimeout(resolve, 1_700));
        expect((await me(short)).status).toBe(401);
        expect(await row(short)).toBeUndefined();
        // The session from before the change is older than the new lifetime too.
        expect((await me(cookie)).status).toBe(401);
        expect(await row(cookie)).toBeUndefined();
      } finally {
        server.config.sessionHours = saved;
      }
    });

    it('a weaker stored hash is replaced at the next sign-in, and the password still works', async () => {
      const salt = randomBytes(16);
      const weak = [
        'scrypt',
        16384,
        8,
        1,
        salt.toString('base64'),
        scryptSync(DEMO_PASSWORD, salt, 32, { N: 16384, r: 8, p: 1 }).toString('base64'),
      ].join('$');
      await sql`UPDATE users SET password_hash = ${weak} WHERE username = 'editor-004'`.execute(server.database.db);
      expect((await login('editor-004')).status).toBe(200);
      const { rows } = await sql<{
        password_hash: string;
      }>`SELECT password_hash FROM users WHERE username = 'editor-004'`.execute(server.database.db);
      expect(rows[0]!.password_hash).toMatch(
        new RegExp(`^scrypt\\$${PASSWORD_PARAMS.N}\\$8\\$1\\$[A-Za-z0-9+/]{22}==\\$[A-Za-z0-9+/]{43}=$`),
      );
      expect((await login('editor-004')).status).toBe(200);
    });

    it('an unknown username takes about as long as a wrong password (no enumeration by timing)', async () => {
      const time = async (username: string, ip: string) => {
        const started = performance.now();
        expect((await login(username, 'wrong', { 'x-forwarded-for': ip })).status).toBe(401);
        return performance.now() - started;
      };
      const median = (xs: number[]) => xs.sort((a, b) => a - b)[1]!;
      const known: number[] = [];
      const unknown: number[] = [];
      for (let i = 0; i < 3; i++) {
        known.push(await time('editor-100', `10.9.0.${i}`));
        unknown.push(await time(`nobody-${i}`, `10.9.1.${i}`));
      }
      // scrypt at N=2^15 takes tens of ms; without the dummy hash the unknown user answers in ~1 ms.
      expect(median(known)).toBeGreaterThan(20);
      expect(median(unknown)).toBeGreaterThan(median(known) * 0.5);
    });

    it(`sign-in: ${LIMIT} failures per (username, address) → 429 + Retry-After; the attacker's pair only`, async () => {
      const a = { 'x-forwarded-for': '10.1.0.1' };
      for (let i = 0; i < LIMIT; i++) expect((await login('planner', 'wrong', a)).status).toBe(401);
      const limited = await login('planner', 'wrong', a);
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      const error = ((await limited.json()) as { error: { code: string; message: string } }).error;
      expect(error.code).toBe('too_many_logins');
      expect(error.message).toMatch(/for this username from this address/);
      // Over the limit even the right password is not tried for that pair...
      expect((await login('planner', DEMO_PASSWORD, a)).status).toBe(429);
      // ...but another username from the same address is a different pair...
      expect((await login('admin', DEMO_PASSWORD, a)).status).toBe(200);
      // ...and the real planner at another address signs in: no lockout lever.
      expect((await login('planner', DEMO_PASSWORD, { 'x-forwarded-for': '10.1.0.2' })).status).toBe(200);
      // Successful sign-ins do not count.
      for (let i = 0; i < LIMIT + 2; i++)
        expect((await login('admin', DEMO_PASSWORD, { 'x-forwarded-for': '10.3.0.1' })).status).toBe(200);
    });

    it('sign-in: failures from many addresses slow one username down (delays, never a block); the right password still gets in', async () => {
      // One address alone is blocked at LIMIT, before any delay starts...
      for (let i = 0; i < LIMIT; i++)
        expect((await login('editor-003', 'wrong', { 'x-forwarded-for': '10.2.0.1' })).status).toBe(401);
      // ...so a second address's failures are the ones that wait: 0.25 s, then 0.5 s.
      for (let i = 0; i < 2; i++)
        expect((await login('editor-003', 'wrong', { 'x-forwarded-for': '10.2.0.2' })).status).toBe(401);
      const started = performance.now();
      const real = await login('editor-003', DEMO_PASSWORD, { 'x-forwarded-for': '10.2.0.99' });
      expect(real.status).toBe(200); // delayed (1 s for the 6th counted attempt), not refused
      expect(performance.now() - started).toBeGreaterThanOrEqual(backoffDelayMs(LIMIT + 3, LIMIT) - 5);
      // Other usernames are not slowed by it.
      expect((await login('admin', DEMO_PASSWORD, { 'x-forwarded-for': '10.2.0.99' })).status).toBe(200);
    });

    it(`sign-in: ${LIMIT * LOGIN_ADDRESS_FACTOR} failures from one address across usernames (password spraying) → 429`, async () => {
      const a = { 'x-forwarded-for': '10.4.0.1' };
      for (let i = 0; i < LIMIT * LOGIN_ADDRESS_FACTOR; i++)
        expect((await login(`sprayed-${i}`, 'wrong', a)).status).toBe(401);
      const limited = await login('admin', DEMO_PASSWORD, a);
      expect(limited.status).toBe(429);
      expect(((await limited.json()) as { error: { message: string } }).error.message).toMatch(/from this address/);
      expect((await login('admin', DEMO_PASSWORD, { 'x-forwarded-for': '10.4.0.2' })).status).toBe(200);
    });

    it('security headers and the CSP on the app, the finder, the worker page, the API, the docs, the OGC API and the tiles', async () => {
      const paths = [
        '/',
        '/find',
        '/worker',
        '/api/health',
        '/api/grids/131002001001001',
        '/api/docs',
        '/api/openapi.json',
        '/ogc',
        '/ogc/collections?f=html',
        '/tiles/grids.json',
        '/api/no-such-route',
      ];
      for (const path of paths) {
        const res = await http.fetch('GET', path);
        expect(res.status, path).toBeLessThan(500);
        const csp = res.headers.get('content-security-policy') ?? '';
        for (const directive of [
          "default-src 'self'",
          "script-src 'self'",
          "style-src 'self' 'unsafe-inline'",
          "img-src 'self' data: blob:",
          "worker-src 'self' blob:",
          "connect-src 'self'",
          "object-src 'none'",
          "frame-ancestors 'none'",
          "base-uri 'self'",
        ])
          expect(csp, `${path}: ${directive}`).toContain(directive);
        expect(csp, path).not.toMatch(/upgrade-insecure-requests|unsafe-eval|script-src[^;]*unsafe-inline/);
        expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
        expect(res.headers.get('referrer-policy'), path).toBe('strict-origin-when-cross-origin');
        expect(res.headers.get('x-frame-options'), path).toBe('DENY');
        expect(res.headers.get('x-powered-by'), path).toBeNull();
        // GIS clients and other sites' maps read the tiles and the OGC API.
        expect(res.headers.get('cross-origin-resource-policy'), path).toBe('cross-origin');
      }
    });
  });
}
