-- Editing (issue 4): drafts per street, the draft's version of each grid it touches, and a
-- changeset per operation. The published map (grids) changes only when a draft is published.

CREATE TABLE drafts (
  id              integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  street_code     text NOT NULL REFERENCES regions (code),
  title           text NOT NULL,
  status          text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'published', 'discarded')),
  created_by      integer NOT NULL REFERENCES users (id),
  created_at      timestamptz NOT NULL DEFAULT now(),
  published_by    integer REFERENCES users (id),
  published_at    timestamptz,
  -- An admin publishing over gaps or overlaps says why.
  override_reason text
);
CREATE INDEX drafts_street_idx ON drafts (street_code, status);

-- The draft's state of a grid: changed (base_version = the published version it started
-- from), new (base_version NULL) or retired. One row per grid per draft; `revision` moves on
-- every edit in the draft and is part of the grid's ETag there.
CREATE TABLE draft_grids (
  draft_id          integer NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
  code              text NOT NULL CHECK (code ~ '^[0-9]{15}$'),
  base_version      integer,
  revision          integer NOT NULL DEFAULT 1,
  retired           boolean NOT NULL DEFAULT false,
  name              text NOT NULL,
  community_code    text NOT NULL REFERENCES regions (code),
  kind              text NOT NULL CHECK (kind IN ('residential', 'commercial', 'mixed')),
  households        integer NOT NULL CHECK (households >= 0),
  -- buildings: recomputed from the buildings inside; manual: set by hand; area_estimate:
  -- divided by area because the grid had no buildings.
  households_source text NOT NULL DEFAULT 'buildings' CHECK (households_source IN ('buildings', 'manual', 'area_estimate')),
  -- Grid-level party organisations and grid workers the draft assigns (NULL: unchanged;
  -- publish replaces the grid's assignments with these).
  party_orgs        text[],
  workers           jsonb,
  geom              geometry(MultiPolygon, 4326) NOT NULL CHECK (ST_IsValid(geom)),
  PRIMARY KEY (draft_id, code)
);
CREATE INDEX draft_grids_geom_idx ON draft_grids USING gist (geom);

CREATE TABLE changesets (
  id         integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  draft_id   integer NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
  street_code text NOT NULL REFERENCES regions (code),
  user_id    integer NOT NULL REFERENCES users (id),
  operation  text NOT NULL CHECK (operation IN ('create', 'reshape', 'boundary', 'attributes', 'split', 'merge', 'retire', 'publish', 'undo', 'redo')),
  comment    text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  -- Set when the changeset was undone (by the 'undo' changeset `undone_by`).
  undone_by  integer REFERENCES changesets (id)
);
CREATE INDEX changesets_draft_idx ON changesets (draft_id);
CREATE INDEX changesets_street_idx ON changesets (street_code, created_at);

-- Before and after of every grid an operation touched (NULL: absent). `before` also keeps
-- the draft's exact row (EWKB) so an undo restores the outline bit for bit.
CREATE TABLE changeset_grids (
  changeset_id integer NOT NULL REFERENCES changesets (id) ON DELETE CASCADE,
  code         text NOT NULL,
  before       jsonb,
  after        jsonb,
  PRIMARY KEY (changeset_id, code)
);
CREATE INDEX changeset_grids_code_idx ON changeset_grids (code);
