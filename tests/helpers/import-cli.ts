/**
 * `npm run import` (and the other CLIs: report, validate) as a child process, `npm run import`
 * against a test server's schema on the server driver.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { SERVER_URL } from './db.ts';

const run = promisify(execFile);

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The environment that points the CLI at a test server's schema on the server driver, without the demo. */
export function importCliEnv(schema: string): Record<string, string> {
  const url = new URL(SERVER_URL!);
  url.searchParams.set('options', `-c search_path=${schema},public`);
  return { DATABASE_URL: url.toString(), WANGGE_LOAD_DEMO: '0' };
}

/** Runs a TypeScript CLI (`server/…-cli.ts`) with `env` over the process's own; a failure is a result, not a throw. */
export function runCli(
  script: string,
  env: Record<string, string>,
  args: string[],
  timeout: number,
): Promise<CliResult> {
  return run(process.execPath, ['--import', 'tsx', script, ...args], {
    env: { ...process.env, ...env },
    timeout,
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({
      code: error.code,
      stdout: error.stdout,
      stderr: error.stderr,
    }),
  );
}

/** Runs server/interop/import-cli.ts with `env` over the process's own; a failure is a result, not a throw. */
export function runImportCli(env: Record<string, string>, args: string[], timeout: number): Promise<CliResult> {
  return runCli('server/interop/import-cli.ts', env, args, timeout);
}
