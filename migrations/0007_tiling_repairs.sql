-- Repairs and allowed gaps (issue 15, ADR 0013).
--
-- A repair (a gap, overlap or sliver given to a neighbouring grid) is an editing operation
-- like any other: one changeset, with history and undo.
ALTER TABLE changesets DROP CONSTRAINT IF EXISTS changesets_operation_check;
ALTER TABLE changesets ADD CONSTRAINT changesets_operation_check
  CHECK (operation IN ('create', 'reshape', 'boundary', 'attributes', 'split', 'merge', 'retire', 'publish', 'undo', 'redo', 'repair'));

-- An allowed gap (允许的缝隙): an admin says a gap is intended (a river, a rail yard). A gap
-- of the community whose point on surface lies inside `geom` (or whose stable id is
-- `problem_id`) is listed apart and is not an error. Removing the mark keeps the row, with
-- who removed it, when and why: the log of exceptions is the table itself.
CREATE TABLE tiling_exceptions (
  id             integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  community_code text NOT NULL REFERENCES regions (code),
  problem_id     text,
  geom           geometry(MultiPolygon, 4326) NOT NULL CHECK (ST_IsValid(geom)),
  area_m2        double precision NOT NULL,
  reason         text NOT NULL CHECK (length(btrim(reason)) > 0),
  created_by     integer NOT NULL REFERENCES users (id),
  created_at     timestamptz NOT NULL DEFAULT now(),
  removed_by     integer REFERENCES users (id),
  removed_at     timestamptz,
  removal_reason text,
  CHECK ((removed_by IS NULL) = (removed_at IS NULL))
);
CREATE INDEX tiling_exceptions_active_idx ON tiling_exceptions (community_code) WHERE removed_at IS NULL;
CREATE INDEX tiling_exceptions_geom_idx ON tiling_exceptions USING gist (geom);
