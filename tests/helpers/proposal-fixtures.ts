/**
 * Hand-made communities for the grid proposal (issue 19), in lon/lat near (116.8, 39.45), just east of the demo district, with
 * full-precision coordinates (metres divided by factors that are not round, as reprojected
 * from Gauss–Krüger). Sketches in metres, origin at each community's south-west corner:
 *
 *  FOUR (4 × 300 households)            ONE_BIG (620 + 2 × 150)      ACROSS (2 × 400 across a road)
 *  y=500 ┌──────────┬──────────┐        y=200 ┌──────────────┐      y=300 ┌───────┬──────────┐
 *        │ compound │ compound │              │         · 150│            │ ▬▬400 │   ▬▬400  │
 *        │ 10 × 30  │ 10 × 30  │              │ ▬▬▬▬620▬▬▬▬  │            │       │road x=180│
 *  y=250 ├──road────┼──road────┤              │ · 150        │       y=60 ├───────┴──────────┤
 *        │ compound │ compound │              └──────────────┘            │ commercial (50)  │
 *        └──────────┴──────────┘ x=600        x=300                       └──────────────────┘ x=400
 *            road x=300
 * Today's grids: FOUR west/east halves (600 each); ONE_BIG one grid; ACROSS one residential
 * grid above y=60 and the commercial grid below it.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../server/db/schema.ts';

export const DISTRICT = '131099000000';
export const STREET = '131099001000';
export const FOUR = '131099001001';
export const ONE_BIG = '131099001002';
export const ACROSS = '131099001003';
/** A community of its own street and district (loadCutFixture), where buildings lie across grid outlines. */
export const CUT_DISTRICT = '131098000000';
export const CUT_STREET = '131098001000';
export const CUT = '131098001001';

/** Community origins (metres east of 116.7, north of 39.5). */
const ORIGIN: Record<string, [number, number]> = {
  [FOUR]: [0, 0],
  [ONE_BIG]: [800, 0],
  [ACROSS]: [1300, 0],
  [CUT]: [2000, 0],
};

/** Metres → lon/lat with every digit used. */
const at = (community: string, x: number, y: number): [number, number] => {
  const [ox, oy] = ORIGIN[community]!;
  return [116.8 + (ox + x) / 86_111.123456789, 39.45 + (oy + y) / 111_034.987654321];
};
const ring = (c: string, pts: [number, number][]) => [...pts, pts[0]!].map(([x, y]) => at(c, x, y));
const rect = (c: string, x0: number, y0: number, x1: number, y1: number): [number, number][][] => [
  ring(c, [
    [x0, y0],
    [x1, y0],
    [x1, y1],
    [x0, y1],
  ]),
];
const multi = (rings: [number, number][][]) => JSON.stringify({ type: 'MultiPolygon', coordinates: [rings] });
const poly = (rings: [number, number][][]) => JSON.stringify({ type: 'Polygon', coordinates: rings });
const geom = (json: string) => sql`ST_SetSRID(ST_GeomFromGeoJSON(${json}), 4326)`;

async function region(
  db: Kysely<DB>,
  code: string,
  name: string,
  level: string,
  parent: string | null,
  rings: [number, number][][],
) {
  await sql`INSERT INTO regions (code, name, level, parent_code, geom) VALUES (${code}, ${name}, ${level}, ${parent}, ${geom(multi(rings))})`.execute(
    db,
  );
}
async function grid(db: Kysely<DB>, community: string, n: number, kind: string, rings: [number, number][][]) {
  await sql`INSERT INTO grids (code, name, community_code, kind, geom)
    VALUES (${community + String(n).padStart(3, '0')}, ${`第${n}网格`}, ${community}, ${kind}, ${geom(multi(rings))})`.execute(
    db,
  );
}
async function compound(db: Kysely<DB>, community: string, code: string, rings: [number, number][][]) {
  await sql`INSERT INTO compounds (code, name, community_code, geom) VALUES (${code}, ${code}, ${community}, ${geom(multi(rings))})`.execute(
    db,
  );
}
let buildingNo = 0;
async function building(db: Kysely<DB>, community: string, compoundCode: string | null, households: number, g: string) {
  const code = `${community}L${String(++buildingNo).padStart(4, '0')}`;
  await sql`INSERT INTO buildings (code, name, community_code, compound_code, households, geom)
    VALUES (${code}, ${code}, ${community}, ${compoundCode}, ${households}, ${geom(g)})`.execute(db);
}
async function road(
  db: Kysely<DB>,
  community: string,
  name: string,
  cls: string,
  pts: [number, number][],
): Promise<number> {
  const line = JSON.stringify({ type: 'LineString', coordinates: pts.map(([x, y]) => at(community, x, y)) });
  const { rows } = await sql<{ id: number }>`INSERT INTO roads (name, kind, class, region_code, geom)
    VALUES (${name}, 'road', ${cls}, ${DISTRICT}, ${geom(line)}) RETURNING id`.execute(db);
  return rows[0]!.id;
}

export interface Fixtures {
  roads: { fourNS: number; fourEW: number; across: number };
}

export async function loadProposalFixtures(db: Kysely<DB>): Promise<Fixtures> {
  buildingNo = 0;
  const district = ring(FOUR, [
    [-100, -100],
    [1900, -100],
    [1900, 700],
    [-100, 700],
  ]);
  await region(db, DISTRICT, '测试区', 'district', null, [district]);
  await region(db, STREET, '测试街道', 'street', DISTRICT, [district]);

  // FOUR: 600 × 500 m, a cross of roads, a compound in each quarter with ten 30-household buildings.
  await region(db, FOUR, '四院社区', 'community', STREET, [
    ring(FOUR, [
      [0, 0],
      [300, 0],
      [600, 0],
      [600, 250],
      [600, 500],
      [300, 500],
      [0, 500],
      [0, 250],
    ]),
  ]);
  await grid(db, FOUR, 1, 'residential', [
    ring(FOUR, [
      [0, 0],
      [300, 0],
      [300, 250],
      [300, 500],
      [0, 500],
      [0, 250],
    ]),
  ]);
  await grid(db, FOUR, 2, 'residential', [
    ring(FOUR, [
      [300, 0],
      [600, 0],
      [600, 250],
      [600, 500],
      [300, 500],
      [300, 250],
    ]),
  ]);
  const fourNS = await road(db, FOUR, '南北路', 'local', [
    [300, -20],
    [300, 520],
  ]);
  const fourEW = await road(db, FOUR, '东西路', 'secondary', [
    [-20, 250],
    [620, 250],
  ]);
  for (const [qx, qy] of [
    [0, 0],
    [300, 0],
    [0, 250],
    [300, 250],
  ] as const) {
    const code = `${FOUR}X${qx}${qy}`;
    await compound(db, FOUR, code, rect(FOUR, qx + 15, qy + 15, qx + 285, qy + 235));
    for (let i = 0; i < 5; i++)
      for (let j = 0; j < 2; j++) {
        const [x, y] = [qx + 30 + i * 50, qy + 50 + j * 110];
        await building(db, FOUR, code, 30, poly(rect(FOUR, x, y, x + 30, y + 12)));
      }
  }

  // ONE_BIG: 300 × 200 m, one 200 m-long building of 620 households and two point buildings of 150.
  await region(db, ONE_BIG, '高楼社区', 'community', STREET, rect(ONE_BIG, 0, 0, 300, 200));
  await grid(db, ONE_BIG, 1, 'residential', rect(ONE_BIG, 0, 0, 300, 200));
  await building(db, ONE_BIG, null, 620, poly(rect(ONE_BIG, 50, 90, 250, 110)));
  await building(db, ONE_BIG, null, 150, JSON.stringify({ type: 'Point', coordinates: at(ONE_BIG, 60, 40) }));
  await building(db, ONE_BIG, null, 150, JSON.stringify({ type: 'Point', coordinates: at(ONE_BIG, 240, 160) }));

  // ACROSS: 400 × 300 m, a road at x = 180, two 400-household blocks, a commercial strip below y = 60.
  await region(db, ACROSS, '隔路社区', 'community', STREET, [
    ring(ACROSS, [
      [0, 0],
      [400, 0],
      [400, 60],
      [400, 300],
      [0, 300],
      [0, 60],
    ]),
  ]);
  await grid(db, ACROSS, 1, 'residential', rect(ACROSS, 0, 60, 400, 300));
  await grid(db, ACROSS, 2, 'commercial', rect(ACROSS, 0, 0, 400, 60));
  const across = await road(db, ACROSS, '隔路', 'arterial', [
    [180, -30],
    [180, 330],
  ]);
  await building(db, ACROSS, null, 400, poly(rect(ACROSS, 40, 200, 140, 240)));
  await building(db, ACROSS, null, 400, poly(rect(ACROSS, 260, 200, 360, 240)));
  await building(db, ACROSS, null, 50, poly(rect(ACROSS, 150, 20, 250, 40)));
  return { roads: { fourNS, fourEW, across } };
}

/**
 * CUT (400 × 300 m, its own street): a commercial strip below y = 60, today's grids west and
 * east of x = 200 above it. Two buildings lie across grid outlines: S (60 households, its point
 * on surface in the west grid) across the commercial strip's edge, B (350) across x = 200
 * (70 % west); E (400) lies wholly in the east grid. Known answers: a fresh proposal cuts S
 * only (B is one unit); a rebalance keeps both grids (410 and 400 households) and so both cuts.
 *
 *  y=300 ┌─────────┬─────────┐
 *        │      ▬▬B▬▬  E ▬▬  │
 *   y=60 ├──▬S▬────┴─────────┤
 *        │ commercial strip  │
 *        └───────────────────┘ x=400
 */
export async function loadCutFixture(db: Kysely<DB>): Promise<void> {
  const outline = rect(CUT, -50, -50, 450, 350);
  await region(db, CUT_DISTRICT, '切割测试区', 'district', null, outline);
  await region(db, CUT_STREET, '切割测试街道', 'street', CUT_DISTRICT, outline);
  await region(db, CUT, '跨线社区', 'community', CUT_STREET, [
    ring(CUT, [
      [0, 0],
      [400, 0],
      [400, 60],
      [400, 300],
      [200, 300],
      [0, 300],
      [0, 60],
    ]),
  ]);
  await grid(db, CUT, 1, 'commercial', rect(CUT, 0, 0, 400, 60));
  await grid(db, CUT, 2, 'residential', [
    ring(CUT, [
      [0, 60],
      [200, 60],
      [200, 300],
      [0, 300],
    ]),
  ]);
  await grid(db, CUT, 3, 'residential', [
    ring(CUT, [
      [200, 60],
      [400, 60],
      [400, 300],
      [200, 300],
    ]),
  ]);
  await building(db, CUT, null, 60, poly(rect(CUT, 50, 45, 150, 85)));
  await building(db, CUT, null, 350, poly(rect(CUT, 160, 200, 220, 240)));
  await building(db, CUT, null, 400, poly(rect(CUT, 300, 150, 350, 200)));
}
