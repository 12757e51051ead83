-- 0014_message_handover: when a message's handover began, so that the
-- limit of messages per recipient and hour counts the ones being handed
-- over by other workers too (docs/notifications.md "Limits"). Cleared
-- when the handover fails; kept when the message went. It replaces the
-- index on sent_at of 0009.
ALTER TABLE messages ADD COLUMN handed_at TEXT;
CREATE INDEX messages_handed ON messages (channel, recipient, handed_at);
DROP INDEX messages_recipient;
