-- 0023_expiry_reads: the housekeeping finds documents past their
-- valid_until through an index of the valid ones only; the access log
-- also records staff reads of a person's dossier (action 'dossier'),
-- not only of their stored documents (docs/data-store.md).
-- PostgreSQL twin of migrations/sqlite/0023_expiry_reads.sql.
CREATE INDEX documents_expiry ON documents (valid_until)
  WHERE status = 'valid';

ALTER TABLE access_log DROP CONSTRAINT access_log_action_check;
ALTER TABLE access_log ADD CONSTRAINT access_log_action_check
  CHECK (action IN ('list', 'read', 'dossier'));
