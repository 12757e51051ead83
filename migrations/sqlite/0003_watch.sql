-- 0003_watch: the deadline watch (docs/lifecycle.md "Deadline watch").
-- watch_level says which warning the watch has recorded for the dossier's
-- current due instant: 0 none, 1 due soon (less than one working day
-- left), 2 overdue. A write that moves due_at sets it back to 0, so a new
-- appointment is watched afresh. The partial index holds only the open
-- dossiers whose clock runs and that may still need a warning, so a run
-- reads no dossier it has nothing to say about.
ALTER TABLE dossiers ADD COLUMN watch_level INTEGER NOT NULL DEFAULT 0
  CHECK (watch_level IN (0, 1, 2));
CREATE INDEX dossiers_watch ON dossiers (due_at)
  WHERE watch_level < 2 AND status IN ('received', 'processing');
