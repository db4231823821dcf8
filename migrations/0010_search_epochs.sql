-- Search (issue 17): the name search also covers roads (by name) and addresses (building names),
-- so changes to those tables must move the public version the finder's index polls (0005).
INSERT INTO public_epochs (name) VALUES ('roads'), ('buildings') ON CONFLICT (name) DO NOTHING;

CREATE TRIGGER roads_public_epoch AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON roads
  FOR EACH STATEMENT EXECUTE FUNCTION bump_public_epoch('roads');
CREATE TRIGGER buildings_public_epoch AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON buildings
  FOR EACH STATEMENT EXECUTE FUNCTION bump_public_epoch('buildings');
