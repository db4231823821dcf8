/**
 * GDAL's OGC API – Features client (the OAPIF driver of Debian's gdal-bin, what QGIS uses
 * too) against a running server on each driver: `ogrinfo` lists the collections and reads
 * numberMatched as the feature count, `ogr2ogr` pages through a whole collection by the
 * `next` links (GDAL's default page size is 10) and a bbox-limited one (`-spat`). Every
 * count is compared with SQL on the same database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { DRIVERS } from '../helpers/db.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

const run = promisify(execFile);
const GDAL_ENV = { ...process.env, GDAL_HTTP_TIMEOUT: '30', CPL_DEBUG: 'OFF', GDAL_HTTP_MAX_RETRY: '0' };
const TABLES = ['grids', 'stations', 'regions', 'buildings', 'party_orgs'] as const;

async function gdal(tool: 'ogrinfo' | 'ogr2ogr', args: string[]): Promise<string> {
  if (!existsSync(`/usr/bin/${tool}`))
    throw new Error(`${tool} is missing: install Debian's gdal-bin (apt-get install gdal-bin)`);
  const { stdout } = await run(tool, args, { env: GDAL_ENV, timeout: 180_000, maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

/** "Layer name: x" … "Feature Count: n" blocks of `ogrinfo -so`. */
function featureCounts(stdout: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const block of stdout.split(/^Layer name: /m).slice(1)) {
    const name = block.slice(0, block.indexOf('\n')).trim();
    const count = /^Feature Count: (-?\d+)$/m.exec(block);
    if (count) counts[name] = Number(count[1]);
  }
  return counts;
}

for (const driver of DRIVERS) {
  describe(`GDAL OAPIF client against /ogc [${driver}]`, () => {
    let server: TestServer;
    let dir: string;
    let source: string;
    const count = async (table: string, where = sql`true`) =>
      (
        await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)} WHERE ${where}`.execute(
          server.database.db,
        )
      ).rows[0]!.n;

    beforeAll(async () => {
      server = await startTestServer({ driver, demo: true });
      dir = mkdtempSync(join(tmpdir(), 'wangge-ogc-gdal-'));
      source = `OAPIF:${server.url}/ogc`;
    });
    afterAll(async () => {
      if (dir) rmSync(dir, { recursive: true, force: true });
      await server?.close();
    });

    it('ogrinfo lists the five collections with their geometry types', async () => {
      const out = await gdal('ogrinfo', ['-ro', '-q', source]);
      expect(out).toMatch(/^1: grids \(title: 网格\) \(Multi Polygon\)$/m);
      expect(out).toMatch(/^2: stations \(title: 党群服务阵地\) \(Point\)$/m);
      for (const id of TABLES) expect(out).toMatch(new RegExp(`^\\d: ${id} `, 'm'));
    });

    it('ogrinfo -so reads numberMatched: feature counts equal SQL, field types from the JSON Schema', async () => {
      const grids = await gdal('ogrinfo', ['-ro', '-so', source, 'grids']);
      expect(featureCounts(grids)).toEqual({ grids: await count('grids') });
      // Anonymous pages carry null households; the schema still says Integer.
      expect(grids).toMatch(/^households: Integer/m);
      expect(grids).toMatch(/^party_orgs: StringList/m);
      const all = featureCounts(await gdal('ogrinfo', ['-ro', '-so', '-al', source]));
      const expected = Object.fromEntries(await Promise.all(TABLES.map(async (t) => [t, await count(t)] as const)));
      expect(all).toEqual(expected);
    });

    it('ogr2ogr pages through a whole collection by the next links', async () => {
      const out = join(dir, `stations-${driver}.geojson`);
      await gdal('ogr2ogr', ['-f', 'GeoJSON', out, source, 'stations']);
      const collection = JSON.parse(readFileSync(out, 'utf8')) as {
        features: { geometry: { coordinates: number[] }; properties: { code: string } }[];
      };
      const expected = (
        await sql<{
          code: string;
          x: number;
          y: number;
        }>`SELECT code, ST_X(geom)::float8 AS x, ST_Y(geom)::float8 AS y FROM stations ORDER BY code`.execute(
          server.database.db,
        )
      ).rows;
      expect(expected.length).toBeGreaterThan(10); // more than one of GDAL's pages
      expect(collection.features.map((f) => f.properties.code)).toEqual(expected.map((s) => s.code));
      for (const [i, f] of collection.features.entries()) {
        expect(f.geometry.coordinates[0]).toBeCloseTo(expected[i]!.x, 7);
        expect(f.geometry.coordinates[1]).toBeCloseTo(expected[i]!.y, 7);
      }
    });

    it('ogr2ogr -spat sends a bbox: counts equal ST_Intersects', async () => {
      const [x0, y0, x1, y1] = [116.68, 39.49, 116.71, 39.52];
      const envelope = sql`ST_MakeEnvelope(${x0}, ${y0}, ${x1}, ${y1}, 4326)`;
      for (const layer of ['stations', 'grids'] as const) {
        const out = join(dir, `${layer}-bbox-${driver}.geojson`);
        await gdal('ogr2ogr', [
          '-f',
          'GeoJSON',
          '-spat',
          String(x0),
          String(y0),
          String(x1),
          String(y1),
          out,
          source,
          layer,
        ]);
        const n = (JSON.parse(readFileSync(out, 'utf8')) as { features: unknown[] }).features.length;
        const expected = await count(layer, sql`ST_Intersects(geom, ${envelope})`);
        expect(expected).toBeGreaterThan(10);
        expect(expected).toBeLessThan(await count(layer));
        expect(n, layer).toBe(expected);
      }
    });
  });
}
