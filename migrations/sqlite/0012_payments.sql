-- 0012_payments: payments and their receipts.

-- Payments of a dossier's fees (docs/payments.md): at the counter (cash,
-- card) for now; each with its receipt (biên lai) number from the
-- receiving unit's yearly series.
CREATE TABLE payments (
  id             INTEGER PRIMARY KEY,
  province_code  TEXT NOT NULL,
  dossier_id     INTEGER NOT NULL REFERENCES dossiers (id),
  method         TEXT NOT NULL CHECK (method IN ('cash', 'card',
                   'transfer', 'platform')),
  amount         BIGINT NOT NULL CHECK (amount > 0),
  receipt_no     TEXT NOT NULL UNIQUE,
  transaction_id TEXT UNIQUE,
  payer_name     TEXT NOT NULL,
  recorded_by    INTEGER REFERENCES users (id),
  paid_at        TEXT NOT NULL,
  created_at     TEXT NOT NULL
);
CREATE INDEX payments_dossier ON payments (dossier_id);
