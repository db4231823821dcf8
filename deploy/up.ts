/**
 * `npm run deploy:local`: the deployment of docs/adr/0021-scale-out.md on this machine with one
 * command. nginx on --port (default 8080) in front of --apis API processes (default 2) on the
 * following ports, a redis-server after them (REDIS_URL for the APIs), and a streaming replica
 * (DATABASE_READ_URL) when deploy/replica.sh is there. Needs DATABASE_URL (a PostgreSQL with
 * PostGIS: one primary for every process). Ctrl+C or SIGTERM stops everything it started.
 *
 *   DATABASE_URL=postgres://postgres@localhost/wangge npm run deploy:local -- --port 8080 --apis 2 [--host 0.0.0.0]
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  REPO_ROOT,
  nginxInstalled,
  redisInstalled,
  startApi,
  startChild,
  startNginx,
  startRedis,
  waitForPort,
  type Child,
} from './processes.ts';

const log = (message: string) => console.log(`[deploy] ${message}`);
const REPLICA_SCRIPT = join(REPO_ROOT, 'deploy', 'replica.sh');

async function main() {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8080' },
      // nginx's address: this machine only unless told otherwise (0.0.0.0 for the network).
      host: { type: 'string', default: '127.0.0.1' },
      apis: { type: 'string', default: '2' },
      dir: { type: 'string' },
    },
  });
  const port = Number(values.port);
  const apiCount = Number(values.apis);
  if (!Number.isInteger(port) || port < 1 || port > 65_000)
    throw new Error(`--port must be a port, got ${values.port}`);
  if (!Number.isInteger(apiCount) || apiCount < 1) throw new Error(`--apis must be a count ≥ 1, got ${values.apis}`);
  const primary = process.env.DATABASE_URL;
  if (!primary)
    throw new Error('DATABASE_URL is not set: several API processes need one PostgreSQL (the server driver)');
  if (!nginxInstalled()) throw new Error('nginx is not installed: apt-get install -y nginx');
  const dir = values.dir ?? mkdtempSync(join(tmpdir(), 'wangge-deploy-'));
  // Run as root, replica.sh runs PostgreSQL as the postgres user, which must reach the replica's directory.
  if (process.getuid?.() === 0) chmodSync(dir, 0o755);
  const apiPorts = Array.from({ length: apiCount }, (_, i) => port + 1 + i);
  const redisPort = port + apiCount + 1;
  const replicaPort = port + apiCount + 2;

  const started: { stop(): Promise<void> }[] = [];
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log('stopping …');
    for (const part of started.reverse()) await part.stop().catch(() => {});
    if (!values.dir) rmSync(dir, { recursive: true, force: true });
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  try {
    const env: NodeJS.ProcessEnv = {
      DATABASE_URL: primary,
      // nginx is the one hop in front: req.ip is the address nginx saw (X-Forwarded-For).
      WANGGE_TRUST_PROXY: '1',
    };
    if (redisInstalled()) {
      const redis = await startRedis(redisPort, join(dir, 'redis'));
      started.push(redis);
      env.REDIS_URL = redis.url;
      log(`redis-server on 127.0.0.1:${redisPort}`);
    } else log('redis-server is not installed (apt-get install -y redis-server): rate limits stay per process');

    if (existsSync(REPLICA_SCRIPT)) {
      const dataDir = join(dir, 'replica');
      const replica = startChild('replica', 'bash', [REPLICA_SCRIPT, primary, String(replicaPort), dataDir]);
      // The script may start the replica in the background and exit, or stay in the foreground.
      await Promise.race([replica.exited, waitForPort(replicaPort, '127.0.0.1', 300_000)]);
      if (replica.process.exitCode && replica.process.exitCode !== 0)
        throw new Error(`deploy/replica.sh failed:\n${replica.output()}`);
      await waitForPort(replicaPort, '127.0.0.1', 60_000);
      started.push({ stop: () => stopReplica(replica, dataDir) });
      const url = new URL(primary);
      url.hostname = '127.0.0.1';
      url.port = String(replicaPort);
      env.DATABASE_READ_URL = url.toString();
      log(`streaming replica on 127.0.0.1:${replicaPort} (DATABASE_READ_URL)`);
    } else log('deploy/replica.sh is missing: no replica, public reads go to the primary');

    // The first process migrates and loads the demo alone (the migration runner takes no lock);
    // the others start once it serves.
    const prefix = (line: string, i: number) => console.log(`[api ${i + 1}] ${line}`);
    const first = await startApi('api 1', apiPorts[0]!, env, { onLine: (l) => prefix(l, 0) });
    started.push(first);
    const rest = await Promise.all(
      apiPorts.slice(1).map((p, i) => startApi(`api ${i + 2}`, p, env, { onLine: (l) => prefix(l, i + 1) })),
    );
    started.push(...rest);

    const nginx = await startNginx(join(dir, 'nginx'), {
      port,
      host: values.host,
      apis: apiPorts.map((p) => `127.0.0.1:${p}`),
    });
    started.push(nginx);
    log(`nginx → ${apiPorts.map((p) => `127.0.0.1:${p}`).join(', ')} (config ${nginx.configFile})`);
    log(`ready: http://${values.host === '0.0.0.0' ? 'localhost' : values.host}:${port}  (Ctrl+C stops everything)`);
    // A part that dies on its own takes the rest down: the deployment is not silently smaller.
    // (Ctrl+C in a terminal signals every process of the group at once: give our own handler a
    // moment to mark the stop as asked for.)
    for (const part of [nginx, first, ...rest])
      void part.exited.then(async () => {
        await new Promise((r) => setTimeout(r, 300));
        if (!stopping) {
          log(`${part.name} exited:\n${part.output().slice(-2000)}`);
          void stopAll(1);
        }
      });
  } catch (error) {
    console.error(`[deploy] ${(error as Error).message}`);
    await stopAll(1);
  }
}

/** The replica's postmaster gets SIGINT (fast shutdown); a foreground script is stopped as a child. */
async function stopReplica(script: Child, dataDir: string): Promise<void> {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (existsSync(pidFile)) {
    const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    if (Number.isInteger(pid) && pid > 0) {
      try {
        process.kill(pid, 'SIGINT');
      } catch {
        // already gone
      }
      for (let i = 0; i < 100 && existsSync(pidFile); i++) await new Promise((r) => setTimeout(r, 100));
    }
  }
  await script.stop();
}

main().catch((error: Error) => {
  console.error(`[deploy] ${error.message}`);
  process.exit(1);
});
