-- 0040_zalo: Zalo Official Account messages (ZNS template messages by
-- phone number) as a fourth channel of the outbox, with the SMS text to
-- send instead when Zalo cannot deliver (docs/notifications.md "Zalo").
-- SQLite cannot change a CHECK constraint in place, so the messages table
-- is made again, as 0010 did.

-- A ZNS template as Zalo approved it for the Official Account: its id
-- there, and what each of its parameters is filled with (a JSON object
-- of parameter name to text with placeholders, "{code}").
CREATE TABLE zalo_templates (
  id          INTEGER PRIMARY KEY,
  event       TEXT NOT NULL,
  version     INTEGER NOT NULL,
  template_id TEXT NOT NULL,
  params      TEXT NOT NULL,
  active      INTEGER NOT NULL DEFAULT 1,
  created_at  TEXT NOT NULL,
  UNIQUE (event, version)
);

CREATE TABLE messages_new (
  id              INTEGER PRIMARY KEY,
  province_code   TEXT NOT NULL,
  dossier_id      INTEGER REFERENCES dossiers (id),
  event           TEXT NOT NULL,
  channel         TEXT NOT NULL CHECK (channel IN ('sms', 'email',
                    'webhook', 'zalo')),
  recipient       TEXT NOT NULL,
  template_id     INTEGER REFERENCES message_templates (id),
  template_version INTEGER,
  subject         TEXT,
  body            TEXT NOT NULL,
  priority        INTEGER NOT NULL CHECK (priority IN (0, 1, 2)),
  status          TEXT NOT NULL CHECK (status IN ('created', 'sending',
                    'sent', 'delivered', 'temporary_failure',
                    'permanent_failure', 'technical_failure')),
  idempotency_key TEXT NOT NULL UNIQUE,
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,
  locked_until    TEXT,
  expires_at      TEXT NOT NULL,
  provider_id     TEXT,
  last_error      TEXT,
  created_at      TEXT NOT NULL,
  sent_at         TEXT,
  done_at         TEXT,
  updated_at      TEXT NOT NULL,
  webhook_id      INTEGER REFERENCES webhooks (id),
  handed_at       TEXT,
  fallback_body   TEXT
);
INSERT INTO messages_new (id, province_code, dossier_id, event, channel,
  recipient, template_id, template_version, subject, body, priority, status,
  idempotency_key, attempts, next_attempt_at, locked_until, expires_at,
  provider_id, last_error, created_at, sent_at, done_at, updated_at,
  webhook_id, handed_at)
SELECT id, province_code, dossier_id, event, channel, recipient,
  template_id, template_version, subject, body, priority, status,
  idempotency_key, attempts, next_attempt_at, locked_until, expires_at,
  provider_id, last_error, created_at, sent_at, done_at, updated_at,
  webhook_id, handed_at
FROM messages;
DROP TABLE messages;
ALTER TABLE messages_new RENAME TO messages;
CREATE INDEX messages_due ON messages (priority, next_attempt_at)
  WHERE status IN ('created', 'sending');
CREATE INDEX messages_dossier ON messages (dossier_id);
CREATE INDEX messages_provider ON messages (provider_id);
CREATE INDEX messages_status ON messages (status, created_at);
CREATE INDEX messages_handed ON messages (channel, recipient, handed_at);
CREATE INDEX messages_sent ON messages (sent_at) WHERE sent_at IS NOT NULL;
