/**
 * The nginx configuration for N API processes, from deploy/nginx.conf.template: ports and paths
 * are parameters, the rest (keep-alive, passive health checks, the cache rules) is the template.
 *
 *   tsx deploy/nginx-config.ts --listen 8080 --api 127.0.0.1:8081 --api 127.0.0.1:8082 \
 *     --cache-dir /var/cache/wangge-nginx > /etc/nginx/wangge.conf
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { SESSION_COOKIE } from '../common/contracts/auth.ts';

export const TEMPLATE = fileURLToPath(new URL('nginx.conf.template', import.meta.url));

export interface NginxOptions {
  /** Where nginx listens: a port or address:port (e.g. 127.0.0.1:7400). */
  listen: string;
  /** The API processes, host:port each. */
  apis: readonly string[];
  /** The proxy cache's directory (absolute, or relative to the prefix). */
  cacheDir: string;
  cacheMaxSize?: string;
  workers?: number | 'auto';
  /** A process is out for this long after `maxFails` failures (passive health check). */
  failTimeoutS?: number;
  maxFails?: number;
  /** The user worker processes run as when nginx starts as root (ignored otherwise). */
  user?: string;
}

const HOST_PORT = /^[A-Za-z0-9.[\]:-]+:[0-9]{1,5}$/;

export function renderNginxConfig(options: NginxOptions, template = readFileSync(TEMPLATE, 'utf8')): string {
  if (!options.apis.length) throw new Error('at least one API process (host:port) is needed');
  for (const api of options.apis) if (!HOST_PORT.test(api)) throw new Error(`an API is host:port, got "${api}"`);
  if (!/^([A-Za-z0-9.[\]:-]+:)?[0-9]{1,5}$/.test(options.listen))
    throw new Error(`listen is a port or address:port, got "${options.listen}"`);
  const maxFails = options.maxFails ?? 1;
  const failTimeout = options.failTimeoutS ?? 5;
  const values: Record<string, string> = {
    NOTE: `API processes: ${options.apis.join(', ')}; do not edit, generate again.`,
    USER: options.user ? `user ${options.user};` : '# (user: as started)',
    WORKERS: String(options.workers ?? 'auto'),
    LISTEN: options.listen,
    SERVERS: options.apis
      .map((api) => `    server ${api} max_fails=${maxFails} fail_timeout=${failTimeout}s;`)
      .join('\n'),
    SESSION_COOKIE,
    CACHE_DIR: options.cacheDir,
    CACHE_MAX_SIZE: options.cacheMaxSize ?? '1g',
  };
  return template.replace(/\{\{([A-Z_]+)\}\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`the nginx template names an unknown parameter {{${name}}}`);
    return value;
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      listen: { type: 'string', default: '8080' },
      api: { type: 'string', multiple: true, default: ['127.0.0.1:8081', '127.0.0.1:8082'] },
      'cache-dir': { type: 'string', default: 'cache' },
      workers: { type: 'string', default: 'auto' },
      user: { type: 'string' },
    },
  });
  process.stdout.write(
    renderNginxConfig({
      listen: values.listen,
      apis: values.api,
      cacheDir: values['cache-dir'],
      workers: values.workers === 'auto' ? 'auto' : Number(values.workers),
      user: values.user,
    }),
  );
}
