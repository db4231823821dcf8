/**
 * Build the browser client only when its sources changed since the last build (tools/client-stamp.ts).
 * `npm start` runs this beside the database start-up (server/main.ts --build-client), so a first
 * start pays for the build while PGlite boots; `tsx tools/build-client.ts` runs it alone.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { clientBuildNeeded, hashInputs, readStamp } from './client-stamp.ts';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

export type ClientBuild = 'up-to-date' | 'built';

export async function buildClientIfStale(
  log: (message: string) => void,
  root: string = REPO_ROOT,
): Promise<ClientBuild> {
  const fresh =
    existsSync(join(root, 'dist', 'client', 'index.html')) && !clientBuildNeeded(readStamp(root), hashInputs(root));
  if (fresh) {
    log('界面已是最新 / the client is up to date');
    return 'up-to-date';
  }
  log('正在构建界面… / building the client…');
  const started = Date.now();
  await runViteBuild(root);
  log(`界面已构建 / client built (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return 'built';
}

/** `vite build` in a child process; its output is shown only when it fails. */
function runViteBuild(root: string): Promise<void> {
  let vite: string;
  try {
    vite = join(dirname(createRequire(join(root, 'package.json')).resolve('vite/package.json')), 'bin', 'vite.js');
  } catch {
    return Promise.reject(
      new Error('the client needs a build and Vite is not installed (npm ci --omit=dev?): run `npm run build`'),
    );
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`vite build failed (exit ${code}):\n${output.trim()}`)),
    );
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  buildClientIfStale((m) => console.log(`[wangge] ${m}`)).catch((error: Error) => {
    console.error(`[wangge] ${error.message}`);
    process.exit(1);
  });
}
