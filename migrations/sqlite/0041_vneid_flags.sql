-- 0041_vneid_flags: the applicant signed in with a VNeID account
-- (TaiKhoanDuocXacThucVoiVNeID: a dossier a citizen signed in with VNeID
-- submitted, or one filed on the national portal so), the session a
-- citizen signed in with VNeID, and the 766 index's 4.5 (population data
-- or a VNeID account used) kept on the dossier and in the reports' index
-- (docs/reports.md): 0 an organization, 1 a person, 2 a person checked
-- against the population database or signed in with VNeID.
ALTER TABLE dossiers ADD COLUMN applicant_vneid INTEGER NOT NULL DEFAULT 0;
ALTER TABLE citizen_sessions ADD COLUMN vneid INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dossiers ADD COLUMN rep_resident INTEGER NOT NULL DEFAULT 0;
UPDATE dossiers SET rep_resident = CASE WHEN applicant_kind = 'person'
  THEN CASE WHEN applicant_verified = 1 THEN 2 ELSE 1 END ELSE 0 END;
DROP INDEX dossiers_report;
CREATE INDEX dossiers_report ON dossiers (finished_at, received_at,
  version_id, unit_id, channel, return_channel, status, timeliness,
  supplements, original_due_at, supplement_requested_at, rep_reused,
  rep_scanned, rep_asked_again, rep_owes_fees, rep_paid_online,
  rep_has_result, rep_complained, rep_synced, rep_resident);

-- A sign-in's ticket is good only in the browser that began it (the
-- SHA-256 of its cookie, as the sign-in was).
ALTER TABLE citizen_oidc_tickets ADD COLUMN browser_hash TEXT NOT NULL
  DEFAULT '';
