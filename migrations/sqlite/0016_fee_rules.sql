-- 0016_fee_rules: fees counted per copy or page, exemptions of applicant
-- categories, and what a dossier says of both (docs/payments.md).

-- A fee item is for the dossier, or per copy or page (amount per unit);
-- 'exempt' lists the applicant categories it exempts, comma-separated.
ALTER TABLE procedure_fees ADD COLUMN per TEXT NOT NULL DEFAULT 'dossier'
  CHECK (per IN ('dossier', 'copy', 'page'));
ALTER TABLE procedure_fees ADD COLUMN exempt TEXT NOT NULL DEFAULT '';

-- The applicant's categories (comma-separated) and the quantities of the
-- counted fee items ("item:quantity,..."), as taken in.
ALTER TABLE dossiers ADD COLUMN applicant_categories TEXT NOT NULL
  DEFAULT '';
ALTER TABLE dossiers ADD COLUMN fee_quantities TEXT NOT NULL DEFAULT '';

-- As assessed: the quantity, and the category that exempted the item.
ALTER TABLE dossier_fees ADD COLUMN quantity INTEGER NOT NULL DEFAULT 1;
ALTER TABLE dossier_fees ADD COLUMN exempt_category TEXT;
