-- 0015_pay_first: procedures whose fees are paid before the dossier is
-- received (docs/payments.md "Paid before processing").
-- PostgreSQL twin of migrations/sqlite/0015_pay_first.sql.
ALTER TABLE procedure_versions ADD COLUMN pay_first INTEGER NOT NULL DEFAULT 0;
