-- 0027_index766: the 766 index asks of each dossier of a period whether
-- feedback was sent about it (indicator 5.4) and of each piece of
-- feedback whether an earlier one concerned the same dossier (5.3);
-- both through this index rather than by reading all feedback
-- (docs/reports.md "The 766 index").
CREATE INDEX feedback_dossier ON feedback (dossier_id, received_at)
  WHERE dossier_id IS NOT NULL;
