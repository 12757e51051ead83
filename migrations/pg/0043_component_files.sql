-- 0043_component_files: every file a paper came with (docs/files.md): a
-- dossier filed on the national portal may bring several files for one
-- component (its pages); the component's file_sha256 stays the first,
-- as digitization counts it, and all are kept here, in order.
CREATE TABLE dossier_component_files (
  dossier_id     BIGINT NOT NULL REFERENCES dossiers (id),
  component_code TEXT NOT NULL,
  ordinal        INTEGER NOT NULL,
  file_sha256    TEXT NOT NULL REFERENCES files (sha256),
  file_name      TEXT,
  PRIMARY KEY (dossier_id, component_code, ordinal)
);
CREATE INDEX dossier_component_files_file ON dossier_component_files
  (file_sha256);
