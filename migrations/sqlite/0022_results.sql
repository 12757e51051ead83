-- 0022_results: electronic results (kết quả điện tử, docs/e-results.md):
-- the file a unit issued at the end of a dossier, signed with the unit's
-- X.509 certificate (CMS, detached), under a code anyone may verify
-- (MaKetQua), and what became of it since (revoked, replaced by another).

-- Where an e-result enters its owner's store when its procedure's result
-- names no document type of the catalog.
INSERT INTO document_types (code, name) VALUES
  ('KQTTHC', 'Kết quả giải quyết thủ tục hành chính');

CREATE TABLE results (
  id            INTEGER PRIMARY KEY,
  code          TEXT NOT NULL UNIQUE,
  dossier_id    INTEGER NOT NULL REFERENCES dossiers (id),
  unit_id       INTEGER NOT NULL REFERENCES units (id),
  number        TEXT,
  file_sha256   TEXT NOT NULL REFERENCES files (sha256),
  -- The DER of the CMS SignedData, base64; the signer's certificate and
  -- chain (PEM) as they were when it signed.
  signature     TEXT NOT NULL,
  certificate   TEXT NOT NULL,
  cert_sha256   TEXT NOT NULL,
  signer        TEXT NOT NULL,
  cert_issuer   TEXT NOT NULL,
  signed_at     TEXT NOT NULL,
  signed_by     INTEGER NOT NULL REFERENCES users (id),
  status        TEXT NOT NULL CHECK (status IN ('valid', 'revoked',
                  'replaced')),
  status_at     TEXT,
  status_by     INTEGER REFERENCES users (id),
  status_reason TEXT,
  replaces_id   INTEGER REFERENCES results (id),
  document_id   INTEGER REFERENCES documents (id)
);
CREATE INDEX results_dossier ON results (dossier_id);
CREATE INDEX results_file ON results (file_sha256);
