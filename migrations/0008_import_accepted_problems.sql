-- Importing existing data as it is (issue 15, ADR 0014): an admin may publish a file's grids
-- with the gaps, overlaps, outside parts and out-of-band households they bring, with a
-- written reason. The changeset of each street keeps what was accepted and why, so the
-- flag stays with the history (the problems themselves stay in the validation report).
ALTER TABLE changesets
  ADD COLUMN accepted_problems jsonb,
  ADD COLUMN accept_reason     text,
  ADD CONSTRAINT changesets_accept_reason_check
    CHECK ((accepted_problems IS NULL) = (accept_reason IS NULL) AND (accept_reason IS NULL OR length(btrim(accept_reason)) > 0));
