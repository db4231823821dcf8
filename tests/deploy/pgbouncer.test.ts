/**
 * The API through pgbouncer in transaction pooling (deploy/pgbouncer.ini as checked in, with
 * this machine's address, auth and paths): two API processes behind nginx share a pool of
 * three PostgreSQL connections, and reads, sign-in, a whole-district validation (two
 * connections sharing a snapshot) and a draft's create and discard (write transactions) all
 * work, with more clients than server connections. tests/unit/pgbouncer-safe.test.ts checks
 * the code for statements that would need a session. Server driver only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { join } from 'node:path';
import { mkdirSync, writeFileSync } from 'node:fs';
import { pgbouncerInstalled, startPgbouncer } from '../../deploy/processes.ts';
import { renderPgbouncerIni } from '../../deploy/pgbouncer-config.ts';
import { httpClient } from '../helpers/http-client.ts';
import { SERVER_URL } from '../helpers/db.ts';
import { deploySkipReason, startDeployStack, type DeployStack } from '../helpers/deploy-stack.ts';
import { freePort } from '../faults/spawn-server.ts';

const reason =
  deploySkipReason() ??
  (pgbouncerInstalled() ? undefined : 'pgbouncer is not installed (/usr/sbin/pgbouncer; apt-get install -y pgbouncer)');
const SERVER_CONNECTIONS = 3;
const DISTRICT = '131002000000';
const STREET = '131002003000';

describe.skipIf(!!reason)(
  reason ? `the API through pgbouncer (skipped: ${reason})` : 'the API through pgbouncer, transaction pooling [server]',
  () => {
    let stack: DeployStack;
    let admin: string;
    const cookies: Record<string, string> = {};
    const http = httpClient(() => stack.nginx.url, cookies);
    const show = async (what: 'SERVERS' | 'CLIENTS' | 'POOLS') => {
      const client = new pg.Client({ connectionString: admin });
      await client.connect();
      try {
        return (await client.query(`SHOW ${what}`)).rows as Record<string, unknown>[];
      } finally {
        await client.end();
      }
    };

    beforeAll(async () => {
      stack = await startDeployStack({
        front: async (database, dir) => {
          const port = await freePort();
          const bouncerDir = join(dir, 'pgbouncer');
          const ini = renderPgbouncerIni({
            name: 'wangge',
            target: SERVER_URL!,
            // What `ALTER ROLE … SET search_path` does in production: each test file has its schema.
            connectQuery: `SET search_path = ${database.schema}, public`,
            settings: {
              listen_port: port,
              auth_type: 'any',
              auth_file: join(bouncerDir, 'userlist.txt'),
              logfile: '', // stderr, which the test keeps
              pidfile: '', // in the foreground: none
              unix_socket_dir: '',
              default_pool_size: SERVER_CONNECTIONS,
              reserve_pool_size: 0,
              admin_users: 'wangge_admin',
            },
          });
          mkdirSync(bouncerDir, { recursive: true });
          writeFileSync(join(bouncerDir, 'userlist.txt'), '');
          const bouncer = await startPgbouncer(bouncerDir, port, ini);
          admin = `postgres://wangge_admin@127.0.0.1:${port}/pgbouncer`;
          return { databaseUrl: `postgres://wangge@127.0.0.1:${port}/wangge`, stop: () => bouncer.stop('SIGINT') };
        },
      });
    });
    afterAll(async () => stack?.close());

    it('serves reads and signed-in reads from many clients over three server connections', async () => {
      await http.login('planner');
      const requests = Array.from({ length: 40 }, (_, i) =>
        i % 2
          ? http.get('/api/auth/me', { as: 'planner' })
          : http.get(`/api/grids?region=${DISTRICT}`).then((r) => ({ ...r, text: '' })),
      );
      const answers = await Promise.all(requests);
      expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
      const servers = await show('SERVERS');
      const clients = (await show('CLIENTS')).filter((c) => c.database === 'wangge');
      expect(servers.length).toBeLessThanOrEqual(SERVER_CONNECTIONS);
      expect(clients.length).toBeGreaterThan(SERVER_CONNECTIONS);
    });

    it('validates the whole district: cold at each start (a REPEATABLE READ transaction, a sibling may share its snapshot), then on request', async () => {
      for (const api of stack.apis) {
        await api.waitFor('Validation ', 60_000);
        expect(api.output()).toMatch(/Validation ready: 319 grids in 53 communities/);
      }
      const res = await http.get<{ grids: number; problems: { features: unknown[] } }>(
        `/api/validation?region=${DISTRICT}`,
        { as: 'planner' },
      );
      expect(res.status, res.text.slice(0, 300)).toBe(200);
      expect(res.body.grids).toBe(319);
    });

    it('writes: a draft is created and discarded, each in one transaction', async () => {
      await http.login('editor-003');
      const draft = await http.post<{ id: number }>('/api/drafts', {
        as: 'editor-003',
        body: { street: STREET, title: 'through pgbouncer' },
      });
      expect(draft.status, draft.text).toBe(201);
      const discarded = await http.post(`/api/drafts/${draft.body.id}/discard`, { as: 'editor-003' });
      expect(discarded.status, discarded.text).toBe(200);
      const again = await http.get<{ draft: { status: string } }>(`/api/drafts/${draft.body.id}`, { as: 'editor-003' });
      expect(again.body.draft.status).toBe('discarded');
    });
  },
);
