-- 0036_applicant_verified: the applicant was checked against the national
-- population database when the dossier was taken in (docs/registries.md):
-- the name typed matched the one the database holds for the identity
-- number. The portal is told (DSKetNoiCSDL).
ALTER TABLE dossiers ADD COLUMN applicant_verified INTEGER NOT NULL
  DEFAULT 0;
