-- 0019_scans: a dossier component's scan, checked against the original
-- and certified by the officer (docs/files.md "Digitization").
ALTER TABLE dossier_components ADD COLUMN file_sha256 TEXT
  REFERENCES files (sha256);
ALTER TABLE dossier_components ADD COLUMN scanned_by INTEGER
  REFERENCES users (id);
ALTER TABLE dossier_components ADD COLUMN scanned_at TEXT;
-- Ed25519, base64: over "motcua-scan-v1", the file's hash, the dossier,
-- the component, the officer and the instant, one a line.
ALTER TABLE dossier_components ADD COLUMN scan_signature TEXT;
-- DuocLayTuKhoDMQG: taken from the data store instead of brought again.
ALTER TABLE dossier_components ADD COLUMN reused INTEGER NOT NULL
  DEFAULT 0;
CREATE INDEX dossier_components_file ON dossier_components (file_sha256);
