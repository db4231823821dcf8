-- Case statistics for a district-year of 1,000,000 cases in well under a second (issue 18):
-- the daily summary is nearly as large as the cases at that size (a day × 319 grids × 7
-- categories × 3 channels has ~2.4 M cells, 1 M cases fill ~0.8 M of them), so the same sums
-- are also kept per month. A period reads its whole months here and only its partial first and
-- last months from case_daily_stats (server/cases/stats.queries.ts); a calendar year of 1 M
-- cases is ~80,000 monthly rows. The trigger function keeps both, in the same statement's
-- transaction, so they can never disagree.
CREATE TABLE case_monthly_stats (
  month          date NOT NULL CHECK (extract(day FROM month) = 1),
  district_code  text NOT NULL,
  street_code    text NOT NULL,
  community_code text NOT NULL,
  grid_code      text NOT NULL,
  category       text NOT NULL,
  channel        text NOT NULL,
  reported       integer NOT NULL DEFAULT 0,
  accepted       integer NOT NULL DEFAULT 0,
  not_accepted   integer NOT NULL DEFAULT 0,
  closed         integer NOT NULL DEFAULT 0,
  closed_on_time integer NOT NULL DEFAULT 0,
  rated          integer NOT NULL DEFAULT 0,
  satisfied      integer NOT NULL DEFAULT 0,
  basically      integer NOT NULL DEFAULT 0,
  unsatisfied    integer NOT NULL DEFAULT 0,
  handling_hours double precision NOT NULL DEFAULT 0,
  PRIMARY KEY (month, grid_code, category, channel, community_code)
);
CREATE INDEX case_monthly_stats_district_idx ON case_monthly_stats (district_code, month);
CREATE INDEX case_monthly_stats_street_idx ON case_monthly_stats (street_code, month);
CREATE INDEX case_monthly_stats_community_idx ON case_monthly_stats (community_code, month);
CREATE INDEX case_daily_stats_grid_idx ON case_daily_stats (grid_code, day);
CREATE INDEX case_monthly_stats_grid_idx ON case_monthly_stats (grid_code, month);
-- "Overdue now" reads the open cases only, from the index alone: at 1 M cases of a year with 2 %
-- open, the heap visits of the older partial indexes cost ~0.5 s (one page per open case); this
-- one answers in ~25 ms (bench/case-stats.ts).
CREATE INDEX cases_open_stats_idx ON cases (due_at)
  INCLUDE (district_code, street_code, community_code, grid_code, category, channel, reported_at, duplicate_of)
  WHERE closed_at IS NULL;

INSERT INTO case_monthly_stats (month, district_code, street_code, community_code, grid_code, category, channel,
    reported, accepted, not_accepted, closed, closed_on_time, rated, satisfied, basically, unsatisfied, handling_hours)
  SELECT date_trunc('month', day)::date, district_code, street_code, community_code, grid_code, category, channel,
    sum(reported), sum(accepted), sum(not_accepted), sum(closed), sum(closed_on_time), sum(rated), sum(satisfied),
    sum(basically), sum(unsatisfied), sum(handling_hours)
  FROM case_daily_stats GROUP BY 1, 2, 3, 4, 5, 6, 7;

CREATE OR REPLACE FUNCTION case_stats_add(c cases, sign integer) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  v_day date := (c.reported_at AT TIME ZONE 'Asia/Shanghai')::date;
  v_accepted integer := sign * (c.accepted_at IS NOT NULL)::int;
  v_not_accepted integer := sign * (c.state = 'not_accepted')::int;
  v_closed integer := sign * (c.closed_at IS NOT NULL AND c.accepted_at IS NOT NULL)::int;
  v_on_time integer := sign * (c.closed_at IS NOT NULL AND c.accepted_at IS NOT NULL
    AND coalesce(c.closed_at <= c.due_at, true))::int;
  v_rated integer := sign * (c.rating IS NOT NULL)::int;
  v_satisfied integer := sign * (c.rating IS NOT DISTINCT FROM 'satisfied')::int;
  v_basically integer := sign * (c.rating IS NOT DISTINCT FROM 'basically_satisfied')::int;
  v_unsatisfied integer := sign * (c.rating IS NOT DISTINCT FROM 'unsatisfied')::int;
  v_hours double precision := CASE WHEN c.closed_at IS NOT NULL AND c.accepted_at IS NOT NULL
    THEN sign * extract(epoch FROM c.closed_at - c.accepted_at) / 3600.0 ELSE 0 END;
BEGIN
  IF c.duplicate_of IS NOT NULL THEN RETURN; END IF; -- a merged duplicate counts in its original
  INSERT INTO case_daily_stats AS s (day, district_code, street_code, community_code, grid_code, category, channel,
      reported, accepted, not_accepted, closed, closed_on_time, rated, satisfied, basically, unsatisfied, handling_hours)
  VALUES (v_day, c.district_code, c.street_code, c.community_code, coalesce(c.grid_code, ''), c.category, c.channel,
      sign, v_accepted, v_not_accepted, v_closed, v_on_time, v_rated, v_satisfied, v_basically, v_unsatisfied, v_hours)
  ON CONFLICT (day, grid_code, category, channel, community_code) DO UPDATE SET
    reported = s.reported + EXCLUDED.reported,
    accepted = s.accepted + EXCLUDED.accepted,
    not_accepted = s.not_accepted + EXCLUDED.not_accepted,
    closed = s.closed + EXCLUDED.closed,
    closed_on_time = s.closed_on_time + EXCLUDED.closed_on_time,
    rated = s.rated + EXCLUDED.rated,
    satisfied = s.satisfied + EXCLUDED.satisfied,
    basically = s.basically + EXCLUDED.basically,
    unsatisfied = s.unsatisfied + EXCLUDED.unsatisfied,
    handling_hours = s.handling_hours + EXCLUDED.handling_hours;
  INSERT INTO case_monthly_stats AS s (month, district_code, street_code, community_code, grid_code, category, channel,
      reported, accepted, not_accepted, closed, closed_on_time, rated, satisfied, basically, unsatisfied, handling_hours)
  VALUES (date_trunc('month', v_day)::date, c.district_code, c.street_code, c.community_code, coalesce(c.grid_code, ''),
      c.category, c.channel, sign, v_accepted, v_not_accepted, v_closed, v_on_time, v_rated, v_satisfied, v_basically, v_unsatisfied, v_hours)
  ON CONFLICT (month, grid_code, category, channel, community_code) DO UPDATE SET
    reported = s.reported + EXCLUDED.reported,
    accepted = s.accepted + EXCLUDED.accepted,
    not_accepted = s.not_accepted + EXCLUDED.not_accepted,
    closed = s.closed + EXCLUDED.closed,
    closed_on_time = s.closed_on_time + EXCLUDED.closed_on_time,
    rated = s.rated + EXCLUDED.rated,
    satisfied = s.satisfied + EXCLUDED.satisfied,
    basically = s.basically + EXCLUDED.basically,
    unsatisfied = s.unsatisfied + EXCLUDED.unsatisfied,
    handling_hours = s.handling_hours + EXCLUDED.handling_hours;
END $$;
