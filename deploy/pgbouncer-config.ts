/**
 * deploy/pgbouncer.ini with the settings of one installation put in: the [databases] entry,
 * the address, the auth and the paths. Everything else (transaction pooling, the ignored
 * start-up parameters, no reset query) stays as checked in, so the tests run the file a city
 * would install.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const PGBOUNCER_INI = fileURLToPath(new URL('pgbouncer.ini', import.meta.url));

export interface PgbouncerOptions {
  /** The name clients connect to (the path of their DATABASE_URL). */
  name: string;
  /** The PostgreSQL it pools, as a connection string. */
  target: string;
  /** Run on every new server connection, e.g. a search_path (what ALTER ROLE … SET does in production). */
  connectQuery?: string;
  /** Settings of the [pgbouncer] section to replace or add (listen_port, auth_type, logfile, …). */
  settings: Record<string, string | number>;
}

const quote = (value: string) => `'${value.replace(/'/g, "''")}'`;

export function renderPgbouncerIni(options: PgbouncerOptions, template = readFileSync(PGBOUNCER_INI, 'utf8')): string {
  const url = new URL(options.target);
  const entry = [
    `host=${url.hostname}`,
    `port=${url.port || 5432}`,
    `dbname=${decodeURIComponent(url.pathname.slice(1))}`,
    url.username ? `user=${decodeURIComponent(url.username)}` : '',
    url.password ? `password=${quote(decodeURIComponent(url.password))}` : '',
    options.connectQuery ? `connect_query=${quote(options.connectQuery)}` : '',
  ]
    .filter(Boolean)
    .join(' ');
  const pending = new Map(Object.entries(options.settings).map(([k, v]) => [k, String(v)]));
  let section = '';
  const lines: string[] = [];
  for (const line of template.split('\n')) {
    const header = /^\[(\w+)\]/.exec(line);
    if (header) {
      if (section === 'pgbouncer') {
        for (const [k, v] of pending) lines.push(`${k} = ${v}`);
        pending.clear();
      }
      section = header[1]!;
      lines.push(line);
      if (section === 'databases') lines.push(`${options.name} = ${entry}`);
      continue;
    }
    const key = /^(\w+)\s*=/.exec(line)?.[1];
    if (section === 'databases' && key) continue; // the example entry
    if (section === 'pgbouncer' && key && pending.has(key)) {
      lines.push(`${key} = ${pending.get(key)}`);
      pending.delete(key);
      continue;
    }
    lines.push(line);
  }
  for (const [k, v] of pending) lines.push(`${k} = ${v}`);
  return lines.join('\n');
}
