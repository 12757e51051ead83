-- 0001_init: the instance's identity (PostgreSQL twin of
-- migrations/sqlite/0001_init.sql; a test keeps the two lists in step).
--
-- Migrations are forward-only: never edit this file once released; add
-- 0002_… instead. Times are UTC, ISO 8601 text.
CREATE TABLE instance (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  created_at TEXT NOT NULL DEFAULT (to_char(now() AT TIME ZONE 'UTC',
               'YYYY-MM-DD"T"HH24:MI:SS"Z"')),
  schema     TEXT NOT NULL DEFAULT 'motcua'
);
INSERT INTO instance (id) VALUES (1);
