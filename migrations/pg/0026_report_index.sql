-- 0026_report_index: the reports count the dossiers of a period through
-- those finished since its start and those still open, found by this
-- index, rather than through every dossier received before its end
-- (docs/reports.md "Speed").
-- PostgreSQL twin of migrations/sqlite/0026_report_index.sql.
CREATE INDEX dossiers_finished ON dossiers (finished_at);
