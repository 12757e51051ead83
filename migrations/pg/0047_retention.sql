-- phase: expand
-- 0047_retention: how long a dossier's records are kept once it is
-- finished (docs/personal-data.md "Retention and purge"), by its
-- procedure's result: retention_years on the version (NULL: for good, the
-- default until the province sets it, per Circular 10/2022/TT-BNV's table
-- of retention periods). Once the period has passed, 'motcua purge' hands
-- the dossier's record over to the archive and removes its personal data;
-- purged_at says when, and each purge is one row of purges (who, when,
-- which archive), as well as an event in the dossier's chain.
ALTER TABLE procedure_versions ADD COLUMN retention_years INTEGER
  CHECK (retention_years IS NULL OR retention_years BETWEEN 1 AND 100);
ALTER TABLE dossiers ADD COLUMN purged_at TEXT;
CREATE TABLE purges (
  dossier_id      BIGINT NOT NULL PRIMARY KEY REFERENCES dossiers (id),
  dossier_code    TEXT NOT NULL,
  procedure_code  TEXT NOT NULL,
  finished_at     TEXT NOT NULL,
  retention_years INTEGER NOT NULL,
  archive         TEXT NOT NULL,
  files_removed   INTEGER NOT NULL,
  purged_by       TEXT NOT NULL,
  purged_at       TEXT NOT NULL
);
