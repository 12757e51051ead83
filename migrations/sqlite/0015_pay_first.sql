-- 0015_pay_first: procedures whose fees are paid before the dossier is
-- received (docs/payments.md "Paid before processing").
ALTER TABLE procedure_versions ADD COLUMN pay_first INTEGER NOT NULL DEFAULT 0;
