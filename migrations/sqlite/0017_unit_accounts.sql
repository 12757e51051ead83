-- 0017_unit_accounts: the account each collecting unit takes fees into
-- (docs/payments.md "Collecting accounts").
CREATE TABLE unit_accounts (
  unit_id       INTEGER PRIMARY KEY REFERENCES units (id),
  bank_bin      TEXT NOT NULL,
  account       TEXT NOT NULL,
  account_name  TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  updated_by    INTEGER REFERENCES users (id)
);
