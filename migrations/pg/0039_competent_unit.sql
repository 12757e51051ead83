-- 0039_competent_unit: intake regardless of administrative boundary
-- (docs/lifecycle.md "Intake"): any centre of the province receives for
-- any commune (or district), and the dossier is resolved by the one the
-- counter names, not the receiving centre's own. NULL: as before, the
-- receiving unit's commune (or district), else the procedure's unit.
ALTER TABLE dossiers ADD COLUMN agency_id BIGINT REFERENCES units (id);
