-- 0011_fees: the fees assessed for each dossier.

-- The fees and charges (phí, lệ phí) assessed for a dossier when it is
-- received, from its procedure version's list, with the online discount
-- for online dossiers; kept as assessed (docs/payments.md).
CREATE TABLE dossier_fees (
  dossier_id       INTEGER NOT NULL REFERENCES dossiers (id),
  ordinal          INTEGER NOT NULL,
  name             TEXT NOT NULL,
  kind             TEXT NOT NULL CHECK (kind IN ('fee', 'charge')),
  base_amount      BIGINT NOT NULL CHECK (base_amount >= 0),
  discount_percent INTEGER NOT NULL,
  amount           BIGINT NOT NULL CHECK (amount >= 0),
  PRIMARY KEY (dossier_id, ordinal)
);
