/**
 * Vector tiles on the 100,000-grid city (BENCH_DATABASE_URL, public schema): time per tile
 * and tile size at z10, z12 and z14 over a fixed set of tiles around the city's densest z10
 * tile, three ways:
 *   wangge — what /tiles serves: PostGIS clips, simplifies below z14 and snaps; vt-pbf encodes;
 *   peer   — ST_AsMVT(ST_AsMVTGeom(...)) with the same rows, properties and 64-unit buffer
 *            (server driver only: the embedded PostGIS has no ST_AsMVT);
 *   naive  — whole features at full resolution mapped to tile units and encoded, no clip or
 *            simplification.
 * Signed-in properties (households and band), the larger tile. Tiles are timed warm: one
 * untimed pass first. Alone: `BENCH_DATABASE_URL=… npx tsx bench/tiles.ts`.
 */
import { pathToFileURL } from 'node:url';
import { loadavg } from 'node:os';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../server/db/schema.ts';
import { openDatabase } from '../server/db/database.ts';
import { TILE_BUFFER, TILE_EXTENT, tileBounds4326, type TileAddress } from '../server/geo/tile-math.ts';
import { GRID_NAMES_MINZOOM, tileFeatures } from '../server/tiles/tiles.queries.ts';
import { encodeTile } from '../server/tiles/tile-encode.ts';
import type { TileLayer } from '../common/tiles.ts';

export type TileApproach = 'wangge' | 'peer' | 'naive';

export interface TileBenchRow {
  layer: TileLayer;
  z: number;
  approach: TileApproach;
  tiles: number;
  features: number;
  medianMs: number;
  p95Ms: number;
  medianKB: number;
  p95KB: number;
  maxKB: number;
}

const quantile = (values: number[], q: number) => {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
};

/** The z10 tile holding the most grid centroids: the city's busiest area. */
async function densestZ10(db: Kysely<DB>): Promise<TileAddress> {
  const { rows } = await sql<{ x: number; y: number }>`
    WITH c AS (SELECT ST_Transform(ST_PointOnSurface(geom), 3857) p FROM grids)
    SELECT floor((ST_X(p) + 20037508.342789244) / (40075016.68557849 / 1024))::int AS x,
           floor((20037508.342789244 - ST_Y(p)) / (40075016.68557849 / 1024))::int AS y
    FROM c GROUP BY 1, 2 ORDER BY count(*) DESC, 1, 2 LIMIT 1`.execute(db);
  return { z: 10, ...rows[0]! };
}

/** z10: the densest tile and its 8 neighbours; z12: the 16 inside it; z14: the central 8 × 8 of its 256. */
export function benchTileSet(center: TileAddress): Record<10 | 12 | 14, TileAddress[]> {
  const around = (z: number, x0: number, y0: number, n: number) =>
    Array.from({ length: n * n }, (_, i) => ({ z, x: x0 + (i % n), y: y0 + Math.floor(i / n) }));
  return {
    10: around(10, center.x - 1, center.y - 1, 3),
    12: around(12, center.x * 4, center.y * 4, 4),
    14: around(14, center.x * 16 + 4, center.y * 16 + 4, 8),
  };
}

/** The peer: PostGIS encodes the same rows and properties itself. */
async function peerTile(
  db: Kysely<DB>,
  layer: TileLayer,
  { z, x, y }: TileAddress,
): Promise<{ bytes: number; features: number }> {
  const [w, s, e, n] = tileBounds4326({ z, x, y }, TILE_BUFFER);
  const env = sql`ST_MakeEnvelope(${w}::float8, ${s}::float8, ${e}::float8, ${n}::float8, 4326)`;
  const mvtGeom = (col: string) =>
    sql`ST_AsMVTGeom(ST_Transform(${sql.ref(col)}, 3857), ST_TileEnvelope(${z}::int, ${x}::int, ${y}::int), ${TILE_EXTENT}::int, ${TILE_BUFFER}::int, true)`;
  const rows =
    layer === 'grids'
      ? sql`SELECT g.id, g.code, ${z >= GRID_NAMES_MINZOOM ? sql`g.name, g.community_code,` : sql``} g.kind, g.households,
          (SELECT least(count(*), 2)::int FROM org_grids og WHERE og.grid_code = g.code) AS coverage,
          CASE WHEN g.kind = 'commercial' THEN 'commercial' WHEN g.households < 300 THEN 'low' WHEN g.households > 500 THEN 'high' ELSE 'ok' END AS band,
          ${mvtGeom('g.geom')} AS geom FROM grids g WHERE g.geom && ${env}`
      : layer === 'buildings'
        ? sql`SELECT b.id, b.code, ${mvtGeom('b.geom')} AS geom FROM buildings b WHERE b.geom && ${env}`
        : sql`SELECT s.id, s.code, s.name, s.kind, ${mvtGeom('s.geom')} AS geom FROM stations s WHERE s.geom && ${env}`;
  const { rows: out } = await sql<{ mvt: Uint8Array | null; n: number }>`
    SELECT ST_AsMVT(t, ${layer}, ${TILE_EXTENT}::int, 'geom', 'id') AS mvt, count(*)::int AS n FROM (${rows}) t WHERE t.geom IS NOT NULL`.execute(
    db,
  );
  return { bytes: out[0]?.mvt?.byteLength ?? 0, features: out[0]?.n ?? 0 };
}

async function oneTile(
  db: Kysely<DB>,
  layer: TileLayer,
  tile: TileAddress,
  approach: TileApproach,
): Promise<{ bytes: number; features: number }> {
  if (approach === 'peer') return peerTile(db, layer, tile);
  const features = await tileFeatures(db, layer, tile, {
    signedIn: true,
    mode: approach === 'naive' ? 'naive' : 'tile',
  });
  const bytes = encodeTile({ [layer]: features });
  return { bytes: bytes?.byteLength ?? 0, features: features.length };
}

export async function benchTiles(
  db: Kysely<DB>,
  options: { approaches?: TileApproach[]; log?: (line: string) => void } = {},
): Promise<{ center: TileAddress; rows: TileBenchRow[] }> {
  const approaches = options.approaches ?? ['wangge', 'peer', 'naive'];
  const center = await densestZ10(db);
  const set = benchTileSet(center);
  const rows: TileBenchRow[] = [];
  const cases: [TileLayer, 10 | 12 | 14][] = [
    ['grids', 10],
    ['grids', 12],
    ['grids', 14],
    ['buildings', 14],
    ['stations', 12],
  ];
  for (const [layer, z] of cases) {
    for (const approach of approaches) {
      const tiles = set[z];
      for (const tile of tiles) await oneTile(db, layer, tile, approach); // warm
      const ms: number[] = [];
      const kb: number[] = [];
      let features = 0;
      for (const tile of tiles) {
        const t0 = performance.now();
        const r = await oneTile(db, layer, tile, approach);
        ms.push(performance.now() - t0);
        kb.push(r.bytes / 1024);
        features += r.features;
      }
      const row: TileBenchRow = {
        layer,
        z,
        approach,
        tiles: tiles.length,
        features: Math.round(features / tiles.length),
        medianMs: quantile(ms, 0.5),
        p95Ms: quantile(ms, 0.95),
        medianKB: quantile(kb, 0.5),
        p95KB: quantile(kb, 0.95),
        maxKB: Math.max(...kb),
      };
      rows.push(row);
      options.log?.(`tiles ${layer} z${z} ${approach}: ${row.medianMs.toFixed(1)} ms, max ${row.maxKB.toFixed(0)} KB`);
    }
  }
  return { center, rows };
}

export function tilesTable(rows: readonly TileBenchRow[]): string {
  const lines = [
    '| layer | z | approach | tiles | features/tile | median ms | p95 ms | median KB | p95 KB | max KB | time / wangge | max size / wangge |',
    '|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    const base = rows.find((b) => b.layer === r.layer && b.z === r.z && b.approach === 'wangge');
    const ratio = (a: number, b: number | undefined) => (b ? `${(a / b).toFixed(2)}×` : '—');
    lines.push(
      `| ${r.layer} | ${r.z} | ${r.approach} | ${r.tiles} | ${r.features} | ${r.medianMs.toFixed(1)} | ${r.p95Ms.toFixed(1)} | ` +
        `${r.medianKB.toFixed(1)} | ${r.p95KB.toFixed(1)} | ${r.maxKB.toFixed(1)} | ${ratio(r.medianMs, base?.medianMs)} | ${ratio(r.maxKB, base?.maxKB)} |`,
    );
  }
  return lines.join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const url = process.env.BENCH_DATABASE_URL;
  if (!url) throw new Error('BENCH_DATABASE_URL is not set (the 100,000-grid city)');
  const city = await openDatabase({ driver: 'server', connectionString: url });
  try {
    const load = loadavg()
      .map((l) => l.toFixed(2))
      .join(' ');
    const { center, rows } = await benchTiles(city.db, { log: (l) => console.error(l) });
    console.log(
      `\nVector tiles · server driver · densest z10 tile ${center.x}/${center.y} · load before ${load}, after ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}\n`,
    );
    console.log(tilesTable(rows));
  } finally {
    await city.close();
  }
}
