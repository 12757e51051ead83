-- 0030_report_flags: what the reports ask of a dossier's components,
-- fees, payments, results, ratings and feedback, kept on the dossier by
-- triggers, so that Biểu 06, the 766 index and the half-year figures read
-- one row per dossier instead of probing six tables for each
-- (docs/reports.md "Speed"). Derived data: the tables they come from stay
-- the record, and the triggers keep them equal whatever writes.
ALTER TABLE dossiers ADD COLUMN rep_reused INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dossiers ADD COLUMN rep_scanned INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dossiers ADD COLUMN rep_asked_again INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dossiers ADD COLUMN rep_owes_fees INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dossiers ADD COLUMN rep_paid_online INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dossiers ADD COLUMN rep_has_result INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dossiers ADD COLUMN rep_complained INTEGER NOT NULL DEFAULT 0;

-- rep_reused: a component was taken from the data store. rep_scanned:
-- at least one component was handed in, and every one handed in is
-- scanned or reused. rep_asked_again: components asked for though stored.
CREATE TRIGGER dossier_components_rep_insert AFTER INSERT ON
  dossier_components
BEGIN
  UPDATE dossiers SET
    rep_reused = EXISTS (SELECT 1 FROM dossier_components c WHERE
      c.dossier_id = NEW.dossier_id AND c.reused = 1),
    rep_scanned = EXISTS (SELECT 1 FROM dossier_components c WHERE
      c.dossier_id = NEW.dossier_id AND c.provided = 1) AND NOT EXISTS
      (SELECT 1 FROM dossier_components c WHERE c.dossier_id =
      NEW.dossier_id AND c.provided = 1 AND c.file_sha256 IS NULL AND
      c.reused = 0),
    rep_asked_again = (SELECT COUNT(*) FROM dossier_components c WHERE
      c.dossier_id = NEW.dossier_id AND c.asked_again_reason IS NOT NULL)
  WHERE id = NEW.dossier_id;
END;
CREATE TRIGGER dossier_components_rep_update AFTER UPDATE ON
  dossier_components
BEGIN
  UPDATE dossiers SET
    rep_reused = EXISTS (SELECT 1 FROM dossier_components c WHERE
      c.dossier_id = NEW.dossier_id AND c.reused = 1),
    rep_scanned = EXISTS (SELECT 1 FROM dossier_components c WHERE
      c.dossier_id = NEW.dossier_id AND c.provided = 1) AND NOT EXISTS
      (SELECT 1 FROM dossier_components c WHERE c.dossier_id =
      NEW.dossier_id AND c.provided = 1 AND c.file_sha256 IS NULL AND
      c.reused = 0),
    rep_asked_again = (SELECT COUNT(*) FROM dossier_components c WHERE
      c.dossier_id = NEW.dossier_id AND c.asked_again_reason IS NOT NULL)
  WHERE id = NEW.dossier_id;
END;

-- rep_owes_fees: a fee or charge above zero (TTTT-b).
CREATE TRIGGER dossier_fees_rep_insert AFTER INSERT ON dossier_fees
BEGIN
  UPDATE dossiers SET rep_owes_fees = EXISTS (SELECT 1 FROM dossier_fees f
    WHERE f.dossier_id = NEW.dossier_id AND f.amount > 0)
  WHERE id = NEW.dossier_id;
END;
CREATE TRIGGER dossier_fees_rep_update AFTER UPDATE ON dossier_fees
BEGIN
  UPDATE dossiers SET rep_owes_fees = EXISTS (SELECT 1 FROM dossier_fees f
    WHERE f.dossier_id = NEW.dossier_id AND f.amount > 0)
  WHERE id = NEW.dossier_id;
END;

-- rep_paid_online: paid through a platform (DuocThanhToanTrucTuyen).
CREATE TRIGGER payments_rep_insert AFTER INSERT ON payments
BEGIN
  UPDATE dossiers SET rep_paid_online = EXISTS (SELECT 1 FROM payments p
    WHERE p.dossier_id = NEW.dossier_id AND p.method = 'platform')
  WHERE id = NEW.dossier_id;
END;
CREATE TRIGGER payments_rep_update AFTER UPDATE ON payments
BEGIN
  UPDATE dossiers SET rep_paid_online = EXISTS (SELECT 1 FROM payments p
    WHERE p.dossier_id = NEW.dossier_id AND p.method = 'platform')
  WHERE id = NEW.dossier_id;
END;

-- rep_has_result: an e-result not revoked.
CREATE TRIGGER results_rep_insert AFTER INSERT ON results
BEGIN
  UPDATE dossiers SET rep_has_result = EXISTS (SELECT 1 FROM results r
    WHERE r.dossier_id = NEW.dossier_id AND r.status <> 'revoked')
  WHERE id = NEW.dossier_id;
END;
CREATE TRIGGER results_rep_update AFTER UPDATE ON results
BEGIN
  UPDATE dossiers SET rep_has_result = EXISTS (SELECT 1 FROM results r
    WHERE r.dossier_id = NEW.dossier_id AND r.status <> 'revoked')
  WHERE id = NEW.dossier_id;
END;

-- rep_complained: feedback about the dossier, or a "not satisfied"
-- rating (5.4).
CREATE TRIGGER ratings_rep_insert AFTER INSERT ON ratings
BEGIN
  UPDATE dossiers SET rep_complained = EXISTS (SELECT 1 FROM feedback f
    WHERE f.dossier_id = NEW.dossier_id) OR EXISTS (SELECT 1 FROM ratings r
    WHERE r.dossier_id = NEW.dossier_id AND r.level = 'not_satisfied')
  WHERE id = NEW.dossier_id;
END;
CREATE TRIGGER ratings_rep_update AFTER UPDATE ON ratings
BEGIN
  UPDATE dossiers SET rep_complained = EXISTS (SELECT 1 FROM feedback f
    WHERE f.dossier_id = NEW.dossier_id) OR EXISTS (SELECT 1 FROM ratings r
    WHERE r.dossier_id = NEW.dossier_id AND r.level = 'not_satisfied')
  WHERE id = NEW.dossier_id;
END;
CREATE TRIGGER feedback_rep_insert AFTER INSERT ON feedback
  WHEN NEW.dossier_id IS NOT NULL
BEGIN
  UPDATE dossiers SET rep_complained = 1 WHERE id = NEW.dossier_id;
END;
CREATE TRIGGER feedback_rep_update AFTER UPDATE OF dossier_id ON feedback
BEGIN
  UPDATE dossiers SET rep_complained = EXISTS (SELECT 1 FROM feedback f
    WHERE f.dossier_id = dossiers.id) OR EXISTS (SELECT 1 FROM ratings r
    WHERE r.dossier_id = dossiers.id AND r.level = 'not_satisfied')
  WHERE id IN (OLD.dossier_id, NEW.dossier_id);
END;

-- The dossiers there are.
UPDATE dossiers SET
  rep_reused = EXISTS (SELECT 1 FROM dossier_components c WHERE
    c.dossier_id = dossiers.id AND c.reused = 1),
  rep_scanned = EXISTS (SELECT 1 FROM dossier_components c WHERE
    c.dossier_id = dossiers.id AND c.provided = 1) AND NOT EXISTS
    (SELECT 1 FROM dossier_components c WHERE c.dossier_id = dossiers.id
    AND c.provided = 1 AND c.file_sha256 IS NULL AND c.reused = 0),
  rep_asked_again = (SELECT COUNT(*) FROM dossier_components c WHERE
    c.dossier_id = dossiers.id AND c.asked_again_reason IS NOT NULL),
  rep_owes_fees = EXISTS (SELECT 1 FROM dossier_fees f WHERE
    f.dossier_id = dossiers.id AND f.amount > 0),
  rep_paid_online = EXISTS (SELECT 1 FROM payments p WHERE
    p.dossier_id = dossiers.id AND p.method = 'platform'),
  rep_has_result = EXISTS (SELECT 1 FROM results r WHERE
    r.dossier_id = dossiers.id AND r.status <> 'revoked'),
  rep_complained = EXISTS (SELECT 1 FROM feedback f WHERE
    f.dossier_id = dossiers.id) OR EXISTS (SELECT 1 FROM ratings r WHERE
    r.dossier_id = dossiers.id AND r.level = 'not_satisfied');
