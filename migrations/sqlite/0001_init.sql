-- 0001_init: the instance's identity.
--
-- Migrations are forward-only: never edit this file once released; add
-- 0002_… instead (motcua refuses a database whose applied migration
-- changed). Times are UTC, ISO 8601 text.
CREATE TABLE instance (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  schema     TEXT NOT NULL DEFAULT 'motcua'
);
INSERT INTO instance (id) VALUES (1);
