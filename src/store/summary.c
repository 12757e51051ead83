/*
 * summary.c — the figures of a period's report (see summary.h).
 */
#include "core/compat.h"
#include "core/timeutil.h"
#include "store/report_sql.h"
#include "store/summary.h"

const char *const mc_sum_channels[5] = { "portal", "letter", "hotline",
					 "counter", "web" };
const char *const mc_sum_levels[MC_SUM_LEVELS] = { "province", "district",
						   "commune" };

/* The level of a competent unit: district, commune, or the province's. */
#define LEVEL_OF "CASE u.level WHEN 'district' THEN 1 WHEN 'commune' THEN 2 " \
	"ELSE 0 END"
/*
 * Record 'r' (messages m, ratings r, payments pm) is about a dossier of
 * the unit (competent unit at or below it), of the level ?4 and field ?5
 * (NULL: all). When the scope is every unit, every level and field, no
 * dossier is read: tens of thousands of rows not read for the province's
 * report.
 */
#define ALL_UNITS "(CAST(?4 AS TEXT) IS NULL AND CAST(?5 AS TEXT) IS NULL " \
	"AND NOT EXISTS (SELECT 1 FROM units au WHERE NOT (" IN_SCOPE("au") \
	")))"
#define OF_UNIT(r) r ".dossier_id IS NOT NULL AND (" ALL_UNITS " OR " \
	"EXISTS (SELECT 1 FROM dossiers d JOIN procedure_versions v ON v.id " \
	"= d.version_id JOIN units u ON u.id = v.unit_id WHERE d.id = " r \
	".dossier_id AND " IN_SCOPE("u") " AND (CAST(?4 AS TEXT) IS NULL OR " \
	"v.level = ?4) AND (CAST(?5 AS TEXT) IS NULL OR v.field = ?5))) "
#define SAME_DAY "substr(d.finished_at, 1, 10) = substr(d.received_at, 1, 10)"

/*
 * The period's instants (?1, ?2), the unit (?3) and, for a statement
 * that asks of procedures, the level and field (?4, ?5).
 */
static void bind(struct mc_stmt *st, const struct mc_ix_scope *s,
		 bool procedures)
{
	if (procedures) {
		mc_ix_bind(st, s, false);
		return;
	}
	mc_sql_time(st, 1, mc_local_day_start(s->first));
	mc_sql_time(st, 2, mc_local_day_start(s->last + 1));
	mc_sql_text(st, 3, s->unit_path);
}

/*
 * What is counted of each dossier of the period, by the level of its
 * competent unit, the unit, and whether a centre of the report's unit
 * received it: summed by version and centre over each part of the period
 * (report_sql.h), then by level and unit.
 */
#define FIG_SUM(p, c) "SUM(CASE WHEN " p " THEN 1 ELSE 0 END) AS " c ", "
static struct mc_parts_sql figures_sql = MC_PARTS_SQL("SELECT " LEVEL_OF
	", v.unit_id, x.centre, SUM(x.c3), SUM(x.c4), SUM(x.c5), SUM(x.c6), "
	"SUM(x.c7), SUM(x.c8), SUM(x.c9), SUM(x.c10), SUM(x.c11), "
	"SUM(x.c12) FROM (", "+d.version_id AS vid, CASE WHEN d.unit_id IN (SELECT r.id "
	"FROM units r JOIN units rp ON rp.id = r.parent_id WHERE r.level = "
	"'center' AND (rp.path = ?3 OR '~' || rp.path = ?3)) THEN 1 ELSE 0 "
	"END AS centre, "
	FIG_SUM(RECV, "c3")
	FIG_SUM(RECV " AND d.channel = 'online'", "c4")
	FIG_SUM(DONE, "c5")
	FIG_SUM(DONE " AND (d.timeliness IS NULL OR d.timeliness <> 'late')",
		"c6")
	FIG_SUM(RECV " AND " DIGITIZED, "c7")
	FIG_SUM(RECV " AND " RESOLVED " AND " SAME_DAY, "c8")
	FIG_SUM(RECV " AND d.channel = 'postal'", "c9")
	FIG_SUM(RECV " AND d.return_channel = 'postal'", "c10")
	FIG_SUM(RECV " AND " REUSED, "c11")
	"SUM(CASE WHEN " RECV " THEN d.rep_asked_again ELSE 0 END) AS c12",
	" GROUP BY 1, 2", ") x JOIN procedure_versions v ON v.id = x.vid "
	"JOIN units u ON u.id = v.unit_id GROUP BY 1, 2, 3 ORDER BY 1, 2");
#undef FIG_SUM

/* One row's counts into 'l'. */
static void level_add(struct mc_stmt *st, struct mc_sum_level *l)
{
	l->received += mc_sql_col_int(st, 3);
	l->online += mc_sql_col_int(st, 4);
	l->resolved += mc_sql_col_int(st, 5);
	l->on_time += mc_sql_col_int(st, 6);
	l->digitized += mc_sql_col_int(st, 7);
}

/*
 * The dossiers' figures. A competent unit counts once in its level's
 * agencies (and once in the centre's) when it received any.
 */
static int dossiers(struct mc_conn *c, const struct mc_ix_scope *s,
		    struct mc_summary *o, struct mc_err *err)
{
	struct mc_stmt *st = mc_sql(c, mc_parts_sql(&figures_sql), err);
	int64_t last_k = -1, last_unit = 0;
	bool level_counted = false;
	int rc;

	if (!st)
		return MC_EDB;
	bind(st, s, true);
	while ((rc = mc_sql_step(st, err)) == 1) {
		int64_t k = mc_sql_col_int(st, 0), unit = mc_sql_col_int(st, 1);
		bool received = mc_sql_col_int(st, 3) > 0;
		struct mc_sum_level *l;

		k = k >= 0 && k < MC_SUM_LEVELS ? k : 0;
		l = &o->level[k];
		if (k != last_k || unit != last_unit)
			level_counted = false;
		last_k = k;
		last_unit = unit;
		level_add(st, l);
		if (received && !level_counted) {
			l->agencies++;
			level_counted = true;
		}
		if (mc_sql_col_int(st, 2)) {
			level_add(st, &o->centre);
			o->centre.agencies += received;
		}
		o->on_the_spot += mc_sql_col_int(st, 8);
		o->postal_in += mc_sql_col_int(st, 9);
		o->postal_out += mc_sql_col_int(st, 10);
		o->reused += mc_sql_col_int(st, 11);
		o->asked_again += mc_sql_col_int(st, 12);
	}
	return rc;
}

/* A statement of the period's instants and unit (?1–?3), bound (see bind). */
static struct mc_stmt *period_sql(struct mc_conn *c, const char *sql,
				  const struct mc_ix_scope *s, bool procedures,
				  struct mc_err *err)
{
	struct mc_stmt *st = mc_sql(c, sql, err);

	if (st)
		bind(st, s, procedures);
	return st;
}

/* The first 'n' integer columns of a statement's one row into 'v'. */
static int one_row(struct mc_stmt *st, int64_t *v, int n,
		   struct mc_err *err)
{
	int i, rc;

	memset(v, 0, sizeof(*v) * (size_t)n);
	if (!st)
		return MC_EDB;
	if ((rc = mc_sql_step(st, err)) != 1)
		return rc;
	for (i = 0; i < n; i++)
		v[i] = mc_sql_col_int(st, i);
	mc_sql_reset(st);
	return 0;
}

/* The rest: one row each, or grouped by a key. */
static int others(struct mc_conn *c, const struct mc_ix_scope *s,
		  struct mc_summary *o, struct mc_err *err)
{
	static const char decisions[] = "SELECT COUNT(DISTINCT "
		"v.decision_number), COUNT(*) FROM procedure_versions v JOIN "
		"units u ON u.id = v.unit_id WHERE v.state = 'published' AND "
		"v.decision_date >= ?1 AND v.decision_date <= ?2 AND "
		IN_SCOPE("u") " AND (CAST(?4 AS TEXT) IS NULL OR v.level = "
		"?4) AND (CAST(?5 AS TEXT) IS NULL OR v.field = ?5)";
	static const char sms[] = "SELECT COUNT(*) FROM messages m WHERE "
		OF_UNIT("m") "AND m.channel = 'sms' AND m.status IN ('sent', "
		"'delivered') AND m.sent_at >= ?1 AND m.sent_at < ?2";
	static const char ratings[] = "SELECT COUNT(*), SUM(CASE WHEN "
		"r.level <> 'not_satisfied' THEN 1 ELSE 0 END) FROM ratings r "
		"WHERE " OF_UNIT("r") "AND r.created_at >= ?1 AND r.created_at "
		"< ?2";
	static const char feedback[] = "SELECT f.channel, COUNT(*) FROM "
		"feedback f JOIN units u ON u.id = f.unit_id WHERE "
		"f.received_at >= ?1 AND f.received_at < ?2 AND " IN_SCOPE("u")
		" GROUP BY f.channel";
	static const char payments[] = "SELECT pm.method, COUNT(*), "
		"SUM(pm.amount) FROM payments pm WHERE " OF_UNIT("pm") "AND "
		"pm.paid_at >= ?1 AND pm.paid_at < ?2 GROUP BY pm.method";
	struct mc_stmt *st;
	char first[11], last[11];
	int64_t v[2];
	const char *key;
	size_t k;
	int rc;

	st = mc_sql(c, decisions, err);
	if (st) {
		mc_sql_text(st, 1, mc_date_format(s->first, first,
						  sizeof(first)));
		mc_sql_text(st, 2, mc_date_format(s->last, last, sizeof(last)));
		mc_sql_text(st, 3, s->unit_path);
		mc_sql_text_opt(st, 4, s->level ? s->level : "");
		mc_sql_text_opt(st, 5, s->field ? s->field : "");
	}
	if ((rc = one_row(st, v, 2, err)))
		return rc;
	o->decisions = v[0];
	o->announced = v[1];
	if ((rc = one_row(period_sql(c, sms, s, true, err), &o->sms, 1, err)) ||
	    (rc = one_row(period_sql(c, ratings, s, true, err), v, 2, err)))
		return rc;
	o->ratings = v[0];
	o->satisfied = v[1];
	if (!(st = period_sql(c, feedback, s, false, err)))
		return MC_EDB;
	while ((rc = mc_sql_step(st, err)) == 1) {
		key = mc_sql_col_text(st, 0);
		for (k = 0; key && k < MC_ARRAY_SIZE(mc_sum_channels); k++)
			if (!strcmp(key, mc_sum_channels[k]))
				o->feedback_channel[k] += mc_sql_col_int(st, 1);
		o->feedback += mc_sql_col_int(st, 1);
	}
	if (rc < 0 || !(st = period_sql(c, payments, s, true, err)))
		return rc < 0 ? rc : MC_EDB;
	while ((rc = mc_sql_step(st, err)) == 1) {
		int64_t n = mc_sql_col_int(st, 1), amount = mc_sql_col_int(st,
									     2);

		key = mc_sql_col_text(st, 0);
		if (key && !strcmp(key, "platform")) {
			o->paid_platform += n;
			o->paid_platform_amount += amount;
		} else if (key && !strcmp(key, "transfer")) {
			o->paid_transfer += n;
			o->paid_transfer_amount += amount;
		} else {
			o->paid_counter += n;
			o->paid_counter_amount += amount;
		}
	}
	return rc;
}

int mc_summary_count(struct mc_conn *c, const struct mc_ix_scope *s,
		     struct mc_summary *out, struct mc_err *err)
{
	int rc, k;

	memset(out, 0, sizeof(*out));
	if ((rc = dossiers(c, s, out, err)) || (rc = others(c, s, out, err)))
		return rc;
	for (k = 0; k < MC_SUM_LEVELS; k++) {
		out->total.received += out->level[k].received;
		out->total.online += out->level[k].online;
		out->total.resolved += out->level[k].resolved;
		out->total.on_time += out->level[k].on_time;
		out->total.digitized += out->level[k].digitized;
		out->total.agencies += out->level[k].agencies;
	}
	return 0;
}

int mc_summary_trend(struct mc_conn *c, const struct mc_ix_scope *s,
		     struct mc_summary *out, struct mc_err *err)
{
	/* By the hour (UTC) they finished: the local month is found here. */
	static const char sql[] = "SELECT substr(d.finished_at, 1, 13), "
		"COUNT(*), SUM(CASE WHEN d.timeliness IS NULL OR d.timeliness "
		"<> 'late' THEN 1 ELSE 0 END) FROM dossiers d WHERE " D_SCOPE
		" AND d.finished_at >= ?1 AND d.finished_at < ?2 GROUP BY 1 "
		"ORDER BY 1";
	struct mc_stmt *st = period_sql(c, sql, s, true, err);
	struct mc_ymd f = mc_ymd_from_days(s->first);
	char hour[24];
	int rc, k;

	out->nmonths = 0;
	if (!st)
		return MC_EDB;
	while ((rc = mc_sql_step(st, err)) == 1) {
		struct mc_ymd m;
		int64_t t;

		snprintf(hour, sizeof(hour), "%.13s:00:00Z",
			 mc_sql_col_text(st, 0) ? mc_sql_col_text(st, 0) : "");
		if ((t = mc_store_time_parse(hour)) == MC_NO_TIME)
			continue;
		m = mc_ymd_from_days(mc_local_day(t));
		k = (m.year - f.year) * 12 + m.month - f.month;
		if (k < 0 || k >= (int)MC_ARRAY_SIZE(out->months))
			continue;
		while (out->nmonths <= k) {
			int y = f.year + (f.month - 1 + out->nmonths) / 12;
			int mo = (f.month - 1 + out->nmonths) % 12 + 1;

			out->months[out->nmonths].year = y;
			out->months[out->nmonths].month = mo;
			out->nmonths++;
		}
		out->months[k].resolved += mc_sql_col_int(st, 1);
		out->months[k].on_time += mc_sql_col_int(st, 2);
	}
	return rc;
}
