/**
 * Run a bench worker (worker.ts) with a timeout per timed run: the clock restarts at every
 * message, and a worker silent for longer is killed with its process group. What it
 * reported before that is kept.
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { sql } from 'kysely';
import { openDatabase } from '../../server/db/database.ts';
import { APPLICATION_NAME, type WorkerJob, type WorkerMessage } from './protocol.ts';

/** Opening a 100,000-grid embedded database is not a timed run; it gets this long. */
const OPEN_TIMEOUT_MS = 10 * 60_000;

export interface WorkerOutcome {
  messages: WorkerMessage[];
  /** 'timeout', or the error the worker died of; undefined when it finished. */
  failure?: string;
}

export function runWorker(job: WorkerJob, log: (m: string) => void): Promise<WorkerOutcome> {
  return new Promise((resolve) => {
    const child = spawn('npx', ['tsx', 'bench/validation/worker.ts', JSON.stringify(job)], {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const messages: WorkerMessage[] = [];
    let failure: string | undefined;
    let stderr = '';
    let buffer = '';
    let timer: NodeJS.Timeout | undefined;
    const arm = (ms: number) => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        failure = 'timeout';
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      }, ms);
    };
    arm(OPEN_TIMEOUT_MS);
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (!line.startsWith('@bench ')) continue;
        const message = JSON.parse(line.slice(7)) as WorkerMessage;
        if ('ready' in message) {
          arm(job.timeoutMs);
          continue;
        }
        messages.push(message);
        if ('run' in message) {
          log(`  ${job.method} ${message.run} ${message.ms.toFixed(1)} ms${message.note ? ` (${message.note})` : ''}`);
          arm(job.timeoutMs);
        }
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', async (code) => {
      clearTimeout(timer);
      if (failure === 'timeout') await cleanUp(job);
      else if (code !== 0) failure = stderr.trim().split('\n').slice(-3).join(' ').slice(0, 300) || `exit ${code}`;
      resolve({ messages, failure });
    });
  });
}

/** After a kill: free the embedded data directory's lock, or stop the server-side query. */
async function cleanUp(job: WorkerJob): Promise<void> {
  if (job.target.driver === 'embedded') {
    rmSync(`${job.target.dataDir}.lock`, { recursive: true, force: true });
    return;
  }
  const admin = await openDatabase({ driver: 'server', connectionString: job.target.url, max: 1 });
  try {
    await sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ${APPLICATION_NAME}`.execute(
      admin.db,
    );
  } finally {
    await admin.close();
  }
}
