/**
 * The frame of every command-line tool (`npm run validate`, `report`, `roads:load`, `import`): open
 * and prepare the configured database (with the demo on a fresh one, as `npm start` does), run
 * `work`, close it, exit with the status it returns. A refused request (an HttpError under 500,
 * e.g. an unknown region, or a refusal that stands for one) prints its message and exits 2;
 * anything else is a crash and keeps its stack trace. A composition root: it may name data/.
 */
import { loadDemoIfEmpty } from '../data/load.ts';
import { openConfiguredDatabase, prepareDatabase, type Log } from './boot.ts';
import { readConfig } from './config.ts';
import type { Database } from './db/database.ts';
import { asHttpError } from './http/errors.ts';

export async function runCli(name: string, work: (database: Database, log: Log) => Promise<number>): Promise<never> {
  const config = readConfig();
  const log: Log = (message) => console.error(`[${name}] ${message}`);
  const database = await openConfiguredDatabase(config, log);
  let status: number;
  try {
    await prepareDatabase(database, config, log, loadDemoIfEmpty);
    status = await work(database, log);
  } catch (error) {
    const refusal = asHttpError(error);
    if (!refusal || refusal.status >= 500) throw error;
    console.error(refusal.message);
    status = 2;
  } finally {
    await database.close();
  }
  process.exit(status);
}
