-- 0030_report_flags: what the reports ask of a dossier's components,
-- fees, payments, results, ratings and feedback, kept on the dossier by
-- triggers, so that Biểu 06, the 766 index and the half-year figures read
-- one row per dossier instead of probing six tables for each
-- (docs/reports.md "Speed"). Derived data: the tables they come from stay
-- the record, and the triggers keep them equal whatever writes.
ALTER TABLE dossiers ADD COLUMN rep_reused INTEGER NOT NULL DEFAULT 0,
  ADD COLUMN rep_scanned INTEGER NOT NULL DEFAULT 0,
  ADD COLUMN rep_asked_again INTEGER NOT NULL DEFAULT 0,
  ADD COLUMN rep_owes_fees INTEGER NOT NULL DEFAULT 0,
  ADD COLUMN rep_paid_online INTEGER NOT NULL DEFAULT 0,
  ADD COLUMN rep_has_result INTEGER NOT NULL DEFAULT 0,
  ADD COLUMN rep_complained INTEGER NOT NULL DEFAULT 0;

-- rep_reused: a component was taken from the data store. rep_scanned:
-- at least one component was handed in, and every one handed in is
-- scanned or reused. rep_asked_again: components asked for though stored.
CREATE FUNCTION dossier_rep_components(id BIGINT) RETURNS void
LANGUAGE sql AS $$
  UPDATE dossiers SET
    rep_reused = (EXISTS (SELECT 1 FROM dossier_components c WHERE
      c.dossier_id = $1 AND c.reused = 1))::int,
    rep_scanned = (EXISTS (SELECT 1 FROM dossier_components c WHERE
      c.dossier_id = $1 AND c.provided = 1) AND NOT EXISTS
      (SELECT 1 FROM dossier_components c WHERE c.dossier_id = $1 AND
      c.provided = 1 AND c.file_sha256 IS NULL AND c.reused = 0))::int,
    rep_asked_again = (SELECT COUNT(*) FROM dossier_components c WHERE
      c.dossier_id = $1 AND c.asked_again_reason IS NOT NULL)
  WHERE dossiers.id = $1;
$$;
-- rep_complained: feedback about the dossier, or a "not satisfied"
-- rating (5.4).
CREATE FUNCTION dossier_rep_complained(id BIGINT) RETURNS void
LANGUAGE sql AS $$
  UPDATE dossiers SET rep_complained = (EXISTS (SELECT 1 FROM feedback f
    WHERE f.dossier_id = $1) OR EXISTS (SELECT 1 FROM ratings r WHERE
    r.dossier_id = $1 AND r.level = 'not_satisfied'))::int
  WHERE dossiers.id = $1;
$$;

CREATE FUNCTION dossier_rep_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'dossier_components' THEN
    PERFORM dossier_rep_components(NEW.dossier_id);
  ELSIF TG_TABLE_NAME = 'dossier_fees' THEN
    -- rep_owes_fees: a fee or charge above zero (TTTT-b).
    UPDATE dossiers SET rep_owes_fees = (EXISTS (SELECT 1 FROM
      dossier_fees f WHERE f.dossier_id = NEW.dossier_id AND
      f.amount > 0))::int WHERE id = NEW.dossier_id;
  ELSIF TG_TABLE_NAME = 'payments' THEN
    -- rep_paid_online: paid through a platform (DuocThanhToanTrucTuyen).
    UPDATE dossiers SET rep_paid_online = (EXISTS (SELECT 1 FROM
      payments p WHERE p.dossier_id = NEW.dossier_id AND
      p.method = 'platform'))::int WHERE id = NEW.dossier_id;
  ELSIF TG_TABLE_NAME = 'results' THEN
    -- rep_has_result: an e-result not revoked.
    UPDATE dossiers SET rep_has_result = (EXISTS (SELECT 1 FROM results r
      WHERE r.dossier_id = NEW.dossier_id AND r.status <> 'revoked'))::int
      WHERE id = NEW.dossier_id;
  ELSIF TG_TABLE_NAME = 'ratings' THEN
    PERFORM dossier_rep_complained(NEW.dossier_id);
  ELSIF TG_TABLE_NAME = 'feedback' THEN
    IF TG_OP = 'UPDATE' AND OLD.dossier_id IS NOT NULL THEN
      PERFORM dossier_rep_complained(OLD.dossier_id);
    END IF;
    IF NEW.dossier_id IS NOT NULL THEN
      PERFORM dossier_rep_complained(NEW.dossier_id);
    END IF;
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER dossier_components_rep AFTER INSERT OR UPDATE ON
  dossier_components FOR EACH ROW EXECUTE FUNCTION dossier_rep_trigger();
CREATE TRIGGER dossier_fees_rep AFTER INSERT OR UPDATE ON dossier_fees
  FOR EACH ROW EXECUTE FUNCTION dossier_rep_trigger();
CREATE TRIGGER payments_rep AFTER INSERT OR UPDATE ON payments
  FOR EACH ROW EXECUTE FUNCTION dossier_rep_trigger();
CREATE TRIGGER results_rep AFTER INSERT OR UPDATE ON results
  FOR EACH ROW EXECUTE FUNCTION dossier_rep_trigger();
CREATE TRIGGER ratings_rep AFTER INSERT OR UPDATE ON ratings
  FOR EACH ROW EXECUTE FUNCTION dossier_rep_trigger();
CREATE TRIGGER feedback_rep AFTER INSERT OR UPDATE OF dossier_id ON
  feedback FOR EACH ROW EXECUTE FUNCTION dossier_rep_trigger();

-- The dossiers there are.
UPDATE dossiers SET
  rep_reused = (EXISTS (SELECT 1 FROM dossier_components c WHERE
    c.dossier_id = dossiers.id AND c.reused = 1))::int,
  rep_scanned = (EXISTS (SELECT 1 FROM dossier_components c WHERE
    c.dossier_id = dossiers.id AND c.provided = 1) AND NOT EXISTS
    (SELECT 1 FROM dossier_components c WHERE c.dossier_id = dossiers.id
    AND c.provided = 1 AND c.file_sha256 IS NULL AND c.reused = 0))::int,
  rep_asked_again = (SELECT COUNT(*) FROM dossier_components c WHERE
    c.dossier_id = dossiers.id AND c.asked_again_reason IS NOT NULL),
  rep_owes_fees = (EXISTS (SELECT 1 FROM dossier_fees f WHERE
    f.dossier_id = dossiers.id AND f.amount > 0))::int,
  rep_paid_online = (EXISTS (SELECT 1 FROM payments p WHERE
    p.dossier_id = dossiers.id AND p.method = 'platform'))::int,
  rep_has_result = (EXISTS (SELECT 1 FROM results r WHERE
    r.dossier_id = dossiers.id AND r.status <> 'revoked'))::int,
  rep_complained = (EXISTS (SELECT 1 FROM feedback f WHERE
    f.dossier_id = dossiers.id) OR EXISTS (SELECT 1 FROM ratings r WHERE
    r.dossier_id = dossiers.id AND r.level = 'not_satisfied'))::int;
