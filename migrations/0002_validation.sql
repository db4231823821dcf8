-- Validation support (issue 3).
--
-- topology_epochs: a number per community that changes whenever anything its checks read
-- changes (its outline, its grids, their buildings, workers and party assignments). The validation engine
-- keeps each community's result in memory keyed by this number, so re-validating a city
-- re-checks only the communities that changed. Maintained by statement-level triggers with
-- transition tables, so a bulk load costs one upsert per statement, not one per row.
CREATE SEQUENCE topology_epoch_seq;

CREATE TABLE topology_epochs (
  community_code text PRIMARY KEY REFERENCES regions (code) ON DELETE CASCADE,
  epoch          bigint NOT NULL
);

-- TG_ARGV[0] names how a changed row finds its community: 'community_code' or 'code' (the
-- row's own column), 'grid_code' (through grids), 'org_code' (through org_grids and grids).
CREATE FUNCTION bump_topology_epochs() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  next_epoch bigint := nextval('topology_epoch_seq');
  via text := TG_ARGV[0];
  pick text;
BEGIN
  pick := CASE via
    WHEN 'grid_code' THEN 'SELECT g.community_code FROM %s t JOIN grids g ON g.code = t.grid_code'
    WHEN 'org_code' THEN 'SELECT g.community_code FROM %s t JOIN org_grids og ON og.org_code = t.code JOIN grids g ON g.code = og.grid_code'
    ELSE 'SELECT t.' || quote_ident(via) || ' FROM %s t'
  END;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    EXECUTE 'INSERT INTO topology_epochs (community_code, epoch)
               SELECT DISTINCT c.code, $1 FROM (' || format(pick, 'new_rows') || ') x (code) JOIN regions c ON c.code = x.code
             ON CONFLICT (community_code) DO UPDATE SET epoch = EXCLUDED.epoch' USING next_epoch;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    EXECUTE 'INSERT INTO topology_epochs (community_code, epoch)
               SELECT DISTINCT c.code, $1 FROM (' || format(pick, 'old_rows') || ') x (code) JOIN regions c ON c.code = x.code
             ON CONFLICT (community_code) DO UPDATE SET epoch = EXCLUDED.epoch' USING next_epoch;
  END IF;
  RETURN NULL;
END $$;

-- Grids, buildings, grid workers and party assignments: what the checks read per community.
CREATE TRIGGER grids_epoch_ins AFTER INSERT ON grids REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_topology_epochs('community_code');
CREATE TRIGGER grids_epoch_upd AFTER UPDATE ON grids REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_topology_epochs('community_code');
CREATE TRIGGER grids_epoch_del AFTER DELETE ON grids REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_topology_epochs('community_code');

CREATE TRIGGER buildings_epoch_ins AFTER INSERT ON buildings REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_topology_epochs('community_code');
CREATE TRIGGER buildings_epoch_upd AFTER UPDATE ON buildings REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_topology_epochs('community_code');
CREATE TRIGGER buildings_epoch_del AFTER DELETE ON buildings REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_topology_epochs('community_code');

CREATE TRIGGER grid_workers_epoch_ins AFTER INSERT ON grid_workers REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_topology_epochs('grid_code');
CREATE TRIGGER grid_workers_epoch_upd AFTER UPDATE ON grid_workers REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_topology_epochs('grid_code');
CREATE TRIGGER grid_workers_epoch_del AFTER DELETE ON grid_workers REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_topology_epochs('grid_code');

CREATE TRIGGER org_grids_epoch_ins AFTER INSERT ON org_grids REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_topology_epochs('grid_code');
CREATE TRIGGER org_grids_epoch_upd AFTER UPDATE ON org_grids REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_topology_epochs('grid_code');
CREATE TRIGGER org_grids_epoch_del AFTER DELETE ON org_grids REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_topology_epochs('grid_code');
-- An organisation changing kind (a group made a branch) changes its grids' party check.
CREATE TRIGGER party_orgs_epoch_upd AFTER UPDATE ON party_orgs REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_topology_epochs('org_code');

-- A community's own outline (regions rows of any level: only community codes are read).
CREATE TRIGGER regions_epoch_ins AFTER INSERT ON regions REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_topology_epochs('code');
CREATE TRIGGER regions_epoch_upd AFTER UPDATE ON regions REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION bump_topology_epochs('code');

-- The last check of each community, keyed by the epoch it was computed at: an API process
-- that starts (or a second process beside it) reads these instead of recomputing what has
-- not changed. A cache, never the truth: rows whose epoch, household bounds or result format
-- differ from the current ones are ignored and overwritten.
CREATE TABLE community_checks (
  community_code text PRIMARY KEY REFERENCES regions (code) ON DELETE CASCADE,
  epoch          bigint NOT NULL,
  bounds_key     text NOT NULL,
  format         integer NOT NULL,
  result         jsonb NOT NULL,
  checked_at     timestamptz NOT NULL DEFAULT now()
);

-- Grids are looked up by the gap they border and the buildings by the gap they fall in;
-- both use the GiST indexes of 0001. Household bounds per district live in settings under
-- 'household_bounds': {"default": {"min": 300, "max": 500}, "<district code>": {...}}.
INSERT INTO settings (key, value) VALUES ('household_bounds', '{"default": {"min": 300, "max": 500}}')
ON CONFLICT (key) DO NOTHING;
