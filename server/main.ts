/**
 * `npm start`: open the database, migrate it, load the demo on first start, serve. The composition
 * root of the server: the one place that names data/ (the demo loader), tools/ (the client build,
 * with --build-client: `npm start` rebuilds dist/ when the client changed, while the database
 * starts) and server/testing/ (the fault tests' hooks, loaded only with WANGGE_TEST_HOOKS=1).
 */
import { loadDemoIfEmpty } from '../data/load.ts';
import { buildClientIfStale } from '../tools/build-client.ts';
import { readConfig } from './config.ts';
import { openConfiguredDatabase, prepareDatabase } from './boot.ts';
import { isDemo } from './health/settings.queries.ts';
import { keepConnectionsAlive } from './http/keep-alive.ts';
import { openSharedCounters } from './http/shared-counters.ts';

const log = (message: string) => console.log(`[wangge] ${message}`);

async function main() {
  const config = readConfig();
  // The build runs in a child process beside the database's start-up (PGlite is one WASM thread).
  const client = process.argv.includes('--build-client') ? buildClientIfStale(log) : undefined;
  client?.catch(() => {}); // awaited below; a failure must not surface as an unhandled rejection first
  const opening = openConfiguredDatabase(config, log);
  // The routes and their libraries (~3 s of module loading) load while PGlite compiles its WASM.
  const modules = Promise.all([import('./app.ts'), import('./validation/validation.engine.ts')]);
  modules.catch(() => {}); // awaited below, as `client` is
  const database = await opening;
  await prepareDatabase(database, config, log, loadDemoIfEmpty);
  await client;
  const [{ createApp }, { validateRegion }] = await modules;
  const testHooks = process.env.WANGGE_TEST_HOOKS === '1' ? await import('./testing/pause-hooks.ts') : undefined;
  testHooks?.installPauseHook();
  // One Redis client for the process's rate limits (REDIS_URL); closed on shutdown.
  const counters = config.redisUrl ? openSharedCounters(config.redisUrl, log) : undefined;
  const app = createApp(
    { db: database.db, driver: database.driver, config, counters },
    { testRoutes: testHooks?.testHookRoutes },
  );
  const server = app.listen(config.port, async () => {
    const usernames = (await database.db.selectFrom('users').select('username').orderBy('id').execute()).map(
      (u) => u.username,
    );
    log(`已就绪 http://localhost:${config.port}  / Wangge is running (database: ${database.driver})`);
    if (await isDemo(database.db)) {
      log(
        'Synthetic demo district 安次区 loaded. Demo logins (password from WANGGE_DEMO_PASSWORD, default "wangge-demo"):',
      );
      // Staff logins by name; the hundreds of case accounts (issue 18) by pattern, with one example each.
      const isCaseAccount = (u: string) => /^(w[0-9]{15}|c[0-9]{12}|d[0-9]{12}-[0-9]+)$/.test(u);
      log(`  ${usernames.filter((u) => !isCaseAccount(u)).join(', ')}`);
      for (const [prefix, what] of [
        ['w', 'grid workers 网格员 (w + grid code; phone page /worker)'],
        ['c', 'communities 社区 (c + community code)'],
        ['d', 'departments 部门 (d + street code + -n)'],
      ] as const) {
        const accounts = usernames.filter((u) => isCaseAccount(u) && u.startsWith(prefix));
        if (accounts.length) log(`  ${accounts.length} ${what}, e.g. ${accounts[0]}`);
      }
    }
    // Warm the validation cache in the background, so the first city-wide check is fast.
    const started = Date.now();
    validateRegion(database.db)
      .then((report) =>
        log(
          `Validation ready: ${report.grids} grids in ${report.communities.length} communities checked in ${((Date.now() - started) / 1000).toFixed(1)} s`,
        ),
      )
      .catch((error: Error) => log(`Validation warm-up failed: ${error.message}`));
  });
  keepConnectionsAlive(server);
  server.on('error', async (error) => {
    console.error(`[wangge] cannot listen on port ${config.port}: ${error.message}`);
    await database.close();
    process.exit(1);
  });
  const shutdown = () => {
    log('Shutting down …');
    server.close(() => void Promise.all([database.close(), counters?.close()]).then(() => process.exit(0)));
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((error: Error) => {
  console.error(`[wangge] start failed: ${error.message}`);
  process.exit(1);
});
