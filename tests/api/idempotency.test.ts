/**
 * Idempotency-Key over real HTTP on each driver: a write retried with its key takes effect
 * once and the retry gets the first answer (Idempotent-Replayed: true); the key with another
 * body is 422; keys belong to a user and expire after 24 h; a malformed key is 400; two
 * copies sent at once (server driver) make one changeset and neither is a 500.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { EditResponse } from '../../common/contracts/editing.ts';
import { DRIVERS } from '../helpers/db.ts';
import { httpClient } from '../helpers/http-client.ts';
import { sessionCookie } from '../helpers/session.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

const STREET = '131002003000';

for (const driver of DRIVERS) {
  describe(`Idempotency-Key [${driver}]`, () => {
    let server: TestServer;
    const cookies: Record<string, string> = {};
    const http = httpClient(() => server.url, cookies);
    const call = async <T = Record<string, unknown>>(
      method: string,
      path: string,
      as: string,
      body: unknown,
      headers: Record<string, string> = {},
    ) => {
      const res = await http.request<T>(method, path, { as, body, headers });
      return { status: res.status, replayed: res.headers.get('idempotent-replayed'), body: res.body };
    };
    const count = async (table: 'changesets' | 'drafts') =>
      (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(server.database.db))
        .rows[0]!.n;
    const newDraft = async (key?: string, as = 'editor-003') =>
      call<{ id: number }>(
        'POST',
        '/api/drafts',
        as,
        { street: STREET, title: 'idempotency' },
        key ? { 'idempotency-key': key } : {},
      );
    const gridOf = async (n: number) =>
      (
        await sql<{
          code: string;
          version: number;
        }>`SELECT code, version FROM grids WHERE community_code LIKE ${STREET.slice(0, 9) + '%'} ORDER BY code OFFSET ${n} LIMIT 1`.execute(
          server.database.db,
        )
      ).rows[0]!;
    const rename = (
      draft: number,
      grid: { code: string; version: number },
      key: string,
      name: string,
      as = 'editor-003',
    ) =>
      call<EditResponse>(
        'PATCH',
        `/api/drafts/${draft}/grids/${grid.code}`,
        as,
        { name, comment: 'rename' },
        { 'idempotency-key': key, 'if-match': `"${grid.code}.v${grid.version}"` },
      );

    beforeAll(async () => {
      server = await startTestServer({ driver, demo: true });
      for (const user of ['admin', 'editor-003']) cookies[user] = await sessionCookie(server.url, user);
    });
    afterAll(async () => server?.close());

    it('a retried edit takes effect once and gets the first answer; another body with the key is 422', async () => {
      const draft = (await newDraft()).body.id;
      const grid = await gridOf(0);
      const before = await count('changesets');
      const first = await rename(draft, grid, 'rename-1', '重试网格');
      expect(first.status, JSON.stringify(first.body)).toBe(200);
      expect(first.replayed).toBeNull();
      const again = await rename(draft, grid, 'rename-1', '重试网格');
      expect(again).toEqual({ status: 200, replayed: 'true', body: first.body });
      expect(await count('changesets')).toBe(before + 1);
      const other = await rename(draft, grid, 'rename-1', '别的名字');
      expect(other.status).toBe(422);
      expect(other.body.error).toMatchObject({ code: 'idempotency_key_reused', param: 'Idempotency-Key' });
      expect(await count('changesets')).toBe(before + 1);
    });

    it('a refused write stores no key: fixed and retried with the same key, it runs', async () => {
      const draft = (await newDraft()).body.id;
      const grid = await gridOf(1);
      const stale = await call(
        'PATCH',
        `/api/drafts/${draft}/grids/${grid.code}`,
        'editor-003',
        { name: 'x', comment: 'stale' },
        { 'idempotency-key': 'stale-1', 'if-match': `"${grid.code}.v999"` },
      );
      expect(stale.status).toBe(412);
      const { rows } = await sql`SELECT 1 FROM idempotency_keys WHERE key = 'stale-1'`.execute(server.database.db);
      expect(rows).toHaveLength(0);
      expect(
        (
          await call(
            'PATCH',
            `/api/drafts/${draft}/grids/${grid.code}`,
            'editor-003',
            { name: 'x', comment: 'stale' },
            { 'idempotency-key': 'stale-1', 'if-match': `"${grid.code}.v${grid.version}"` },
          )
        ).status,
      ).toBe(200);
    });

    it('keys belong to a user, expire after 24 h, and must be 1–255 visible characters', async () => {
      const drafts = await count('drafts');
      const mine = await newDraft('draft-1');
      expect(mine.status).toBe(201);
      expect(await newDraft('draft-1')).toEqual({ status: 201, replayed: 'true', body: mine.body });
      expect(await count('drafts')).toBe(drafts + 1);
      // The admin's draft-1 is another key.
      const admins = await newDraft('draft-1', 'admin');
      expect(admins.replayed).toBeNull();
      expect(admins.body.id).not.toBe(mine.body.id);
      expect(await count('drafts')).toBe(drafts + 2);
      // A day later the key is free again.
      await sql`UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = 'draft-1'`.execute(
        server.database.db,
      );
      const later = await newDraft('draft-1');
      expect(later.replayed).toBeNull();
      expect(later.body.id).not.toBe(mine.body.id);
      for (const bad of ['', 'x'.repeat(256), 'with space']) {
        const res = await http.post<{ error: { param: string } }>('/api/drafts', {
          as: 'editor-003',
          headers: { 'idempotency-key': bad },
          body: { street: STREET, title: 'bad key' },
        });
        expect(res.status, JSON.stringify(bad)).toBe(400);
        expect(res.body.error.param).toBe('Idempotency-Key');
      }
      expect(await count('drafts')).toBe(drafts + 3);
    });

    it.skipIf(driver !== 'server')(
      'two copies sent at once: one changeset, the other replayed or told it is in progress, never a 500',
      async () => {
        const draft = (await newDraft()).body.id;
        const grid = await gridOf(2);
        const before = await count('changesets');
        const answers = await Promise.all([0, 1, 2, 3].map(() => rename(draft, grid, 'burst-1', '并发')));
        const statuses = answers.map((a) => a.status).sort();
        expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(1);
        expect(statuses.every((s) => s === 200 || s === 409)).toBe(true);
        expect(answers.filter((a) => a.status === 200 && a.replayed === null)).toHaveLength(1);
        expect(await count('changesets')).toBe(before + 1);
      },
    );
  });
}
