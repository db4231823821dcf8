/**
 * A real redis-server (Debian's) on a free loopback port, started by the test itself, that the
 * test can stop and start again on the same port (an outage, a restart). No persistence: a
 * restarted Redis starts empty, as one without a volume would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { freePort } from '../faults/spawn-server.ts';

export const REDIS_SERVER = '/usr/bin/redis-server';
/** Why Redis tests skip, or undefined when they can run. */
export const NO_REDIS = existsSync(REDIS_SERVER)
  ? undefined
  : `${REDIS_SERVER} is missing (apt-get install redis-server): skipping the Redis tests`;

export interface TestRedis {
  url: string;
  port: number;
  /** Stops the server (SIGTERM) and waits until it is gone. */
  stop(): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
  readonly running: boolean;
}

export async function startRedis(): Promise<TestRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const launch = () =>
    new Promise<void>((resolve, reject) => {
      const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
      const proc = spawn(REDIS_SERVER, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      let text = '';
      const timer = setTimeout(() => reject(new Error(`redis-server did not start in 10 s:\n${text}`)), 10_000);
      proc.stdout!.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        if (text.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
      proc.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()));
      proc.once('exit', (code) => {
        clearTimeout(timer);
        if (child === proc) child = undefined;
        reject(new Error(`redis-server exited (${code}):\n${text}`));
      });
      child = proc;
    });
  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    get running() {
      return child !== undefined;
    },
    async stop() {
      const proc = child;
      if (!proc) return;
      const gone = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
      proc.kill('SIGTERM');
      await gone;
    },
    start: launch,
  };
}
