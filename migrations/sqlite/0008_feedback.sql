-- 0008_feedback: feedback and petitions (PAKN) and their steps.

-- Feedback and petitions (phản ánh, kiến nghị; docs/feedback.md): the
-- register, with the handling unit, the status, the step's due instant
-- and the answer; every step is an event in feedback_events, with
-- whether it kept its deadline (on_time).
CREATE TABLE feedback (
  id            INTEGER PRIMARY KEY,
  code          TEXT NOT NULL UNIQUE,
  province_code TEXT NOT NULL,
  channel       TEXT NOT NULL CHECK (channel IN ('portal', 'letter',
                  'hotline', 'counter', 'web')),
  kind          TEXT NOT NULL CHECK (kind IN ('reflection',
                  'recommendation')),
  subject       TEXT CHECK (subject IN ('regulation', 'procedure',
                  'conduct')),
  title         TEXT NOT NULL,
  content       TEXT NOT NULL,
  sender_name   TEXT NOT NULL,
  sender_phone  TEXT,
  sender_email  TEXT,
  sender_address TEXT,
  citizen_id    INTEGER REFERENCES citizens (id),
  dossier_id    INTEGER REFERENCES dossiers (id),
  external_id   TEXT UNIQUE,
  unit_id       INTEGER NOT NULL REFERENCES units (id),
  status        TEXT NOT NULL,
  received_at   TEXT NOT NULL,
  restarted_at  TEXT,
  answered_at   TEXT,
  closed_at     TEXT,
  due_at        TEXT,
  answer        TEXT,
  reason        TEXT,
  forwarded_to  TEXT,
  reaction      TEXT CHECK (reaction IN ('like', 'dislike')),
  reaction_at   TEXT,
  row_version   INTEGER NOT NULL DEFAULT 1,
  created_by    INTEGER REFERENCES users (id),
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL
);
CREATE INDEX feedback_unit ON feedback (unit_id, status);
CREATE INDEX feedback_received ON feedback (received_at);

CREATE TABLE feedback_events (
  feedback_id INTEGER NOT NULL REFERENCES feedback (id),
  seq         INTEGER NOT NULL,
  at          TEXT NOT NULL,
  actor       TEXT NOT NULL,
  action      TEXT NOT NULL,
  from_status TEXT,
  to_status   TEXT NOT NULL,
  note        TEXT NOT NULL,
  on_time     INTEGER,
  PRIMARY KEY (feedback_id, seq)
);
