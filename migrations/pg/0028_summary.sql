-- 0028_summary: the half-year report counts the payments made and the
-- messages sent in a period through these indexes rather than by reading
-- every payment and message ever recorded (docs/reports.md "The
-- half-year report").
-- PostgreSQL twin of migrations/sqlite/0028_summary.sql.
CREATE INDEX payments_paid ON payments (paid_at);
CREATE INDEX messages_sent ON messages (sent_at) WHERE sent_at IS NOT NULL;
