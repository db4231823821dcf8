/**
 * Rate-limit counters that every API process shares: one Redis client per process (REDIS_URL),
 * one rate-limit-redis store per limiter (its own key prefix). Without REDIS_URL each limiter
 * keeps express-rate-limit's in-memory store, per process.
 *
 * When Redis is down a store does what its limiter chose: `open` lets the request through
 * uncounted (public reads: residents keep finding their station), `closed` throws
 * CountersUnavailable (sign-in: no guessing without a count; the route answers 503). Either way
 * the process logs one line when the outage starts and one when Redis is back, never one per
 * request. The client reconnects by itself, so a restarted Redis needs no restart of the API.
 */
import { createClient } from 'redis';
import { RedisStore } from 'rate-limit-redis';
import type { IncrementResponse, Options, Store } from 'express-rate-limit';

export type OnOutage = 'open' | 'closed';

/** A counter could not be read or written (Redis down, restarting, or slower than COMMAND_TIMEOUT_MS). */
export class CountersUnavailable extends Error {}

export interface SharedCounters {
  /** A store for one limiter; `name` keeps its keys apart from the others'. */
  store(name: string, onOutage: OnOutage): Store;
  /** True while the last command or connection attempt failed. */
  readonly down: boolean;
  close(): Promise<void>;
}

/** A command that takes longer counts as an outage: sign-in must not hang on a stalled Redis. */
const COMMAND_TIMEOUT_MS = 3_000;
const KEY_PREFIX = 'wangge:rl:';

export function openSharedCounters(url: string, log: (message: string) => void): SharedCounters {
  const client = createClient({
    url,
    // Commands fail at once while disconnected instead of queueing until Redis is back.
    disableOfflineQueue: true,
    socket: { connectTimeout: 5_000, reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 2_000) },
  });
  let down = false;
  let closing = false;
  const where = redacted(url);
  const outage = (error: unknown) => {
    if (down || closing) return;
    down = true;
    log(
      `Redis at ${where} unavailable (${(error as Error).message || String(error)}): public rate limits let requests through, sign-in answers 503 meanwhile`,
    );
  };
  const back = () => {
    if (!down) return;
    down = false;
    log(`Redis at ${where} is back: rate limits count again`);
  };
  // node-redis emits 'error' on every failed reconnect; without a listener the process would crash.
  client.on('error', outage);
  client.on('ready', back);
  // The API starts with Redis down too: the client keeps trying. Until the first connection
  // succeeds or fails, commands wait for it (else the first requests would pass uncounted).
  const connecting: Promise<unknown> = client.connect().catch(outage);

  const send = async (...args: string[]): Promise<unknown> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new CountersUnavailable('Redis did not answer in time')), COMMAND_TIMEOUT_MS);
    });
    try {
      if (!client.isReady && !down) await Promise.race([connecting, timeout]);
      if (!client.isReady) throw new CountersUnavailable('Redis is not connected');
      return await Promise.race([client.sendCommand(args), timeout]);
    } finally {
      clearTimeout(timer);
    }
  };

  return {
    store: (name, onOutage) =>
      new ResilientStore(new RedisStore({ sendCommand: send as never, prefix: `${KEY_PREFIX}${name}:` }), onOutage, {
        outage,
        back,
      }),
    get down() {
      return down;
    },
    async close() {
      closing = true;
      if (!client.isOpen) return;
      // Connected: let the last commands finish. Reconnecting: stop trying at once.
      if (client.isReady) await client.close().catch(() => client.destroy());
      else client.destroy();
    },
  };
}

/** The URL without its password, for the log. */
function redacted(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'REDIS_URL';
  }
}

/**
 * rate-limit-redis's store, made to survive outages: its Lua scripts are (re)loaded whenever a
 * command failed, since a Redis that restarted has forgotten them and a load that failed during
 * the outage would otherwise stay failed; errors become the limiter's chosen outage behaviour.
 */
class ResilientStore implements Store {
  private options: Options | undefined;
  private loaded: Promise<void> | undefined;

  constructor(
    private readonly inner: RedisStore,
    private readonly onOutage: OnOutage,
    private readonly health: { outage(error: unknown): void; back(): void },
  ) {}

  get prefix() {
    return this.inner.prefix;
  }

  init(options: Options): void {
    this.options = options;
  }

  private async run<T>(command: () => Promise<T>): Promise<T> {
    try {
      this.loaded ??= this.inner.init(this.options!);
      await this.loaded;
      const result = await command();
      this.health.back();
      return result;
    } catch (error) {
      this.loaded = undefined;
      this.health.outage(error);
      throw error instanceof CountersUnavailable ? error : new CountersUnavailable((error as Error).message);
    }
  }

  async increment(key: string): Promise<IncrementResponse> {
    try {
      return await this.run(() => this.inner.increment(key));
    } catch (error) {
      if (this.onOutage === 'closed') throw error;
      // Uncounted: the request passes, as the first of a fresh window.
      return { totalHits: 1, resetTime: new Date(Date.now() + (this.options?.windowMs ?? 60_000)) };
    }
  }

  // Called after the response (a request that should not count): a lost decrement is not worth an error.
  async decrement(key: string): Promise<void> {
    await this.run(() => this.inner.decrement(key)).catch(() => {});
  }

  async resetKey(key: string): Promise<void> {
    await this.run(() => this.inner.resetKey(key)).catch(() => {});
  }
}
