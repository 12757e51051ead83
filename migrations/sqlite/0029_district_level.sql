-- 0029_district_level: procedures of the district level (cấp huyện), so
-- that the years before the two-level government of 1 July 2025 can be
-- kept and reported as they were (a province's 2024 catalog, Biểu 06's
-- three levels).
--
-- SQLite changes a CHECK by building the table again. Dossiers, fees,
-- components and steps refer to procedure_versions: the check of those
-- references waits for the commit, by when every row is back under the
-- same id.
PRAGMA defer_foreign_keys = ON;
CREATE TABLE procedure_versions_copy AS SELECT * FROM procedure_versions;
DROP TABLE procedure_versions;
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
                             'district', 'commune')),
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
  pay_first                INTEGER NOT NULL DEFAULT 0,
  UNIQUE (procedure_id, version)
);
INSERT INTO procedure_versions SELECT * FROM procedure_versions_copy;
DROP TABLE procedure_versions_copy;
