/** `npm run migrate`: apply pending migrations to the configured database. */
import { readConfig } from '../config.ts';
import { openConfiguredDatabase } from '../boot.ts';
import { migrate } from './migrate.ts';

const log = (message: string) => console.log(`[migrate] ${message}`);
const database = await openConfiguredDatabase(readConfig(), log);
try {
  const applied = await migrate(database.db);
  log(applied.length ? `applied ${applied.join(', ')}` : 'up to date');
} finally {
  await database.close();
}
