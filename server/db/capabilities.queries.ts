/**
 * What the connected PostGIS can do. The server runs PostGIS 3.3, the embedded one 3.6:
 * functions from 3.4+ are used only where present, never on a required path (DESIGN.md trap 7),
 * and the embedded build has no ST_AsMVT (trap 2).
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from './schema.ts';

export interface Capabilities {
  postgis: string;
  /** ST_CoverageInvalidEdges (PostGIS 3.4+). */
  coverageInvalidEdges: boolean;
  /** ST_AsMVT works (needs protobuf-c; absent in the embedded build). */
  asMvt: boolean;
}

export async function detectCapabilities(db: Kysely<DB>): Promise<Capabilities> {
  const { rows } = await sql<{ v: string; cov: boolean }>`
    SELECT postgis_lib_version() AS v,
           EXISTS (SELECT 1 FROM pg_proc WHERE proname = 'st_coverageinvalidedges') AS cov`.execute(db);
  let asMvt = true;
  try {
    await db
      .transaction()
      .execute((trx) =>
        sql`SELECT ST_AsMVT(t) FROM (SELECT 1 AS a, ST_AsMVTGeom(ST_Point(0, 0), ST_MakeEnvelope(-1, -1, 1, 1)) AS geom) t`.execute(
          trx,
        ),
      );
  } catch {
    asMvt = false;
  }
  return { postgis: rows[0]!.v, coverageInvalidEdges: rows[0]!.cov, asMvt };
}
