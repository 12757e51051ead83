-- 0023_expiry_reads: the housekeeping finds documents past their
-- valid_until through an index of the valid ones only; the access log
-- also records staff reads of a person's dossier (action 'dossier'),
-- not only of their stored documents (docs/data-store.md).
CREATE INDEX documents_expiry ON documents (valid_until)
  WHERE status = 'valid';

-- SQLite changes a CHECK by building the table again.
CREATE TABLE access_log_new (
  id          INTEGER PRIMARY KEY,
  owner_id    TEXT NOT NULL,
  at          TEXT NOT NULL,
  actor       TEXT NOT NULL,
  actor_unit  TEXT,
  action      TEXT NOT NULL CHECK (action IN ('list', 'read', 'dossier')),
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
