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
 *
 * It comes in three disjoint parts — finished in the period, finished
 * after it, still open — each one range of the index dossiers_report
 * (migration 0032), whose columns are all the reports ask of a dossier:
 * a statement over a part reads that index alone, in order, never the
 * wide rows scattered among years of others.
 */
#define D_DONE_IN "d.finished_at >= ?1 AND d.finished_at < ?2 AND " \
	D_NOIX("d.received_at") " < ?2"
#define D_DONE_AFTER "d.finished_at >= ?2 AND " D_NOIX("d.received_at") \
	" < ?2"
#define D_OPEN_NOW "d.finished_at IS NULL AND d.received_at < ?2"
/*
 * Column 'c' compared without its index: SQLite would otherwise read a
 * range of received_at through that index and the rows it points at,
 * rather than the parts' ranges of dossiers_report alone. (A cast, not
 * SQLite's '+': PostgreSQL has no '+' for text.)
 */
#define D_NOIX(c) "CAST(" c " AS TEXT)"
/*
 * Its procedure in the scope: at or below the unit ?3, of the level ?4
 * and field ?5. The '+' here and in D_PART's join keeps the planner from
 * reaching the dossiers through the index on their versions, one version
 * at a time.
 */
#define D_SCOPE "+d.version_id IN (SELECT sv.id FROM procedure_versions " \
	"sv JOIN units su ON su.id = sv.unit_id WHERE " IN_SCOPE("su") \
	" AND (CAST(?4 AS TEXT) IS NULL OR sv.level = ?4) AND (CAST(?5 AS " \
	"TEXT) IS NULL OR sv.field = ?5))"
#define D_PART(sel, part, tail) "SELECT " sel " FROM dossiers d JOIN " \
	"procedure_versions v ON v.id = +d.version_id WHERE " D_SCOPE " AND " \
	part tail
/*
 * A statement over the three parts: 'head', then 'sel' (aggregates over
 * d and v) over each part with 'tail' (a GROUP BY, or nothing) after it,
 * in a UNION ALL, then 'foot'. Without a head, three rows for the caller
 * to sum. A GROUP BY names a column of 'sel' written with a '+'
 * ("+d.version_id AS vid" … "GROUP BY 1"): grouped through the index on
 * that column, SQLite would read every row.
 *
 * Each part aggregated apart costs half of one aggregate over the three
 * parts' rows, which SQLite would copy into a temporary table first. With
 * 'sel' thrice the text is longer than a C string literal may be, so it
 * is put together at run time, once, in 'text' (whose address is the
 * prepared statement's key: see mc_sql).
 */
struct mc_parts_sql {
	const char *head, *sel, *tail, *foot;
	_Atomic int ready;
	char text[12288];
};

#define MC_PARTS_SQL(h, s, t, f) { .head = (h), .sel = (s), .tail = (t), \
	.foot = (f) }

/* The statement of 'q', put together on first use (thread-safe). */
const char *mc_parts_sql(struct mc_parts_sql *q);
/*
 * The same dossiers one by one (the lists behind a number, a page at a
 * time): the parts' ids, and the rows they name.
 */
#define D_POP "FROM dossiers d JOIN procedure_versions v ON v.id = " \
	"d.version_id JOIN procedures p ON p.id = v.procedure_id WHERE " \
	"d.id IN (SELECT d.id FROM dossiers d WHERE " D_DONE_IN " UNION ALL " \
	"SELECT d.id FROM dossiers d WHERE " D_DONE_AFTER " UNION ALL SELECT " \
	"d.id FROM dossiers d WHERE " D_OPEN_NOW ") AND " D_SCOPE " "

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
/* The national portal has taken it (1.4). */
#define SYNCED "d.rep_synced = 1"
/* A person; one whose data the population database or VNeID gave
 * (0041). */
#define PERSON "d.rep_resident >= 1"
#define RESIDENT "d.rep_resident = 2"

#endif /* MC_STORE_REPORT_SQL_H */
