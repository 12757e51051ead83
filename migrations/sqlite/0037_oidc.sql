-- 0037_oidc: citizens signed in with VNeID through the national portal's
-- single sign-on, OpenID Connect (docs/citizens.md "VNeID").

-- A sign-in on its way: kept from the redirect to the provider until its
-- answer comes back (ten minutes at most), by the SHA-256 of its state,
-- bound to the browser that began it (the SHA-256 of its cookie). The
-- PKCE verifier and the nonce are secrets of this sign-in alone.
CREATE TABLE citizen_oidc_logins (
  state_hash   TEXT PRIMARY KEY,
  browser_hash TEXT NOT NULL,
  nonce        TEXT NOT NULL,
  verifier     TEXT NOT NULL,
  return_to    TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  expires_at   TEXT NOT NULL
);
CREATE INDEX citizen_oidc_logins_expiry ON citizen_oidc_logins (expires_at);

-- A sign-in done: the one-time ticket the browser comes back with and
-- trades for a session (a minute at most), by its SHA-256; the provider's
-- subject kept for the record.
CREATE TABLE citizen_oidc_tickets (
  ticket_hash TEXT PRIMARY KEY,
  citizen_id  INTEGER NOT NULL REFERENCES citizens (id),
  subject     TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  expires_at  TEXT NOT NULL
);
CREATE INDEX citizen_oidc_tickets_expiry ON citizen_oidc_tickets (expires_at);
