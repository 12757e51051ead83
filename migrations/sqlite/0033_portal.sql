-- 0033_portal: the national portal's side of each dossier
-- (docs/national-portal.md). Every event of a dossier is queued here in
-- the transaction that makes it, as the portal will be told it; a sender
-- hands them over in order, one dossier at a time, until each is taken.
CREATE TABLE portal_outbox (
  id              INTEGER PRIMARY KEY,
  dossier_id      INTEGER NOT NULL REFERENCES dossiers (id),
  seq             INTEGER NOT NULL,     -- the dossier's version after it
  event           TEXT NOT NULL,        -- intake, accept, forward, …
  portal_status   INTEGER NOT NULL CHECK (portal_status BETWEEN 1 AND 10),
  body            TEXT NOT NULL,        -- {"HoSo": …, "TienDo": […]}
  idempotency_key TEXT NOT NULL UNIQUE, -- <code>/<seq>
  status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN
                    ('pending', 'sending', 'synced', 'rejected')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,
  locked_until    TEXT,
  cause           TEXT,                 -- of the last failure
  last_error      TEXT,
  created_at      TEXT NOT NULL,
  synced_at       TEXT
);
CREATE INDEX portal_outbox_due ON portal_outbox (status, next_attempt_at);
CREATE INDEX portal_outbox_dossier ON portal_outbox (dossier_id, id);

-- What the portal holds of a dossier: the status it last took, and when
-- the reconciliation last compared it.
CREATE TABLE portal_dossiers (
  dossier_id      INTEGER PRIMARY KEY REFERENCES dossiers (id),
  portal_code     TEXT NOT NULL UNIQUE, -- MaHoSo there
  synced_status   INTEGER,
  first_synced_at TEXT,
  synced_at       TEXT,
  checked_at      TEXT,
  drift           TEXT                  -- what the last check found
);

-- Dossiers filed on the portal, as it handed them over: kept before
-- anything else is done with them, so that none is lost and none is
-- taken in twice; 'failed' ones wait for the catalog or the data to be
-- put right.
CREATE TABLE portal_inbound (
  portal_code     TEXT PRIMARY KEY,     -- MaHoSo there
  body            TEXT NOT NULL,        -- the dossier as received
  status          TEXT NOT NULL CHECK (status IN ('taken', 'failed')),
  error           TEXT,
  dossier_id      INTEGER REFERENCES dossiers (id),
  received_at     TEXT NOT NULL,
  updated_at      TEXT NOT NULL
);

-- Where the taking in stopped (the last NgayNopHoSo seen).
CREATE TABLE portal_state (
  name            TEXT PRIMARY KEY,
  value           TEXT NOT NULL
);
