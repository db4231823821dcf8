/**
 * The parts of a local deployment as child processes: nginx (Debian's, with a generated
 * configuration in its own prefix), redis-server on a private port, and API processes
 * (`node --import tsx server/main.ts`). Used by `npm run deploy:local` (deploy/up.ts) and the
 * deployment tests; each part stops with its own process id.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderNginxConfig, type NginxOptions } from './nginx-config.ts';

export const NGINX = '/usr/sbin/nginx';
export const REDIS_SERVER = '/usr/bin/redis-server';
export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface Child {
  name: string;
  process: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** Resolves when `text` appears in the output; rejects after `timeoutMs` or when the process exits first. */
  waitFor(text: string, timeoutMs?: number): Promise<void>;
  /** Resolves when the process has exited. */
  exited: Promise<void>;
  /** SIGKILL (a power cut, the OOM killer). */
  kill9(): Promise<void>;
  /** `signal` (SIGTERM by default), then SIGKILL after 5 s. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export function startChild(
  name: string,
  command: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; onLine?: (line: string) => void } = {},
): Child {
  const child = spawn(command, args, {
    cwd: options.cwd ?? REPO_ROOT,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  let pending = '';
  const waiters = new Set<{ text: string; resolve: () => void }>();
  const onData = (chunk: Buffer) => {
    const s = chunk.toString();
    text += s;
    if (options.onLine) {
      pending += s;
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) options.onLine(line);
    }
    for (const w of [...waiters]) if (text.includes(w.text)) w.resolve();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', (error) => ((text += `\n${error.message}`), resolve()));
  });
  const running = () => child.exitCode === null && child.signalCode === null;
  const waitFor = (wanted: string, timeoutMs = 120_000) =>
    new Promise<void>((resolve, reject) => {
      if (text.includes(wanted)) return resolve();
      const waiter = {
        text: wanted,
        resolve: () => (clearTimeout(timer), waiters.delete(waiter), resolve()),
      };
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(new Error(`${name}: "${wanted}" did not appear within ${timeoutMs} ms; output:\n${text.slice(-3000)}`));
      }, timeoutMs);
      waiters.add(waiter);
      void exited.then(() => {
        clearTimeout(timer);
        if (!text.includes(wanted))
          reject(new Error(`${name} exited before "${wanted}"; output:\n${text.slice(-3000)}`));
      });
    });
  return {
    name,
    process: child,
    output: () => text,
    waitFor,
    exited,
    async kill9() {
      if (running()) child.kill('SIGKILL');
      await exited;
    },
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (running()) {
        child.kill(signal);
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

/** Resolves once something accepts TCP connections on host:port (polls every 50 ms). */
export async function waitForPort(port: number, host = '127.0.0.1', timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect({ port, host });
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on ${host}:${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface Nginx extends Child {
  prefix: string;
  url: string;
  configFile: string;
  accessLog: string;
  errorLog: string;
}

/**
 * nginx in the foreground (`daemon off` in the template) with its configuration, pid file, logs,
 * temp files and cache under `prefix`. Stops with SIGQUIT (finish the requests in flight).
 */
export async function startNginx(
  prefix: string,
  options: Omit<NginxOptions, 'cacheDir' | 'listen'> & { port: number; host?: string },
): Promise<Nginx> {
  for (const dir of ['logs', 'tmp', 'cache']) mkdirSync(join(prefix, dir), { recursive: true });
  const configFile = join(prefix, 'nginx.conf');
  const host = options.host ?? '127.0.0.1';
  writeFileSync(
    configFile,
    renderNginxConfig({
      ...options,
      listen: `${host}:${options.port}`,
      cacheDir: join(prefix, 'cache'),
      // Started as root (CI, this machine), workers would run as nobody and could not write the
      // prefix's temp and cache directories; as any other user, nginx ignores the directive.
      user: options.user ?? (process.getuid?.() === 0 ? 'root' : undefined),
    }),
  );
  const child = startChild('nginx', NGINX, ['-c', configFile, '-p', `${prefix}/`, '-e', 'stderr']);
  const ready = waitForPort(options.port, host);
  await Promise.race([ready, child.exited.then(() => Promise.reject(new Error(`nginx exited:\n${child.output()}`)))]);
  return {
    ...child,
    stop: (signal: NodeJS.Signals = 'SIGQUIT') => child.stop(signal),
    prefix,
    url: `http://${host}:${options.port}`,
    configFile,
    accessLog: join(prefix, 'logs', 'access.log'),
    errorLog: join(prefix, 'logs', 'error.log'),
  };
}

/** redis-server on 127.0.0.1:port, nothing persisted (counters only). */
export async function startRedis(port: number, dir: string): Promise<Child & { url: string }> {
  mkdirSync(dir, { recursive: true });
  const child = startChild('redis', REDIS_SERVER, [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    dir,
  ]);
  await child.waitFor('Ready to accept connections', 15_000);
  return { ...child, url: `redis://127.0.0.1:${port}` };
}

/** One API process on `port` (server driver: DATABASE_URL in `env`); resolves once it serves. */
export async function startApi(
  name: string,
  port: number,
  env: NodeJS.ProcessEnv,
  options: { onLine?: (line: string) => void; startTimeoutMs?: number } = {},
): Promise<Child & { url: string; port: number }> {
  const child = startChild(name, process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: { ...process.env, ...env, PORT: String(port) },
    onLine: options.onLine,
  });
  try {
    await child.waitFor('Wangge is running', options.startTimeoutMs ?? 180_000);
  } catch (error) {
    await child.kill9();
    throw error;
  }
  return { ...child, url: `http://127.0.0.1:${port}`, port };
}

export const nginxInstalled = () => existsSync(NGINX);
export const redisInstalled = () => existsSync(REDIS_SERVER);

export const PGBOUNCER = '/usr/sbin/pgbouncer';
export const pgbouncerInstalled = () => existsSync(PGBOUNCER);

/**
 * pgbouncer in the foreground with its ini in `dir`. It refuses to run as root, so as root its
 * workers run as `nobody` (the directory is made theirs to write).
 */
export async function startPgbouncer(dir: string, port: number, ini: string): Promise<Child> {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'pgbouncer.ini');
  writeFileSync(file, ini);
  const asRoot = process.getuid?.() === 0;
  if (asRoot) chmodSync(dir, 0o777);
  const child = startChild('pgbouncer', PGBOUNCER, [...(asRoot ? ['-u', 'nobody'] : []), file]);
  await Promise.race([
    waitForPort(port),
    child.exited.then(() => Promise.reject(new Error(`pgbouncer exited:\n${child.output()}`))),
  ]);
  return child;
}
