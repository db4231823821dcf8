/**
 * The read pool (server driver, DATABASE_READ_URL): public reads go to a streaming replica while
 * it answers, and to the primary's pool while it does not. Kysely sees one pool (connect/end).
 *
 * Outage: a connect to the replica that fails as "the database cannot answer" (unavailable.ts)
 * marks it down, logs one line, and that request and the following ones take a primary
 * connection. While down, at most one background probe a second tries the replica again. Reads
 * move back (one more line in the log) when it answers and has replayed at least as far as the
 * primary had written when the outage began. A standby restarted after a crash reopens for reads
 * at its last restartpoint, which can be minutes of WAL before what it served when it stopped:
 * tables loaded since are missing, rows not there yet. Measured here, a 1.5-million-row table was
 * absent for 1.3 s of replay after `pg_ctl start` returned, and under CI's load a probe that took
 * the replica back as soon as it answered sent a station lookup back in time (a 404). So the
 * probe waits for that position, with one log line while it waits. The replica's connect timeout is
 * short (1 s), so a replica that stops answering costs a request at most that long before it
 * falls back: reads keep coming within 2 s. A query cut off mid-flight on a dying replica
 * fails like any cut-off query (a 503 with Retry-After); the pool's idle connections dying with
 * it mark the replica down at once. tests/faults/replica-down.test.ts: the first answer from the
 * primary 31–212 ms after `pg_ctl stop -m immediate`, up to 4 of ~200 requests 503 before it;
 * restarted and held at an older position, the replica gets no reads until it has replayed on.
 *
 * Not covered: a replica that hangs without closing its sockets (SIGSTOP, a network partition).
 * New connects then fall back after 1 s, but a query already sent on a pooled connection waits
 * for the statement timeout the replica can no longer enforce, or for TCP keepalive.
 */
import type pg from 'pg';
import type { ServerPools } from './server.ts';
import { databaseUnavailable } from './unavailable.ts';
import { replayedTo, walPosition } from './session.queries.ts';

/** How long a replica connect may take before the read falls back (and the replica counts as down). */
export const READ_CONNECT_TIMEOUT_MS = 1_000;
/** While the replica is down, try it again at most this often. */
export const REPLICA_RECHECK_MS = 1_000;

export type ReplicaState = 'up' | 'down';

export class ReadPool {
  private state: ReplicaState = 'up';
  /** When the last probe started (or the outage, before the first probe). */
  private downSince = 0;
  private outageStarted = 0;
  private probing: Promise<void> | null = null;
  /** The primary's WAL position when the outage began (null when the primary could not say). */
  private outagePosition: Promise<string | null> = Promise.resolve(null);
  /** Whether this outage's "still replaying" line was written. */
  private saidBehind = false;
  private ended = false;

  private readonly replica: pg.Pool;

  constructor(
    private readonly replicaPools: ServerPools,
    private readonly primary: pg.Pool,
    private readonly log: (line: string) => void = (line) => console.error(line),
  ) {
    this.replica = replicaPools.pool;
    // An idle replica connection dying (the replica stopped) is the first sign of an outage.
    this.replica.on('error', (error) => this.markDown(error));
  }

  /** Kysely reads the pool's options for its own query cancellation, which this code base does not use. */
  get options(): object {
    return this.replica.options;
  }

  /** Whether reads go to the replica now. */
  get replicaState(): ReplicaState {
    return this.state;
  }

  async connect(): Promise<pg.PoolClient> {
    if (this.state === 'down') this.maybeProbe();
    if (this.state === 'up') {
      try {
        const client = await this.replica.connect();
        this.watch(client);
        return client;
      } catch (error) {
        if (this.ended || !databaseUnavailable(error)) throw error;
        this.markDown(error);
      }
    }
    return this.primary.connect();
  }

  /** Ends the replica's pools; the primary's belongs to the primary's Kysely. */
  async end(): Promise<void> {
    this.ended = true;
    await this.replica.end();
    await this.replicaPools.service.end();
  }

  /** A connection that breaks while checked out marks the replica down as well. */
  private watch(client: pg.PoolClient): void {
    const watched = client as pg.PoolClient & { readPoolWatched?: true };
    if (watched.readPoolWatched) return;
    watched.readPoolWatched = true;
    client.on('error', (error) => this.markDown(error));
  }

  private markDown(error: unknown): void {
    if (this.ended || this.state === 'down') return;
    this.state = 'down';
    this.downSince = this.outageStarted = Date.now();
    this.outagePosition = this.primaryPosition();
    this.saidBehind = false;
    this.log(
      `[db] read replica unavailable (${(error as Error).message || String(error)}): public reads go to the primary until it answers`,
    );
  }

  private maybeProbe(): void {
    if (this.probing || this.ended || Date.now() - this.downSince < REPLICA_RECHECK_MS) return;
    this.downSince = Date.now();
    this.probing = (async () => {
      try {
        // Where the primary was when the outage began; asked now if it could not say then.
        // Without either (the primary down too), an answering replica is better than none.
        const target = (await this.outagePosition) ?? (await this.primaryPosition());
        const client = await this.replica.connect();
        let replayed = { at: '', reached: true };
        try {
          if (target) replayed = await replayedTo(client, target);
        } finally {
          client.release();
        }
        if (this.ended) return;
        if (!replayed.reached) {
          if (!this.saidBehind)
            this.log(
              `[db] read replica answers but has replayed only to ${replayed.at}, before the primary's ${target} ` +
                'when it went down: public reads stay on the primary until it has replayed that far',
            );
          this.saidBehind = true;
          return;
        }
        this.state = 'up';
        this.log(`[db] read replica answers again after ${this.outageSeconds()} s: public reads go to it`);
      } catch {
        // Still down; the next read after REPLICA_RECHECK_MS probes again.
      } finally {
        this.probing = null;
      }
    })();
  }

  /** The primary's WAL position, or null when it cannot say (down, say). */
  private async primaryPosition(): Promise<string | null> {
    try {
      const client = await this.primary.connect();
      try {
        return await walPosition(client);
      } finally {
        client.release();
      }
    } catch {
      return null;
    }
  }

  private outageSeconds(): string {
    return ((Date.now() - this.outageStarted) / 1000).toFixed(1);
  }
}
