-- 0021_reuse: components taken from the data store instead of brought
-- again, and the reason when a stored paper was asked for anyway
-- (docs/data-store.md "Reuse").
ALTER TABLE dossier_components ADD COLUMN source_document_id INTEGER
  REFERENCES documents (id);
ALTER TABLE dossier_components ADD COLUMN asked_again_reason TEXT;
