/** A real HTTP server on a free port over a real PostGIS, for API and browser tests. */
import type { AddressInfo } from 'node:net';
import { createApp } from '../../server/app.ts';
import { readConfig, type Config } from '../../server/config.ts';
import type { DriverName } from '../../server/db/database.ts';
import { openTestDatabase, type TestDatabase } from './db.ts';
import { keepConnectionsAlive } from '../../server/http/keep-alive.ts';
import { openSharedCounters } from '../../server/http/shared-counters.ts';

export interface TestServer {
  url: string;
  database: TestDatabase;
  /** The app's configuration object: a test may change what is read per request (e.g. session lifetimes). */
  config: Config;
  close(): Promise<void>;
}

/**
 * `config` overrides the defaults (e.g. a low login rate limit or a short session lifetime).
 * `database`: serve one that another test server opened (a second API process on the same
 * database); it is left open. With `config.redisUrl` the server has its own Redis client
 * (as each process would), logging to `log`.
 */
export async function startTestServer(
  options: {
    demo?: boolean;
    driver?: DriverName;
    config?: Partial<Config>;
    now?: () => Date;
    database?: TestDatabase;
    log?: (message: string) => void;
  } = {},
): Promise<TestServer> {
  const database =
    options.database ?? (await openTestDatabase(options.driver ?? 'embedded', { demo: options.demo ?? true }));
  const config = { ...readConfig({}), port: 0, ...options.config };
  const counters = config.redisUrl ? openSharedCounters(config.redisUrl, options.log ?? (() => {})) : undefined;
  const app = createApp({ db: database.db, driver: database.driver, config, now: options.now, counters });
  const server = await new Promise<import('node:http').Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  keepConnectionsAlive(server);
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    database,
    config,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await counters?.close();
      if (!options.database) await database.close();
    },
  };
}
