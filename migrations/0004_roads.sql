-- Road layer (issue 5): walking distances for station reach run over these lines.
-- One row per LineString (an imported MultiLineString becomes several rows). Lines join
-- where they share an identical vertex, so roads must be noded at their crossings.
-- Roads do not take part in grid checks: no topology-epoch triggers here.
CREATE TABLE roads (
  id          integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  code        text,
  name        text,
  kind        text NOT NULL DEFAULT 'road' CHECK (kind IN ('road', 'path', 'footway')),
  region_code text NOT NULL REFERENCES regions (code) ON DELETE CASCADE,
  geom        geometry(LineString, 4326) NOT NULL CHECK (ST_IsValid(geom) AND NOT ST_IsEmpty(geom)),
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX roads_region_idx ON roads (region_code);
CREATE INDEX roads_geom_idx ON roads USING gist (geom);
