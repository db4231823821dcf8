/**
 * The real API as a child process (`node --import tsx server/main.ts`), for the fault tests:
 * it can be killed with SIGKILL mid-request and started again on the same database.
 * Node runs the server directly (not through npx), so the signal reaches the server itself.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export interface SpawnedServer {
  url: string;
  process: ChildProcess;
  /** Everything written to stderr and stdout so far. */
  output(): string;
  /** Resolves when `text` appears in the output (rejects after `timeoutMs` or if the process exits). */
  waitFor(text: string, timeoutMs?: number): Promise<void>;
  /** SIGKILL, as a power cut or the OOM killer would; resolves once the process is gone. */
  kill9(): Promise<void>;
  /** SIGTERM (a clean shutdown); SIGKILL after 5 s. */
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** A connection string that works in `schema` (PostGIS stays in public). */
export function schemaUrl(base: string, schema: string): string {
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${schema},public`);
  return url.toString();
}

export async function spawnServer(
  env: Record<string, string>,
  options: { startTimeoutMs?: number } = {},
): Promise<SpawnedServer> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: process.cwd(),
    env: { ...process.env, PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const waiters: { text: string; resolve: () => void }[] = [];
  const onData = (chunk: Buffer) => {
    text += chunk.toString();
    for (const w of [...waiters]) if (text.includes(w.text)) w.resolve();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const waitFor = (wanted: string, timeoutMs = 60_000) =>
    new Promise<void>((resolve, reject) => {
      if (text.includes(wanted)) return resolve();
      const timer = setTimeout(
        () => reject(new Error(`"${wanted}" did not appear within ${timeoutMs} ms; output:\n${text.slice(-3000)}`)),
        timeoutMs,
      );
      const waiter = {
        text: wanted,
        resolve: () => (clearTimeout(timer), waiters.splice(waiters.indexOf(waiter), 1), resolve()),
      };
      waiters.push(waiter);
      void exited.then(() => {
        clearTimeout(timer);
        if (!text.includes(wanted))
          reject(new Error(`the server exited before "${wanted}"; output:\n${text.slice(-3000)}`));
      });
    });
  const server: SpawnedServer = {
    url: `http://127.0.0.1:${port}`,
    process: child,
    output: () => text,
    waitFor,
    async kill9() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
  try {
    await waitFor('Wangge is running', options.startTimeoutMs ?? 120_000);
  } catch (error) {
    await server.kill9();
    throw error;
  }
  return server;
}
