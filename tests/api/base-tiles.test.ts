/**
 * The base map's tiles (/tiles/base, issue 17) over real HTTP on each driver, decoded with
 * @mapbox/vector-tile: roads with their class and name (merged along a street), water and
 * green, compounds with their names, and label points of communities and grids; which rows a
 * tile holds is checked against PostGIS's own ST_TileEnvelope. Grid labels carry households
 * for signed-in readers only: the anonymous tile has none, anywhere.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { VectorTile, type VectorTileLayer } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import type { TileJson } from '../../common/contracts/tiles.ts';
import { BASE_LAYERS, ROAD_CLASS_MINZOOM } from '../../common/tiles.ts';
import { tileAt, type TileAddress } from '../../server/geo/tile-math.ts';
import { DRIVERS } from '../helpers/db.ts';
import { httpClient } from '../helpers/http-client.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { sessionCookie } from '../helpers/session.ts';

const EXTENT = 4096;
const decode = (body: ArrayBuffer) => new VectorTile(new PbfReader(new Uint8Array(body)));
const features = (layer: VectorTileLayer | undefined) =>
  Array.from({ length: layer?.length ?? 0 }, (_, i) => layer!.feature(i));

/** Metres east and north of a point, as lon/lat (small offsets near 39.5° N). */
const offset = ([lon, lat]: [number, number], east: number, north: number): [number, number] => [
  lon + east / (111_320 * Math.cos((lat * Math.PI) / 180)),
  lat + north / 110_574,
];

for (const driver of DRIVERS) {
  describe(`base map tiles [${driver}]`, () => {
    let server: TestServer;
    let cookie: string;
    /** A z15 tile around the centre of a grid, and that grid. */
    let tile: TileAddress;
    let centre: [number, number];
    const db = () => server.database.db;
    const fetchTile = (path: string, headers: Record<string, string> = {}) =>
      httpClient(server.url).fetch('GET', `/tiles/${path}`, { headers });
    const fetchBase = async (t: TileAddress, headers: Record<string, string> = {}) => {
      const res = await fetchTile(`base/${t.z}/${t.x}/${t.y}.pbf`, headers);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/vnd.mapbox-vector-tile');
      return decode(await res.arrayBuffer());
    };

    /** Codes of a table's rows meeting the tile plus its 64-unit buffer, as PostGIS finds them. */
    async function sqlCodes(table: 'compounds', { z, x, y }: TileAddress): Promise<string[]> {
      const { rows } = await sql<{ code: string }>`
        SELECT code FROM ${sql.table(table)}
        WHERE ST_Intersects(geom, ST_Transform(ST_TileEnvelope(${z}::int, ${x}::int, ${y}::int, margin => ${64 / EXTENT}::float8), 4326))
        ORDER BY code`.execute(db());
      return rows.map((r) => r.code);
    }

    beforeAll(async () => {
      server = await startTestServer({ driver, demo: true });
      cookie = await sessionCookie(server.url, 'planner');
      const { rows } = await sql<{ lon: number; lat: number }>`
        SELECT ST_X(p)::float8 AS lon, ST_Y(p)::float8 AS lat
        FROM grids, ST_PointOnSurface(geom) p WHERE kind = 'residential' ORDER BY code LIMIT 1`.execute(db());
      centre = [rows[0]!.lon, rows[0]!.lat];
      tile = tileAt(centre[0], centre[1], 15);
      // Our own roads (the demo's roads may or may not be loaded): an arterial in two pieces
      // joined end to end, an unnamed service road, and a named road without a class.
      const line = (points: [number, number][]) =>
        sql`ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify({ type: 'LineString', coordinates: points })}), 4326)`;
      const west = offset(centre, -200, 10);
      const mid = offset(centre, 0, 10);
      const east = offset(centre, 200, 10);
      await sql`INSERT INTO roads (name, kind, class, region_code, geom) VALUES
        ('测试大街', 'road', 'arterial', '131002000000', ${line([west, mid])}),
        ('测试大街', 'road', 'arterial', '131002000000', ${line([mid, east])}),
        (NULL, 'road', 'service', '131002000000', ${line([offset(centre, -50, -40), offset(centre, 50, -40)])}),
        ('无级路', 'road', NULL, '131002000000', ${line([offset(centre, -60, 60), offset(centre, 60, 60)])}),
        ('测试小径', 'footway', NULL, '131002000000', ${line([offset(centre, -60, 80), offset(centre, 60, 80)])})`.execute(
        db(),
      );
      const square = (c: [number, number], half: number) => {
        const [w, s] = offset(c, -half, -half);
        const [e, n] = offset(c, half, half);
        return sql`ST_Multi(ST_MakeEnvelope(${w}::float8, ${s}::float8, ${e}::float8, ${n}::float8, 4326))`;
      };
      await sql`INSERT INTO landcover (kind, name, region_code, geom) VALUES
        ('water', '测试湖', '131002000000', ${square(offset(centre, -80, 80), 30)}),
        ('green', NULL, '131002000000', ${square(offset(centre, 80, -80), 30)})`.execute(db());
    });
    afterAll(async () => {
      await server?.close();
    });

    it('serves TileJSON naming the base source layers and their fields', async () => {
      const res = await fetchTile('base.json');
      expect(res.status).toBe(200);
      const body = (await res.json()) as TileJson;
      expect(body.tiles).toEqual([`${server.url}/tiles/base/{z}/{x}/{y}.pbf`]);
      expect(body.vector_layers.map((l) => l.id)).toEqual([...BASE_LAYERS]);
      expect(body.vector_layers.find((l) => l.id === 'roads')!.fields).toHaveProperty('class');
      expect(body.minzoom).toBe(10);
    });

    it('roads carry class and name; pieces of one street are merged into one line', async () => {
      const roads = features((await fetchBase(tile)).layers.roads);
      const arterial = roads.filter((f) => f.properties.name === '测试大街');
      expect(arterial).toHaveLength(1);
      expect(arterial[0]!.properties.class).toBe('arterial');
      expect(arterial[0]!.type).toBe(2);
      // One line from west to east: the two 200 m pieces joined (400 m ≈ 339 units at z15 here).
      const parts = arterial[0]!.loadGeometry();
      expect(parts).toHaveLength(1);
      const xs = parts[0]!.map((p) => p.x);
      expect(Math.max(...xs) - Math.min(...xs)).toBeGreaterThan(300);
      // A road without a class is local; a footway without one is a service way; unnamed stays unnamed.
      expect(roads.find((f) => f.properties.name === '无级路')!.properties.class).toBe('local');
      expect(roads.find((f) => f.properties.name === '测试小径')!.properties).toMatchObject({
        class: 'service',
        kind: 'footway',
      });
      const unnamed = roads.filter((f) => f.properties.class === 'service' && !('name' in f.properties));
      expect(unnamed.length).toBeGreaterThanOrEqual(1);
    });

    it('lower zooms keep only the classes drawn there: arterials at z12, no service roads below z15', async () => {
      const z12 = tileAt(centre[0], centre[1], 12);
      const roads = features((await fetchBase(z12)).layers.roads);
      expect(roads.some((f) => f.properties.name === '测试大街')).toBe(true);
      for (const f of roads) expect(ROAD_CLASS_MINZOOM[f.properties.class as 'local']).toBeLessThanOrEqual(12);
      const z14 = features((await fetchBase(tileAt(centre[0], centre[1], 14))).layers.roads);
      expect(z14.some((f) => f.properties.class === 'service')).toBe(false);
      expect(z14.some((f) => f.properties.name === '无级路')).toBe(true);
    });

    it('water and green come as landcover with their kind and name', async () => {
      const landcover = features((await fetchBase(tile)).layers.landcover);
      const water = landcover.filter((f) => f.properties.kind === 'water');
      const green = landcover.filter((f) => f.properties.kind === 'green');
      expect(water.map((f) => f.properties.name)).toContain('测试湖');
      expect(green.length).toBeGreaterThanOrEqual(1);
      for (const f of landcover) expect(f.type).toBe(3);
    });

    it('compounds are exactly those PostGIS finds in the buffered tile, each with its name', async () => {
      const compounds = features((await fetchBase(tile)).layers.compounds);
      const expected = await sqlCodes('compounds', tile);
      expect(expected.length).toBeGreaterThan(0);
      expect(compounds.map((f) => String(f.properties.code)).sort()).toEqual(expected);
      const { rows } = await sql<{ code: string; name: string }>`
        SELECT code, name FROM compounds WHERE code IN (${sql.join(expected)})`.execute(db());
      for (const row of rows)
        expect(compounds.find((f) => f.properties.code === row.code)!.properties.name).toBe(row.name);
    });

    it('grid labels carry households for signed-in readers only; anonymous tiles carry none', async () => {
      const z14 = tileAt(centre[0], centre[1], 14);
      const anon = features((await fetchBase(z14)).layers.labels);
      const staff = features((await fetchBase(z14, { cookie })).layers.labels);
      const anonGrids = anon.filter((f) => f.properties.kind === 'grid');
      expect(anonGrids.length).toBeGreaterThan(1);
      for (const f of anon) {
        expect(Object.keys(f.properties).sort()).toEqual(['code', 'kind', 'name']);
        expect(f.type).toBe(1);
      }
      const { rows } = await sql<{ code: string; name: string; households: number }>`
        SELECT code, name, households FROM grids WHERE code IN (${sql.join(anonGrids.map((f) => String(f.properties.code)))})`.execute(
        db(),
      );
      for (const row of rows) {
        const label = staff.find((f) => f.properties.kind === 'grid' && f.properties.code === row.code)!;
        expect(label.properties).toMatchObject({ name: row.name, households: row.households });
        expect(anonGrids.find((f) => f.properties.code === row.code)!.properties.name).toBe(row.name);
      }
      // Communities are named too; the z14 tile is below compound labels (z15).
      expect(anon.some((f) => f.properties.kind === 'community')).toBe(true);
      expect(anon.some((f) => f.properties.kind === 'compound')).toBe(false);
      // And the grids tile itself: no households for anonymous readers.
      const grids = await fetchTile(`grids/${z14.z}/${z14.x}/${z14.y}.pbf`);
      for (const f of features(decode(await grids.arrayBuffer()).layers.grids)) {
        expect(f.properties).not.toHaveProperty('households');
        expect(f.properties).not.toHaveProperty('band');
      }
    });

    it('each grid label lies inside its grid', async () => {
      const z15 = await fetchBase(tile);
      const { x, y, z } = tile;
      const grids = features(z15.layers.labels).filter((f) => f.properties.kind === 'grid');
      expect(grids.length).toBeGreaterThan(0);
      for (const f of grids) {
        const point = f.toGeoJSON(x, y, z).geometry as GeoJSON.Point;
        const { rows } = await sql<{ inside: boolean }>`
          SELECT ST_DWithin(geom::geography, ST_SetSRID(ST_MakePoint(${point.coordinates[0]!}::float8, ${point.coordinates[1]!}::float8), 4326)::geography, 1) AS inside
          FROM grids WHERE code = ${String(f.properties.code)}`.execute(db());
        expect(rows[0]!.inside, String(f.properties.code)).toBe(true);
      }
    });

    it('a road change shows in the next fetch: new ETag; unchanged tiles answer 304', async () => {
      const path = `base/${tile.z}/${tile.x}/${tile.y}.pbf`;
      const etag = (await fetchTile(path)).headers.get('etag')!;
      expect((await fetchTile(path, { 'if-none-match': etag })).status).toBe(304);
      await sql`INSERT INTO roads (name, kind, class, region_code, geom)
        SELECT '新修路', 'road', 'secondary', region_code, ST_Translate(geom, 0, 0.0003) FROM roads WHERE name = '无级路'`.execute(
        db(),
      );
      const after = await fetchTile(path, { 'if-none-match': etag });
      expect(after.status).toBe(200);
      expect(features(decode(await after.arrayBuffer()).layers.roads).map((f) => f.properties.name)).toContain(
        '新修路',
      );
    });

    it('answers 204 outside the data and below z10', async () => {
      expect((await fetchTile('base/15/0/0.pbf')).status).toBe(204);
      const low = tileAt(centre[0], centre[1], 9);
      expect((await fetchTile(`base/9/${low.x}/${low.y}.pbf`)).status).toBe(204);
    });
  });
}
