-- 0013_online_payments: payment requests to the payment platforms, the
-- nonces of their callbacks, and refunds.

-- A request to pay a dossier's outstanding amount on a payment platform
-- (docs/payments.md): the national portal's (dvcqg) or the province's own
-- gateway. Its reference carries the dossier code.
CREATE TABLE payment_requests (
  id          INTEGER PRIMARY KEY,
  dossier_id  INTEGER NOT NULL REFERENCES dossiers (id),
  reference   TEXT NOT NULL UNIQUE,
  platform    TEXT NOT NULL CHECK (platform IN ('dvcqg', 'gateway')),
  amount      BIGINT NOT NULL CHECK (amount > 0),
  status      TEXT NOT NULL CHECK (status IN ('pending', 'paid', 'failed')),
  payment_id  INTEGER REFERENCES payments (id),
  last_error  TEXT,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);
CREATE INDEX payment_requests_dossier ON payment_requests (dossier_id);

-- Nonces of the callbacks taken, so that none is taken twice; kept for
-- twice the allowed clock skew.
CREATE TABLE payment_nonces (
  platform  TEXT NOT NULL,
  nonce     TEXT NOT NULL,
  seen_at   TEXT NOT NULL,
  PRIMARY KEY (platform, nonce)
);
CREATE INDEX payment_nonces_seen ON payment_nonces (seen_at);

-- Which platform took a payment of method 'platform': the index's
-- DuocThanhToanTrucTuyen is 1 for dvcqg, 2 for the province's gateway.
ALTER TABLE payments ADD COLUMN platform TEXT
  CHECK (platform IN ('dvcqg', 'gateway'));

-- Money paid back (hoàn trả): a dossier refused, withdrawn or stopped
-- after payment, or paid twice. Numbered in the receiving unit's yearly
-- series HT-<unit>-<year>-NNNNNN.
CREATE TABLE refunds (
  id             INTEGER PRIMARY KEY,
  province_code  TEXT NOT NULL,
  dossier_id     INTEGER NOT NULL REFERENCES dossiers (id),
  refund_no      TEXT NOT NULL UNIQUE,
  amount         BIGINT NOT NULL CHECK (amount > 0),
  method         TEXT NOT NULL CHECK (method IN ('cash', 'transfer')),
  reason         TEXT NOT NULL,
  recorded_by    INTEGER REFERENCES users (id),
  refunded_at    TEXT NOT NULL
);
CREATE INDEX refunds_dossier ON refunds (dossier_id);
