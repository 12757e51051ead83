-- 0025_report_snapshots: a report of a period, closed (chốt số liệu):
-- the table as it stood when closed, with the SHA-256 of its canonical
-- JSON, never changed afterwards (docs/reports.md "Closing a period").
CREATE TABLE report_snapshots (
  id         INTEGER PRIMARY KEY,
  kind       TEXT NOT NULL CHECK (kind IN ('bieu06')),
  unit_id    INTEGER NOT NULL REFERENCES units (id),
  first_day  TEXT NOT NULL,
  last_day   TEXT NOT NULL,
  body       TEXT NOT NULL,
  sha256     TEXT NOT NULL,
  closed_at  TEXT NOT NULL,
  closed_by  INTEGER NOT NULL REFERENCES users (id),
  UNIQUE (kind, unit_id, first_day, last_day)
);
