/** Configuration from the environment, read once at start-up. */
import { resolve } from 'node:path';

export interface Config {
  port: number;
  /** Set: use the server driver. Unset: the embedded PostGIS in dataDir. */
  databaseUrl: string | undefined;
  dataDir: string;
  demoPassword: string;
  /** Optional MapLibre style URL for a basemap (天地图 or any); none by default. */
  basemapStyleUrl: string | undefined;
  /** Load the demo district into an empty database on start (default on). */
  loadDemo: boolean;
  /** Requests a minute per client address on /api/public/* (WANGGE_PUBLIC_RATE_LIMIT, default 600; 0 = off). */
  publicRateLimit: number;
  /** In-process indexes for the public finder (WANGGE_PUBLIC_INDEX=0: PostGIS per request, the benchmark's anchor). */
  publicIndex: boolean;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 8080);
  const publicRateLimit = Number(env.WANGGE_PUBLIC_RATE_LIMIT ?? 600);
  if (!Number.isInteger(publicRateLimit) || publicRateLimit < 0) {
    throw new Error(`WANGGE_PUBLIC_RATE_LIMIT must be a whole number of requests a minute (0 = off), got "${env.WANGGE_PUBLIC_RATE_LIMIT}"`);
  }
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  return {
    port,
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: resolve(env.DATA_DIR ?? 'var'),
    demoPassword: env.WANGGE_DEMO_PASSWORD || 'wangge-demo',
    basemapStyleUrl: env.BASEMAP_STYLE_URL || undefined,
    loadDemo: env.WANGGE_LOAD_DEMO !== '0',
    publicRateLimit,
    publicIndex: env.WANGGE_PUBLIC_INDEX !== '0',
  };
}
