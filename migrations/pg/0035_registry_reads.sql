-- 0035_registry_reads: the access log also records staff look-ups of a
-- person in the national population database (action 'registry', with
-- the purpose), as it records reads of their stored documents
-- (docs/registries.md).
ALTER TABLE access_log DROP CONSTRAINT access_log_action_check;
ALTER TABLE access_log ADD CONSTRAINT access_log_action_check
  CHECK (action IN ('list', 'read', 'dossier', 'registry'));
