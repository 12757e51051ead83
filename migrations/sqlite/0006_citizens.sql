-- 0006_citizens: citizens, their one-time sign-in codes and sessions.

-- People and organizations who file dossiers, as known from their
-- dossiers: the contact of their latest dossier is the contact on record
-- a one-time sign-in code is sent to (docs/citizens.md).
CREATE TABLE citizens (
  id            INTEGER PRIMARY KEY,
  kind          TEXT NOT NULL CHECK (kind IN ('person', 'organization')),
  id_number     TEXT NOT NULL UNIQUE,
  name          TEXT NOT NULL,
  phone         TEXT,
  email         TEXT,
  province_code TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL
);

-- One-time sign-in codes, stored as a keyed hash only; single use.
CREATE TABLE citizen_otps (
  id         INTEGER PRIMARY KEY,
  citizen_id INTEGER NOT NULL REFERENCES citizens (id),
  channel    TEXT NOT NULL CHECK (channel IN ('sms', 'email')),
  salt       TEXT NOT NULL,
  code_hash  TEXT NOT NULL,
  peer       TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  attempts   INTEGER NOT NULL DEFAULT 0,
  used_at    TEXT
);
CREATE INDEX citizen_otps_citizen ON citizen_otps (citizen_id, created_at);

-- Citizens' sign-in tokens, stored as their SHA-256 only.
CREATE TABLE citizen_sessions (
  token_hash TEXT PRIMARY KEY,
  citizen_id INTEGER NOT NULL REFERENCES citizens (id),
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  revoked_at TEXT
);
CREATE INDEX citizen_sessions_citizen ON citizen_sessions (citizen_id);
