/**
 * SIGKILL one of two API processes under load through nginx (deploy/nginx.conf.template).
 *
 * Clients read through nginx without pause, each retrying a failed GET (network error or 5xx)
 * once, as a browser's or GIS client's retry would. One API process is killed with SIGKILL in
 * the middle, then started again on its port. Expected: no request is lost beyond those in
 * flight when the process died (nginx passes a failed GET to the other process itself, so in
 * practice none is), no request started after the process was gone gets a 5xx, the survivor
 * serves everything meanwhile, and the restarted process gets traffic again once nginx's
 * fail_timeout has passed. Bounded: about 30 s. Server driver only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { deploySkipReason, startDeployStack, type DeployStack } from '../helpers/deploy-stack.ts';

const reason = deploySkipReason();
const CLIENTS = 4;
/** Between one client's requests: load, but leaving the restarted process CPU to start on 2 cores. */
const PAUSE_MS = 10;
const FAIL_TIMEOUT_S = 2;

interface Outcome {
  started: number;
  ended: number;
  /** First try: an HTTP status, or 0 for a network error. */
  first: number;
  /** The retry's status (0: network error), when the first try failed. */
  retry?: number;
}

const failed = (status: number) => status === 0 || status >= 500;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!!reason)(
  reason
    ? `SIGKILL of an API process behind nginx (skipped: ${reason})`
    : 'SIGKILL of an API process behind nginx [server]',
  () => {
    let stack: DeployStack;
    let paths: string[];

    beforeAll(async () => {
      stack = await startDeployStack({ env: { WANGGE_PUBLIC_RATE_LIMIT: '0' }, failTimeoutS: FAIL_TIMEOUT_S });
      const { rows } = await sql<{ lon: number; lat: number; code: string }>`
        SELECT ST_X(p) AS lon, ST_Y(p) AS lat, code
        FROM (SELECT code, ST_PointOnSurface(geom) AS p FROM grids ORDER BY code LIMIT 20) g`.execute(
        stack.database.db,
      );
      paths = rows.flatMap((r) => [
        `/api/public/locate?lon=${r.lon}&lat=${r.lat}`,
        `/api/grids/${r.code}`,
        `/api/public/stations/nearest?lon=${r.lon}&lat=${r.lat}&limit=3`,
      ]);
      paths.push('/ogc/collections/grids/items?limit=5&f=json', '/api/health');
    });
    afterAll(async () => stack?.close());

    it('loses no request beyond those in flight, gives no 5xx once the process is gone, and takes the restarted process back', async () => {
      const outcomes: Outcome[] = [];
      let inFlight = 0;
      const state = { running: true };
      const tryOnce = async (path: string) => {
        try {
          const res = await fetch(stack.nginx.url + path);
          await res.arrayBuffer();
          return res.status;
        } catch {
          return 0;
        }
      };
      const client = async (n: number) => {
        for (let i = n; state.running; i += CLIENTS) {
          const path = paths[i % paths.length]!;
          const outcome: Outcome = { started: Date.now(), ended: 0, first: 0 };
          inFlight++;
          outcome.first = await tryOnce(path);
          if (failed(outcome.first)) outcome.retry = await tryOnce(path);
          inFlight--;
          outcome.ended = Date.now();
          outcomes.push(outcome);
          await sleep(PAUSE_MS);
        }
      };
      const load = Promise.all(Array.from({ length: CLIENTS }, (_, n) => client(n)));
      const [victim, survivor] = stack.apis.map((a) => `127.0.0.1:${a.port}`) as [string, string];
      const servedBy = (lines: string[], upstream: string) =>
        lines.filter((l) => new RegExp(`upstream=${upstream.replace(/\./g, '\\.')} upstream_status=200 `).test(l));

      try {
        // Both processes serve before the kill (on a loaded machine the load takes a moment to start).
        await expect
          .poll(() => servedBy(stack.accessLog(), victim).length, { timeout: 15_000, interval: 200 })
          .toBeGreaterThan(0);
        const inFlightAtKill = inFlight;
        await stack.apis[0]!.kill9();
        const goneAt = Date.now();
        const logAtKill = stack.accessLog().length;

        await sleep(2_000);
        const whileDown = stack.accessLog().slice(logAtKill);
        // The survivor serves everything meanwhile (a line naming both is a request nginx passed on).
        expect(servedBy(whileDown, survivor).length).toBeGreaterThan(10);
        expect(whileDown.filter((l) => / [5]\d\d \d+ upstream=/.test(l))).toEqual([]);

        const restartStarted = Date.now();
        await stack.restartApi(0);
        const restartTook = Date.now() - restartStarted;
        const logAtRestart = stack.accessLog().length;
        // nginx tries the process again once fail_timeout has passed: wait for traffic, bounded.
        const deadline = Date.now() + (FAIL_TIMEOUT_S + 10) * 1_000;
        while (servedBy(stack.accessLog().slice(logAtRestart), victim).length === 0 && Date.now() < deadline)
          await sleep(200);
        expect(servedBy(stack.accessLog().slice(logAtRestart), victim).length).toBeGreaterThan(0);
        await sleep(500);
        state.running = false;
        await load;

        const lost = outcomes.filter((o) => failed(o.first) && failed(o.retry ?? 0));
        expect(lost.length).toBeLessThanOrEqual(inFlightAtKill);
        const fiveXxAfterGone = outcomes.filter(
          (o) => o.started > goneAt && (o.first >= 500 || (o.retry !== undefined && o.retry >= 500)),
        );
        expect(fiveXxAfterGone).toEqual([]);
        const afterKill = outcomes.filter((o) => o.started > goneAt);
        expect(afterKill.filter((o) => o.first === 200 || o.retry === 200).length).toBe(afterKill.length);
        console.log(
          `[nginx-kill] ${outcomes.length} requests, ${inFlightAtKill} in flight at the kill, ` +
            `${outcomes.filter((o) => failed(o.first)).length} retried by the client, ${lost.length} lost; ` +
            `nginx passed ${stack.accessLog().filter((l) => /upstream=\S+, /.test(l)).length} on to the other process; ` +
            `the restart took ${restartTook} ms`,
        );
      } finally {
        state.running = false;
        await load;
      }
    });
  },
);
