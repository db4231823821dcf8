/**
 * Test-only fault injection. server/main.ts loads this file only when WANGGE_TEST_HOOKS=1 (never
 * set it in production); no other production file imports it (.dependency-cruiser.cjs).
 *
 * - `installPauseHook()`: with WANGGE_TEST_PAUSE=<name>, the process stops at that pause point
 *   (server/pause-points.ts) for good, inside the transaction, after the operation wrote some
 *   rows and before COMMIT, and prints `PAUSED <name>` on stderr. tests/faults/kill.test.ts
 *   waits for that line and kills the process with SIGKILL, as a power cut or an OOM kill would.
 * - `testHookRoutes`: GET /api/test/sleep?ms= holds one pooled connection in pg_sleep, the
 *   slow request that tests/faults/pool.test.ts sends forty of at once.
 */
import { Router } from 'express';
import { sleepInDatabase } from '../db/session.queries.ts';
import type { AppContext } from '../context.ts';
import { badRequest } from '../http/errors.ts';
import { setPauseHook } from '../pause-points.ts';

export function installPauseHook(): void {
  setPauseHook(async (name) => {
    if (process.env.WANGGE_TEST_PAUSE !== name) return;
    process.stderr.write(`PAUSED ${name}\n`);
    // Hold the transaction open until the test kills the process.
    await new Promise<never>(() => setInterval(() => {}, 60_000));
  });
}

export function testHookRoutes({ db }: AppContext): Router {
  const router = Router();
  router.get('/test/sleep', async (req, res) => {
    const ms = Number(req.query.ms);
    if (!Number.isInteger(ms) || ms < 0 || ms > 600_000)
      throw badRequest('ms', 'ms: a whole number of milliseconds up to 600000');
    const started = Date.now();
    await sleepInDatabase(db, ms / 1000);
    res.json({ slept: Date.now() - started });
  });
  return router;
}
