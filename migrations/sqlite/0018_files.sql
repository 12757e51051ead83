-- 0018_files: files stored by content, and resumable uploads (tus 1.0)
-- (docs/files.md).

-- A file is its content: named by its SHA-256 under files_dir, stored once
-- however often it is uploaded. Its type is what its bytes say.
CREATE TABLE files (
  sha256      TEXT PRIMARY KEY,
  size        BIGINT NOT NULL CHECK (size >= 0),
  media_type  TEXT NOT NULL CHECK (media_type IN ('application/pdf',
                'image/jpeg', 'image/png')),
  created_at  TEXT NOT NULL
);

-- An upload on its way in: its owner (u:<user id> or c:<personal ID>), its
-- length, how much has arrived, and the file it became. The file name is
-- the sender's, kept as metadata only.
CREATE TABLE uploads (
  id          TEXT PRIMARY KEY,
  owner       TEXT NOT NULL,
  length      BIGINT NOT NULL CHECK (length > 0),
  received    BIGINT NOT NULL DEFAULT 0 CHECK (received >= 0),
  filename    TEXT,
  media_type  TEXT,
  sha256      TEXT REFERENCES files (sha256),
  status      TEXT NOT NULL CHECK (status IN ('receiving', 'complete')),
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  expires_at  TEXT NOT NULL
);
CREATE INDEX uploads_owner_file ON uploads (owner, sha256);
