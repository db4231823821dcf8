/**
 * nginx (deploy/nginx.conf.template) in front of API processes on one test database, for the
 * deployment tests and the nginx fault test: the server driver only, every part on a free
 * port of 127.0.0.1, nginx's prefix (config, logs, cache) in a temporary directory.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { nginxInstalled, startApi, startNginx, type Child, type Nginx } from '../../deploy/processes.ts';
import { openTestDatabase, SERVER_URL, type TestDatabase } from './db.ts';
import { DEMO_PASSWORD } from './templates.ts';
import { freePort, schemaUrl } from '../faults/spawn-server.ts';

/** Why a deployment test cannot run here, or undefined when it can. */
export const deploySkipReason = (): string | undefined =>
  !SERVER_URL
    ? 'TEST_DATABASE_URL is not set (the deployment runs on the server driver only)'
    : !nginxInstalled()
      ? 'nginx is not installed (/usr/sbin/nginx; apt-get install -y nginx)'
      : undefined;

export type Api = Child & { url: string; port: number };

export interface DeployStack {
  database: TestDatabase;
  nginx: Nginx;
  apis: Api[];
  /** The environment every API process gets (for a restart). */
  env: NodeJS.ProcessEnv;
  /** Start API `i` again on its port (after kill9). */
  restartApi(i: number): Promise<Api>;
  /** The access log's lines so far (format `wangge` in the template). */
  accessLog(): string[];
  close(): Promise<void>;
}

/** Something between the API processes and PostgreSQL (pgbouncer): it gives their DATABASE_URL. */
export type DatabaseFront = (
  database: TestDatabase,
  dir: string,
) => Promise<{ databaseUrl: string; stop(): Promise<void> }>;

export async function startDeployStack(
  options: { apis?: number; env?: NodeJS.ProcessEnv; failTimeoutS?: number; front?: DatabaseFront } = {},
): Promise<DeployStack> {
  const database = await openTestDatabase('server', { demo: true });
  const dir = mkdtempSync(join(tmpdir(), 'wangge-deploy-test-'));
  const front = options.front
    ? await options.front(database, dir).catch(async (error: unknown) => {
        await database.close();
        throw error;
      })
    : undefined;
  const env: NodeJS.ProcessEnv = {
    DATABASE_URL: front?.databaseUrl ?? schemaUrl(SERVER_URL!, database.schema!),
    WANGGE_TRUST_PROXY: '1',
    WANGGE_DEMO_PASSWORD: DEMO_PASSWORD,
    WANGGE_LOAD_DEMO: '0',
    ...options.env,
  };
  const apis: Api[] = [];
  let nginx: Nginx | undefined;
  const close = async () => {
    await nginx?.stop();
    await Promise.all(apis.map((a) => a.stop()));
    await front?.stop();
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const ports = await Promise.all(Array.from({ length: options.apis ?? 2 }, () => freePort()));
    apis.push(...(await Promise.all(ports.map((p, i) => startApi(`api ${i + 1}`, p, env)))));
    nginx = await startNginx(join(dir, 'nginx'), {
      port: await freePort(),
      apis: ports.map((p) => `127.0.0.1:${p}`),
      workers: 1, // one worker: one round-robin order and one keep-alive pool, so the tests see both processes used
      failTimeoutS: options.failTimeoutS,
    });
  } catch (error) {
    await close();
    throw error;
  }
  return {
    database,
    nginx,
    apis,
    env,
    async restartApi(i) {
      apis[i] = await startApi(`api ${i + 1}`, apis[i]!.port, env);
      return apis[i]!;
    },
    accessLog: () => readFileSync(nginx!.accessLog, 'utf8').split('\n').filter(Boolean),
    close,
  };
}

export interface PlainResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * A GET from a chosen loopback source address (127.0.0.2, …): nginx sees a client address of
 * its own that is not nginx's, so the test can tell which address the API keyed a limit by.
 */
export function getFrom(
  localAddress: string,
  url: string,
  headers: Record<string, string> = {},
): Promise<PlainResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { localAddress, headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}
