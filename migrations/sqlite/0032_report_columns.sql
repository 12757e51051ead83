-- 0032_report_columns: the reports read a period's dossiers from this
-- index alone, never from the rows (docs/reports.md "Speed"). Its keys
-- find the period's three parts (finished in it, finished after it, still
-- open, each received before its end); the other columns are every one a
-- report asks of a dossier. A row is wide (the applicant, the addresses)
-- and the period's rows lie among ten years of others; the index's
-- entries are narrow and in order. It takes the place of 0026's index on
-- finished_at, its first key.
CREATE INDEX dossiers_report ON dossiers (finished_at, received_at,
  version_id, unit_id, channel, return_channel, status, timeliness,
  supplements, original_due_at, supplement_requested_at, rep_reused,
  rep_scanned, rep_asked_again, rep_owes_fees, rep_paid_online,
  rep_has_result, rep_complained);
DROP INDEX dossiers_finished;
