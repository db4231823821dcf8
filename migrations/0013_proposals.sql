-- Grid proposals (智能划格, issue 19, ADR 0020). A proposal is computed for a community or a
-- street of an open draft and kept here, whole, so that 采用 (apply) writes exactly what the
-- user reviewed into the draft as one changeset (operation 'propose', undone like any edit).
-- `base_changeset` is the draft's last changeset when the proposal was computed: applying
-- after the draft moved on is refused (the proposal was made from other grids).
CREATE TABLE proposals (
  id             integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  draft_id       integer NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
  street_code    text NOT NULL REFERENCES regions (code),
  scope_code     text NOT NULL REFERENCES regions (code),
  mode           text NOT NULL CHECK (mode IN ('fresh', 'rebalance')),
  seed           integer NOT NULL,
  base_changeset integer,
  -- The answer as served (common/contracts/proposals.ts Proposal, without id/draft/applied).
  answer         jsonb NOT NULL,
  created_by     integer NOT NULL REFERENCES users (id),
  created_at     timestamptz NOT NULL DEFAULT now(),
  applied_changeset integer REFERENCES changesets (id) ON DELETE SET NULL
);
CREATE INDEX proposals_draft_idx ON proposals (draft_id);

ALTER TABLE changesets DROP CONSTRAINT IF EXISTS changesets_operation_check;
ALTER TABLE changesets ADD CONSTRAINT changesets_operation_check
  CHECK (operation IN ('create', 'reshape', 'boundary', 'attributes', 'split', 'merge', 'retire', 'publish', 'undo', 'redo', 'repair', 'propose'));
