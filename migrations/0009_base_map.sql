-- Base map (issue 17): what the offline map draws besides grids, read from the district's own data.
-- Roads get a class for drawing by importance; water and green areas get their own table.
-- Neither takes part in grid checks: no topology-epoch triggers here.
ALTER TABLE roads
  ADD COLUMN class text CHECK (class IN ('arterial', 'secondary', 'local', 'service'));

CREATE TABLE landcover (
  id          integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind        text NOT NULL CHECK (kind IN ('water', 'green')),
  name        text,
  region_code text NOT NULL REFERENCES regions (code) ON DELETE CASCADE,
  geom        geometry(MultiPolygon, 4326) NOT NULL CHECK (ST_IsValid(geom) AND NOT ST_IsEmpty(geom))
);
CREATE INDEX landcover_region_idx ON landcover (region_code);
CREATE INDEX landcover_geom_idx ON landcover USING gist (geom);
