/**
 * Paging and counts that hold (issue 20), over real HTTP on each driver: OGC items page by
 * a keyset cursor (walked to the end and back with no duplicate and no missing feature, over
 * keys that look alike: case, spaces, full-width digits, leading zeros, combining accents);
 * a bad cursor is a 400 naming it; numberMatched follows its rule (exact without filters,
 * exact under a filter up to EXACT_COUNT_CAP, omitted past it); extents and counts follow
 * the data version after a published edit (within the second the version is kept); and a whole-layer export of a few thousand
 * generated grids streams as GeoJSON and CSV with exactly the expected features.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import Papa from 'papaparse';
import { DRIVERS } from '../helpers/db.ts';
import { httpClient } from '../helpers/http-client.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { EXACT_COUNT_CAP } from '../../server/ogc/ogc.routes.ts';
import { encodeCursor } from '../../server/ogc/ogc.cursor.ts';

interface Json {
  [key: string]: any;
}

/** Station codes that sort next to each other or look the same to a reader. */
const LOOKALIKES = [
  'A',
  'a',
  'A ',
  'A  ',
  ' A',
  'A-1',
  'A-01',
  'A-001',
  'A-1 ',
  'a-1',
  'A_1',
  'A.1',
  'A-1/',
  'A-10',
  'A-2',
  'Ａ-1',
  'A-１',
  'A-1é',
  'A-1e\u0301',
  '站点1',
  '站点01',
  '站点１',
  '%',
  '_',
  '\\',
  "O'Brien",
  '"q"',
  '+',
  '~',
];
const GENERATED_GRIDS = 3000;

for (const driver of DRIVERS) {
  describe(`OGC paging, counts, extents and streamed export [${driver}]`, () => {
    let server: TestServer;
    const http = httpClient(() => server.url);
    const db = () => server.database.db;
    const get = async (path: string, as?: string) => {
      const res = await http.request<Json>('GET', path, as ? { as } : {});
      return { status: res.status, json: (res.body ?? {}) as Json, headers: res.headers };
    };
    const codes = async (table: 'stations' | 'grids', where = sql`true`) =>
      (
        await sql<{ code: string }>`SELECT code FROM ${sql.table(table)} WHERE ${where} ORDER BY code`.execute(db())
      ).rows.map((r) => r.code);
    /**
     * The unfiltered count as served, once it equals `expected`: the data version is read at most
     * once per VERSION_TTL_MS, so an edit shows within that (asked again for up to 10 s).
     */
    const servedCount = async (expected: number) => {
      const read = async () => (await get('/ogc/collections/stations/items?limit=1')).json.numberMatched as number;
      for (let i = 0, n = await read(); ; i++, n = await read()) {
        if (n === expected || i * 100 > 10_000) return n;
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    /** Follows `rel` links from `url` to the end: every page's ids, in order. */
    const walk = async (url: string | undefined, rel: 'next' | 'prev') => {
      const pages: string[][] = [];
      while (url) {
        const page = await get(url);
        expect(page.status, url).toBe(200);
        pages.push(page.json.features.map((f: Json) => f.id));
        url = page.json.links.find((l: Json) => l.rel === rel)?.href;
        expect(pages.length).toBeLessThan(10_000);
      }
      return pages;
    };

    beforeAll(async () => {
      server = await startTestServer({ driver, demo: true });
      await http.loginAll(['admin']);
      // Lookalike stations at the westernmost station's point (the extent stays the same), and
      // generated grids with copies of one demo grid's outline.
      await sql`INSERT INTO stations (code, name, kind, region_code, geom)
        SELECT c, '同名站点', 'red_post', s.region_code, s.geom
        FROM unnest(${LOOKALIKES}::text[]) c, (SELECT region_code, geom FROM stations ORDER BY ST_X(geom), code LIMIT 1) s`.execute(
        db(),
      );
      await sql`INSERT INTO grids (code, name, community_code, kind, households, geom)
        SELECT '9' || lpad(i::text, 14, '0'), '生成网格' || i, g.community_code, 'residential', i % 500, g.geom
        FROM generate_series(1, ${GENERATED_GRIDS}) i, (SELECT community_code, geom FROM grids ORDER BY code LIMIT 1) g`.execute(
        db(),
      );
    });
    afterAll(async () => server?.close());

    it('the next links walk the stations, lookalike codes included, with no duplicate and no gap; prev links walk back', async () => {
      const expected = await codes('stations');
      expect(expected.length).toBeGreaterThan(LOOKALIKES.length);
      const forward = await walk('/ogc/collections/stations/items?limit=7', 'next');
      expect(forward.flat()).toEqual(expected);
      expect(forward.length).toBe(Math.ceil(expected.length / 7));
      // Back from the last page: the same pages in reverse.
      const lastUrl = `/ogc/collections/stations/items?limit=7&cursor=${encodeCursor({ direction: 'after', key: expected[7 * (forward.length - 1) - 1]! })}`;
      const backward = await walk(lastUrl, 'prev');
      expect(backward.reverse().flat()).toEqual(expected);
      expect(new Set(forward.flat()).size).toBe(expected.length);
    });

    it('a walk with a bbox and a filter, and a whole layer of grids, each feature once', async () => {
      const expected = await codes('grids');
      const pages = await walk('/ogc/collections/grids/items?limit=1000', 'next');
      expect(pages.flat()).toEqual(expected);
      const bbox = [116.68, 39.49, 116.71, 39.52];
      const envelope = sql`ST_Intersects(geom, ST_MakeEnvelope(${bbox[0]}, ${bbox[1]}, ${bbox[2]}, ${bbox[3]}, 4326))`;
      const inBox = await codes('stations', sql`${envelope} AND kind = 'red_post'`);
      expect(inBox.length).toBeGreaterThan(5);
      const filtered = await walk(
        `/ogc/collections/stations/items?limit=3&kind=red_post&bbox=${bbox.join(',')}`,
        'next',
      );
      expect(filtered.flat()).toEqual(inBox);
    });

    it('offset is still read; its next link carries a cursor and goes on from there', async () => {
      const expected = await codes('stations');
      const page = await get('/ogc/collections/stations/items?limit=5&offset=10');
      expect(page.json.features.map((f: Json) => f.id)).toEqual(expected.slice(10, 15));
      const next = page.json.links.find((l: Json) => l.rel === 'next').href as string;
      expect(new URL(next).searchParams.get('offset')).toBeNull();
      expect(new URL(next).searchParams.get('cursor')).toBeTruthy();
      expect((await get(next)).json.features.map((f: Json) => f.id)).toEqual(expected.slice(15, 20));
    });

    it('a bad cursor is a 400 naming it', async () => {
      const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
      for (const cursor of ['not a cursor!', 'AAAA', b64({ after: 'x' }), b64(['c', 'x']), b64(['a', 1]), b64(['a'])]) {
        const res = await get(`/ogc/collections/grids/items?cursor=${encodeURIComponent(cursor)}`);
        expect(res.status, cursor).toBe(400);
        expect(res.json.error.param, cursor).toBe('cursor');
        expect(res.json.error.message).toMatch(/cursor/);
      }
      const both = await get(
        `/ogc/collections/grids/items?offset=3&cursor=${encodeCursor({ direction: 'after', key: 'x' })}`,
      );
      expect(both.status).toBe(400);
      expect(both.json.error.param).toBe('cursor');
      // A cursor past the end is an empty last page, not an error.
      const past = await get(
        `/ogc/collections/grids/items?cursor=${encodeCursor({ direction: 'after', key: '999999999999999' })}`,
      );
      expect(past.status).toBe(200);
      expect(past.json.features).toEqual([]);
      expect(past.json.links.some((l: Json) => l.rel === 'next')).toBe(false);
    });

    it('numberMatched: exact without filters, exact under a filter up to the cap, omitted past it', async () => {
      const all = await codes('stations');
      expect((await get('/ogc/collections/stations/items?limit=1')).json.numberMatched).toBe(all.length);
      const [west] = (
        await sql<{ x: number; y: number }>`SELECT ST_X(geom)::float8 AS x, ST_Y(geom)::float8 AS y FROM stations
          ORDER BY ST_X(geom), code LIMIT 1`.execute(db())
      ).rows;
      const box = [west!.x - 1e-6, west!.y - 1e-6, west!.x + 1e-6, west!.y + 1e-6].join(',');
      const here = async () =>
        (
          await sql<{ n: number }>`SELECT count(*)::int AS n FROM stations
            WHERE ST_Intersects(geom, ST_MakeEnvelope(${west!.x - 1e-6}, ${west!.y - 1e-6}, ${west!.x + 1e-6}, ${west!.y + 1e-6}, 4326))`.execute(
            db(),
          )
        ).rows[0]!.n;
      expect((await get(`/ogc/collections/stations/items?bbox=${box}&limit=2`)).json.numberMatched).toBe(await here());
      // Past the cap under a filter: omitted, and the next links still page.
      await sql`INSERT INTO stations (code, name, kind, region_code, geom)
        SELECT 'GEN-' || lpad(i::text, 6, '0'), '生成站点', 'helper_post', s.region_code, s.geom
        FROM generate_series(1, ${EXACT_COUNT_CAP + 1}) i,
             (SELECT region_code, geom FROM stations ORDER BY ST_X(geom), code LIMIT 1) s`.execute(db());
      expect(await here()).toBeGreaterThan(EXACT_COUNT_CAP);
      const crowded = await get(`/ogc/collections/stations/items?bbox=${box}&limit=2`);
      expect(crowded.status).toBe(200);
      expect(crowded.json).not.toHaveProperty('numberMatched');
      expect(crowded.json.numberReturned).toBe(2);
      expect(crowded.json.links.some((l: Json) => l.rel === 'next')).toBe(true);
      // Without filters the count is exact, read again after the insert (a new data version).
      expect(await servedCount(all.length + EXACT_COUNT_CAP + 1)).toBe(all.length + EXACT_COUNT_CAP + 1);
      await sql`DELETE FROM stations WHERE code LIKE 'GEN-%'`.execute(db());
      expect(await servedCount(all.length)).toBe(all.length);
    });

    it('extents and counts follow the data version: a station deleted through Part 4 moves them', async () => {
      const extent = async () =>
        (
          await sql<{ x0: number; y0: number; x1: number; y1: number }>`SELECT ST_XMin(e)::float8 AS x0,
            ST_YMin(e)::float8 AS y0, ST_XMax(e)::float8 AS x1, ST_YMax(e)::float8 AS y1
            FROM (SELECT ST_Extent(geom) AS e FROM stations) x`.execute(db())
        ).rows[0]!;
      // The collection's own document and the list's entry; the two requests may straddle the
      // second the data version is kept, so they agree once the version has settled.
      const both = async () => {
        const one = (await get('/ogc/collections/stations')).json.extent.spatial.bbox[0] as number[];
        const listed = (await get('/ogc/collections')).json.collections.find((c: Json) => c.id === 'stations');
        return [one, listed.extent.spatial.bbox[0] as number[]] as const;
      };
      const served = async () => {
        let [one, listed] = await both();
        for (let i = 0; i < 30 && JSON.stringify(one) !== JSON.stringify(listed); i++) {
          await new Promise((r) => setTimeout(r, 100));
          [one, listed] = await both();
        }
        expect(listed).toEqual(one);
        return one;
      };
      const before = await served();
      const e0 = await extent();
      expect(before).toEqual([e0.x0, e0.y0, e0.x1, e0.y1]);
      expect(await served()).toEqual(before); // read twice: the same (cached) answer
      const [east, runnerUp] = (
        await sql<{ code: string; x: number }>`SELECT code, ST_X(geom)::float8 AS x FROM stations
          ORDER BY ST_X(geom) DESC LIMIT 2`.execute(db())
      ).rows;
      expect(east!.x).toBeGreaterThan(runnerUp!.x);
      const item = await http.fetch('GET', `/ogc/collections/stations/items/${encodeURIComponent(east!.code)}`);
      const etag = item.headers.get('etag')!;
      const del = await http.fetch('DELETE', `/ogc/collections/stations/items/${encodeURIComponent(east!.code)}`, {
        as: 'admin',
        ifMatch: etag,
      });
      expect(del.status).toBe(204);
      let after = await served();
      for (let i = 0; i < 100 && after[2] === before[2]; i++) {
        await new Promise((r) => setTimeout(r, 100)); // within VERSION_TTL_MS
        after = await served();
      }
      expect(after[2]).toBeCloseTo(runnerUp!.x, 9);
      const e1 = await extent();
      expect(after).toEqual([e1.x0, e1.y0, e1.x1, e1.y1]);
      const total = (await codes('stations')).length;
      expect(await servedCount(total)).toBe(total);
    });

    it('a whole-layer export streams: GeoJSON and CSV hold exactly the grids, once each', async () => {
      const expected = await codes('grids');
      expect(expected.length).toBeGreaterThan(GENERATED_GRIDS);
      const geojson = await http.fetch('GET', '/api/export?layer=grids&format=geojson', { as: 'admin' });
      expect(geojson.status).toBe(200);
      expect(geojson.headers.get('content-type')).toMatch(/^application\/geo\+json/);
      expect(geojson.headers.get('content-disposition')).toBe(
        `attachment; filename="grids-all.geojson"; filename*=UTF-8''${encodeURIComponent('网格-全部.geojson')}`,
      );
      expect(geojson.headers.get('transfer-encoding')).toBe('chunked');
      const collection = JSON.parse(await geojson.text()) as Json;
      expect(collection.type).toBe('FeatureCollection');
      expect(collection.features.map((f: Json) => f.properties.code)).toEqual(expected);
      const generated = collection.features.find((f: Json) => f.properties.code === '900000000000042');
      expect(generated.properties).toMatchObject({ name: '生成网格42', households: 42, kind: 'residential' });
      expect(generated.geometry.type).toBe('MultiPolygon');

      const csv = await http.fetch('GET', '/api/export?layer=grids&format=csv', { as: 'admin' });
      expect(csv.status).toBe(200);
      expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(csv.headers.get('content-disposition')).toBe(
        `attachment; filename="grids-all.csv"; filename*=UTF-8''${encodeURIComponent('网格-全部.csv')}`,
      );
      const bytes = new Uint8Array(await csv.arrayBuffer());
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // the BOM Excel needs
      const parsed = Papa.parse<Record<string, string>>(new TextDecoder().decode(bytes), {
        header: true,
        skipEmptyLines: true,
      });
      expect(parsed.errors).toEqual([]);
      expect(parsed.meta.fields).toEqual(['code', 'name', 'kind', 'community_code', 'households', 'wkt']);
      expect(parsed.data.map((r) => r.code)).toEqual(expected);
      expect(parsed.data.every((r) => r.wkt!.startsWith('MULTIPOLYGON'))).toBe(true);

      // Points as lon/lat columns, as before.
      const stations = await http.fetch('GET', '/api/export?layer=stations&format=csv', { as: 'admin' });
      const rows = Papa.parse<Record<string, string>>(await stations.text(), {
        header: true,
        skipEmptyLines: true,
      });
      expect(rows.meta.fields!.slice(-2)).toEqual(['lon', 'lat']);
      expect(rows.data.map((r) => r.code)).toEqual(await codes('stations'));
    });
  });
}
