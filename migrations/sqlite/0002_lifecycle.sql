-- 0002_lifecycle: units, staff, the procedure catalog and dossiers with
-- their hash-chained events (docs/lifecycle.md).
--
-- Conventions: instants are UTC text 'YYYY-MM-DDTHH:MM:SSZ' (they sort as
-- text), dates 'YYYY-MM-DD'; money is integer VND; names have a folded
-- twin (lower case, no diacritics) for search. Large tables carry the
-- province code, the key they can be distributed by.

-- The effective-dated tree of units. 'path' lists the ids from the root
-- ('/1/5/23/'), so "is X inside Y" is a prefix test. History is never
-- rewritten: an abolished unit gets valid_to and a successor.
CREATE TABLE units (
  id           INTEGER PRIMARY KEY,
  code         TEXT NOT NULL UNIQUE,
  admin_code   TEXT,
  name         TEXT NOT NULL,
  name_folded  TEXT NOT NULL,
  short_name   TEXT,
  level        TEXT NOT NULL CHECK (level IN ('province', 'department',
                 'center', 'branch', 'commune', 'district')),
  parent_id    INTEGER REFERENCES units (id),
  path         TEXT NOT NULL,
  valid_from   TEXT NOT NULL,
  valid_to     TEXT,
  successor_id INTEGER REFERENCES units (id),
  created_at   TEXT NOT NULL
);
CREATE INDEX units_parent ON units (parent_id);

CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  username      TEXT NOT NULL UNIQUE,
  full_name     TEXT NOT NULL,
  role          TEXT NOT NULL CHECK (role IN ('admin', 'control_officer',
                  'counter_officer', 'specialist', 'leader')),
  unit_id       INTEGER NOT NULL REFERENCES units (id),
  password_hash TEXT NOT NULL,
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until  TEXT,
  active        INTEGER NOT NULL DEFAULT 1,
  created_at    TEXT NOT NULL
);
CREATE INDEX users_unit ON users (unit_id);

-- Login tokens are stored as their SHA-256 only.
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users (id),
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  revoked_at TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);

-- A procedure (thủ tục hành chính) and its versions: drafts, then
-- published versions each in force from valid_from until valid_to.
CREATE TABLE procedures (
  id         INTEGER PRIMARY KEY,
  code       TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL
);

CREATE TABLE procedure_versions (
  id                       INTEGER PRIMARY KEY,
  procedure_id             INTEGER NOT NULL REFERENCES procedures (id),
  version                  INTEGER NOT NULL,
  state                    TEXT NOT NULL CHECK (state IN ('draft',
                             'published')),
  name                     TEXT NOT NULL,
  name_folded              TEXT NOT NULL,
  field                    TEXT NOT NULL,
  level                    TEXT NOT NULL CHECK (level IN ('province',
                             'commune')),
  unit_id                  INTEGER NOT NULL REFERENCES units (id),
  time_amount              INTEGER NOT NULL,
  time_unit                TEXT NOT NULL,
  target_amount            INTEGER,
  target_unit              TEXT,
  online_reduction_percent INTEGER NOT NULL DEFAULT 0,
  online_level             TEXT NOT NULL CHECK (online_level IN ('none',
                             'partial', 'full')),
  on_the_spot              INTEGER NOT NULL DEFAULT 0,
  result_type              TEXT NOT NULL,
  result_paper             INTEGER NOT NULL,
  result_electronic        INTEGER NOT NULL,
  decision_number          TEXT,
  decision_date            TEXT,
  valid_from               TEXT,
  valid_to                 TEXT,
  created_at               TEXT NOT NULL,
  created_by               INTEGER REFERENCES users (id),
  published_at             TEXT,
  published_by             INTEGER REFERENCES users (id),
  UNIQUE (procedure_id, version)
);

CREATE TABLE procedure_fees (
  version_id              INTEGER NOT NULL REFERENCES procedure_versions (id),
  ordinal                 INTEGER NOT NULL,
  name                    TEXT NOT NULL,
  kind                    TEXT NOT NULL CHECK (kind IN ('fee', 'charge')),
  amount                  INTEGER NOT NULL CHECK (amount >= 0),
  online_discount_percent INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (version_id, ordinal)
);

CREATE TABLE procedure_components (
  version_id    INTEGER NOT NULL REFERENCES procedure_versions (id),
  ordinal       INTEGER NOT NULL,
  code          TEXT NOT NULL,
  name          TEXT NOT NULL,
  document_type TEXT NOT NULL,
  form          TEXT NOT NULL CHECK (form IN ('original', 'copy',
                  'certified_copy', 'electronic')),
  quantity      INTEGER NOT NULL,
  required      INTEGER NOT NULL,
  PRIMARY KEY (version_id, ordinal),
  UNIQUE (version_id, code)
);

CREATE TABLE procedure_steps (
  version_id    INTEGER NOT NULL REFERENCES procedure_versions (id),
  ordinal       INTEGER NOT NULL,
  name          TEXT NOT NULL,
  role          TEXT NOT NULL,
  unit_id       INTEGER REFERENCES units (id),
  share_percent INTEGER NOT NULL,
  PRIMARY KEY (version_id, ordinal)
);

-- The per-agency daily sequence behind dossier codes.
CREATE TABLE dossier_sequences (
  agency_code TEXT NOT NULL,
  day         TEXT NOT NULL,
  last        INTEGER NOT NULL,
  PRIMARY KEY (agency_code, day)
);

CREATE TABLE dossiers (
  id                      INTEGER PRIMARY KEY,
  code                    TEXT NOT NULL UNIQUE,
  province_code           TEXT NOT NULL,
  version_id              INTEGER NOT NULL REFERENCES procedure_versions (id),
  unit_id                 INTEGER NOT NULL REFERENCES units (id),
  current_unit_id         INTEGER NOT NULL REFERENCES units (id),
  assignee_id             INTEGER REFERENCES users (id),
  status                  TEXT NOT NULL,
  channel                 TEXT NOT NULL CHECK (channel IN ('direct',
                            'online', 'postal')),
  return_channel          TEXT NOT NULL,
  applicant_kind          TEXT NOT NULL CHECK (applicant_kind IN ('person',
                            'organization')),
  applicant_id_number     TEXT NOT NULL,
  applicant_name          TEXT NOT NULL,
  applicant_name_folded   TEXT NOT NULL,
  applicant_phone         TEXT,
  applicant_email         TEXT,
  applicant_address       TEXT,
  rules                   TEXT NOT NULL,
  time_amount             INTEGER NOT NULL,
  time_unit               TEXT NOT NULL,
  submitted_at            TEXT NOT NULL,
  received_at             TEXT,
  period_started_at       TEXT,
  due_at                  TEXT,
  original_due_at         TEXT,
  finished_at             TEXT,
  timeliness              TEXT,
  returned_at             TEXT,
  current_step            INTEGER NOT NULL DEFAULT 0,
  supplements             INTEGER NOT NULL DEFAULT 0,
  apologies               INTEGER NOT NULL DEFAULT 0,
  supplement_requested_at TEXT,
  supplement_from         TEXT,
  result_number           TEXT,
  result_summary          TEXT,
  reason                  TEXT,
  row_version             INTEGER NOT NULL DEFAULT 1,
  created_by              INTEGER REFERENCES users (id),
  created_at              TEXT NOT NULL,
  updated_at              TEXT NOT NULL
);
CREATE INDEX dossiers_current ON dossiers (current_unit_id, status, due_at);
CREATE INDEX dossiers_received ON dossiers (received_at);
CREATE INDEX dossiers_applicant ON dossiers (applicant_id_number);
CREATE INDEX dossiers_version ON dossiers (version_id);

-- Every unit that received or handled a dossier: who may see it, found
-- through an index rather than by reading every dossier.
CREATE TABLE dossier_units (
  unit_id    INTEGER NOT NULL REFERENCES units (id),
  dossier_id INTEGER NOT NULL REFERENCES dossiers (id),
  PRIMARY KEY (unit_id, dossier_id)
) WITHOUT ROWID;

CREATE TABLE dossier_components (
  dossier_id INTEGER NOT NULL REFERENCES dossiers (id),
  ordinal    INTEGER NOT NULL,
  code       TEXT NOT NULL,
  name       TEXT NOT NULL,
  form       TEXT NOT NULL,
  quantity   INTEGER NOT NULL,
  required   INTEGER NOT NULL,
  provided   INTEGER NOT NULL,
  PRIMARY KEY (dossier_id, ordinal)
);

-- Each hand-over of a dossier (Phiếu kiểm soát quá trình): the step of the
-- workflow, the unit and person handling it, when it started, its due
-- instant and when it ended.
CREATE TABLE dossier_steps (
  dossier_id  INTEGER NOT NULL REFERENCES dossiers (id),
  ordinal     INTEGER NOT NULL,
  plan_step   INTEGER NOT NULL,
  name        TEXT NOT NULL,
  unit_id     INTEGER NOT NULL REFERENCES units (id),
  assignee_id INTEGER REFERENCES users (id),
  started_at  TEXT NOT NULL,
  due_at      TEXT,
  finished_at TEXT,
  PRIMARY KEY (dossier_id, ordinal)
);
CREATE INDEX dossier_steps_unit ON dossier_steps (unit_id);

-- Intervals the clock stood still (waiting for a supplement).
CREATE TABLE dossier_pauses (
  dossier_id INTEGER NOT NULL REFERENCES dossiers (id),
  ordinal    INTEGER NOT NULL,
  from_at    TEXT NOT NULL,
  to_at      TEXT NOT NULL,
  reason     TEXT NOT NULL,
  PRIMARY KEY (dossier_id, ordinal)
);

-- The append-only event log, a SHA-256 chain per dossier.
CREATE TABLE dossier_events (
  dossier_id  INTEGER NOT NULL REFERENCES dossiers (id),
  seq         INTEGER NOT NULL,
  at          TEXT NOT NULL,
  actor_id    INTEGER REFERENCES users (id),
  actor       TEXT NOT NULL,
  action      TEXT NOT NULL,
  from_status TEXT,
  to_status   TEXT NOT NULL,
  note        TEXT NOT NULL,
  detail      TEXT NOT NULL,
  prev_hash   TEXT NOT NULL,
  hash        TEXT NOT NULL,
  PRIMARY KEY (dossier_id, seq)
);

CREATE TRIGGER dossier_events_no_update BEFORE UPDATE ON dossier_events
BEGIN
  SELECT RAISE(ABORT, 'dossier_events is append-only');
END;
CREATE TRIGGER dossier_events_no_delete BEFORE DELETE ON dossier_events
BEGIN
  SELECT RAISE(ABORT, 'dossier_events is append-only');
END;
