/*
 * ratings.c — satisfaction ratings (see ratings.h).
 */
#include "core/compat.h"
#include "core/err.h"
#include "core/mem.h"
#include "core/timeutil.h"
#include "domain/lifecycle.h"
#include "store/dossiers.h"
#include "store/ratings.h"

/*
 * Within a unit path: a dossier that unit (or one below it) received or
 * handled (dossier_units), so the leaders of the counter and of the
 * agency that resolved it both see its rating.
 */
#define IN_SCOPE(p) "EXISTS (SELECT 1 FROM dossier_units du JOIN units hu " \
	"ON hu.id = du.unit_id WHERE du.dossier_id = d.id AND substr(" \
	"hu.path, 1, length(CAST(" p " AS TEXT))) = " p ")"

#define RATING_COLS "r.id, d.code, u.code, r.level, r.criteria, r.comment, " \
	"r.source, r.created_at, r.updated_at, r.changeable_until, " \
	"r.followup_due_at, r.followup_done_at, COALESCE(f.username, ''), " \
	"COALESCE(r.followup_note, '') FROM ratings r JOIN dossiers d ON " \
	"d.id = r.dossier_id JOIN units u ON u.id = d.unit_id LEFT JOIN " \
	"users f ON f.id = r.followup_by "

static void rating_row(struct mc_stmt *s, struct mc_rating *out)
{
	memset(out, 0, sizeof(*out));
	out->id = mc_sql_col_int(s, 0);
	mc_sql_col_copy(s, 1, out->dossier_code, sizeof(out->dossier_code));
	mc_sql_col_copy(s, 2, out->unit_code, sizeof(out->unit_code));
	mc_sql_col_copy(s, 3, out->level, sizeof(out->level));
	mc_sql_col_copy(s, 4, out->criteria, sizeof(out->criteria));
	mc_sql_col_copy(s, 5, out->comment, sizeof(out->comment));
	mc_sql_col_copy(s, 6, out->source, sizeof(out->source));
	out->created_at = mc_sql_col_time(s, 7);
	out->updated_at = mc_sql_col_time(s, 8);
	out->changeable_until = mc_sql_col_time(s, 9);
	out->followup_due_at = mc_sql_col_time(s, 10);
	out->followup_done_at = mc_sql_col_time(s, 11);
	mc_sql_col_copy(s, 12, out->followup_by, sizeof(out->followup_by));
	mc_sql_col_copy(s, 13, out->followup_note,
			sizeof(out->followup_note));
}

int mc_rating_get(struct mc_conn *c, const char *code, struct mc_rating *out,
		  struct mc_err *err)
{
	static const char sql[] = "SELECT " RATING_COLS "WHERE d.code = ?1";
	struct mc_stmt *s = mc_sql(c, sql, err);
	int rc;

	if (!s)
		return MC_EDB;
	mc_sql_text(s, 1, code);
	rc = mc_sql_step(s, err);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return mc_error(err, MC_ENOTFOUND, "dossier %s has no rating",
				code);
	rating_row(s, out);
	mc_sql_reset(s);
	return 0;
}

int mc_rating_put(struct mc_conn *c, const struct mc_rating_in *in,
		  struct mc_rating *out, bool *created, struct mc_err *err)
{
	static const char ins[] = "INSERT INTO ratings (province_code, "
		"dossier_id, level, criteria, comment, source, citizen_id, "
		"user_id, created_at, updated_at, changeable_until, "
		"followup_due_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
		"?9, ?10, ?11)";
	/*
	 * Changed to "not satisfied": a fresh follow-up; changed away from
	 * it: an open follow-up is closed; otherwise it stays as it is.
	 * (On the right, 'level' is the rating before the change.)
	 */
#define TO_UNHAPPY "(?2 = 'not_satisfied' AND level <> 'not_satisfied')"
#define FROM_UNHAPPY "(?2 <> 'not_satisfied' AND level = 'not_satisfied' " \
	"AND followup_done_at IS NULL)"
	static const char upd[] = "UPDATE ratings SET level = ?2, criteria = "
		"?3, comment = ?4, updated_at = ?5, followup_due_at = CASE WHEN "
		TO_UNHAPPY " THEN ?6 ELSE followup_due_at END, "
		"followup_done_at = CASE WHEN " TO_UNHAPPY " THEN NULL WHEN "
		FROM_UNHAPPY " THEN ?5 ELSE followup_done_at END, followup_by "
		"= CASE WHEN " TO_UNHAPPY " OR " FROM_UNHAPPY " THEN NULL ELSE "
		"followup_by END, followup_note = CASE WHEN " TO_UNHAPPY " THEN "
		"NULL WHEN " FROM_UNHAPPY " THEN 'Công dân đã thay đổi đánh "
		"giá' ELSE followup_note END WHERE id = ?1";
#undef TO_UNHAPPY
#undef FROM_UNHAPPY
	struct mc_dossier *d = mc_calloc(1, sizeof(*d));
	bool unhappy = !strcmp(in->level, "not_satisfied");
	struct mc_period p = { in->followup_days, MC_DUE_WORKING_DAYS };
	struct mc_stmt *s;
	int64_t due = MC_NO_TIME, received;
	int rc;

	*created = false;
	rc = mc_dossier_get_head(c, in->code, d, err);
	if (rc)
		goto out;
	if (in->citizen_id_number &&
	    strcmp(d->applicant_id, in->citizen_id_number) != 0) {
		rc = mc_error(err, MC_ENOTFOUND, "dossier %s not found",
			      in->code);
		goto out;
	}
	if (d->status != MC_ST_RETURNED) {
		rc = mc_err_rule(err, MC_ECONFLICT, "status", "status", "a "
				 "dossier is rated once its result has been "
				 "returned; it is %s", mc_status_name(d->status));
		goto out;
	}
	if (unhappy && (rc = mc_lc_due(in->cal, p, in->now, &received, &due,
				       err)))
		goto out;
	rc = mc_rating_get(c, in->code, out, NULL);
	if (rc == 0) {
		if (in->now > out->changeable_until) {
			char until[32];

			rc = mc_err_rule(err, MC_ECONFLICT, "level",
					 "rating_window", "the rating could "
					 "be changed until %s",
					 mc_time_format_local(
						 out->changeable_until, until,
						 sizeof(until)));
			goto out;
		}
		if (!(s = mc_sql(c, upd, err))) {
			rc = MC_EDB;
			goto out;
		}
		mc_sql_int(s, 1, out->id);
		mc_sql_text(s, 2, in->level);
		mc_sql_text(s, 3, in->criteria);
		mc_sql_text(s, 4, in->comment);
		mc_sql_time(s, 5, in->now);
		mc_sql_time(s, 6, due);
		rc = mc_sql_exec(s, err);
	} else if (rc == MC_ENOTFOUND) {
		if (!(s = mc_sql(c, ins, err))) {
			rc = MC_EDB;
			goto out;
		}
		mc_sql_text(s, 1, d->province_code);
		mc_sql_int(s, 2, d->id);
		mc_sql_text(s, 3, in->level);
		mc_sql_text(s, 4, in->criteria);
		mc_sql_text(s, 5, in->comment);
		mc_sql_text(s, 6, in->officer ? "kiosk" : "citizen");
		mc_sql_id(s, 7, in->citizen_id);
		mc_sql_id(s, 8, in->officer ? in->officer->id : 0);
		mc_sql_time(s, 9, in->now);
		mc_sql_time(s, 10, in->now + in->change_window_s);
		mc_sql_time(s, 11, due);
		rc = mc_sql_exec(s, err);
		*created = rc == 0;
	}
	if (!rc)
		rc = mc_rating_get(c, in->code, out, err);
out:
	mc_dossier_release(d);
	mc_free(d);
	return rc;
}

int mc_rating_followups(struct mc_conn *c, const char *scope_path, bool open,
			int64_t after_id, int limit, mc_rating_fn *fn,
			void *arg, struct mc_err *err)
{
	static const char sql[] = "SELECT " RATING_COLS "WHERE "
		"r.followup_due_at IS NOT NULL AND ((?2 = 1 AND "
		"r.followup_done_at IS NULL) OR (?2 = 0 AND r.followup_done_at "
		"IS NOT NULL)) AND " IN_SCOPE("?1") " AND r.id > ?3 ORDER BY "
		"r.id LIMIT ?4";
	struct mc_rating *r = mc_malloc(sizeof(*r));
	struct mc_stmt *s = mc_sql(c, sql, err);
	int n = 0, rc;

	if (!s) {
		mc_free(r);
		return MC_EDB;
	}
	mc_sql_text(s, 1, scope_path);
	mc_sql_int(s, 2, open);
	mc_sql_int(s, 3, after_id);
	mc_sql_int(s, 4, limit);
	while ((rc = mc_sql_step(s, err)) == 1) {
		rating_row(s, r);
		fn(r, arg);
		n++;
	}
	mc_free(r);
	return rc < 0 ? rc : n;
}

int mc_rating_followup_done(struct mc_conn *c, int64_t id,
			    const struct mc_user *leader, const char *note,
			    int64_t now, struct mc_err *err)
{
	static const char get[] = "SELECT " IN_SCOPE("?2") ", "
		"r.followup_due_at IS NOT NULL AND r.followup_done_at IS NULL "
		"FROM ratings r JOIN dossiers d ON d.id = r.dossier_id WHERE "
		"r.id = ?1";
	static const char upd[] = "UPDATE ratings SET followup_done_at = ?2, "
		"followup_by = ?3, followup_note = ?4 WHERE id = ?1";
	struct mc_stmt *s = mc_sql(c, get, err);
	bool open, mine;
	int rc;

	if (!s)
		return MC_EDB;
	mc_sql_int(s, 1, id);
	mc_sql_text(s, 2, leader->unit_path);
	rc = mc_sql_step(s, err);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return mc_error(err, MC_ENOTFOUND, "no rating %" PRId64, id);
	mine = mc_sql_col_int(s, 0) != 0;
	open = mc_sql_col_int(s, 1) != 0;
	mc_sql_reset(s);
	if (!mine)
		return mc_error(err, MC_ENOTFOUND, "no rating %" PRId64, id);
	if (!open)
		return mc_err_rule(err, MC_ECONFLICT, "rating", "followup",
				   "rating %" PRId64 " has no open follow-up",
				   id);
	if (!(s = mc_sql(c, upd, err)))
		return MC_EDB;
	mc_sql_int(s, 1, id);
	mc_sql_time(s, 2, now);
	mc_sql_int(s, 3, leader->id);
	mc_sql_text(s, 4, note);
	return mc_sql_exec(s, err);
}

#define STATS_SUMS "SUM(CASE WHEN r.level = 'very_satisfied' THEN 1 ELSE 0 " \
	"END), SUM(CASE WHEN r.level = 'satisfied' THEN 1 ELSE 0 END), " \
	"SUM(CASE WHEN r.level = 'not_satisfied' THEN 1 ELSE 0 END) FROM " \
	"ratings r JOIN dossiers d ON d.id = r.dossier_id JOIN units u ON " \
	"u.id = d.unit_id "
#define STATS_WHERE "WHERE r.created_at >= ?2 AND r.created_at < ?3 AND " \
	IN_SCOPE("?1") " "

int mc_rating_stats(struct mc_conn *c, const char *scope_path,
		    const char *from, const char *to, enum mc_rating_group g,
		    mc_rating_row_fn *fn, void *arg, struct mc_err *err)
{
	static const char by_unit[] = "SELECT u.code, u.name, " STATS_SUMS
		STATS_WHERE "GROUP BY u.code, u.name ORDER BY u.code";
	static const char by_proc[] = "SELECT p.code, MIN(v.name), "
		STATS_SUMS "JOIN procedure_versions v ON v.id = d.version_id "
		"JOIN procedures p ON p.id = v.procedure_id " STATS_WHERE
		"GROUP BY p.code ORDER BY p.code";
	static const char by_officer[] = "SELECT COALESCE(o.username, ''), "
		"COALESCE(o.full_name, ''), " STATS_SUMS "LEFT JOIN users o ON "
		"o.id = d.created_by " STATS_WHERE "GROUP BY o.username, "
		"o.full_name ORDER BY 1";
	struct mc_rating_row row;
	struct mc_stmt *s = mc_sql(c, g == MC_RG_UNIT ? by_unit :
				   g == MC_RG_PROCEDURE ? by_proc :
				   by_officer, err);
	int n = 0, rc;

	if (!s)
		return MC_EDB;
	mc_sql_text(s, 1, scope_path);
	mc_sql_text(s, 2, from);
	mc_sql_text(s, 3, to);
	while ((rc = mc_sql_step(s, err)) == 1) {
		memset(&row, 0, sizeof(row));
		mc_sql_col_copy(s, 0, row.key, sizeof(row.key));
		mc_sql_col_copy(s, 1, row.name, sizeof(row.name));
		row.very_satisfied = mc_sql_col_int(s, 2);
		row.satisfied = mc_sql_col_int(s, 3);
		row.not_satisfied = mc_sql_col_int(s, 4);
		fn(&row, arg);
		n++;
	}
	return rc < 0 ? rc : n;
}
