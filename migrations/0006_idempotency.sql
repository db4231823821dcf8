-- Idempotency keys (issue 8): a write sent with an Idempotency-Key header takes effect once.
-- The row is inserted inside the write's own transaction, so a request killed before COMMIT
-- leaves no key and its retry runs; the first answer is stored so a retry gets it again.
-- Keys belong to a user and expire after 24 hours.
CREATE TABLE idempotency_keys (
  user_id         integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  key             text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
  -- sha256 of method, path and body: the same key with another request is refused (422).
  fingerprint     text NOT NULL,
  method          text NOT NULL,
  path            text NOT NULL,
  -- The first answer (NULL until it is sent).
  response_status integer,
  response_body   jsonb,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);
