/** Login, session and logout over real HTTP; sessions live in the database. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionResponse, SessionState } from '../../common/contracts/auth.ts';
import { SESSION_COOKIE } from '../../common/contracts/auth.ts';
import { DRIVERS } from '../helpers/db.ts';
import { httpClient } from '../helpers/http-client.ts';
import { DEMO_PASSWORD } from '../helpers/templates.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

for (const driver of DRIVERS) {
  describe(`auth [${driver}]`, () => {
    let server: TestServer;
    const http = httpClient(() => server.url);
    const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      http.fetch(
        'POST',
        path,
        typeof body === 'string' ? { raw: body, contentType: 'application/json', headers } : { body, headers },
      );
    const sessionCount = async () =>
      Number(
        (
          await server.database.db
            .selectFrom('sessions')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    beforeAll(async () => {
      server = await startTestServer({ driver, demo: true });
    });
    afterAll(async () => server?.close());

    it('logs in, knows the user, logs out', async () => {
      const login = await post('/api/auth/login', { username: 'admin', password: DEMO_PASSWORD });
      expect(login.status).toBe(200);
      expect(((await login.json()) as SessionResponse).user).toMatchObject({ username: 'admin', role: 'admin' });
      const setCookie = login.headers.get('set-cookie')!;
      expect(setCookie).toMatch(new RegExp(`^${SESSION_COOKIE}=`));
      expect(setCookie).toMatch(/HttpOnly/i);
      const cookie = setCookie.split(';')[0]!;

      const me = await http.fetch('GET', '/api/auth/me', { cookie });
      expect(me.status).toBe(200);
      expect(((await me.json()) as SessionResponse).user.username).toBe('admin');

      // The session is a row in the database, stored as a hash of the token.
      const token = decodeURIComponent(cookie.split('=')[1]!);
      const stored = await server.database.db.selectFrom('sessions').select('token_hash').execute();
      expect(stored.some((s) => s.token_hash === token)).toBe(false);
      expect(stored.length).toBeGreaterThan(0);

      expect((await post('/api/auth/logout', {}, { cookie })).status).toBe(204);
      expect((await http.fetch('GET', '/api/auth/me', { cookie })).status).toBe(401);
    });

    it('GET /api/auth/session answers 200 for anonymous readers (user null) and names the signed-in user', async () => {
      const anonymous = await http.fetch('GET', '/api/auth/session');
      expect(anonymous.status).toBe(200);
      expect(anonymous.headers.get('cache-control')).toBe('no-store');
      expect(await anonymous.json()).toEqual({ user: null });

      const login = await post('/api/auth/login', { username: 'planner', password: DEMO_PASSWORD });
      const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
      const signedIn = await http.fetch('GET', '/api/auth/session', { cookie });
      expect(signedIn.status).toBe(200);
      expect(((await signedIn.json()) as SessionState).user).toMatchObject({ username: 'planner', role: 'planner' });

      // After sign-out the same cookie is anonymous again: still 200, user null.
      expect((await post('/api/auth/logout', {}, { cookie })).status).toBe(204);
      const after = await http.fetch('GET', '/api/auth/session', { cookie });
      expect(after.status).toBe(200);
      expect(await after.json()).toEqual({ user: null });
    });

    it('street editors exist for each street, with their street code', async () => {
      const users = await server.database.db.selectFrom('users').select(['username', 'role', 'street_code']).execute();
      const editors = users.filter((u) => u.role === 'editor');
      const streets = await server.database.db
        .selectFrom('regions')
        .select('code')
        .where('level', '=', 'street')
        .execute();
      expect(editors.map((e) => e.street_code).sort()).toEqual(streets.map((s) => s.code).sort());
      expect(users.map((u) => u.username)).toEqual(expect.arrayContaining(['admin', 'planner']));
      const login = await post('/api/auth/login', { username: editors[0]!.username, password: DEMO_PASSWORD });
      expect(((await login.json()) as SessionResponse).user).toMatchObject({
        role: 'editor',
        street_code: editors[0]!.street_code,
      });
    });

    it('a rejected login changes nothing and says why', async () => {
      const before = await sessionCount();
      const wrong = await post('/api/auth/login', { username: 'admin', password: 'nope' });
      expect(wrong.status).toBe(401);
      expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe('bad_credentials');
      const unknown = await post('/api/auth/login', { username: 'ghost', password: 'nope' });
      expect(unknown.status).toBe(401);
      const missing = await post('/api/auth/login', { password: 'x' });
      expect(missing.status).toBe(400);
      expect(((await missing.json()) as { error: { param: string } }).error.param).toBe('username');
      const broken = await post('/api/auth/login', '{"username":');
      expect(broken.status).toBe(400);
      expect(((await broken.json()) as { error: { code: string } }).error.code).toBe('invalid_json');
      expect(await sessionCount()).toBe(before);
      expect(wrong.headers.get('set-cookie')).toBeNull();
    });
  });
}
