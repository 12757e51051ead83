-- 0044_queue: the centre's floor (docs/queue.md): the service groups a
-- kiosk offers, the counters that serve them, and the numbered tickets —
-- when each was taken, called to which counter by whom, finished or
-- missed, with the visit's rating — from which waiting and serving times
-- and ratings by counter are counted.

-- A service group of a centre (nhóm dịch vụ): its code is the tickets'
-- letter ("A" → A001).
CREATE TABLE queue_services (
  unit_id  INTEGER NOT NULL REFERENCES units (id),
  code     TEXT NOT NULL,
  name     TEXT NOT NULL,
  ordinal  INTEGER NOT NULL,
  PRIMARY KEY (unit_id, code)
);

-- A counter (quầy) and the groups it serves ("A,B").
CREATE TABLE queue_counters (
  unit_id  INTEGER NOT NULL REFERENCES units (id),
  number   INTEGER NOT NULL CHECK (number BETWEEN 1 AND 99),
  name     TEXT NOT NULL,
  services TEXT NOT NULL,
  PRIMARY KEY (unit_id, number)
);

-- The last ticket number of a group on a (local) day.
CREATE TABLE queue_sequences (
  unit_id  INTEGER NOT NULL,
  day      INTEGER NOT NULL,
  service  TEXT NOT NULL,
  last     INTEGER NOT NULL,
  PRIMARY KEY (unit_id, day, service)
);

CREATE TABLE queue_tickets (
  id          INTEGER PRIMARY KEY,
  unit_id     INTEGER NOT NULL REFERENCES units (id),
  day         INTEGER NOT NULL,
  service     TEXT NOT NULL,
  seq         INTEGER NOT NULL,
  number      TEXT NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('waiting', 'called', 'done',
                'missed')),
  issued_at   TEXT NOT NULL,
  called_at   TEXT,
  counter     INTEGER,
  officer_id  INTEGER REFERENCES users (id),
  finished_at TEXT,
  dossier_id  INTEGER REFERENCES dossiers (id),
  rating      TEXT CHECK (rating IN ('very_satisfied', 'satisfied',
                'not_satisfied')),
  rated_at    TEXT,
  UNIQUE (unit_id, day, service, seq)
);
-- The next to call, and the board: a centre's day by status.
CREATE INDEX queue_tickets_day ON queue_tickets (unit_id, day, status, id);
