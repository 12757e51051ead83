-- 0035_registry_reads: the access log also records staff look-ups of a
-- person in the national population database (action 'registry', with
-- the purpose), as it records reads of their stored documents
-- (docs/registries.md).
CREATE TABLE access_log_new (
  id          INTEGER PRIMARY KEY,
  owner_id    TEXT NOT NULL,
  at          TEXT NOT NULL,
  actor       TEXT NOT NULL,
  actor_unit  TEXT,
  action      TEXT NOT NULL CHECK (action IN ('list', 'read', 'dossier',
                'registry')),
  document_id INTEGER REFERENCES documents (id),
  purpose     TEXT NOT NULL
);
INSERT INTO access_log_new (id, owner_id, at, actor, actor_unit, action,
  document_id, purpose)
  SELECT id, owner_id, at, actor, actor_unit, action, document_id, purpose
  FROM access_log;
DROP TABLE access_log;
ALTER TABLE access_log_new RENAME TO access_log;
CREATE INDEX access_log_owner ON access_log (owner_id, at);
