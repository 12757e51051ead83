-- 0042_portal_open: the sender takes each dossier's first event not yet
-- synced, oldest first (store/portal.c, mc_portal_claim), by walking only
-- the events still open in the order they were queued. The index on
-- (status, next_attempt_at) made it read every open event, and sort
-- them, for each batch: a backlog of 25,000 events drained at 615 a
-- second, slower the longer it was (bench/portal.sh).
DROP INDEX portal_outbox_due;
CREATE INDEX portal_outbox_open ON portal_outbox (id)
  WHERE status IN ('pending', 'sending');
