/*
 * reports.c — the counts behind the reports (see reports.h).
 */
#include "core/compat.h"
#include "store/reports.h"

/* Finished within the period, and how it ended. */
#define DONE "d.finished_at IS NOT NULL AND d.finished_at < ?2"
/* Still open at the end of the period. */
#define OPEN "(d.finished_at IS NULL OR d.finished_at >= ?2)"
/*
 * Overdue at the end of the period (the 766 rules, as the dossier list
 * judges them now): a second supplement request, or the clock (stopped
 * by a supplement request before the end, else the end) past the
 * original appointment.
 */
#define LATE_AT_END "(d.supplements > 1 OR (d.original_due_at IS NOT NULL " \
	"AND COALESCE(CASE WHEN d.supplement_requested_at < ?2 THEN " \
	"d.supplement_requested_at END, ?2) > d.original_due_at))"

int mc_report_b06(struct mc_conn *c, int64_t from, int64_t to,
		  const char *unit_path, mc_b06_fn *fn, void *arg,
		  struct mc_err *err)
{
	static const char sql[] = "SELECT v.level, v.field, "
		"SUM(CASE WHEN d.received_at < ?1 THEN 1 ELSE 0 END), "
		"SUM(CASE WHEN d.received_at >= ?1 AND d.channel = 'online' "
		"THEN 1 ELSE 0 END), "
		"SUM(CASE WHEN d.received_at >= ?1 AND d.channel <> 'online' "
		"THEN 1 ELSE 0 END), "
		"SUM(CASE WHEN " DONE " AND d.timeliness = 'early' THEN 1 ELSE "
		"0 END), "
		"SUM(CASE WHEN " DONE " AND (d.timeliness = 'on_time' OR "
		"d.timeliness IS NULL) THEN 1 ELSE 0 END), "
		"SUM(CASE WHEN " DONE " AND d.timeliness = 'late' THEN 1 ELSE "
		"0 END), "
		"SUM(CASE WHEN " DONE " AND d.status IN ('refused', 'stopped', "
		"'withdrawn') THEN 1 ELSE 0 END), "
		"SUM(CASE WHEN " OPEN " AND NOT " LATE_AT_END " THEN 1 ELSE 0 "
		"END), "
		"SUM(CASE WHEN " OPEN " AND " LATE_AT_END " THEN 1 ELSE 0 END) "
		"FROM dossiers d JOIN procedure_versions v ON v.id = "
		"d.version_id JOIN units u ON u.id = v.unit_id WHERE "
		"d.received_at IS NOT NULL AND d.received_at < ?2 AND "
		"(d.finished_at IS NULL OR d.finished_at >= ?1) AND "
		"substr(u.path, 1, length(CAST(?3 AS TEXT))) = ?3 "
		"GROUP BY v.level, v.field ORDER BY v.level DESC, v.field";
	struct mc_b06_row row;
	struct mc_stmt *s = mc_sql(c, sql, err);
	int rc, n = 0;

	if (!s)
		return MC_EDB;
	mc_sql_time(s, 1, from);
	mc_sql_time(s, 2, to);
	mc_sql_text(s, 3, unit_path);
	while ((rc = mc_sql_step(s, err)) == 1) {
		memset(&row, 0, sizeof(row));
		mc_sql_col_copy(s, 0, row.level, sizeof(row.level));
		mc_sql_col_copy(s, 1, row.field, sizeof(row.field));
		row.n.carried_over = mc_sql_col_int(s, 2);
		row.n.online = mc_sql_col_int(s, 3);
		row.n.direct_postal = mc_sql_col_int(s, 4);
		row.n.early = mc_sql_col_int(s, 5);
		row.n.on_time = mc_sql_col_int(s, 6);
		row.n.late = mc_sql_col_int(s, 7);
		row.n.returned = mc_sql_col_int(s, 8);
		row.n.within_deadline = mc_sql_col_int(s, 9);
		row.n.overdue = mc_sql_col_int(s, 10);
		fn(&row, arg);
		n++;
	}
	mc_sql_reset(s);
	return rc < 0 ? rc : n;
}
