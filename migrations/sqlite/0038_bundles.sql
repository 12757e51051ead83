-- 0038_bundles: linked-procedure bundles (thủ tục liên thông, Nghị định
-- 63/2024/NĐ-CP; docs/bundles.md): one application for several
-- procedures at several agencies, each a dossier of its own, and the
-- application that follows them.

-- A bundle as the province defines it: its member procedures, by stage
-- (a stage starts when every member of the one before has its result).
CREATE TABLE bundles (
  id          INTEGER PRIMARY KEY,
  code        TEXT NOT NULL UNIQUE,
  name        TEXT NOT NULL,
  legal_basis TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);
CREATE TABLE bundle_members (
  bundle_id      INTEGER NOT NULL REFERENCES bundles (id),
  ordinal        INTEGER NOT NULL,
  procedure_code TEXT NOT NULL,
  stage          INTEGER NOT NULL CHECK (stage BETWEEN 1 AND 8),
  PRIMARY KEY (bundle_id, ordinal)
);

-- An application for a bundle (hồ sơ liên thông): its status, stage,
-- deadline and timeliness follow its children; what was handed in, and
-- the bundle's members as they were then, are kept for the stages still
-- to come. 'blocked': the next stage cannot be taken in (note says why).
CREATE TABLE bundle_dossiers (
  id            INTEGER PRIMARY KEY,
  code          TEXT NOT NULL UNIQUE,
  bundle_id     INTEGER NOT NULL REFERENCES bundles (id),
  unit_id       INTEGER NOT NULL REFERENCES units (id),
  status        TEXT NOT NULL CHECK (status IN ('processing', 'blocked',
                  'completed', 'returned', 'ended')),
  stage         INTEGER NOT NULL,
  applicant_id_number TEXT NOT NULL,
  applicant_name      TEXT NOT NULL,
  application   TEXT NOT NULL,
  members       TEXT NOT NULL,
  note          TEXT,
  received_at   TEXT NOT NULL,
  due_at        TEXT,
  finished_at   TEXT,
  timeliness    TEXT,
  created_by    INTEGER REFERENCES users (id),
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL
);
CREATE INDEX bundle_dossiers_applicant ON bundle_dossiers
  (applicant_id_number);

-- A dossier that is a child of an application, and its stage.
ALTER TABLE dossiers ADD COLUMN bundle_dossier_id INTEGER
  REFERENCES bundle_dossiers (id);
ALTER TABLE dossiers ADD COLUMN bundle_stage INTEGER;
CREATE INDEX dossiers_bundle ON dossiers (bundle_dossier_id)
  WHERE bundle_dossier_id IS NOT NULL;
