-- 0004_replica: read-your-own-writes with a read replica (docs/scale-out.md
-- "Read replica"). sessions.wrote_at is the instant of the last write made
-- with the session, set in that write's transaction when a replica is
-- configured; a session that wrote lately reads from the primary until the
-- replica has replayed its write.
-- PostgreSQL twin of migrations/sqlite/0004_replica.sql.
ALTER TABLE sessions ADD COLUMN wrote_at TEXT;
