/**
 * The read replica stopped under a stream of public reads (issue 20), server driver only: the
 * real API as a child process with DATABASE_URL on a private primary and DATABASE_READ_URL on its
 * streaming replica (tests/helpers/replica.ts), the public index off so every answer is a query.
 *
 * With replay paused on the replica, one station's name differs between the two, so each answer
 * says where it was read. The replica is stopped (`pg_ctl stop -m immediate`, a crash) under four
 * clients: answers come from the primary within 2 s of the stop, no request started after that
 * window fails, none at all answers a 500, and the log has one line for the outage. Started
 * again, the replica takes the reads back (and one more log line says so).
 *
 * A standby restarted after a crash reopens for reads at its last restartpoint, behind what it
 * served before (read-pool.ts). The second test holds it there (replay paused as soon as it
 * opens, with a large table's WAL still to replay) and checks that no read goes to it until it
 * has replayed past where the primary was when it stopped.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Health } from '../../common/contracts/meta.ts';
import { httpClient } from '../helpers/http-client.ts';
import { caughtUp, replicaSkipReason, startReplicaPair, type ReplicaPair } from '../helpers/replica.ts';
import { spawnServer, type SpawnedServer } from './spawn-server.ts';

const DATABASE = 'wangge';
const FALLBACK_MS = 2_000;
const skip = replicaSkipReason();
if (skip) console.warn(`[replica-down] skipped: ${skip}`);

interface Answer {
  started: number;
  ended: number;
  status: number;
  name?: string;
  /** The error body of an answer that is not 200, for the failure message. */
  error?: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!!skip)('the read replica stops under public reads [server, private primary + replica]', () => {
  let pair: ReplicaPair;
  let server: SpawnedServer | undefined;
  let station: { code: string; name: string };

  /** Replayed up to the primary's state, then paused there. */
  const pausedReplay = async () => {
    await caughtUp(pair, DATABASE);
    await pair.replica.query('SELECT pg_wal_replay_pause()', DATABASE);
    for (let i = 0; i < 100; i++) {
      const [row] = await pair.replica.query<{ s: string }>('SELECT pg_get_wal_replay_pause_state() AS s', DATABASE);
      if (row!.s === 'paused') return;
      await sleep(100);
    }
    throw new Error('replay did not pause');
  };
  const renameOnPrimary = (name: string) =>
    pair.primary.query(`UPDATE stations SET name = '${name}' WHERE code = '${station.code}'`, DATABASE);
  const health = async () => (await httpClient(server!.url).get<Health>('/api/health')).body.readReplica;

  beforeAll(async () => {
    pair = await startReplicaPair(DATABASE);
    server = await spawnServer({
      DATABASE_URL: pair.primary.url(DATABASE),
      DATABASE_READ_URL: pair.replica.url(DATABASE),
      WANGGE_PUBLIC_INDEX: '0',
      WANGGE_PUBLIC_RATE_LIMIT: '0',
    });
    const [row] = await pair.primary.query<{ code: string; name: string }>(
      'SELECT code, name FROM stations ORDER BY code LIMIT 1',
      DATABASE,
    );
    station = row!;
  });
  afterAll(async () => {
    await server?.kill9();
    pair?.destroy();
  });

  it('answers come from the primary within 2 s of the stop, with no failure after that, and go back to the replica', async () => {
    const http = httpClient(server!.url);
    // The replica keeps the original name; the primary gets another.
    await pausedReplay();
    await renameOnPrimary('主库名称一');
    const answers: Answer[] = [];
    const done = new AbortController();
    const client = async () => {
      while (!done.signal.aborted) {
        const started = Date.now();
        const res = await http
          .get<{ name: string }>(`/api/public/stations/${station.code}`, { signal: AbortSignal.timeout(10_000) })
          .catch(() => ({ status: 0, body: undefined }));
        const error = res.status === 200 ? undefined : JSON.stringify(res.body);
        answers.push({ started, ended: Date.now(), status: res.status, name: res.body?.name, error });
        await sleep(20);
      }
    };
    const clients = Promise.all([client(), client(), client(), client()]);
    const fromReplica = () => answers.filter((a) => a.status === 200 && a.name === station.name);

    await sleep(1_500);
    expect(fromReplica().length, JSON.stringify(answers.slice(0, 3))).toBeGreaterThan(0);
    const stoppedAt = Date.now();
    await pair.replica.stop('immediate');
    await sleep(4_000);
    expect((await http.get<Health>('/api/health')).body.readReplica).toBe('down');
    const restartAt = Date.now();
    await pair.replica.start();
    // Back up, the replica replays to the primary's state; pause it again and move the primary on.
    await pausedReplay();
    await renameOnPrimary('主库名称二');
    const renamedAgainAt = Date.now();
    for (let i = 0; i < 100; i++) {
      if (answers.some((a) => a.started > renamedAgainAt && a.status === 200 && a.name === '主库名称一')) break;
      await sleep(100);
    }
    done.abort();
    await clients;

    const before = answers.filter((a) => a.ended < stoppedAt);
    const outage = answers.filter((a) => a.started >= stoppedAt && a.started < restartAt);
    const window = outage.filter((a) => a.started < stoppedAt + FALLBACK_MS);
    const afterWindow = outage.filter((a) => a.started >= stoppedAt + FALLBACK_MS);
    const firstFromPrimary = outage.find((a) => a.status === 200 && a.name === '主库名称一');
    const errorsInWindow = window.filter((a) => a.status !== 200).length;
    console.log(
      `[replica-down] ${answers.length} answers; before the stop ${before.length}; first answer from the primary ` +
        `${firstFromPrimary ? firstFromPrimary.ended - stoppedAt : '-'} ms after the stop; ` +
        `${errorsInWindow} failed in the first ${FALLBACK_MS} ms; ${afterWindow.length} after it`,
    );

    // Before the stop: every answer is the replica's (the primary has another name by then).
    expect(before.length).toBeGreaterThan(0);
    for (const a of before) expect([a.status, a.name]).toEqual([200, station.name]);
    // Never a 500 or a hang; a failure only as a 503 within the window.
    for (const a of answers) expect([0, 500, 502, 504]).not.toContain(a.status);
    for (const a of window) expect([200, 503]).toContain(a.status);
    expect(firstFromPrimary).toBeDefined();
    expect(firstFromPrimary!.ended - stoppedAt).toBeLessThan(FALLBACK_MS);
    // After the window, until the restart: all from the primary.
    expect(afterWindow.length).toBeGreaterThan(20);
    for (const a of afterWindow) expect([a.status, a.name]).toEqual([200, '主库名称一']);
    // Back up: no failures, and once the primary moved on again, answers are the replica's again.
    for (const a of answers.filter((x) => x.started >= restartAt))
      expect(
        a.status,
        `${a.started - restartAt} ms after the restart: ${a.error}\n${server!.output().slice(-2000)}`,
      ).toBe(200);
    expect(
      answers.some((a) => a.started > renamedAgainAt && a.status === 200 && a.name === '主库名称一'),
      'reads went back to the replica',
    ).toBe(true);
    const [row] = await pair.replica.query<{ n: string }>(
      "SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'wangge-read'",
      DATABASE,
    );
    expect(Number(row!.n)).toBeGreaterThan(0);

    expect((await http.get<Health>('/api/health')).body.readReplica).toBe('up');

    const log = server!.output();
    expect(log.match(/read replica unavailable/g)).toHaveLength(1);
    expect(log.match(/read replica answers again/g)).toHaveLength(1);
    expect(log).not.toMatch(/Internal error/);
    expect(server!.process.exitCode).toBeNull();
  });

  it('restarted behind where it stopped, the replica gets no reads until it has replayed past the primary at the stop', async (ctx) => {
    const http = httpClient(server!.url);
    const read = async () => {
      const res = await http.get<{ name: string }>(`/api/public/stations/${station.code}`);
      return {
        status: res.status,
        name: res.body?.name,
        error: res.status === 200 ? undefined : JSON.stringify(res.body),
      };
    };
    await pair.replica.query('SELECT pg_wal_replay_resume()', DATABASE);
    // WAL the replica replays before it stops but will replay again after the crash, open for
    // reads meanwhile: its last restartpoint is before this (no checkpoint since, replica.ts).
    await pair.primary.query(
      'CREATE TABLE wal_ballast AS SELECT g AS id, repeat(md5(g::text), 4) AS pad FROM generate_series(1, 1500000) AS g',
      DATABASE,
    );
    await renameOnPrimary('主库名称三');
    await caughtUp(pair, DATABASE, 120_000);
    for (let i = 0; i < 50 && (await health()) !== 'up'; i++) await sleep(100);
    expect(await read()).toEqual({ status: 200, name: '主库名称三', error: undefined });
    const [stop] = await pair.primary.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn', DATABASE);

    await pair.replica.stop('immediate');
    for (let i = 0; i < 50 && (await health()) !== 'down'; i++) {
      await read();
      await sleep(100);
    }
    expect(await health()).toBe('down');
    await pair.replica.start();
    await pair.replica.query('SELECT pg_wal_replay_pause()', DATABASE);
    const [held] = await pair.replica.query<{ at: string; behind: boolean; ballast: boolean }>(
      `SELECT pg_last_wal_replay_lsn()::text AS at, pg_last_wal_replay_lsn() < '${stop!.lsn}'::pg_lsn AS behind,
              to_regclass('wal_ballast') IS NOT NULL AS ballast`,
      DATABASE,
    );
    // pg_ctl start -w can return after replay has already passed the stop (seen once under CI's
    // load): then there is nothing to hold, and the test says so as a skip rather than a pass.
    if (!held!.behind) {
      console.warn(`[replica-down] reopened at ${held!.at}, already at ${stop!.lsn}: nothing to hold; skipped`);
      ctx.skip();
    }
    expect(held!.behind, `the replica reopened at ${held!.at}, not behind ${stop!.lsn}: nothing to hold`).toBe(true);

    // Held there for three probe intervals: every answer is the primary's.
    const answers: Awaited<ReturnType<typeof read>>[] = [];
    const until = Date.now() + 3_500;
    while (Date.now() < until) {
      answers.push(await read());
      await sleep(50);
    }
    console.log(
      `[replica-down] reopened at ${held!.at} (${held!.ballast ? 'with' : 'without'} the ballast table), ` +
        `the primary was at ${stop!.lsn}; ${answers.length} answers while held`,
    );
    expect(answers.length).toBeGreaterThan(10);
    for (const a of answers) expect(a).toEqual({ status: 200, name: '主库名称三', error: undefined });
    expect(await health()).toBe('down');
    expect(server!.output().match(/read replica answers but has replayed only to/g)).toHaveLength(1);

    // Let it replay: reads (a read is what starts a probe) go back to it.
    await pair.replica.query('SELECT pg_wal_replay_resume()', DATABASE);
    for (let i = 0; i < 300 && (await health()) !== 'up'; i++) {
      expect(await read()).toEqual({ status: 200, name: '主库名称三', error: undefined });
      await sleep(100);
    }
    expect(await health()).toBe('up');
    expect(await read()).toEqual({ status: 200, name: '主库名称三', error: undefined });
    const log = server!.output();
    expect(log.match(/read replica unavailable/g)).toHaveLength(2);
    expect(log.match(/read replica answers again/g)).toHaveLength(2);
    expect(log).not.toMatch(/Internal error/);
  });
});
