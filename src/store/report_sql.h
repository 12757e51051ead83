/*
 * report_sql.h — the SQL the reports share (store/index766.c,
 * store/summary.c): which dossiers belong to a period, and what is asked
 * of each. Text to be pasted into string constants, so that every report
 * counts a dossier by the same words.
 */
#ifndef MC_STORE_REPORT_SQL_H
#define MC_STORE_REPORT_SQL_H

#include "store/scope_sql.h"

/*
 * Dossiers. The population is the period's (as Biểu 06's): received
 * before its end and not finished before its start. ?1 and ?2 are the
 * period's instants, ?3 the unit's path, ?4 the level and ?5 the field
 * (NULL: all), ?6 the instant open dossiers are judged at.
 */
#define D_POP "FROM (SELECT id FROM dossiers WHERE finished_at >= ?1 AND " \
	"received_at < ?2 UNION ALL SELECT id FROM dossiers WHERE " \
	"finished_at IS NULL AND received_at < ?2) x JOIN dossiers d ON " \
	"d.id = x.id JOIN procedure_versions v ON v.id = d.version_id JOIN " \
	"procedures p ON p.id = v.procedure_id JOIN units u ON u.id = " \
	"v.unit_id WHERE " IN_SCOPE("u") " " \
	"AND (CAST(?4 AS TEXT) IS NULL OR v.level = ?4) AND (CAST(?5 AS " \
	"TEXT) IS NULL OR v.field = ?5) "

/* Received in the period (a dossier belongs to it by NgayTiepNhan). */
#define RECV "d.received_at >= ?1"
#define DONE "(d.finished_at IS NOT NULL AND d.finished_at < ?2)"
#define OPEN "(d.finished_at IS NULL OR d.finished_at >= ?2)"
/* Resolved with a result (2.2's average is over these). */
#define RESOLVED DONE " AND d.status IN ('result_ready', 'returned')"
/*
 * Overdue when judged (Biểu 06's rule): a second supplement request, or
 * the clock, stopped by a supplement request, past the original
 * appointment.
 */
#define LATE_AT "(d.supplements > 1 OR (d.original_due_at IS NOT NULL AND " \
	"COALESCE(CASE WHEN d.supplement_requested_at < ?6 THEN " \
	"d.supplement_requested_at END, ?6) > d.original_due_at))"
#define ON_TIME "((" DONE " AND (d.timeliness IS NULL OR d.timeliness <> " \
	"'late')) OR (" OPEN " AND NOT " LATE_AT "))"
#define OVERDUE "((" DONE " AND d.timeliness = 'late') OR (" OPEN " AND " \
	LATE_AT "))"
/*
 * What is asked of a dossier's other tables is kept on it (migration
 * 0030: rep_* columns, kept by triggers).
 */
#define HAS_RESULT "d.rep_has_result = 1"
#define REUSED "d.rep_reused = 1"
/*
 * Digitized (4.2): every component handed in is scanned or taken from
 * the store, and an e-result was issued where the procedure gives one.
 */
#define DIGITIZED "(d.rep_scanned = 1 AND (v.result_electronic = 0 OR " \
	"d.status NOT IN ('result_ready', 'returned') OR " HAS_RESULT "))"
/* Fees owed (TTTT-b leaves out dossiers whose fees are all zero). */
#define FEES "d.rep_owes_fees = 1"
/* Paid through a platform: DuocThanhToanTrucTuyen 1 or 2. */
#define PAID_ONLINE "d.rep_paid_online = 1"
/* Feedback about it, or a "not satisfied" rating. */
#define COMPLAINED "d.rep_complained = 1"

#endif /* MC_STORE_REPORT_SQL_H */
