/**
 * Security headers on every response (helmet), with a Content-Security-Policy the app really
 * runs under: the map, the station finder (/find), the API docs (/api/docs) and the OGC HTML
 * pages load only our own scripts, so a name with HTML in it can never run as script even if
 * some view forgot to escape it. Checked in tests/api/security.test.ts and, for the pages in
 * Chromium, tests/e2e/xss.e2e.test.ts (no `securitypolicyviolation` in normal use).
 *
 * Why each exception:
 * - style-src 'unsafe-inline': MapLibre positions markers, popups and controls with inline
 *   `style` attributes, the docs and OGC pages carry a small <style>; styles cannot run code.
 * - img-src / worker-src blob:, data:: MapLibre starts its worker from a blob: URL and loads
 *   sprites and icons as blob:/data: images; Swagger UI's icons are data: SVGs.
 * - the basemap: a configured BASEMAP_STYLE_URL's origin (and WANGGE_CSP_ORIGINS, for tile
 *   hosts other than the style's), or with TIANDITU_KEY the 天地图 hosts t0–t7.tianditu.gov.cn,
 *   may be fetched and shown as images; nothing else may. The own base map needs none.
 * No upgrade-insecure-requests: offices run the app on plain HTTP inside their network.
 */
import helmet from 'helmet';
import type { RequestHandler } from 'express';
import type { Config } from '../config.ts';
import { basemapOriginUrls, type BasemapConfig } from '../basemap/basemap-config.ts';

type CspConfig = BasemapConfig & Pick<Config, 'cspOrigins'>;

/** The origins beyond our own that map data may come from (the basemap's). */
export function mapDataOrigins(config: CspConfig): string[] {
  const origins = new Set<string>();
  for (const url of [...basemapOriginUrls(config), ...config.cspOrigins]) {
    if (!url) continue;
    try {
      const { origin, protocol } = new URL(url);
      if (protocol === 'https:' || protocol === 'http:') origins.add(origin);
    } catch {
      throw new Error(`Not a URL for the Content-Security-Policy: "${url}" (BASEMAP_STYLE_URL or WANGGE_CSP_ORIGINS)`);
    }
  }
  return [...origins];
}

/** The CSP directives, as helmet takes them. */
export function cspDirectives(config: CspConfig): Record<string, string[]> {
  const extra = mapDataOrigins(config);
  return {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:', ...extra],
    'font-src': ["'self'", 'data:'],
    'worker-src': ["'self'", 'blob:'],
    'connect-src': ["'self'", ...extra],
    'object-src': ["'none'"],
    'frame-ancestors': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
  };
}

/** helmet with our CSP; Express's own X-Powered-By is switched off in app.ts. */
export function securityHeaders(config: CspConfig): RequestHandler {
  return helmet({
    contentSecurityPolicy: { useDefaults: false, directives: cspDirectives(config) },
    // The tiles and the OGC API are meant to be read by GIS clients and other sites' maps.
    crossOriginResourcePolicy: { policy: 'cross-origin' },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
  });
}
