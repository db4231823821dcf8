/**
 * OGC API – Features at /ogc over real HTTP on each driver, against the demo district:
 * the documents' shapes, items equal to SQL counts (filters, bbox, paging by the next
 * links), single items with ETags, escaped HTML, what anonymous readers see, and Part 4
 * writes (stations directly, grids through a draft and publish) with If-Match and
 * permissions; every refused write leaves the checksum of the written tables unchanged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { DRIVERS } from '../helpers/db.ts';
import { httpClient } from '../helpers/http-client.ts';
import { sessionCookie } from '../helpers/session.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { readDemoDataset } from '../../data/load.ts';

const STREET = '131002003000';
/** The grid of street 003 whose moved vertex opens the demo's deliberate gap (4–6 m) beside its neighbour. */
const GAP_GRID = readDemoDataset().meta.deliberateErrors.find(
  (e) => e.kind === 'gap' && e.grids[0].startsWith(STREET.slice(0, 9)),
)!.grids[0];
const GAP_COMMUNITY = GAP_GRID.slice(0, 12);

interface Json {
  [key: string]: any;
}

for (const driver of DRIVERS) {
  describe(`OGC API – Features [${driver}]`, () => {
    let server: TestServer;
    const cookies: Record<string, string> = {};
    const db = () => server.database.db;

    const http = httpClient(() => server.url, cookies);
    const call = async (
      method: string,
      path: string,
      options: {
        as?: string;
        body?: unknown;
        ifMatch?: string;
        accept?: string;
        headers?: Record<string, string>;
      } = {},
    ) => {
      const res = await http.request<Json>(method, path, {
        ...options,
        contentType: options.body !== undefined ? 'application/geo+json' : '',
      });
      return { status: res.status, headers: res.headers, text: res.text, json: (res.body ?? {}) as Json };
    };
    const rows = async <T>(query: ReturnType<typeof sql<T>>) => (await query.execute(db())).rows;
    /** Everything an OGC write may touch: grids, stations, drafts, changesets. */
    const checksum = async () =>
      (
        await rows(sql<{ sum: string }>`SELECT md5(
          coalesce((SELECT string_agg(code || name || version || kind || households || md5(ST_AsBinary(geom)::text), ',' ORDER BY code) FROM grids), '') ||
          coalesce((SELECT string_agg(md5(s::text), ',' ORDER BY code) FROM stations s), '') ||
          (SELECT count(*) FROM drafts) || (SELECT count(*) FROM draft_grids) || (SELECT count(*) FROM changesets)) AS sum`)
      )[0]!.sum;

    beforeAll(async () => {
      server = await startTestServer({ driver, demo: true });
      for (const username of ['admin', 'planner', 'editor-003', 'editor-001'])
        cookies[username] = await sessionCookie(server.url, username);
    });
    afterAll(async () => server?.close());

    it('landing page, conformance and collections', async () => {
      const landing = await call('GET', '/ogc');
      expect(landing.status).toBe(200);
      expect(landing.headers.get('content-type')).toMatch(/^application\/json/);
      const rels = landing.json.links.map((l: Json) => l.rel);
      expect(rels).toEqual(expect.arrayContaining(['self', 'alternate', 'service-desc', 'conformance', 'data']));
      expect(landing.json.links.find((l: Json) => l.rel === 'service-desc').href).toBe(
        `${server.url}/api/openapi.json`,
      );

      const conformance = await call('GET', '/ogc/conformance');
      for (const part of [
        'ogcapi-features-1/1.0/conf/core',
        'ogcapi-features-1/1.0/conf/geojson',
        'ogcapi-features-1/1.0/conf/html',
        'ogcapi-features-1/1.0/conf/oas30',
        'ogcapi-features-4/1.0/conf/create-replace-delete',
      ]) {
        expect(conformance.json.conformsTo).toContain(`http://www.opengis.net/spec/${part}`);
      }

      const collections = await call('GET', '/ogc/collections');
      expect(collections.json.collections.map((c: Json) => c.id)).toEqual([
        'grids',
        'stations',
        'regions',
        'buildings',
        'party_orgs',
      ]);
      const grids = collections.json.collections[0];
      expect(grids.title).toBe('网格');
      const [extent] = await rows(sql<{ x0: number; y0: number; x1: number; y1: number }>`
        SELECT ST_XMin(e)::float8 AS x0, ST_YMin(e)::float8 AS y0, ST_XMax(e)::float8 AS x1, ST_YMax(e)::float8 AS y1 FROM (SELECT ST_Extent(geom) AS e FROM grids) x`);
      const bbox = grids.extent.spatial.bbox[0] as number[];
      [extent!.x0, extent!.y0, extent!.x1, extent!.y1].forEach((v, i) => expect(bbox[i]).toBeCloseTo(v, 9));
      expect(grids.extent.spatial.crs).toBe('http://www.opengis.net/def/crs/OGC/1.3/CRS84');
      expect(grids.links.find((l: Json) => l.rel === 'items' && l.type === 'application/geo+json')).toBeTruthy();

      const one = await call('GET', '/ogc/collections/stations');
      expect(one.json.id).toBe('stations');
      expect((await call('GET', '/ogc/collections/grid_workers')).status).toBe(404);
      expect((await call('GET', '/ogc/collections/nope/items')).status).toBe(404);
    });

    it('items equal SQL: a community filter, a bbox, kind filters', async () => {
      const [community] = await rows(
        sql<{ code: string }>`SELECT community_code AS code FROM grids GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`,
      );
      const expected = (
        await rows(
          sql<{ code: string }>`SELECT code FROM grids WHERE community_code = ${community!.code} ORDER BY code`,
        )
      ).map((r) => r.code);
      const page = await call('GET', `/ogc/collections/grids/items?community_code=${community!.code}`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/^application\/geo\+json/);
      expect(page.json.type).toBe('FeatureCollection');
      expect(page.json.numberMatched).toBe(expected.length);
      expect(page.json.numberReturned).toBe(expected.length);
      expect(page.json.features.map((f: Json) => f.id)).toEqual(expected);

      const bbox = [116.68, 39.49, 116.7, 39.51] as const;
      for (const table of ['grids', 'stations', 'buildings'] as const) {
        const [count] = await rows(sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}
          WHERE ST_Intersects(geom, ST_MakeEnvelope(${bbox[0]}, ${bbox[1]}, ${bbox[2]}, ${bbox[3]}, 4326))`);
        const res = await call('GET', `/ogc/collections/${table}/items?bbox=${bbox.join(',')}&limit=10000`);
        expect(count!.n).toBeGreaterThan(0);
        expect(res.json.numberMatched).toBe(count!.n);
        expect(res.json.features).toHaveLength(count!.n);
      }
      const [redPosts] = await rows(
        sql<{ n: number }>`SELECT count(*)::int AS n FROM stations WHERE kind = 'red_post'`,
      );
      expect((await call('GET', '/ogc/collections/stations/items?kind=red_post&limit=1')).json.numberMatched).toBe(
        redPosts!.n,
      );
      const [branches] = await rows(
        sql<{ n: number }>`SELECT count(*)::int AS n FROM party_orgs WHERE kind = 'branch'`,
      );
      const orgs = await call('GET', '/ogc/collections/party_orgs/items?kind=branch&limit=5');
      expect(orgs.json.numberMatched).toBe(branches!.n);
      // A branch's outline is the union of its grids: its area equals theirs.
      const org = orgs.json.features.find((f: Json) => f.geometry !== null);
      const [areas] = await rows(sql<{ outline: number; grids: number }>`
        SELECT ST_Area(ST_GeomFromGeoJSON(${JSON.stringify(org.geometry)})::geography)::float8 AS outline,
               (SELECT sum(ST_Area(g.geom::geography))::float8 FROM org_grids og JOIN grids g ON g.code = og.grid_code WHERE og.org_code = ${org.id}) AS grids`);
      expect(Math.abs(areas!.outline - areas!.grids)).toBeLessThan(1);
    });

    it('the next links walk the whole collection exactly once', async () => {
      const expected = (await rows(sql<{ code: string }>`SELECT code FROM grids ORDER BY code`)).map((r) => r.code);
      const seen: string[] = [];
      let url: string | undefined = `${server.url}/ogc/collections/grids/items?limit=37`;
      let pages = 0;
      while (url) {
        const page = await call('GET', url);
        expect(page.status).toBe(200);
        expect(page.json.numberMatched).toBe(expected.length);
        if (pages > 0) expect(page.json.links.some((l: Json) => l.rel === 'prev')).toBe(true);
        seen.push(...page.json.features.map((f: Json) => f.id));
        url = page.json.links.find((l: Json) => l.rel === 'next')?.href;
        pages++;
      }
      expect(pages).toBe(Math.ceil(expected.length / 37));
      expect(seen).toEqual(expected);
      const tail = await call('GET', `/ogc/collections/grids/items?limit=10&offset=${expected.length - 3}`);
      expect(tail.json.numberReturned).toBe(3);
      expect(tail.json.links.some((l: Json) => l.rel === 'next')).toBe(false);
    });

    it('bad parameters are 400s naming the parameter', async () => {
      for (const [query, param] of [
        ['bbox=1,2,3', 'bbox'],
        ['bbox=a,b,c,d', 'bbox'],
        ['limit=1000000000', 'limit'],
        ['limit=0', 'limit'],
        ['limit=10001', 'limit'],
        ['offset=-1', 'offset'],
        ['colour=red', 'colour'],
        ['households=400', 'households'],
        ['f=xml', 'f'],
      ] as const) {
        const res = await call('GET', `/ogc/collections/grids/items?${query}`);
        expect(res.status, query).toBe(400);
        expect(res.json.error.param, query).toBe(param);
      }
      expect((await call('GET', '/ogc/collections?limit=5')).status).toBe(400);
    });

    it('a single item carries its ETag; If-None-Match gives 304', async () => {
      const [grid] = await rows(
        sql<{ code: string; version: number }>`SELECT code, version FROM grids ORDER BY code LIMIT 1`,
      );
      const item = await call('GET', `/ogc/collections/grids/items/${grid!.code}`);
      expect(item.status).toBe(200);
      expect(item.headers.get('etag')).toBe(`"${grid!.code}.v${grid!.version}"`);
      expect(item.json).toMatchObject({
        type: 'Feature',
        id: grid!.code,
        properties: { code: grid!.code, version: grid!.version },
      });
      expect(item.json.geometry.type).toBe('MultiPolygon');
      const again = await call('GET', `/ogc/collections/grids/items/${grid!.code}`, {
        headers: { 'if-none-match': item.headers.get('etag')! },
      });
      expect(again.status).toBe(304);
      const station = await call('GET', '/ogc/collections/stations/items/131002001001DQ01');
      expect(station.status).toBe(200);
      expect(station.headers.get('etag')).toMatch(/^"[0-9a-f]{32}"$/);
      expect((await call('GET', '/ogc/collections/grids/items/000000000000000')).status).toBe(404);
    });

    it('HTML is escaped and Chinese first', async () => {
      const [grid] = await rows(
        sql<{ code: string; name: string }>`SELECT code, name FROM grids ORDER BY code OFFSET 5 LIMIT 1`,
      );
      const evil = '<img src=x onerror=alert(1)>';
      await sql`UPDATE grids SET name = ${evil} WHERE code = ${grid!.code}`.execute(db());
      try {
        for (const res of [
          await call('GET', `/ogc/collections/grids/items?code=${grid!.code}&f=html`),
          await call('GET', `/ogc/collections/grids/items/${grid!.code}`, {
            accept: 'text/html,application/xhtml+xml,*/*;q=0.8',
          }),
        ]) {
          expect(res.status).toBe(200);
          expect(res.headers.get('content-type')).toMatch(/^text\/html/);
          expect(res.text).toContain('&lt;img src=x onerror=alert(1)&gt;');
          expect(res.text).not.toContain('<img');
          expect(res.text).toContain('网格');
        }
        const landing = await call('GET', '/ogc?f=html');
        expect(landing.text).toContain('网格化管理');
      } finally {
        await sql`UPDATE grids SET name = ${grid!.name} WHERE code = ${grid!.code}`.execute(db());
      }
    });

    it('anonymous readers get no household, population, member or secretary figures', async () => {
      const anonymous = await call('GET', '/ogc/collections/grids/items?limit=10000');
      expect(anonymous.json.features).toHaveLength(anonymous.json.numberMatched);
      expect(
        anonymous.json.features.every(
          (f: Json) => f.properties.households === null && f.properties.population === null,
        ),
      ).toBe(true);
      const planner = await call('GET', '/ogc/collections/grids/items?limit=10000', { as: 'planner' });
      const [sum] = await rows(sql<{ n: number }>`SELECT sum(households)::int AS n FROM grids`);
      expect(planner.json.features.reduce((s: number, f: Json) => s + f.properties.households, 0)).toBe(sum!.n);
      const buildings = await call('GET', '/ogc/collections/buildings/items?limit=50');
      expect(buildings.json.features.every((f: Json) => f.properties.households === null)).toBe(true);
      const orgs = await call('GET', '/ogc/collections/party_orgs/items?limit=10000');
      expect(
        orgs.json.features.every(
          (f: Json) => f.properties.member_count === null && f.properties.secretary_name === null,
        ),
      ).toBe(true);
      const item = await call('GET', `/ogc/collections/grids/items/${GAP_GRID}?f=html`);
      const [g] = await rows(sql<{ households: number }>`SELECT households FROM grids WHERE code = ${GAP_GRID}`);
      expect(item.text).not.toContain(`<td>${g!.households}</td>`);
      // No worker data anywhere: none of their phone numbers in any collection, even signed in.
      const phones = (await rows(sql<{ phone: string }>`SELECT DISTINCT phone FROM grid_workers`)).map((r) => r.phone);
      expect(phones.length).toBeGreaterThan(100);
      for (const c of ['grids', 'stations', 'regions', 'buildings', 'party_orgs']) {
        const res = await call('GET', `/ogc/collections/${c}/items?limit=10000`, { as: 'admin' });
        expect(
          phones.filter((phone) => res.text.includes(phone)),
          c,
        ).toEqual([]);
      }
    });

    it('Part 4: create, replace and delete a station with If-Match', async () => {
      const [community] = await rows(sql<{ code: string; x: number; y: number }>`
        SELECT code, ST_X(ST_PointOnSurface(geom))::float8 AS x, ST_Y(ST_PointOnSurface(geom))::float8 AS y
        FROM regions WHERE parent_code = ${STREET} ORDER BY code LIMIT 1`);
      const feature = (name: string) => ({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [community!.x, community!.y] },
        properties: { name, kind: 'red_post', region_code: community!.code, services: ['饮水', '充电'] },
      });
      const created = await call('POST', '/ogc/collections/stations/items', {
        as: 'editor-003',
        body: feature('测试驿站'),
      });
      expect(created.status, created.text).toBe(201);
      const location = created.headers.get('location')!;
      expect(location).toMatch(new RegExp(`/ogc/collections/stations/items/${community!.code}OG\\d+$`));
      const read = await call('GET', location);
      expect(read.json.properties).toMatchObject({ name: '测试驿站', kind: 'red_post', services: ['饮水', '充电'] });
      const etag = read.headers.get('etag')!;
      expect(created.headers.get('etag')).toBe(etag);

      expect((await call('PUT', location, { as: 'editor-003', body: feature('改名驿站') })).status).toBe(428);
      const replaced = await call('PUT', location, { as: 'editor-003', ifMatch: etag, body: feature('改名驿站') });
      expect(replaced.status, replaced.text).toBe(200);
      const newTag = replaced.headers.get('etag')!;
      expect(newTag).not.toBe(etag);
      const [row] = await rows(sql<{ name: string }>`SELECT name FROM stations WHERE code = ${read.json.id}`);
      expect(row!.name).toBe('改名驿站');

      const before = await checksum();
      const stale = await call('PUT', location, { as: 'editor-003', ifMatch: etag, body: feature('过期') });
      expect(stale.status).toBe(412);
      expect(stale.json.error.current).toBe(newTag);
      expect(stale.headers.get('etag')).toBe(newTag);
      expect((await call('DELETE', location, { as: 'editor-003', ifMatch: etag })).status).toBe(412);
      const outside = { ...feature('界外'), geometry: { type: 'Point', coordinates: [100, 30] } };
      const bad = await call('PUT', location, { as: 'editor-003', ifMatch: newTag, body: outside });
      expect(bad.status).toBe(400);
      expect(bad.json.error.param).toBe('geometry');
      const wrongKind = await call('PUT', location, {
        as: 'editor-003',
        ifMatch: newTag,
        body: { ...feature('x'), properties: { ...feature('x').properties, kind: 'bar' } },
      });
      expect(wrongKind.json.error.param).toBe('properties.kind');
      expect(await checksum()).toBe(before);

      expect((await call('DELETE', location, { as: 'editor-003', ifMatch: newTag })).status).toBe(204);
      expect((await call('GET', location)).status).toBe(404);
    });

    it('Part 4: replacing a grid goes through a draft and publish; history shows it', async () => {
      // The grid grows into the deliberate gap beside it: its outline, clipped to its community
      // and kept off its neighbours.
      const [outline] = await rows(sql<{ geometry: Json; area: number }>`
        SELECT ST_AsGeoJSON(n, 7)::json AS geometry, ST_Area(n::geography)::float8 AS area FROM (
          SELECT ST_Multi(ST_CollectionExtract(ST_Difference(
                   ST_Intersection(ST_Buffer(g.geom::geography, 6)::geometry, c.geom, 1e-10),
                   (SELECT ST_Union(o.geom, 1e-10) FROM grids o WHERE o.community_code = ${GAP_COMMUNITY} AND o.code <> g.code), 1e-10), 3)) AS n
          FROM grids g JOIN regions c ON c.code = g.community_code WHERE g.code = ${GAP_GRID}) x`);
      const [before] = await rows(sql<{ version: number; area: number; name: string; kind: string }>`
        SELECT version, ST_Area(geom::geography)::float8 AS area, name, kind FROM grids WHERE code = ${GAP_GRID}`);
      expect(outline!.area).toBeGreaterThan(before!.area + 50);
      const item = await call('GET', `/ogc/collections/grids/items/${GAP_GRID}`, { as: 'editor-003' });
      const body = {
        type: 'Feature',
        geometry: outline!.geometry,
        properties: { ...item.json.properties, name: '补缝网格' },
      };
      const res = await call('PUT', `/ogc/collections/grids/items/${GAP_GRID}`, {
        as: 'editor-003',
        ifMatch: item.headers.get('etag')!,
        body,
      });
      expect(res.status, res.text).toBe(200);
      expect(res.headers.get('etag')).toBe(`"${GAP_GRID}.v${before!.version + 1}"`);
      const [after] = await rows(sql<{ version: number; area: number; name: string; kind: string }>`
        SELECT version, ST_Area(geom::geography)::float8 AS area, name, kind FROM grids WHERE code = ${GAP_GRID}`);
      expect(after).toMatchObject({ version: before!.version + 1, name: '补缝网格', kind: before!.kind });
      expect(Math.abs(after!.area - outline!.area)).toBeLessThan(5);
      const history = await http.get<{ history: { operation: string; comment: string; user: string }[] }>(
        `/api/grids/${GAP_GRID}/history`,
        { as: 'planner' },
      );
      const entries = history.body.history;
      expect(entries.slice(0, 2).map((h) => h.operation)).toEqual(['publish', 'reshape']);
      expect(entries[0]!.user).toBe('editor-003');
      expect(entries[0]!.comment).toContain('OGC API');
      // The old ETag is stale now.
      const stale = await call('PUT', `/ogc/collections/grids/items/${GAP_GRID}`, {
        as: 'editor-003',
        ifMatch: item.headers.get('etag')!,
        body,
      });
      expect(stale.status).toBe(412);
      expect(stale.json.error.current).toBe(`"${GAP_GRID}.v${before!.version + 1}"`);
    });

    it('Part 4: a grid write that would overlap or leave a gap is 409 and writes nothing', async () => {
      const [grid] = await rows(sql<{ code: string; community: string }>`
        SELECT code, community_code AS community FROM grids WHERE community_code LIKE ${STREET.slice(0, 9) + '%'} AND code <> ${GAP_GRID}
        ORDER BY code LIMIT 1`);
      const [grown] = await rows(sql<{ geometry: Json }>`
        SELECT ST_AsGeoJSON(ST_Intersection(ST_Buffer(g.geom::geography, 40)::geometry, c.geom, 1e-10), 7)::json AS geometry
        FROM grids g JOIN regions c ON c.code = g.community_code WHERE g.code = ${grid!.code}`);
      const item = await call('GET', `/ogc/collections/grids/items/${grid!.code}`, { as: 'editor-003' });
      const etag = item.headers.get('etag')!;
      const before = await checksum();
      const overlap = await call('PUT', `/ogc/collections/grids/items/${grid!.code}`, {
        as: 'editor-003',
        ifMatch: etag,
        body: { type: 'Feature', geometry: grown!.geometry, properties: item.json.properties },
      });
      expect(overlap.status, overlap.text).toBe(409);
      expect(overlap.json.error.code).toBe('creates_problems');
      expect(overlap.json.error.created.some((p: Json) => p.properties.type === 'overlap')).toBe(true);
      const gap = await call('DELETE', `/ogc/collections/grids/items/${grid!.code}`, {
        as: 'editor-003',
        ifMatch: etag,
      });
      expect(gap.status).toBe(409);
      expect(gap.json.error.created.some((p: Json) => p.properties.type === 'gap')).toBe(true);
      const moved = await call('PUT', `/ogc/collections/grids/items/${grid!.code}`, {
        as: 'editor-003',
        ifMatch: etag,
        body: {
          type: 'Feature',
          geometry: item.json.geometry,
          properties: {
            ...item.json.properties,
            community_code: grid!.community === '131002003002' ? '131002003003' : '131002003002',
          },
        },
      });
      expect(moved.status).toBe(400);
      expect(await checksum()).toBe(before);
    });

    it("Part 4: anonymous 401, planner 403, another street's editor 403, bad bodies 400; nothing written", async () => {
      const [grid] = await rows(sql<{ code: string; version: number }>`
        SELECT code, version FROM grids WHERE community_code LIKE ${STREET.slice(0, 9) + '%'} ORDER BY code OFFSET 3 LIMIT 1`);
      const item = await call('GET', `/ogc/collections/grids/items/${grid!.code}`, { as: 'editor-003' });
      const etag = item.headers.get('etag')!;
      const station = await call('GET', '/ogc/collections/stations/items?region_code=131002003001&limit=1');
      const stationUrl = `/ogc/collections/stations/items/${station.json.features[0].id}`;
      const stationTag = (await call('GET', stationUrl)).headers.get('etag')!;
      const gridBody = {
        type: 'Feature',
        geometry: item.json.geometry,
        properties: { ...item.json.properties, name: '越权' },
      };
      const stationBody = {
        ...station.json.features[0],
        properties: { ...station.json.features[0].properties, name: '越权' },
      };
      const before = await checksum();
      for (const [as, status] of [
        [undefined, 401],
        ['planner', 403],
        ['editor-001', 403],
      ] as const) {
        const who = as ?? 'anonymous';
        expect(
          (await call('PUT', `/ogc/collections/grids/items/${grid!.code}`, { as, ifMatch: etag, body: gridBody }))
            .status,
          who,
        ).toBe(status);
        expect(
          (await call('DELETE', `/ogc/collections/grids/items/${grid!.code}`, { as, ifMatch: etag })).status,
          who,
        ).toBe(status);
        expect(
          (
            await call('POST', '/ogc/collections/grids/items', {
              as,
              body: { ...gridBody, properties: { name: 'x', kind: 'mixed', community_code: '131002003001' } },
            })
          ).status,
          who,
        ).toBe(status);
        expect((await call('PUT', stationUrl, { as, ifMatch: stationTag, body: stationBody })).status, who).toBe(
          status,
        );
        expect((await call('DELETE', stationUrl, { as, ifMatch: stationTag })).status, who).toBe(status);
        expect((await call('POST', '/ogc/collections/stations/items', { as, body: stationBody })).status, who).toBe(
          status,
        );
      }
      const notFeature = await call('PUT', `/ogc/collections/grids/items/${grid!.code}`, {
        as: 'editor-003',
        ifMatch: etag,
        body: { type: 'FeatureCollection', features: [] },
      });
      expect(notFeature.status).toBe(400);
      expect(notFeature.json.error.param).toBe('body');
      const badRing = await call('PUT', `/ogc/collections/grids/items/${grid!.code}`, {
        as: 'editor-003',
        ifMatch: etag,
        body: {
          ...gridBody,
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [116.7, 39.5],
                [116.71, 39.5],
                [116.71, 39.51],
              ],
            ],
          },
        },
      });
      expect(badRing.status).toBe(400);
      expect(badRing.json.error.param).toMatch(/^geometry/);
      const unknownProperty = await call('PUT', `/ogc/collections/grids/items/${grid!.code}`, {
        as: 'editor-003',
        ifMatch: etag,
        body: { ...gridBody, properties: { ...gridBody.properties, colour: 'red' } },
      });
      expect(unknownProperty.status).toBe(400);
      expect(unknownProperty.json.error.message).toContain('colour');
      expect(
        (await call('PUT', `/ogc/collections/grids/items/${grid!.code}`, { as: 'editor-003', body: gridBody })).status,
      ).toBe(428);
      expect((await call('POST', '/ogc/collections/regions/items', { as: 'admin', body: gridBody })).status).toBe(405);
      expect(
        (await call('DELETE', '/ogc/collections/grids/items/000000000000000', { as: 'admin', ifMatch: etag })).status,
      ).toBe(404);
      expect(await checksum()).toBe(before);
    });
  });
}
