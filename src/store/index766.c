/*
 * index766.c — the counts behind the 766 index (see index766.h).
 *
 * Each indicator's denominator, numerator and parts are predicates,
 * written once below as lists (DOSSIER_PREDS, FEEDBACK_PREDS). The count
 * sums each over the period's records in one grouped query; the list of a
 * number selects by the same predicate text. Procedures are few (a
 * province has some two thousand): their rules need the working calendar
 * (announced five working days before taking effect), so they are read
 * once and judged here.
 */
#include "core/compat.h"
#include "core/mem.h"
#include "core/timeutil.h"
#include "store/dossiers.h"
#include "store/index766.h"
#include "store/report_sql.h"

#define DOSSIER_PREDS(X) \
	X("1.4:denominator", RECV) \
	X("1.4:numerator", RECV " AND " SYNCED) \
	X("2.1:denominator", "1 = 1") \
	X("2.1:numerator", ON_TIME) \
	X("2.2:denominator", RESOLVED) \
	X("3.3:denominator", RECV) \
	X("3.3:numerator", RECV " AND d.channel = 'online' AND " \
	  "(v.result_paper = 0 OR " HAS_RESULT ")") \
	X("TTTT-b:denominator", RECV " AND " FEES) \
	X("TTTT-b:numerator", RECV " AND " FEES " AND " PAID_ONLINE) \
	X("5.4:denominator", RECV) \
	X("5.4:overdue", RECV " AND " OVERDUE) \
	X("5.4:complained", RECV " AND " COMPLAINED) \
	X("4.1:denominator", RECV " AND v.result_paper = 1") \
	X("4.1:numerator", RECV " AND v.result_paper = 1 AND " HAS_RESULT) \
	X("4.2:denominator", RECV) \
	X("4.2:numerator", RECV " AND " DIGITIZED) \
	X("4.3:denominator", RECV) \
	X("4.3:numerator", RECV " AND " REUSED) \
	X("4.4:denominator", RECV) \
	X("4.4:numerator", RECV " AND (" REUSED " OR " HAS_RESULT ")") \
	X("4.5:denominator", RECV " AND " PERSON) \
	X("4.5:numerator", RECV " AND " RESIDENT)

/*
 * Feedback received in the period whose handling unit is the unit or
 * below; with a level or field, only feedback about a dossier of it.
 */
#define F_POP "FROM feedback f JOIN units u ON u.id = f.unit_id WHERE " \
	"f.received_at >= ?1 AND f.received_at < ?2 AND " IN_SCOPE("u") \
	" AND ((CAST(?4 AS TEXT) IS NULL AND " \
	"CAST(?5 AS TEXT) IS NULL) OR EXISTS (SELECT 1 FROM dossiers fd " \
	"JOIN procedure_versions fv ON fv.id = fd.version_id WHERE fd.id = " \
	"f.dossier_id AND (CAST(?4 AS TEXT) IS NULL OR fv.level = ?4) AND " \
	"(CAST(?5 AS TEXT) IS NULL OR fv.field = ?5))) "
/* A step that missed its deadline, or one overdue when judged. */
#define F_LATE "(EXISTS (SELECT 1 FROM feedback_events fe WHERE " \
	"fe.feedback_id = f.id AND fe.on_time = 0) OR (f.due_at IS NOT NULL " \
	"AND f.due_at < ?6))"
/* About a dossier that earlier feedback was about already. */
#define F_REPEATED "(f.dossier_id IS NOT NULL AND EXISTS (SELECT 1 FROM " \
	"feedback g WHERE g.dossier_id = f.dossier_id AND g.received_at < " \
	"f.received_at))"

#define FEEDBACK_PREDS(X) \
	X("5.1:denominator", "1 = 1") \
	X("5.1:numerator", "f.subject IS NOT NULL") \
	X("5.2:denominator", "1 = 1") \
	X("5.2:numerator", "NOT " F_LATE) \
	X("5.3:denominator", "1 = 1") \
	X("5.3:disliked", "f.reaction = 'dislike'") \
	X("5.3:overdue", F_LATE) \
	X("5.3:repeated", F_REPEATED)

#define KEY(k, p) k,
#define SUM_COL(k, p) "SUM(CASE WHEN " p " THEN 1 ELSE 0 END), "
#define WHEN_COL(k, p) "WHEN '" k "' THEN (" p ") "

static const char *const dossier_keys[] = { DOSSIER_PREDS(KEY) };
static const char *const feedback_keys[] = { FEEDBACK_PREDS(KEY) };

/* The index of 'key' ("ID:part") in 'keys', or -1. */
static int key_index(const char *const *keys, size_t n, const char *key)
{
	size_t k;

	for (k = 0; k < n; k++)
		if (!strcmp(keys[k], key))
			return (int)k;
	return -1;
}

/* Adds a count found under key 'key' to the indicator it belongs to. */
static void key_add(const char *key, int64_t v,
		    struct mc_ix_count out[MC_IX_COUNT])
{
	char id[16];
	const char *colon = strchr(key, ':');
	int i, k;

	memcpy(id, key, (size_t)(colon - key));
	id[colon - key] = '\0';
	i = mc_ix_find(id);
	if (!strcmp(colon + 1, "denominator"))
		out[i].denominator += v;
	else if (!strcmp(colon + 1, "numerator"))
		out[i].numerator += v;
	else if ((k = mc_ix_part_find(i, colon + 1)) >= 0)
		out[i].parts[k] += v;
}

bool mc_ix_available(int i, const struct mc_ix_scope *s)
{
	return mc_ix_defs[i].base != MC_IX_NOT_YET &&
	       (strcmp(mc_ix_defs[i].id, "1.4") || s->portal);
}

void mc_ix_bind(struct mc_stmt *st, const struct mc_ix_scope *s, bool judge)
{
	int64_t from = mc_local_day_start(s->first);
	int64_t to = mc_local_day_start(s->last + 1);

	mc_sql_time(st, 1, from);
	mc_sql_time(st, 2, to);
	mc_sql_text(st, 3, s->unit_path);
	mc_sql_text_opt(st, 4, s->level ? s->level : "");
	mc_sql_text_opt(st, 5, s->field ? s->field : "");
	if (judge)
		mc_sql_time(st, 6, s->now < to ? s->now : to);
}

/* Sums the columns of each row (one per part) of 'keys' into 'out'. */
static int count_query(struct mc_conn *c, const char *sql,
		       const char *const *keys, size_t n,
		       const struct mc_ix_scope *s,
		       struct mc_ix_count out[MC_IX_COUNT], struct mc_err *err)
{
	struct mc_stmt *st = mc_sql(c, sql, err);
	size_t k;
	int rc;

	if (!st)
		return MC_EDB;
	mc_ix_bind(st, s, true);
	while ((rc = mc_sql_step(st, err)) == 1)
		for (k = 0; k < n; k++)
			key_add(keys[k], mc_sql_col_int(st, (int)k), out);
	return rc;
}

static int32_t day_or_none(const char *s)
{
	int32_t d;

	return s && *s && !mc_date_parse(s, strlen(s), &d, NULL, 0) ? d : -1;
}

/*
 * 2.2: the working days from receipt to result of the dossiers resolved
 * in the period, summed. Counted by pairs of days (receipt, result), few
 * even for many dossiers; the receipt day is not counted (DOMAIN.md §7).
 * The days are the instants' UTC dates: receipt is always in working
 * hours, when the UTC date is the local one, and a result recorded after
 * midnight local time (before 07:00) counts on the day before.
 */
static int average_days(struct mc_conn *c, const struct mc_ix_scope *s,
			struct mc_ix_count *out, struct mc_err *err)
{
	/* Resolved in the period: its first part only. */
	static const char sql[] = D_PART("substr(d.received_at, 1, 10), "
		"substr(d.finished_at, 1, 10), COUNT(*)", D_DONE_IN, " AND "
		RESOLVED " GROUP BY 1, 2");
	struct mc_stmt *st = mc_sql(c, sql, err);
	int64_t sum = 0;
	int32_t a, b;
	int rc;

	if (!st)
		return MC_EDB;
	mc_ix_bind(st, s, false);
	while ((rc = mc_sql_step(st, err)) == 1) {
		if ((a = day_or_none(mc_sql_col_text(st, 0))) < 0 ||
		    (b = day_or_none(mc_sql_col_text(st, 1))) <= a)
			continue;
		sum += mc_sql_col_int(st, 2) *
			mc_cal_working_days_between(s->cal, a, b);
	}
	out->numerator = sum;
	return rc;
}

/* Procedures: one published version, as read. */
struct proc_row {
	char code[MC_CODE_MAX];
	int version;
	char *name;
	int32_t decision, valid_from, valid_to;	/* -1 when none */
	int64_t published_at;
	bool online, fees, account, complete;
	int64_t procedure_id;
};

struct proc_set {
	struct proc_row *rows;
	int n, cap;
	int64_t *online_ids;	/* procedures with online dossiers, sorted */
	int nonline, online_cap;
};

static void proc_set_release(struct proc_set *p)
{
	int i;

	for (i = 0; i < p->n; i++)
		mc_free(p->rows[i].name);
	mc_free(p->rows);
	mc_free(p->online_ids);
}

static int proc_read(struct mc_conn *c, const struct mc_ix_scope *s,
		     struct proc_set *p, struct mc_err *err)
{
	static const char sql[] = "SELECT p.code, v.version, v.name, "
		"v.decision_date, v.valid_from, v.valid_to, v.published_at, "
		"v.online_level, CASE WHEN EXISTS (SELECT 1 FROM "
		"procedure_fees pf WHERE pf.version_id = v.id AND pf.amount > "
		"0) THEN 1 ELSE 0 END, CASE WHEN EXISTS (SELECT 1 FROM "
		"unit_accounts a JOIN units au ON au.id = a.unit_id WHERE "
		"substr(u.path, 1, length(au.path)) = au.path) THEN 1 ELSE 0 "
		"END, (SELECT COUNT(*) FROM procedure_steps ps WHERE "
		"ps.version_id = v.id), (SELECT COUNT(*) FROM "
		"procedure_components pc WHERE pc.version_id = v.id), "
		"v.time_amount, v.result_type, v.procedure_id FROM "
		"procedure_versions v JOIN procedures p ON p.id = "
		"v.procedure_id JOIN units u ON u.id = v.unit_id WHERE v.state "
		"= 'published' AND " IN_SCOPE("u") " AND (CAST(?4 AS TEXT) "
		"IS NULL OR v.level = ?4) AND "
		"(CAST(?5 AS TEXT) IS NULL OR v.field = ?5) AND "
		"((v.decision_date >= ?1 AND v.decision_date <= ?2) OR "
		"(v.valid_from <= ?2 AND (v.valid_to IS NULL OR v.valid_to >= "
		"?1))) ORDER BY p.code, v.version";
	/* Of the period's dossiers, from the index alone (report_sql.h). */
	static struct mc_parts_sql online_sql = MC_PARTS_SQL("SELECT "
		"DISTINCT x.pid FROM (", "v.procedure_id AS pid",
		" AND " D_NOIX("d.received_at") " >= ?1 AND d.channel = "
		"'online' GROUP BY 1",
		") x ORDER BY 1");
	struct mc_stmt *st = mc_sql(c, sql, err);
	char first[11], last[11];
	struct proc_row *r;
	const char *name, *rt;
	int rc;

	memset(p, 0, sizeof(*p));
	if (!st)
		return MC_EDB;
	mc_sql_text(st, 1, mc_date_format(s->first, first, sizeof(first)));
	mc_sql_text(st, 2, mc_date_format(s->last, last, sizeof(last)));
	mc_sql_text(st, 3, s->unit_path);
	mc_sql_text_opt(st, 4, s->level ? s->level : "");
	mc_sql_text_opt(st, 5, s->field ? s->field : "");
	while ((rc = mc_sql_step(st, err)) == 1) {
		p->rows = mc_grow(p->rows, p->n, &p->cap, sizeof(*p->rows));
		r = &p->rows[p->n++];
		memset(r, 0, sizeof(*r));
		mc_sql_col_copy(st, 0, r->code, sizeof(r->code));
		r->version = (int)mc_sql_col_int(st, 1);
		name = mc_sql_col_text(st, 2);
		r->name = mc_strdup(name ? name : "");
		r->decision = day_or_none(mc_sql_col_text(st, 3));
		r->valid_from = day_or_none(mc_sql_col_text(st, 4));
		r->valid_to = day_or_none(mc_sql_col_text(st, 5));
		r->published_at = mc_sql_col_time(st, 6);
		rt = mc_sql_col_text(st, 7);
		r->online = rt && strcmp(rt, "none");
		r->fees = mc_sql_col_int(st, 8) != 0;
		r->account = mc_sql_col_int(st, 9) != 0;
		rt = mc_sql_col_text(st, 13);
		/*
		 * The parts ND 63/2010 Art. 8(2) asks to publish that the
		 * catalog holds: name, steps, components, time, result
		 * and competent unit (publishing requires most already).
		 */
		r->complete = *r->name && mc_sql_col_int(st, 10) > 0 &&
			mc_sql_col_int(st, 11) > 0 &&
			mc_sql_col_int(st, 12) > 0 && rt && *rt;
		r->procedure_id = mc_sql_col_int(st, 14);
	}
	if (rc < 0)
		return rc;
	if (!(st = mc_sql(c, mc_parts_sql(&online_sql), err)))
		return MC_EDB;
	mc_ix_bind(st, s, false);
	while ((rc = mc_sql_step(st, err)) == 1) {
		p->online_ids = mc_grow(p->online_ids, p->nonline,
					&p->online_cap,
					sizeof(*p->online_ids));
		p->online_ids[p->nonline++] = mc_sql_col_int(st, 0);
	}
	return rc;
}

static bool has_online(const struct proc_set *p, int64_t id)
{
	int lo = 0, hi = p->nonline;

	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;

		if (p->online_ids[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < p->nonline && p->online_ids[lo] == id;
}

/* The procedure keys, in the order proc_flags sets their bits. */
static const char *const proc_keys[] = {
	"1.1:denominator", "1.1:numerator", "1.2:denominator",
	"1.2:numerator", "1.3:denominator", "1.3:numerator",
	"3.1:denominator", "3.1:numerator", "3.2:denominator",
	"3.2:numerator", "TTTT-a:denominator", "TTTT-a:numerator",
};

/*
 * Which numbers row 'k' counts in: a version announced in the period
 * counts in 1.1 and 1.2 (on time: decided five working days before it
 * takes effect, published within five after the decision — the
 * province's limits); the last version of a procedure in force in the
 * period counts in 1.3, 3.1, 3.2 and TTTT-a.
 */
static unsigned proc_flags(const struct proc_set *p, int k,
			   const struct mc_ix_scope *s)
{
	const struct proc_row *r = &p->rows[k];
	const struct mc_calendar *cal = s->cal;
	unsigned f = 0;
	bool in_force;

	if (r->decision >= s->first && r->decision <= s->last) {
		f |= 1u << 0 | 1u << 2;
		if (r->valid_from >= 0 && r->decision <=
		    mc_cal_shift_working_days(cal, r->valid_from, -5))
			f |= 1u << 1;
		if (r->published_at != MC_NO_TIME &&
		    mc_local_day(r->published_at) <=
		    mc_cal_shift_working_days(cal, r->decision, 5))
			f |= 1u << 3;
	}
	in_force = r->valid_from >= 0 && r->valid_from <= s->last &&
		(r->valid_to < 0 || r->valid_to >= s->first);
	/* The last in force: no later version of it is. */
	if (in_force && k + 1 < p->n && !strcmp(p->rows[k + 1].code,
						 r->code)) {
		const struct proc_row *q = &p->rows[k + 1];

		if (q->valid_from >= 0 && q->valid_from <= s->last &&
		    (q->valid_to < 0 || q->valid_to >= s->first))
			in_force = false;
	}
	if (!in_force)
		return f;
	f |= 1u << 4 | 1u << 6;
	if (r->complete)
		f |= 1u << 5;
	if (r->online) {
		f |= 1u << 7 | 1u << 8;
		if (has_online(p, r->procedure_id))
			f |= 1u << 9;
	}
	if (r->fees) {
		f |= 1u << 10;
		if (s->province_collects || r->account)
			f |= 1u << 11;
	}
	return f;
}

int mc_ix_count_all(struct mc_conn *c, const struct mc_ix_scope *s,
		    struct mc_ix_count out[MC_IX_COUNT], struct mc_err *err)
{
	static struct mc_parts_sql dsql = MC_PARTS_SQL("",
		DOSSIER_PREDS(SUM_COL) "0", "", "");
	static const char fsql[] = "SELECT " FEEDBACK_PREDS(SUM_COL) "0 "
		F_POP;
	struct proc_set p;
	size_t b;
	int i, k, rc;

	memset(out, 0, sizeof(*out) * MC_IX_COUNT);
	for (i = 0; i < MC_IX_COUNT; i++)
		out[i].available = mc_ix_available(i, s);
	if ((rc = count_query(c, mc_parts_sql(&dsql), dossier_keys,
			      MC_ARRAY_SIZE(dossier_keys), s, out, err)) ||
	    (rc = average_days(c, s, &out[mc_ix_find("2.2")], err)) ||
	    (rc = count_query(c, fsql, feedback_keys,
			      MC_ARRAY_SIZE(feedback_keys), s, out, err)))
		return rc;
	rc = proc_read(c, s, &p, err);
	for (k = 0; !rc && k < p.n; k++) {
		unsigned f = proc_flags(&p, k, s);

		for (b = 0; b < MC_ARRAY_SIZE(proc_keys); b++)
			if (f & 1u << b)
				key_add(proc_keys[b], 1, out);
	}
	proc_set_release(&p);
	return rc;
}

/* The listing of dossiers or feedback: a count, then a page. */
static int64_t list_sql(struct mc_conn *c, const struct mc_ix_scope *s,
			enum mc_ix_base kind, const char *key,
			int64_t offset, int limit, mc_ix_item_fn *fn,
			void *arg, struct mc_err *err)
{
	static const char dcount[] = "SELECT COUNT(*) " D_POP "AND CASE "
		"CAST(?7 AS TEXT) " DOSSIER_PREDS(WHEN_COL) "ELSE FALSE END";
	static const char dpage[] = "SELECT d.code, p.code, d.status, "
		"d.received_at, d.finished_at " D_POP "AND CASE CAST(?7 AS "
		"TEXT) " DOSSIER_PREDS(WHEN_COL) "ELSE FALSE END ORDER BY "
		"d.code LIMIT ?8 OFFSET ?9";
	static const char fcount[] = "SELECT COUNT(*) " F_POP "AND CASE "
		"CAST(?7 AS TEXT) " FEEDBACK_PREDS(WHEN_COL) "ELSE FALSE END";
	static const char fpage[] = "SELECT f.code, '', f.status, "
		"f.received_at, f.closed_at " F_POP "AND CASE CAST(?7 AS TEXT) "
		FEEDBACK_PREDS(WHEN_COL) "ELSE FALSE END ORDER BY f.code LIMIT "
		"?8 OFFSET ?9";
	bool dossiers = kind == MC_IX_DOSSIERS;
	struct mc_stmt *st;
	struct mc_ix_item it;
	int64_t total;
	int rc;

	if (!(st = mc_sql(c, dossiers ? dcount : fcount, err)))
		return MC_EDB;
	mc_ix_bind(st, s, true);
	mc_sql_text(st, 7, key);
	if ((rc = mc_sql_step(st, err)) != 1)
		return rc < 0 ? rc : mc_error(err, MC_EINTERNAL, "no count");
	total = mc_sql_col_int(st, 0);
	mc_sql_reset(st);
	if (!(st = mc_sql(c, dossiers ? dpage : fpage, err)))
		return MC_EDB;
	mc_ix_bind(st, s, true);
	mc_sql_text(st, 7, key);
	mc_sql_int(st, 8, limit);
	mc_sql_int(st, 9, offset);
	while ((rc = mc_sql_step(st, err)) == 1) {
		memset(&it, 0, sizeof(it));
		it.kind = kind;
		mc_sql_col_copy(st, 0, it.code, sizeof(it.code));
		mc_sql_col_copy(st, 1, it.procedure_code,
				sizeof(it.procedure_code));
		mc_sql_col_copy(st, 2, it.status, sizeof(it.status));
		it.at = mc_sql_col_time(st, 3);
		it.finished_at = mc_sql_col_time(st, 4);
		fn(&it, arg);
	}
	return rc < 0 ? rc : total;
}

/* The procedures behind bit 'b' of proc_flags, ordered by code. */
static int64_t list_procedures(struct mc_conn *c, const struct mc_ix_scope *s,
			       int b, int64_t offset, int limit,
			       mc_ix_item_fn *fn, void *arg,
			       struct mc_err *err)
{
	struct proc_set p;
	struct mc_ix_item it;
	int64_t total = 0;
	int k, rc;

	if ((rc = proc_read(c, s, &p, err))) {
		proc_set_release(&p);
		return rc;
	}
	for (k = 0; k < p.n; k++) {
		if (!(proc_flags(&p, k, s) & 1u << b))
			continue;
		if (total++ < offset || total > offset + limit)
			continue;
		memset(&it, 0, sizeof(it));
		it.kind = MC_IX_PROCEDURES;
		snprintf(it.code, sizeof(it.code), "%s", p.rows[k].code);
		snprintf(it.procedure_code, sizeof(it.procedure_code), "%s",
			 p.rows[k].code);
		snprintf(it.name, sizeof(it.name), "%s", p.rows[k].name);
		snprintf(it.status, sizeof(it.status), "published");
		it.version = p.rows[k].version;
		it.at = p.rows[k].published_at;
		it.finished_at = MC_NO_TIME;
		fn(&it, arg);
	}
	proc_set_release(&p);
	return total;
}

int64_t mc_ix_list(struct mc_conn *c, const struct mc_ix_scope *s, int i,
		   const char *part, int64_t offset, int limit,
		   mc_ix_item_fn *fn, void *arg, struct mc_err *err)
{
	const struct mc_ix_def *d = &mc_ix_defs[i];
	char key[48];
	int b;

	snprintf(key, sizeof(key), "%s:%s", d->id, part);
	if (!mc_ix_available(i, s))
		return mc_err_field(err, "indicator", "available", "%s needs a "
				    "national system motcua is not connected "
				    "to yet", d->id);
	switch (d->base) {
	case MC_IX_DOSSIERS:
		if (key_index(dossier_keys, MC_ARRAY_SIZE(dossier_keys),
			      key) >= 0)
			return list_sql(c, s, d->base, key, offset, limit, fn,
					arg, err);
		break;
	case MC_IX_FEEDBACK:
		if (key_index(feedback_keys, MC_ARRAY_SIZE(feedback_keys),
			      key) >= 0)
			return list_sql(c, s, d->base, key, offset, limit, fn,
					arg, err);
		break;
	case MC_IX_PROCEDURES:
		if ((b = key_index(proc_keys, MC_ARRAY_SIZE(proc_keys),
				   key)) >= 0)
			return list_procedures(c, s, b, offset, limit, fn, arg,
					       err);
		break;
	case MC_IX_NOT_YET:
		break;
	}
	return mc_err_field(err, "part", "enum", "indicator %s has no part "
			    "\"%s\"", d->id, part);
}
