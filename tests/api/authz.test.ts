/**
 * Authorization for every operation of the OpenAPI document (so a new route is covered as soon
 * as it is documented, and tests/api/openapi.test.ts makes sure it is): each operation that is
 * not public is sent as anonymous (401), each write as a planner (403) and each street-scoped
 * write as the editor of another street (403), with a plausible request (tests/helpers/
 * authz-fixtures.ts) and again with an empty body — the access check must come before the body
 * is judged, or a 400 would tell a stranger what the route accepts. After every operation a
 * checksum of every table but sessions must be unchanged. Then, as a control that the
 * fixtures reach the check at all, the street's own editor gets neither 401 nor 403.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DRIVERS } from '../helpers/db.ts';
import { httpClient } from '../helpers/http-client.ts';
import { sessionCookie } from '../helpers/session.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import {
  fallbackRequest,
  FIXTURES,
  loadFacts,
  OTHER_EDITOR,
  OWN_EDITOR,
  type AuthzRequest,
  type Facts,
} from '../helpers/authz-fixtures.ts';

type Op = { 'x-access'?: string; parameters?: { in: string; name: string; schema?: { examples?: unknown[] } }[] };
type Doc = { paths: Record<string, Record<string, Op>> };
const METHODS = ['get', 'put', 'post', 'patch', 'delete'];

/** md5 of every row of every table of this schema but sessions (and PostGIS's own). */
async function checksum(server: TestServer): Promise<string> {
  const { rows: tables } = await sql<{ name: string }>`
    SELECT table_name AS name FROM information_schema.tables
    WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name NOT IN ('sessions', 'spatial_ref_sys')
    ORDER BY table_name`.execute(server.database.db);
  const parts = tables.map(
    (t) =>
      sql`(SELECT ${t.name} || ':' || coalesce(md5(string_agg(md5(x::text), ',' ORDER BY md5(x::text))), '') FROM ${sql.table(t.name)} x)`,
  );
  return (await sql<{ sum: string }>`SELECT concat_ws('#', ${sql.join(parts)}) AS sum`.execute(server.database.db))
    .rows[0]!.sum;
}

for (const driver of DRIVERS) {
  describe(`authorization per operation and role [${driver}]`, () => {
    let server: TestServer;
    let doc: Doc;
    let facts: Facts;
    const cookies: Record<string, string> = {};

    const operations = () =>
      Object.entries(doc.paths).flatMap(([path, item]) =>
        Object.entries(item)
          .filter(([m]) => METHODS.includes(m))
          .map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, method, path, op })),
      );
    const requestsFor = (key: string, path: string, op: Op): AuthzRequest[] => {
      const fixture = FIXTURES[key];
      return fixture ? [fixture(facts)].flat() : [fallbackRequest(path, op)];
    };
    const http = httpClient(() => server.url, cookies);
    const send = async (method: string, request: AuthzRequest, as: string | undefined, emptyBody = false) => {
      const options = { as, headers: request.headers };
      if (method === 'GET') return http.request(method, request.path, options);
      if (!emptyBody && request.form) return http.request(method, request.path, { ...options, raw: request.form() });
      return http.request(method, request.path, { ...options, body: emptyBody ? {} : (request.body ?? {}) });
    };

    beforeAll(async () => {
      server = await startTestServer({ driver, demo: true });
      doc = (await http.get<Doc>('/api/openapi.json')).body;
      for (const user of ['admin', 'planner', OWN_EDITOR, OTHER_EDITOR])
        cookies[user] = await sessionCookie(server.url, user);
      facts = await loadFacts(server.database.db, server.url, cookies.admin!);
    }, 180_000);
    afterAll(async () => server?.close());

    it('the document gives every operation an access rule, and the fixtures name real operations', () => {
      const ops = operations();
      expect(ops.length).toBeGreaterThan(60);
      for (const { key, op } of ops)
        expect(['public', 'optional', 'user', 'writer', 'admin'], key).toContain(op['x-access']);
      const keys = new Set(ops.map((o) => o.key));
      for (const key of Object.keys(FIXTURES)) expect(keys.has(key), `fixture for ${key}`).toBe(true);
      // Every write has a fixture: a street-scoped write needs a target in a street to be tested properly.
      const writes = ops.filter((o) => o.op['x-access'] === 'writer' || o.op['x-access'] === 'admin');
      expect(writes.length).toBeGreaterThan(20);
      expect(
        writes.filter((o) => !FIXTURES[o.key]).map((o) => o.key),
        'writes without a fixture in tests/helpers/authz-fixtures.ts',
      ).toEqual([]);
    });

    it("anonymous 401, planner 403 on writes, another street's editor 403 on street writes; access is checked before the body; nothing changes", async () => {
      const baseline = await checksum(server);
      const wrong: string[] = [];
      const expectStatus = (where: string, got: { status: number; text: string }, want: number) => {
        if (got.status !== want) wrong.push(`${where}: ${got.status} (want ${want}) ${got.text.slice(0, 160)}`);
        else if (!/^\{"error":\{"code":"[a-z_]+","message":"[^"]+/.test(got.text))
          wrong.push(`${where}: ${want} without a JSON error naming the problem: ${got.text.slice(0, 120)}`);
      };
      let tried = 0;
      for (const { key, method, path, op } of operations()) {
        const access = op['x-access'];
        if (access === 'public' || access === 'optional') continue;
        for (const request of requestsFor(key, path, op)) {
          const where = `${key} (${request.path})`;
          expectStatus(`${where} anonymous`, await send(method.toUpperCase(), request, undefined), 401);
          if (method !== 'get')
            expectStatus(
              `${where} anonymous, empty body`,
              await send(method.toUpperCase(), request, undefined, true),
              401,
            );
          if (access === 'writer' || access === 'admin') {
            expectStatus(`${where} planner`, await send(method.toUpperCase(), request, 'planner'), 403);
            if (method !== 'get')
              expectStatus(
                `${where} planner, empty body`,
                await send(method.toUpperCase(), request, 'planner', true),
                403,
              );
            if (request.street || access === 'admin')
              expectStatus(`${where} ${OTHER_EDITOR}`, await send(method.toUpperCase(), request, OTHER_EDITOR), 403);
          }
          tried++;
          const now = await checksum(server);
          if (now !== baseline) {
            wrong.push(`${where}: the database changed`);
            break;
          }
        }
      }
      expect(wrong).toEqual([]);
      expect(tried).toBeGreaterThanOrEqual(40);
    }, 300_000);

    it("control: the same requests pass the access check for the street's own editor (neither 401 nor 403)", async () => {
      const wrong: string[] = [];
      for (const { key, method, op } of operations()) {
        if (op['x-access'] !== 'writer' && op['x-access'] !== 'user') continue;
        // Delete last: the other fixtures aim at the same grid and station.
        if (method === 'delete') continue;
        for (const request of requestsFor(key, key.split(' ')[1]!, op)) {
          const got = await send(method.toUpperCase(), request, OWN_EDITOR);
          if (got.status === 401 || got.status === 403 || got.status >= 500)
            wrong.push(`${key} (${request.path}): ${got.status} ${got.text.slice(0, 160)}`);
        }
      }
      expect(wrong).toEqual([]);
    }, 300_000);
  });
}
