/**
 * unionFaces (server/geo/union-faces.ts) against PostGIS on both drivers, on faces we did not
 * shape: the real faces of demo communities (Voronoi edges, roads, compound outlines, noded
 * by GEOS at full precision), grouped at random face by face, so that groups have several
 * parts, holes, parts meeting at a point and holes meeting their outline at a point. Every
 * union must be valid (ST_IsValid) and cover exactly what ST_Union of the same faces covers.
 */
import { expect, it } from 'vitest';
import { sql } from 'kysely';
import { describeEachDriver } from '../helpers/db.ts';
import { readFaces } from '../../server/proposal/units.queries.ts';
import { faceAttributes } from '../../server/proposal/face-attributes.ts';
import { unionFaces } from '../../server/geo/union-faces.ts';
import { PUBLISHED } from '../../server/validation/grid-source.ts';
import { mulberry32 } from '../../server/proposal/prng.ts';

const hex = (wkb: Uint8Array) => Buffer.from(wkb.buffer, wkb.byteOffset, wkb.byteLength).toString('hex');

describeEachDriver('unionFaces against ST_Union', { demo: true }, (get) => {
  it('random groups of real faces: valid, and the same area as PostGIS covers', async () => {
    const db = get().db;
    const random = mulberry32(7);
    let groups = 0;
    let holes = 0;
    let multipart = 0;
    for (const community of ['131002002006', '131002003006']) {
      const rows = await readFaces(db, community, PUBLISHED, false);
      const { rings } = faceAttributes(rows.faces, rows.buildings, [], []);
      const label = rows.faces.map(() => Math.floor(random() * 6));
      for (let g = 0; g < 6; g++) {
        const members = rows.faces.flatMap((f, i) => (label[i] === g ? [i] : []));
        const { polygons } = unionFaces(members.map((i) => rings[i]!));
        groups++;
        holes += polygons.filter((p) => p.length > 1).length;
        if (polygons.length > 1) multipart++;
        const ours = JSON.stringify({ type: 'MultiPolygon', coordinates: polygons });
        const { rows: check } = await sql<{ valid: boolean; reason: string; theirs: number; diff: number }>`
          WITH f AS (SELECT ST_GeomFromWKB(decode(h, 'hex'), 4326) AS g FROM unnest(${members.map((i) => hex(rows.faces[i]!.wkb))}::text[]) AS h),
          theirs AS (SELECT ST_Union(f.g, 1e-10) AS g FROM f),
          ours AS (SELECT ST_SetSRID(ST_GeomFromGeoJSON(${ours}), 4326) AS g)
          SELECT ST_IsValid(ours.g) AS valid, ST_IsValidReason(ours.g) AS reason, ST_Area(theirs.g) AS theirs,
                 ST_Area(ST_SymDifference(ours.g, theirs.g, 1e-10)) AS diff
          FROM ours, theirs`.execute(db);
        const c = check[0]!;
        expect(c.reason, `${community} group ${g}`).toBe('Valid Geometry');
        expect(c.valid).toBe(true);
        // Degrees²: 1e-16 is about 1 cm² here, against groups of ~1e-6 (a hectare and more).
        expect(c.diff, `${community} group ${g}`).toBeLessThan(1e-16);
        expect(c.theirs).toBeGreaterThan(1e-7);
      }
    }
    // The random grouping reaches the hard cases.
    expect(groups).toBe(12);
    expect(multipart).toBeGreaterThan(6);
    expect(holes).toBeGreaterThan(0);
  }, 120_000);
});
