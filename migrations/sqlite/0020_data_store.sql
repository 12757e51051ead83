-- 0020_data_store: the personal data store (kho dữ liệu của tổ chức, cá
-- nhân) and the log of who read it (docs/data-store.md).

-- The kinds of document a store holds; a procedure's component names one
-- (procedure_components.document_type) so that it can be reused.
CREATE TABLE document_types (
  code  TEXT PRIMARY KEY,
  name  TEXT NOT NULL
);
INSERT INTO document_types (code, name) VALUES
  ('CCCD', 'Thẻ căn cước công dân'),
  ('GKS', 'Giấy khai sinh'),
  ('GCNKH', 'Giấy chứng nhận kết hôn'),
  ('XNTTHN', 'Giấy xác nhận tình trạng hôn nhân'),
  ('GCNQSDD', 'Giấy chứng nhận quyền sử dụng đất'),
  ('GPLX', 'Giấy phép lái xe'),
  ('BTN', 'Bằng tốt nghiệp'),
  ('GCNDKDN', 'Giấy chứng nhận đăng ký doanh nghiệp');

-- A person's (personal ID) or organization's (tax code) documents.
CREATE TABLE documents (
  id                INTEGER PRIMARY KEY,
  owner_id          TEXT NOT NULL,
  type_code         TEXT NOT NULL REFERENCES document_types (code),
  number            TEXT,
  issuer            TEXT,
  issued_on         TEXT,
  valid_until       TEXT,
  status            TEXT NOT NULL CHECK (status IN ('valid', 'revoked',
                      'replaced', 'expired')),
  source            TEXT NOT NULL CHECK (source IN ('scan', 'result',
                      'owner', 'registry')),
  source_dossier_id INTEGER REFERENCES dossiers (id),
  file_sha256       TEXT NOT NULL REFERENCES files (sha256),
  verified          INTEGER NOT NULL,
  certified_by      INTEGER REFERENCES users (id),
  signature         TEXT,
  created_at        TEXT NOT NULL,
  updated_at        TEXT NOT NULL
);
CREATE INDEX documents_owner ON documents (owner_id, type_code);
CREATE INDEX documents_file ON documents (file_sha256);

-- Every read of someone's documents by another: who, from which unit,
-- when, what, for which dossier. Written, never changed.
CREATE TABLE access_log (
  id          INTEGER PRIMARY KEY,
  owner_id    TEXT NOT NULL,
  at          TEXT NOT NULL,
  actor       TEXT NOT NULL,
  actor_unit  TEXT,
  action      TEXT NOT NULL CHECK (action IN ('list', 'read')),
  document_id INTEGER REFERENCES documents (id),
  purpose     TEXT NOT NULL
);
CREATE INDEX access_log_owner ON access_log (owner_id, at);
