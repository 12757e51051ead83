-- 0007_ratings: satisfaction ratings and their follow-ups.

-- Satisfaction ratings (docs/ratings.md): one per dossier, given by its
-- applicant signed in, or at the counter's kiosk, after the result was
-- returned; changeable until changeable_until. A "not satisfied" rating
-- opens a follow-up for a leader of the receiving unit, due after
-- rating_followup_days working days.
CREATE TABLE ratings (
  id               INTEGER PRIMARY KEY,
  province_code    TEXT NOT NULL,
  dossier_id       INTEGER NOT NULL UNIQUE REFERENCES dossiers (id),
  level            TEXT NOT NULL CHECK (level IN ('very_satisfied',
                     'satisfied', 'not_satisfied')),
  criteria         TEXT NOT NULL,
  comment          TEXT NOT NULL,
  source           TEXT NOT NULL CHECK (source IN ('citizen', 'kiosk')),
  citizen_id       INTEGER REFERENCES citizens (id),
  user_id          INTEGER REFERENCES users (id),
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL,
  changeable_until TEXT NOT NULL,
  followup_due_at  TEXT,
  followup_done_at TEXT,
  followup_by      INTEGER REFERENCES users (id),
  followup_note    TEXT
);
CREATE INDEX ratings_created ON ratings (created_at);
CREATE INDEX ratings_followup ON ratings (followup_due_at)
  WHERE followup_due_at IS NOT NULL AND followup_done_at IS NULL;
