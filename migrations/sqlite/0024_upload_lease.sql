-- 0024_upload_lease: one writer per upload across every instance
-- (docs/files.md): a PATCH takes the upload until this instant before it
-- writes bytes, and lets go when it records them.
ALTER TABLE uploads ADD COLUMN lease_until TEXT;
