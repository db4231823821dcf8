-- Residents' station finder (issue 6): change numbers for what the public index reads and
-- topology_epochs (0002) does not cover. The API keeps its point-in-grid and nearest-station
-- indexes in memory and polls these (plus topology_epochs) every few seconds to know when to
-- rebuild. A table row, not a sequence: it changes only when the writing transaction commits,
-- so a poll never sees a change whose data it cannot read yet.
CREATE TABLE public_epochs (
  name  text PRIMARY KEY,
  epoch bigint NOT NULL DEFAULT 0
);
INSERT INTO public_epochs (name) VALUES ('stations'), ('compounds');

CREATE FUNCTION bump_public_epoch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE public_epochs SET epoch = epoch + 1 WHERE name = TG_ARGV[0];
  RETURN NULL;
END $$;

-- Statement-level: a bulk load bumps once per statement.
CREATE TRIGGER stations_public_epoch AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON stations
  FOR EACH STATEMENT EXECUTE FUNCTION bump_public_epoch('stations');
CREATE TRIGGER compounds_public_epoch AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON compounds
  FOR EACH STATEMENT EXECUTE FUNCTION bump_public_epoch('compounds');
