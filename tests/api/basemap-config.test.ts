/**
 * The basemap settings over real HTTP (no network needed: nothing is fetched from the basemap's
 * hosts): BASEMAP_STYLE_URL, TIANDITU_KEY, both, neither. What /api/config tells the client,
 * the 天地图 style at /api/basemap/style.json, and a Content-Security-Policy that allows the
 * configured basemap's origins and no other.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { readConfig, type Config } from '../../server/config.ts';
import { TIANDITU_ORIGINS } from '../../server/basemap/tianditu-style.ts';
import { DRIVERS } from '../helpers/db.ts';
import { httpClient } from '../helpers/http-client.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

/** The CSP's directives as name → sources. */
function csp(res: Response): Record<string, string[]> {
  const header = res.headers.get('content-security-policy') ?? '';
  return Object.fromEntries(
    header
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...sources]) => [name!, sources]),
  );
}

/** Every origin a directive allows besides our own and blob:/data:. */
const foreignOrigins = (sources: string[] = []) =>
  sources.filter((s) => !["'self'", "'none'", "'unsafe-inline'", 'blob:', 'data:'].includes(s));

interface Style {
  version: number;
  sources: Record<string, { type: string; tiles: string[]; tileSize: number }>;
  layers: { id: string; type: string; source?: string }[];
}

const STYLE_URL = 'https://maps.example.cn/styles/streets.json';

/** Another app with its own configuration over a test server's database (the CSP is built at start). */
async function serveAlso(
  server: TestServer,
  config: Partial<Config>,
): Promise<{ url: string; close: () => Promise<void> }> {
  const { db, driver } = server.database;
  const app = createApp({ db, driver, config: { ...readConfig({}), port: 0, ...config } });
  const http = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

for (const driver of DRIVERS) {
  describe(`basemap configuration [${driver}]`, () => {
    let server: TestServer;
    const servers: Partial<Record<'own' | 'url' | 'tianditu' | 'both', { url: string; close(): Promise<void> }>> = {};
    const settings: Record<keyof typeof servers, Partial<Config>> = {
      own: {},
      url: { basemapStyleUrl: STYLE_URL },
      tianditu: { tiandituKey: 'abc123KEY' },
      both: { basemapStyleUrl: STYLE_URL, tiandituKey: 'abc123KEY' },
    };
    const get = (which: keyof typeof servers, path: string) => httpClient(servers[which]!.url).fetch('GET', path);

    beforeAll(async () => {
      server = await startTestServer({ driver, demo: false });
      for (const [which, config] of Object.entries(settings))
        servers[which as keyof typeof servers] = await serveAlso(server, config);
    }, 240_000);
    afterAll(async () => {
      for (const app of Object.values(servers)) await app?.close();
      await server?.close();
    });

    it('by default: no basemap URL, the own base map, and a CSP of our origin only', async () => {
      const res = await get('own', '/api/config');
      expect(((await res.json()) as { basemapStyleUrl: string | null }).basemapStyleUrl).toBeNull();
      const d = csp(res);
      for (const name of ['connect-src', 'img-src', 'script-src', 'default-src', 'font-src'])
        expect(foreignOrigins(d[name]), name).toEqual([]);
      expect((await get('own', '/api/basemap/style.json')).status).toBe(404);
      expect((await get('own', '/tiles/base.json')).status).toBe(200);
    });

    it('BASEMAP_STYLE_URL: the client gets it, the CSP allows its origin for data and images only', async () => {
      const res = await get('url', '/api/config');
      expect(((await res.json()) as { basemapStyleUrl: string }).basemapStyleUrl).toBe(STYLE_URL);
      const d = csp(res);
      expect(foreignOrigins(d['connect-src'])).toEqual(['https://maps.example.cn']);
      expect(foreignOrigins(d['img-src'])).toEqual(['https://maps.example.cn']);
      expect(foreignOrigins(d['script-src'])).toEqual([]);
      expect((await get('url', '/api/basemap/style.json')).status).toBe(404);
    });

    it('TIANDITU_KEY: a vec_w + cva_w style from the app, its eight hosts and no other in the CSP', async () => {
      const tianditu = servers.tianditu!;
      const res = await get('tianditu', '/api/config');
      const { basemapStyleUrl } = (await res.json()) as { basemapStyleUrl: string };
      expect(basemapStyleUrl).toBe(`${tianditu.url}/api/basemap/style.json`);
      const d = csp(res);
      expect(foreignOrigins(d['connect-src']).sort()).toEqual([...TIANDITU_ORIGINS].sort());
      expect(foreignOrigins(d['img-src']).sort()).toEqual([...TIANDITU_ORIGINS].sort());
      expect(foreignOrigins(d['script-src'])).toEqual([]);

      const styleRes = await httpClient(tianditu.url).fetch('GET', '/api/basemap/style.json');
      expect(styleRes.status).toBe(200);
      const style = (await styleRes.json()) as Style;
      expect(style.version).toBe(8);
      const rasters = style.layers.filter((l) => l.type === 'raster').map((l) => l.source);
      expect(rasters).toEqual(['tianditu-vec', 'tianditu-cva']); // annotation over the map
      for (const [id, layer] of [
        ['tianditu-vec', 'vec'],
        ['tianditu-cva', 'cva'],
      ] as const) {
        const source = style.sources[id]!;
        expect(source).toMatchObject({ type: 'raster', tileSize: 256 });
        expect(source.tiles).toHaveLength(8);
        for (const tile of source.tiles) {
          const url = new URL(tile.replace('{z}', '12').replace('{y}', '1557').replace('{x}', '3375'));
          expect(TIANDITU_ORIGINS).toContain(url.origin);
          expect(url.pathname).toBe(`/${layer}_w/wmts`);
          expect(Object.fromEntries(url.searchParams)).toMatchObject({
            SERVICE: 'WMTS',
            REQUEST: 'GetTile',
            LAYER: layer,
            TILEMATRIXSET: 'w',
            TILEMATRIX: '12',
            TILEROW: '1557',
            TILECOL: '3375',
            tk: 'abc123KEY',
          });
          // Every host the style names is one the CSP lets the page fetch from.
          expect(d['connect-src']).toContain(url.origin);
        }
      }
      // The style page itself is served under the same policy.
      expect(foreignOrigins(csp(styleRes)['connect-src']).sort()).toEqual([...TIANDITU_ORIGINS].sort());
    });

    it('both set: BASEMAP_STYLE_URL wins, and 天地图 is not allowed by the CSP', async () => {
      const res = await get('both', '/api/config');
      expect(((await res.json()) as { basemapStyleUrl: string }).basemapStyleUrl).toBe(STYLE_URL);
      expect(foreignOrigins(csp(res)['connect-src'])).toEqual(['https://maps.example.cn']);
      expect((await get('both', '/api/basemap/style.json')).status).toBe(404);
    });
  });
}
