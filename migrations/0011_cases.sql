-- Cases (issue 18, 事在格中办): residents' concerns reported, routed to a grid, handled, closed and
-- rated. A case's state is derived from its timeline (case_events, appended in the transaction of
-- each transition); cases.state is that derivation kept beside it for queues and statistics.

-- Categories with their time limits in hours, counted from acceptance (configurable rows).
CREATE TABLE case_categories (
  code             text PRIMARY KEY,
  name             text NOT NULL UNIQUE,
  time_limit_hours integer NOT NULL CHECK (time_limit_hours > 0),
  sort             integer NOT NULL DEFAULT 0
);
INSERT INTO case_categories (code, name, time_limit_hours, sort) VALUES
  ('safety', '安全隐患', 24, 1),
  ('sanitation', '环境卫生', 48, 2),
  ('illegal_building', '私搭乱建', 120, 3),
  ('dispute', '矛盾纠纷', 72, 4),
  ('livelihood', '民生诉求', 72, 5),
  ('clutter', '乱堆乱放', 48, 6),
  ('public_order', '治安稳定', 24, 7);

-- The ways a case is handled (Dachang's 六种处理方式; configurable rows).
CREATE TABLE case_handlings (
  code text PRIMARY KEY,
  name text NOT NULL UNIQUE,
  sort integer NOT NULL DEFAULT 0
);
INSERT INTO case_handlings (code, name, sort) VALUES
  ('on_the_spot', '网格内当场解决', 1),
  ('community', '社区协调解决', 2),
  ('whistle', '街道吹哨、部门报到', 3),
  ('hotline', '转12345热线', 4),
  ('department', '转职能部门', 5),
  ('not_accepted', '不予受理（说明理由）', 6);

-- Departments a street summons (吹哨) or hands cases to, with the hours they have to report back.
CREATE TABLE departments (
  id           integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  street_code  text NOT NULL REFERENCES regions (code) ON DELETE CASCADE,
  name         text NOT NULL,
  report_hours integer NOT NULL DEFAULT 48 CHECK (report_hours > 0),
  UNIQUE (street_code, name)
);

-- New roles: grid workers (bound to their grids), community staff, department staff.
ALTER TABLE users DROP CONSTRAINT users_check;
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD COLUMN community_code text REFERENCES regions (code) ON DELETE SET NULL;
ALTER TABLE users ADD COLUMN department_id integer REFERENCES departments (id) ON DELETE SET NULL;
ALTER TABLE users ADD CONSTRAINT users_role_check
  CHECK (role IN ('admin', 'editor', 'planner', 'worker', 'community', 'department'));
ALTER TABLE users ADD CONSTRAINT users_role_scope_check CHECK (
  (role IN ('editor', 'department')) = (street_code IS NOT NULL)
  AND (role = 'community') = (community_code IS NOT NULL)
  AND (role = 'department') = (department_id IS NOT NULL));

CREATE TABLE user_grids (
  user_id   integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  grid_code text NOT NULL REFERENCES grids (code) ON UPDATE CASCADE ON DELETE CASCADE,
  PRIMARY KEY (user_id, grid_code)
);
CREATE INDEX user_grids_grid_idx ON user_grids (grid_code);

CREATE TABLE cases (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  ticket           text NOT NULL UNIQUE,
  token_hash       text NOT NULL,
  category         text NOT NULL REFERENCES case_categories (code),
  channel          text NOT NULL CHECK (channel IN ('finder', 'patrol', 'hotline')),
  description      text NOT NULL,
  address          text,
  geom             geometry(Point, 4326) CHECK (geom IS NULL OR ST_IsValid(geom)),
  -- Where it was routed: the grid (kept as text, as grids are retired and recoded) and its
  -- community, street and district; outside_grids marks a point in no published grid.
  grid_code        text,
  community_code   text NOT NULL,
  street_code      text NOT NULL,
  district_code    text NOT NULL,
  outside_grids    boolean NOT NULL DEFAULT false,
  reporter_phone   text,
  hotline_ref      text,
  state            text NOT NULL,
  -- Whose queue holds it now: a grid, a community, a street, a department (its id) or 12345.
  queue_kind       text NOT NULL CHECK (queue_kind IN ('grid', 'community', 'street', 'department', 'hotline')),
  queue_code       text NOT NULL,
  handling         text REFERENCES case_handlings (code),
  reported_at      timestamptz NOT NULL,
  accepted_at      timestamptz,
  due_at           timestamptz,
  handled_at       timestamptz,
  closed_at        timestamptz,
  rating           text CHECK (rating IN ('satisfied', 'basically_satisfied', 'unsatisfied')),
  rated_at         timestamptz,
  duplicate_of     bigint REFERENCES cases (id),
  reopened         integer NOT NULL DEFAULT 0,
  version          integer NOT NULL DEFAULT 1,
  created_by       integer REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX cases_queue_open_idx ON cases (queue_kind, queue_code) WHERE closed_at IS NULL;
CREATE INDEX cases_due_open_idx ON cases (due_at) WHERE closed_at IS NULL AND due_at IS NOT NULL;
CREATE INDEX cases_geom_open_idx ON cases USING gist (geom) WHERE closed_at IS NULL;
CREATE INDEX cases_geom_idx ON cases USING gist (geom);
CREATE INDEX cases_community_idx ON cases (community_code, reported_at);
CREATE INDEX cases_street_idx ON cases (street_code, reported_at);
CREATE INDEX cases_district_idx ON cases (district_code, reported_at);
CREATE INDEX cases_grid_idx ON cases (grid_code, reported_at);
CREATE INDEX cases_duplicate_idx ON cases (duplicate_of) WHERE duplicate_of IS NOT NULL;

-- The timeline: one row a transition (who, when, what, comment, attachments in details).
CREATE TABLE case_events (
  case_id       bigint NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  seq           integer NOT NULL,
  at            timestamptz NOT NULL,
  action        text NOT NULL,
  from_state    text,
  to_state      text NOT NULL,
  actor_user_id integer REFERENCES users (id) ON DELETE SET NULL,
  actor_label   text NOT NULL,
  comment       text,
  details       jsonb NOT NULL DEFAULT '{}',
  PRIMARY KEY (case_id, seq)
);

-- Photos, re-encoded without EXIF before they are stored (server/cases/photos.ts).
CREATE TABLE case_photos (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  case_id    bigint NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  event_seq  integer NOT NULL,
  mime       text NOT NULL CHECK (mime IN ('image/jpeg', 'image/png', 'image/webp')),
  width      integer NOT NULL,
  height     integer NOT NULL,
  bytes      bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_photos_case_idx ON case_photos (case_id);

-- Statistics for a city-year in well under a second: a daily summary per grid, category,
-- channel and handling worker, kept by a row trigger that takes the old row's contribution
-- away and adds the new one's (so every transition keeps it exact). Days are Beijing days of
-- reporting. "Overdue now" depends on the clock and is read from the open cases instead.
CREATE TABLE case_daily_stats (
  day            date NOT NULL,
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
  PRIMARY KEY (day, grid_code, category, channel, community_code)
);
CREATE INDEX case_daily_stats_district_idx ON case_daily_stats (district_code, day);
CREATE INDEX case_daily_stats_street_idx ON case_daily_stats (street_code, day);
CREATE INDEX case_daily_stats_community_idx ON case_daily_stats (community_code, day);

CREATE FUNCTION case_stats_add(c cases, sign integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF c.duplicate_of IS NOT NULL THEN RETURN; END IF; -- a merged duplicate counts in its original
  INSERT INTO case_daily_stats AS s (day, district_code, street_code, community_code, grid_code, category, channel,
      reported, accepted, not_accepted, closed, closed_on_time, rated, satisfied, basically, unsatisfied, handling_hours)
  VALUES ((c.reported_at AT TIME ZONE 'Asia/Shanghai')::date, c.district_code, c.street_code, c.community_code,
      coalesce(c.grid_code, ''), c.category, c.channel,
      sign,
      sign * (c.accepted_at IS NOT NULL)::int,
      sign * (c.state = 'not_accepted')::int,
      sign * (c.closed_at IS NOT NULL AND c.accepted_at IS NOT NULL)::int,
      sign * (c.closed_at IS NOT NULL AND c.accepted_at IS NOT NULL AND coalesce(c.closed_at <= c.due_at, true))::int,
      sign * (c.rating IS NOT NULL)::int,
      sign * (c.rating IS NOT DISTINCT FROM 'satisfied')::int,
      sign * (c.rating IS NOT DISTINCT FROM 'basically_satisfied')::int,
      sign * (c.rating IS NOT DISTINCT FROM 'unsatisfied')::int,
      CASE WHEN c.closed_at IS NOT NULL AND c.accepted_at IS NOT NULL
        THEN sign * extract(epoch FROM c.closed_at - c.accepted_at) / 3600.0 ELSE 0 END)
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
END $$;

CREATE FUNCTION cases_stats_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM case_stats_add(OLD, -1); END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN PERFORM case_stats_add(NEW, 1); END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER cases_stats AFTER INSERT OR UPDATE OR DELETE ON cases
  FOR EACH ROW EXECUTE FUNCTION cases_stats_trigger();

-- Ticket numbers: the Beijing date and a sequence (e.g. 20261207-000123).
CREATE SEQUENCE case_ticket_seq;
