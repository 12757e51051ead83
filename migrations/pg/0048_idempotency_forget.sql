-- phase: expand
-- 0048_idempotency_forget: Idempotency-Keys are remembered idempotency_ttl
-- (a week by default), then forgotten by the deadline watch's
-- housekeeping, oldest first, through this index (docs/api.md
-- "Idempotency"; they name who sent what, docs/personal-data.md).
CREATE INDEX idempotency_created ON idempotency_keys (created_at);
