/**
 * `npm install`'s postinstall: make the migrated database template once (server/db/template.ts), so
 * the first `npm start` restores it instead of creating PostGIS in WASM. Local work only (no
 * network), and never fails the install: without a template the first start makes one itself.
 */
import { ensureTemplate } from '../server/db/template.ts';

const log = (message: string) => console.log(`[wangge] ${message}`);
try {
  await ensureTemplate(undefined, log);
} catch (error) {
  log(
    `数据库模板未生成，首次启动时再生成 / no database template now, the first start makes it (${(error as Error).message})`,
  );
}
