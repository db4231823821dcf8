/**
 * Vector tiles over real HTTP on each driver, decoded with @mapbox/vector-tile (an encoder-
 * independent reader) and checked against PostGIS's own answers: which features a tile holds
 * (ST_TileEnvelope with its margin), where their vertices are (ST_Transform to 3857), ring
 * winding (MVT spec 4.3.4.4), what anonymous and signed-in readers see, sizes, and the cache
 * key following a database change at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { VectorTile, type VectorTileLayer } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import type { GridKind } from '../../common/domain.ts';
import { householdBand } from '../../common/rules/household-band.ts';
import type { TileJson } from '../../common/contracts/tiles.ts';
import { tileAt, tileBounds3857, tilesCovering, type TileAddress } from '../../server/geo/tile-math.ts';
import { DRIVERS } from '../helpers/db.ts';
import { httpClient } from '../helpers/http-client.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { sessionCookie } from '../helpers/session.ts';

const MAX_TILE_BYTES = 500 * 1024;
const EXTENT = 4096;

/** Twice the ring's area by the surveyor's formula in tile units (y down). */
function area2(ring: { x: number; y: number }[]): number {
  let sum = 0;
  for (let i = 0; i < ring.length; i++) {
    const a = ring[i]!;
    const b = ring[(i + 1) % ring.length]!;
    sum += a.x * b.y - b.x * a.y;
  }
  return sum;
}

function decode(body: ArrayBuffer): VectorTile {
  return new VectorTile(new PbfReader(new Uint8Array(body)));
}

function features(layer: VectorTileLayer | undefined) {
  return Array.from({ length: layer?.length ?? 0 }, (_, i) => layer!.feature(i));
}

for (const driver of DRIVERS) {
  describe(`vector tiles [${driver}]`, () => {
    let server: TestServer;
    let cookie: string;
    /** A residential grid well inside its z14 tile, and that tile. */
    let known: { code: string; tile: TileAddress };
    const db = () => server.database.db;
    const fetchTile = (path: string, headers: Record<string, string> = {}) =>
      httpClient(server.url).fetch('GET', `/tiles/${path}`, { headers });

    /** Codes of a layer's rows meeting the tile plus its 64-unit buffer, as PostGIS computes it. */
    async function sqlCodes(table: 'grids' | 'stations' | 'buildings', { z, x, y }: TileAddress): Promise<string[]> {
      const { rows } = await sql<{ code: string }>`
        SELECT code FROM ${sql.table(table)}
        WHERE ST_Intersects(geom, ST_Transform(ST_TileEnvelope(${z}::int, ${x}::int, ${y}::int, margin => ${64 / EXTENT}::float8), 4326))
        ORDER BY code`.execute(db());
      return rows.map((r) => r.code);
    }

    beforeAll(async () => {
      server = await startTestServer({ driver, demo: true });
      cookie = await sessionCookie(server.url, 'planner');
      // A grid whose outline lies inside the central 80 % of its z14 tile: no clipping.
      const { rows } = await sql<{ code: string; lon: number; lat: number }>`
        SELECT code, ST_X(p)::float8 AS lon, ST_Y(p)::float8 AS lat
        FROM grids, ST_PointOnSurface(geom) p WHERE kind = 'residential' ORDER BY code`.execute(db());
      for (const row of rows) {
        const tile = tileAt(row.lon, row.lat, 14);
        const [minX, minY, maxX, maxY] = tileBounds3857(tile);
        const pad = (maxX - minX) * 0.1;
        const { rows: inside } = await sql<{ ok: boolean }>`
          SELECT ST_Within(ST_Transform(geom, 3857), ST_MakeEnvelope(${minX + pad}::float8, ${minY + pad}::float8, ${maxX - pad}::float8, ${maxY - pad}::float8, 3857)) AS ok
          FROM grids WHERE code = ${row.code}`.execute(db());
        if (inside[0]!.ok) {
          known = { code: row.code, tile };
          break;
        }
      }
      if (!known) throw new Error('no demo grid lies inside one z14 tile');
    });
    afterAll(async () => {
      await server?.close();
    });

    it('serves TileJSON 3.0 with the layer, its zooms, bounds and feature count', async () => {
      const res = await fetchTile('grids.json');
      expect(res.status).toBe(200);
      const body = (await res.json()) as TileJson;
      const { rows } = await sql<{ n: number; w: number; s: number; e: number; no: number }>`
        SELECT count(*)::int AS n, ST_XMin(ST_Extent(geom))::float8 AS w, ST_YMin(ST_Extent(geom))::float8 AS s,
               ST_XMax(ST_Extent(geom))::float8 AS e, ST_YMax(ST_Extent(geom))::float8 AS no FROM grids`.execute(db());
      const r = rows[0]!;
      expect(body.tilejson).toBe('3.0.0');
      expect(body.tiles).toEqual([`${server.url}/tiles/grids/{z}/{x}/{y}.pbf`]);
      expect(body.minzoom).toBe(10);
      expect(body.feature_count).toBe(r.n);
      expect(body.feature_count).toBe(319);
      for (const [i, v] of [r.w, r.s, r.e, r.no].entries()) expect(body.bounds[i]).toBeCloseTo(v, 9);
      expect(body.vector_layers.map((l) => l.id)).toEqual(['grids']);
      expect((await (await fetchTile('buildings.json')).json()).minzoom).toBe(14);
    });

    it('a z14 tile holds exactly the grids, stations and buildings PostGIS finds in its buffered envelope', async () => {
      for (const layer of ['grids', 'stations', 'buildings'] as const) {
        const { z, x, y } = known.tile;
        const res = await fetchTile(`${layer}/${z}/${x}/${y}.pbf`);
        const expected = await sqlCodes(layer, known.tile);
        if (expected.length === 0) {
          expect(res.status).toBe(204);
          continue;
        }
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toBe('application/vnd.mapbox-vector-tile');
        const tile = decode(await res.arrayBuffer());
        const codes = features(tile.layers[layer])
          .map((f) => String(f.properties.code))
          .sort();
        expect(codes, layer).toEqual(expected);
      }
      expect((await sqlCodes('grids', known.tile)).length).toBeGreaterThan(1);
    });

    it('decoded vertices of a known grid are its stored vertices within one tile unit (0.6 m)', async () => {
      const { z, x, y } = known.tile;
      const tile = decode(await (await fetchTile(`grids/${z}/${x}/${y}.pbf`)).arrayBuffer());
      const feature = features(tile.layers.grids).find((f) => f.properties.code === known.code)!;
      const { rows } = await sql<{
        g: string;
      }>`SELECT ST_AsGeoJSON(ST_Transform(geom, 3857)) AS g FROM grids WHERE code = ${known.code}`.execute(db());
      const stored = (JSON.parse(rows[0]!.g) as GeoJSON.MultiPolygon).coordinates.flat(2);
      const [minX, , maxX, maxY] = tileBounds3857(known.tile);
      const unit = (maxX - minX) / EXTENT;
      const decoded = feature
        .loadGeometry()
        .flat()
        .map((p) => [minX + p.x * unit, maxY - p.y * unit] as const);
      const nearest = (p: readonly [number, number] | number[], set: readonly (readonly number[])[]) =>
        Math.min(...set.map((q) => Math.hypot(p[0]! - q[0]!, p[1]! - q[1]!)));
      // Snapping moves a vertex by at most half a unit on each axis.
      for (const p of decoded) expect(nearest(p, stored)).toBeLessThanOrEqual(unit * Math.SQRT1_2 + 1e-6);
      for (const p of stored) expect(nearest(p, decoded)).toBeLessThanOrEqual(unit * Math.SQRT1_2 + 1e-6);
      // And through the reader's own lon/lat conversion, against the stored outline.
      const geojson = feature.toGeoJSON(x, y, z);
      const { rows: dist } = await sql<{ m: number }>`
        SELECT ST_Distance(ST_Transform(ST_Boundary(geom), 3857), ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(geojson.geometry)}), 4326), 3857)) AS m,
               ST_HausdorffDistance(ST_Transform(geom, 3857), ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(geojson.geometry)}), 4326), 3857)) AS h
        FROM grids WHERE code = ${known.code}`.execute(db());
      expect((dist[0] as unknown as { h: number }).h).toBeLessThanOrEqual(unit);
    });

    it('exterior rings are clockwise on screen (positive area), holes anticlockwise, none degenerate', async () => {
      const { z, x, y } = known.tile;
      const tile = decode(await (await fetchTile(`grids/${z}/${x}/${y}.pbf`)).arrayBuffer());
      const all = features(tile.layers.grids);
      expect(all.length).toBeGreaterThan(1);
      for (const feature of all) {
        expect(feature.type).toBe(3);
        const rings = feature.loadGeometry();
        expect(area2(rings[0]!)).toBeGreaterThan(0);
        for (const ring of rings) expect(area2(ring)).not.toBe(0);
        // The reader groups rings by their sign: as many polygons as positive rings.
        const positive = rings.filter((r) => area2(r) > 0).length;
        const geometry = feature.toGeoJSON(x, y, z).geometry;
        expect(geometry.type === 'Polygon' ? 1 : (geometry as GeoJSON.MultiPolygon).coordinates.length).toBe(positive);
      }
    });

    it('anonymous tiles carry no households; signed-in tiles carry households and band, privately cached', async () => {
      const { z, x, y } = known.tile;
      const anon = await fetchTile(`grids/${z}/${x}/${y}.pbf`);
      const staff = await fetchTile(`grids/${z}/${x}/${y}.pbf`, { cookie });
      expect(anon.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
      expect(staff.headers.get('cache-control')).toMatch(/^private, max-age=\d+$/);
      for (const res of [anon, staff]) expect(res.headers.get('vary')).toMatch(/Cookie/);
      expect(anon.headers.get('etag')).not.toBe(staff.headers.get('etag'));
      const anonFeatures = features(decode(await anon.arrayBuffer()).layers.grids);
      for (const f of anonFeatures) {
        for (const key of Object.keys(f.properties))
          expect(['code', 'name', 'community_code', 'kind', 'coverage']).toContain(key);
      }
      const { rows } = await sql<{ code: string; name: string; households: number; kind: GridKind; orgs: number }>`
        SELECT code, name, households, kind, (SELECT count(*)::int FROM org_grids WHERE grid_code = code) AS orgs
        FROM grids WHERE code = ${known.code}`.execute(db());
      const row = rows[0]!;
      expect(anonFeatures.find((f) => f.properties.code === known.code)!.properties.coverage).toBe(
        Math.min(row.orgs, 2),
      );
      const staffFeature = features(decode(await staff.arrayBuffer()).layers.grids).find(
        (f) => f.properties.code === known.code,
      )!;
      expect(staffFeature.properties).toMatchObject({
        name: row.name,
        kind: row.kind,
        households: row.households,
        band: householdBand(row.kind, row.households),
      });
      const stations = await fetchTile(`stations/${z}/${x}/${y}.pbf`);
      if (stations.status === 200) {
        for (const f of features(decode(await stations.arrayBuffer()).layers.stations)) {
          expect(Object.keys(f.properties).sort()).toEqual(['code', 'kind', 'name']);
        }
      }
    });

    it('refuses bad addresses with 400 JSON naming the parameter; unknown layers are 404', async () => {
      for (const [path, param] of [
        ['grids/23/0/0.pbf', 'z'],
        ['grids/3/8/0.pbf', 'x'],
        ['grids/3/0/8.pbf', 'y'],
        ['grids/a/0/0.pbf', 'z'],
        ['grids/3/0/-1.pbf', 'y'],
        ['grids/3/1.5/0.pbf', 'x'],
      ] as const) {
        const res = await fetchTile(path);
        expect(res.status, path).toBe(400);
        expect(((await res.json()) as { error: { param: string } }).error.param, path).toBe(param);
      }
      const res = await fetchTile('households/14/0/0.pbf');
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found');
    });

    it("answers 204 for empty tiles and below a layer's minzoom", async () => {
      expect((await fetchTile('grids/14/0/0.pbf')).status).toBe(204); // the Pacific
      const low = tileAt(116.69, 39.5, 9);
      expect((await fetchTile(`grids/9/${low.x}/${low.y}.pbf`)).status).toBe(204);
      const street = tileAt(116.69, 39.5, 13);
      expect((await fetchTile(`buildings/13/${street.x}/${street.y}.pbf`)).status).toBe(204);
    });

    it('every tile of the demo district at z10–z12 is within 500 KB, signed in or not', async () => {
      const { rows } = await sql<{ w: number; s: number; e: number; n: number }>`
        SELECT ST_XMin(geom)::float8 AS w, ST_YMin(geom)::float8 AS s, ST_XMax(geom)::float8 AS e, ST_YMax(geom)::float8 AS n
        FROM regions WHERE level = 'district'`.execute(db());
      const { w, s, e, n } = rows[0]!;
      let served = 0;
      for (const z of [10, 11, 12]) {
        for (const t of tilesCovering([w, s, e, n], z)) {
          for (const headers of [{}, { cookie }] as Record<string, string>[]) {
            const res = await fetchTile(`grids/${t.z}/${t.x}/${t.y}.pbf`, headers);
            expect([200, 204]).toContain(res.status);
            const bytes = (await res.arrayBuffer()).byteLength;
            expect(bytes).toBeLessThanOrEqual(MAX_TILE_BYTES);
            if (res.status === 200) served++;
          }
        }
      }
      expect(served).toBeGreaterThanOrEqual(6);
    });

    it('a change in the database shows in the next fetch: new ETag, new content; unchanged tiles answer 304', async () => {
      const { z, x, y } = known.tile;
      const path = `grids/${z}/${x}/${y}.pbf`;
      const first = await fetchTile(path);
      const etag = first.headers.get('etag')!;
      expect(etag).toBeTruthy();
      const again = await fetchTile(path, { 'if-none-match': etag });
      expect(again.status).toBe(304);
      await sql`UPDATE grids SET name = name || '（改）', updated_at = now() WHERE code = ${known.code}`.execute(db());
      const after = await fetchTile(path, { 'if-none-match': etag });
      expect(after.status).toBe(200);
      expect(after.headers.get('etag')).not.toBe(etag);
      const feature = features(decode(await after.arrayBuffer()).layers.grids).find(
        (f) => f.properties.code === known.code,
      )!;
      expect(String(feature.properties.name)).toMatch(/（改）$/);
    });
  });
}
