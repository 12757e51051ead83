-- 0045_idempotency: an intake sent again with the same Idempotency-Key
-- (a counter PC whose connection dropped before the answer came, a phone
-- resending) is answered with the dossier the first one made, never a
-- second dossier (docs/api.md "Idempotency"). Kept as long as the dossier.
CREATE TABLE idempotency_keys (
  actor        TEXT NOT NULL,		-- u:<user id> or c:<personal ID>
  key          TEXT NOT NULL,
  request_hash TEXT NOT NULL,		-- SHA-256 of the request body
  dossier_id   BIGINT REFERENCES dossiers (id),
  created_at   TEXT NOT NULL,
  PRIMARY KEY (actor, key)
);
