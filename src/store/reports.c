/*
 * reports.c — the counts behind the reports (see reports.h).
 */
#include "core/compat.h"
#include "core/mem.h"
#include "core/sha256.h"
#include "core/timeutil.h"
#include "store/report_sql.h"
#include "store/reports.h"

int mc_report_b06(struct mc_conn *c, int64_t from, int64_t to,
		  int64_t judged, const char *unit_path, mc_b06_fn *fn,
		  void *arg, struct mc_err *err)
{
	/*
	 * Summed by procedure version over each part of the period
	 * (report_sql.h), then by level and field. Open dossiers are judged
	 * at ?6.
	 */
#define B06_SUM(p, c) "SUM(CASE WHEN " p " THEN 1 ELSE 0 END) AS " c ", "
	static struct mc_parts_sql sql = MC_PARTS_SQL("SELECT v.level, "
		"v.field, SUM(x.c1), SUM(x.c2), SUM(x.c3), SUM(x.c4), "
		"SUM(x.c5), SUM(x.c6), SUM(x.c7), SUM(x.c8), SUM(x.c9) FROM (",
		"+d.version_id AS vid, "
		B06_SUM("d.received_at < ?1", "c1")
		B06_SUM(RECV " AND d.channel = 'online'", "c2")
		B06_SUM(RECV " AND d.channel <> 'online'", "c3")
		B06_SUM(DONE " AND d.timeliness = 'early'", "c4")
		B06_SUM(DONE " AND (d.timeliness = 'on_time' OR d.timeliness "
			"IS NULL)", "c5")
		B06_SUM(DONE " AND d.timeliness = 'late'", "c6")
		B06_SUM(DONE " AND d.status IN ('refused', 'stopped', "
			"'withdrawn')", "c7")
		B06_SUM(OPEN " AND NOT " LATE_AT, "c8")
		"SUM(CASE WHEN " OPEN " AND " LATE_AT " THEN 1 ELSE 0 END) AS c9",
		" GROUP BY 1", ") x JOIN procedure_versions v ON v.id = "
		"x.vid GROUP BY v.level, v.field ORDER BY v.level DESC, "
		"v.field");
#undef B06_SUM
	struct mc_b06_row row;
	struct mc_stmt *s = mc_sql(c, mc_parts_sql(&sql), err);
	int rc, n = 0;

	if (!s)
		return MC_EDB;
	mc_sql_time(s, 1, from);
	mc_sql_time(s, 2, to);
	mc_sql_text(s, 3, unit_path);
	mc_sql_null(s, 4);
	mc_sql_null(s, 5);
	mc_sql_time(s, 6, judged);
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

void mc_snapshot_release(struct mc_snapshot *s)
{
	mc_free(s->body);
	s->body = NULL;
}

int mc_snapshot_add(struct mc_conn *c, const char *kind, int64_t unit_id,
		    const char *first, const char *last, const char *body,
		    const char *sha256, int64_t by, int64_t now,
		    struct mc_err *err)
{
	/* One statement, so that of two closers exactly one wins. */
	static const char sql[] = "INSERT INTO report_snapshots (kind, "
		"unit_id, first_day, last_day, body, sha256, closed_at, "
		"closed_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT "
		"DO NOTHING";
	struct mc_stmt *s = mc_sql(c, sql, err);
	int rc;

	if (!s)
		return MC_EDB;
	mc_sql_text(s, 1, kind);
	mc_sql_int(s, 2, unit_id);
	mc_sql_text(s, 3, first);
	mc_sql_text(s, 4, last);
	mc_sql_text(s, 5, body);
	mc_sql_text(s, 6, sha256);
	mc_sql_time(s, 7, now);
	mc_sql_int(s, 8, by);
	if ((rc = mc_sql_exec(s, err)))
		return rc;
	return mc_sql_changes(c) == 1 ? 0 :
	       mc_err_rule(err, MC_ECONFLICT, "period", "closed", "the period "
			   "%s – %s is closed already for this unit", first,
			   last);
}

#define SNAP_COLS "r.id, r.kind, r.first_day, r.last_day, r.body, " \
	"r.sha256, r.closed_at, u.username FROM report_snapshots r JOIN " \
	"users u ON u.id = r.closed_by "

static void snap_row(struct mc_stmt *s, struct mc_snapshot *o)
{
	const char *body = mc_sql_col_text(s, 4);

	memset(o, 0, sizeof(*o));
	o->id = mc_sql_col_int(s, 0);
	mc_sql_col_copy(s, 1, o->kind, sizeof(o->kind));
	mc_sql_col_copy(s, 2, o->first, sizeof(o->first));
	mc_sql_col_copy(s, 3, o->last, sizeof(o->last));
	o->body = mc_strdup(body ? body : "");
	mc_sql_col_copy(s, 5, o->sha256, sizeof(o->sha256));
	o->closed_at = mc_sql_col_time(s, 6);
	mc_sql_col_copy(s, 7, o->closed_by, sizeof(o->closed_by));
}

int mc_snapshot_get(struct mc_conn *c, const char *kind, int64_t unit_id,
		    const char *first, const char *last,
		    struct mc_snapshot *out, struct mc_err *err)
{
	static const char sql[] = "SELECT " SNAP_COLS "WHERE r.kind = ?1 AND "
		"r.unit_id = ?2 AND r.first_day = ?3 AND r.last_day = ?4";
	struct mc_stmt *s = mc_sql(c, sql, err);
	int rc;

	memset(out, 0, sizeof(*out));
	if (!s)
		return MC_EDB;
	mc_sql_text(s, 1, kind);
	mc_sql_int(s, 2, unit_id);
	mc_sql_text(s, 3, first);
	mc_sql_text(s, 4, last);
	if ((rc = mc_sql_step(s, err)) != 1)
		return rc < 0 ? rc : mc_error(err, MC_ENOTFOUND, "not closed");
	snap_row(s, out);
	mc_sql_reset(s);
	return 0;
}

int mc_snapshot_verify(struct mc_conn *c, mc_snapshot_bad_fn *bad, void *arg,
		       int64_t *checked, struct mc_err *err)
{
	static const char sql[] = "SELECT " SNAP_COLS "ORDER BY r.id";
	struct mc_stmt *s = mc_sql(c, sql, err);
	struct mc_snapshot o;
	char hex[MC_SHA256_HEX];
	int rc, broken = 0;

	*checked = 0;
	if (!s)
		return MC_EDB;
	while ((rc = mc_sql_step(s, err)) == 1) {
		snap_row(s, &o);
		mc_sha256_hex(o.body, strlen(o.body), hex);
		if (strcmp(hex, o.sha256)) {
			broken++;
			if (bad)
				bad(&o, arg);
		}
		(*checked)++;
		mc_snapshot_release(&o);
	}
	mc_sql_reset(s);
	return rc < 0 ? rc : broken;
}

int64_t mc_register_list(struct mc_conn *c, int64_t unit_id, int32_t first,
			 int32_t last, int max, mc_register_fn *fn, void *arg,
			 struct mc_err *err)
{
	static const char count[] = "SELECT COUNT(*) FROM dossiers d WHERE "
		"d.unit_id = ?1 AND d.received_at >= ?2 AND d.received_at < ?3";
	/*
	 * The agency: the first step's unit other than the receiving one.
	 * One line past 'max' says there are too many.
	 */
	static const char sql[] = "SELECT d.code, v.name, d.applicant_name, "
		"COALESCE(d.applicant_address, ''), COALESCE("
		"d.applicant_phone, ''), COALESCE((SELECT su.name FROM "
		"dossier_steps s JOIN units su ON su.id = s.unit_id WHERE "
		"s.dossier_id = d.id AND s.unit_id <> d.unit_id ORDER BY "
		"s.ordinal LIMIT 1), u.name), d.status, d.return_channel, "
		"d.received_at, COALESCE(d.original_due_at, d.due_at), (SELECT "
		"MIN(s.started_at) FROM dossier_steps s WHERE s.dossier_id = "
		"d.id AND s.unit_id <> d.unit_id), d.finished_at, d.returned_at "
		"FROM dossiers d JOIN procedure_versions v ON v.id = "
		"d.version_id JOIN units u ON u.id = v.unit_id WHERE d.unit_id = "
		"?1 AND d.received_at >= ?2 AND d.received_at < ?3 ORDER BY "
		"d.received_at, d.id LIMIT ?4";
	struct mc_register_row row;
	struct mc_stmt *s = mc_sql(c, sql, err);
	int64_t n = 0;
	int rc;

	if (!s)
		return MC_EDB;
	mc_sql_int(s, 1, unit_id);
	mc_sql_time(s, 2, mc_local_day_start(first));
	mc_sql_time(s, 3, mc_local_day_start(last + 1));
	mc_sql_int(s, 4, (int64_t)max + 1);
	while ((rc = mc_sql_step(s, err)) == 1) {
		if (n == max) {
			mc_sql_reset(s);
			break;
		}
		memset(&row, 0, sizeof(row));
		mc_sql_col_copy(s, 0, row.code, sizeof(row.code));
		mc_sql_col_copy(s, 1, row.procedure, sizeof(row.procedure));
		mc_sql_col_copy(s, 2, row.applicant, sizeof(row.applicant));
		mc_sql_col_copy(s, 3, row.address, sizeof(row.address));
		mc_sql_col_copy(s, 4, row.phone, sizeof(row.phone));
		mc_sql_col_copy(s, 5, row.agency, sizeof(row.agency));
		mc_sql_col_copy(s, 6, row.status, sizeof(row.status));
		mc_sql_col_copy(s, 7, row.return_channel,
				sizeof(row.return_channel));
		row.received_at = mc_sql_col_time(s, 8);
		row.due_at = mc_sql_col_time(s, 9);
		row.forwarded_at = mc_sql_col_time(s, 10);
		row.finished_at = mc_sql_col_time(s, 11);
		row.returned_at = mc_sql_col_time(s, 12);
		fn(&row, arg);
		n++;
	}
	if (rc < 0)
		return rc;
	if (rc == 0 || n < max)
		return n;
	/* Too many: how many, for the refusal. */
	if (!(s = mc_sql(c, count, err)))
		return MC_EDB;
	mc_sql_int(s, 1, unit_id);
	mc_sql_time(s, 2, mc_local_day_start(first));
	mc_sql_time(s, 3, mc_local_day_start(last + 1));
	if ((rc = mc_sql_step(s, err)) != 1)
		return rc < 0 ? rc : MC_EDB;
	n = mc_sql_col_int(s, 0);
	mc_sql_reset(s);
	return mc_err_field(err, "to", "max", "%" PRId64 " dossiers in the "
			    "period; a register prints at most %d: take a "
			    "shorter period", n, max);
}
