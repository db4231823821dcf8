-- Wangge base schema. All geometry is EPSG:4326, valid (CHECK) and GiST-indexed.
-- Every row keeps a region code so the tables can later be distributed by province.
CREATE EXTENSION IF NOT EXISTS postgis;

CREATE TABLE regions (
  code        text PRIMARY KEY CHECK (code ~ '^[0-9]{12}$'),
  name        text NOT NULL,
  level       text NOT NULL CHECK (level IN ('district', 'street', 'community')),
  parent_code text REFERENCES regions (code),
  geom        geometry(MultiPolygon, 4326) NOT NULL CHECK (ST_IsValid(geom)),
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX regions_parent_idx ON regions (parent_code);
CREATE INDEX regions_geom_idx ON regions USING gist (geom);

-- 小区 (residential compounds): a grid may hold several, a large one is split across grids.
CREATE TABLE compounds (
  code           text PRIMARY KEY,
  name           text NOT NULL,
  community_code text NOT NULL REFERENCES regions (code),
  geom           geometry(MultiPolygon, 4326) NOT NULL CHECK (ST_IsValid(geom))
);
CREATE INDEX compounds_community_idx ON compounds (community_code);
CREATE INDEX compounds_geom_idx ON compounds USING gist (geom);

CREATE TABLE grids (
  id             integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  code           text NOT NULL UNIQUE CHECK (code ~ '^[0-9]{15}$'),
  name           text NOT NULL,
  community_code text NOT NULL REFERENCES regions (code),
  kind           text NOT NULL CHECK (kind IN ('residential', 'commercial', 'mixed')),
  households     integer NOT NULL DEFAULT 0 CHECK (households >= 0),
  population     integer NOT NULL DEFAULT 0 CHECK (population >= 0),
  geom           geometry(MultiPolygon, 4326) NOT NULL CHECK (ST_IsValid(geom)),
  version        integer NOT NULL DEFAULT 1,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX grids_community_idx ON grids (community_code);
CREATE INDEX grids_geom_idx ON grids USING gist (geom);

-- 楼栋: located independently of grids, so a grid's households can be recomputed
-- from the buildings inside it after a redraw.
CREATE TABLE buildings (
  id             integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  code           text NOT NULL UNIQUE,
  name           text NOT NULL,
  community_code text NOT NULL REFERENCES regions (code),
  compound_code  text REFERENCES compounds (code),
  households     integer NOT NULL DEFAULT 0 CHECK (households >= 0),
  units          integer NOT NULL DEFAULT 1 CHECK (units >= 0),
  geom           geometry(Geometry, 4326) NOT NULL
                 CHECK (ST_IsValid(geom) AND GeometryType(geom) IN ('POLYGON', 'POINT'))
);
CREATE INDEX buildings_community_idx ON buildings (community_code);
CREATE INDEX buildings_geom_idx ON buildings USING gist (geom);

CREATE TABLE party_orgs (
  id             integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  code           text NOT NULL UNIQUE,
  name           text NOT NULL,
  kind           text NOT NULL CHECK (kind IN ('committee', 'general_branch', 'branch', 'group')),
  parent_code    text REFERENCES party_orgs (code),
  community_code text NOT NULL REFERENCES regions (code),
  secretary_name text,
  member_count   integer NOT NULL DEFAULT 0 CHECK (member_count >= 0)
);
CREATE INDEX party_orgs_community_idx ON party_orgs (community_code);
CREATE INDEX party_orgs_parent_idx ON party_orgs (parent_code);

-- Which grid-level organisation (branch or group) is built on which grid.
CREATE TABLE org_grids (
  org_code  text NOT NULL REFERENCES party_orgs (code) ON DELETE CASCADE,
  grid_code text NOT NULL REFERENCES grids (code) ON UPDATE CASCADE ON DELETE CASCADE,
  PRIMARY KEY (org_code, grid_code)
);
CREATE INDEX org_grids_grid_idx ON org_grids (grid_code);

CREATE TABLE stations (
  id            integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  code          text NOT NULL UNIQUE,
  name          text NOT NULL,
  kind          text NOT NULL CHECK (kind IN (
                  'party_service_center', 'party_parlour', 'red_post', 'courier_post',
                  'mobile_member_post', 'helper_post', 'civilization_post', 'convenience_center')),
  region_code   text NOT NULL REFERENCES regions (code),
  address       text NOT NULL DEFAULT '',
  opening_hours text NOT NULL DEFAULT '',
  services      text[] NOT NULL DEFAULT '{}',
  phone         text,
  geom          geometry(Point, 4326) NOT NULL CHECK (ST_IsValid(geom))
);
CREATE INDEX stations_region_idx ON stations (region_code);
CREATE INDEX stations_kind_idx ON stations (kind);
CREATE INDEX stations_geom_idx ON stations USING gist (geom);

-- 网格员 and 楼长/单元长. phone_public marks a number the street office has published.
CREATE TABLE grid_workers (
  id            integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name          text NOT NULL,
  phone         text NOT NULL,
  phone_public  boolean NOT NULL DEFAULT false,
  role          text NOT NULL CHECK (role IN ('full_time', 'part_time', 'building_head', 'unit_head')),
  grid_code     text NOT NULL REFERENCES grids (code) ON UPDATE CASCADE ON DELETE CASCADE,
  building_code text REFERENCES buildings (code) ON DELETE SET NULL
);
CREATE INDEX grid_workers_grid_idx ON grid_workers (grid_code);

CREATE TABLE users (
  id            integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  username      text NOT NULL UNIQUE,
  display_name  text NOT NULL,
  password_hash text NOT NULL,
  role          text NOT NULL CHECK (role IN ('admin', 'editor', 'planner')),
  street_code   text REFERENCES regions (code),
  created_at    timestamptz NOT NULL DEFAULT now(),
  CHECK ((role = 'editor') = (street_code IS NOT NULL))
);

-- Sessions live in the database so that any API process can serve any request.
CREATE TABLE sessions (
  token_hash text PRIMARY KEY,
  user_id    integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

-- Small key/value settings (e.g. whether the loaded data is the synthetic demo).
CREATE TABLE settings (
  key   text PRIMARY KEY,
  value jsonb NOT NULL
);
