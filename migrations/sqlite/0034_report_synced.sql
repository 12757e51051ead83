-- 0034_report_synced: whether the national portal has taken a dossier
-- (the 766 index's 1.4), kept on it when the sender records the portal's
-- first acceptance (store/portal.c), and in the reports' index with the
-- other report columns (0032), which is made again to hold it.
ALTER TABLE dossiers ADD COLUMN rep_synced INTEGER NOT NULL DEFAULT 0;
UPDATE dossiers SET rep_synced = 1 WHERE id IN (SELECT dossier_id FROM
  portal_dossiers WHERE first_synced_at IS NOT NULL);
DROP INDEX dossiers_report;
CREATE INDEX dossiers_report ON dossiers (finished_at, received_at,
  version_id, unit_id, channel, return_channel, status, timeliness,
  supplements, original_due_at, supplement_requested_at, rep_reused,
  rep_scanned, rep_asked_again, rep_owes_fees, rep_paid_online,
  rep_has_result, rep_complained, rep_synced);
