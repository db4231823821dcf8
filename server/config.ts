/** Configuration from the environment, read once at start-up. */
import { resolve } from 'node:path';

export interface Config {
  port: number;
  /** Set: use the server driver. Unset: the embedded PostGIS in dataDir. */
  databaseUrl: string | undefined;
  /** A streaming replica for public reads (DATABASE_READ_URL, server driver only); the primary when unset or down. */
  databaseReadUrl: string | undefined;
  dataDir: string;
  demoPassword: string;
  /** Optional MapLibre style URL for a basemap (天地图 or any); none by default. */
  basemapStyleUrl: string | undefined;
  /** A 天地图 key (TIANDITU_KEY): its vector + annotation tiles are the basemap unless basemapStyleUrl is set. */
  tiandituKey: string | undefined;
  /** Load the demo district into an empty database on start (default on). */
  loadDemo: boolean;
  /** Requests a minute per client address on /api/public/* (WANGGE_PUBLIC_RATE_LIMIT, default 600; 0 = off). */
  publicRateLimit: number;
  /** In-process indexes for the public finder (WANGGE_PUBLIC_INDEX=0: PostGIS per request, the benchmark's anchor). */
  publicIndex: boolean;
  /** Locate and nearest answered in front of Express (WANGGE_PUBLIC_FAST_PATH=0: through Express, the benchmark's anchor). */
  publicFastPath: boolean;
  /** Sessions end this many hours after sign-in whatever happens (WANGGE_SESSION_HOURS, default 12). */
  sessionHours: number;
  /** ...and after this many minutes without a request (WANGGE_SESSION_IDLE_MINUTES, default 120; 0 = no idle timeout). */
  sessionIdleMinutes: number;
  /** Failed sign-ins per 15 minutes, per address and per username (WANGGE_LOGIN_RATE_LIMIT, default 10; 0 = off). */
  loginRateLimit: number;
  /** Express "trust proxy" (WANGGE_TRUST_PROXY, e.g. `loopback` or `1`): behind HTTPS termination, for req.ip and Secure cookies. */
  trustProxy: string | undefined;
  /** More origins the browser may fetch map data from (WANGGE_CSP_ORIGINS, comma-separated; the basemap style's origin is added by itself). */
  cspOrigins: string[];
  /** The address people reach the app at (PUBLIC_URL, e.g. https://wangge.example.gov.cn): printed boards' QR codes point there. Unset: the request's own origin. */
  publicUrl: string | undefined;
  /** Case reports an hour per client address on POST /api/public/cases (WANGGE_CASE_RATE_LIMIT, default 20; 0 = off). */
  caseRateLimit: number;
  /** Redis for the rate-limit counters every API process shares (REDIS_URL, e.g. redis://127.0.0.1:6379); unset: in memory, per process. */
  redisUrl: string | undefined;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 8080);
  const publicRateLimit = Number(env.WANGGE_PUBLIC_RATE_LIMIT ?? 600);
  if (!Number.isInteger(publicRateLimit) || publicRateLimit < 0) {
    throw new Error(
      `WANGGE_PUBLIC_RATE_LIMIT must be a whole number of requests a minute (0 = off), got "${env.WANGGE_PUBLIC_RATE_LIMIT}"`,
    );
  }
  const count = (name: string, fallback: number, what: string): number => {
    const value = Number(env[name] ?? fallback);
    if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be ${what}, got "${env[name]}"`);
    return value;
  };
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  return {
    port,
    databaseUrl: env.DATABASE_URL || undefined,
    databaseReadUrl: env.DATABASE_READ_URL || undefined,
    dataDir: resolve(env.DATA_DIR ?? 'var'),
    demoPassword: env.WANGGE_DEMO_PASSWORD || 'wangge-demo',
    basemapStyleUrl: env.BASEMAP_STYLE_URL || undefined,
    tiandituKey: env.TIANDITU_KEY?.trim() || undefined,
    loadDemo: env.WANGGE_LOAD_DEMO !== '0',
    publicRateLimit,
    publicIndex: env.WANGGE_PUBLIC_INDEX !== '0',
    publicFastPath: env.WANGGE_PUBLIC_FAST_PATH !== '0',
    sessionHours: count('WANGGE_SESSION_HOURS', 12, 'a number of hours') || 12,
    sessionIdleMinutes: count('WANGGE_SESSION_IDLE_MINUTES', 120, 'a number of minutes (0 = no idle timeout)'),
    loginRateLimit: Math.floor(
      count('WANGGE_LOGIN_RATE_LIMIT', 10, 'a whole number of failed sign-ins per 15 minutes (0 = off)'),
    ),
    trustProxy: env.WANGGE_TRUST_PROXY || undefined,
    cspOrigins: (env.WANGGE_CSP_ORIGINS ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    publicUrl: env.PUBLIC_URL?.trim().replace(/\/+$/, '') || undefined,
    caseRateLimit: Math.floor(count('WANGGE_CASE_RATE_LIMIT', 20, 'a whole number of case reports an hour (0 = off)')),
    redisUrl: env.REDIS_URL?.trim() || undefined,
  };
}
