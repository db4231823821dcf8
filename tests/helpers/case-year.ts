/**
 * A year of cases in the demo district by SQL, for the dashboard's browser test until the demo
 * carries its own generated year: `count` cases spread over the demo grids and the 365 days up
 * to `now`, with a Dachang-like mix (about 98 % closed, most of them rated 满意, a few 不满意,
 * some closed late, a few open and overdue, a few not accepted). Deterministic: case i's grid,
 * day, category, channel and outcome all follow from i.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../server/db/schema.ts';

export async function insertCaseYear(db: Kysely<DB>, now: Date, count = 900, prefix = 'T-YEAR'): Promise<void> {
  await sql`
    WITH g AS (
      SELECT code, community_code, geom, row_number() OVER (ORDER BY code) - 1 AS n, count(*) OVER () AS total
      FROM grids
    ), k AS (
      SELECT code, time_limit_hours, row_number() OVER (ORDER BY sort) - 1 AS n FROM case_categories
    ), c AS (
      SELECT i,
        ${now}::timestamptz - make_interval(days => (i * 37) % 365, hours => (i * 5) % 24) AS reported_at,
        CASE WHEN i % 53 = 0 THEN 'not_accepted'
             WHEN (i * 37) % 365 < 2 OR i % 71 = 0 THEN 'dispatched'
             WHEN i % 3 = 0 THEN 'closed' ELSE 'rated' END AS state,
        (i * 11) % 40 AS handling_hours
      FROM generate_series(1, ${count}) AS i
    )
    INSERT INTO cases (ticket, token_hash, category, channel, description, geom, grid_code, community_code,
      street_code, district_code, state, queue_kind, queue_code, reported_at, accepted_at, due_at, handled_at,
      closed_at, rating, rated_at)
    SELECT ${prefix} || '-' || lpad(c.i::text, 5, '0'), 'x', k.code,
      (ARRAY['finder', 'finder', 'patrol', 'patrol', 'hotline'])[1 + c.i % 5], '生成的案件',
      ST_GeometryN(ST_GeneratePoints(g.geom, 1, c.i::int), 1), g.code, g.community_code,
      left(g.community_code, 9) || '000', left(g.community_code, 6) || '000000',
      c.state, 'grid', g.code, c.reported_at,
      CASE WHEN c.state <> 'not_accepted' THEN c.reported_at + interval '1 hour' END,
      CASE WHEN c.state <> 'not_accepted' THEN c.reported_at + interval '1 hour' + make_interval(hours => k.time_limit_hours) END,
      CASE WHEN c.state IN ('closed', 'rated') THEN c.reported_at + make_interval(hours => 1 + c.handling_hours) END,
      CASE WHEN c.state IN ('closed', 'rated') THEN c.reported_at + make_interval(hours => 2 + c.handling_hours) END,
      CASE WHEN c.state = 'rated' THEN
        CASE WHEN c.i % 31 = 0 THEN 'unsatisfied' WHEN c.i % 8 = 0 THEN 'basically_satisfied' ELSE 'satisfied' END
      END,
      CASE WHEN c.state = 'rated' THEN c.reported_at + make_interval(hours => 3 + c.handling_hours) END
    FROM c
    JOIN g ON g.n = (c.i * 7919) % g.total
    JOIN k ON k.n = c.i % 7`.execute(db);
}
