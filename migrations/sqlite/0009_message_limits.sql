-- 0009_message_limits: what a recipient was sent lately, for the limit of
-- messages per recipient and hour (docs/notifications.md "Limits").
CREATE INDEX messages_recipient ON messages (channel, recipient, sent_at);
