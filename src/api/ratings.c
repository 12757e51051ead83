/*
 * ratings.c — satisfaction ratings over HTTP (docs/ratings.md): the
 * applicant rates after the result was returned, or the counter records
 * a rating on its kiosk; leaders follow up the unsatisfied; rates by
 * unit, procedure and officer over a period.
 */
#include "core/compat.h"
#include "core/err.h"
#include "core/mem.h"
#include "core/parse.h"
#include "core/sha256.h"
#include "core/timeutil.h"
#include "api/api.h"
#include "api/util.h"
#include "app.h"
#include "store/citizens.h"
#include "store/dossiers.h"
#include "store/ratings.h"

static const char *const levels[] = { "very_satisfied", "satisfied",
				      "not_satisfied", NULL };
static const char *const criteria_set[] = { "time", "attitude", "guidance",
					    "procedure", "facilities", NULL };

json_t *mc_api_rating_json(const struct mc_rating *r)
{
	json_t *crit = json_array();
	const char *p = r->criteria;

	while (*p) {
		size_t n = strcspn(p, ",");

		json_array_append_new(crit, json_stringn(p, n));
		p += n + (p[n] == ',');
	}
	return json_pack("{s:I, s:s, s:s, s:o, s:s, s:s, s:o, s:o, s:o, "
		"s:{s:o, s:o, s:o, s:o}}",
		"id", (json_int_t)r->id, "dossier_code", r->dossier_code,
		"level", r->level, "criteria", crit, "comment", r->comment,
		"source", r->source, "created_at", mc_api_time(r->created_at),
		"updated_at", mc_api_time(r->updated_at), "changeable_until",
		mc_api_time(r->changeable_until), "followup",
		"due_at", mc_api_time(r->followup_due_at),
		"done_at", mc_api_time(r->followup_done_at),
		"by", mc_api_text(r->followup_by),
		"note", mc_api_text(r->followup_note));
}

struct rate {
	struct mc_api_write aw;
	struct mc_rating_in in;
	char code[96];
	char level[24];
	char criteria[MC_RATING_CRITERIA_MAX];
	char comment[MC_RATING_COMMENT_MAX];
	char id_number[24];
	struct mc_user officer;
	struct mc_rating out;
	bool created;
};

static int rate_fn(struct mc_conn *c, struct mc_api_write *aw,
		   struct mc_err *err)
{
	struct rate *w = (struct rate *)aw;

	return mc_rating_put(c, &w->in, &w->out, &w->created, err);
}

static void rate_reply(struct mc_req *r, struct mc_api_write *aw)
{
	struct rate *w = (struct rate *)aw;

	mc_reply_json(r, w->created ? 201 : 200,
		      mc_api_rating_json(&w->out));
}

/* Reads the body into 'w'; answers 400 itself and returns -1 if bad. */
static int rate_parse(struct mc_req *r, struct rate *w)
{
	static const char *const known[] = { "level", "criteria", "comment",
					     NULL };
	struct mc_app *app = mc_req_app(r);
	struct mc_err err = MC_ERR_INIT;
	json_t *body, *list, *it;
	size_t i, n = 0;
	int bad = 0;

	if (!(body = mc_api_body(r)))
		return -1;
	bad |= mc_api_known(body, "", known, &err);
	bad |= mc_api_str(body, "", "level", true, 23, w->level,
			  sizeof(w->level), &err);
	if (w->level[0] && !mc_api_one_of(w->level, levels))
		bad |= mc_err_field(&err, "level", "one_of", "very_satisfied, "
				    "satisfied or not_satisfied");
	bad |= mc_api_str(body, "", "comment", false, 1000, w->comment,
			  sizeof(w->comment), &err);
	if (mc_api_list(body, "criteria", 5, &list, &err) < 0)
		bad = -1;
	json_array_foreach(list, i, it) {
		const char *v = json_string_value(it);
		char field[32];

		snprintf(field, sizeof(field), "criteria[%zu]", i);
		if (!v || !mc_api_one_of(v, criteria_set)) {
			bad |= mc_err_field(&err, field, "one_of", "time, "
					    "attitude, guidance, procedure or "
					    "facilities");
			continue;
		}
		n += (size_t)snprintf(w->criteria + n, sizeof(w->criteria) - n,
				      "%s%s", n ? "," : "", v);
	}
	json_decref(body);
	if (bad) {
		mc_reply_err(r, &err);
		return -1;
	}
	snprintf(w->code, sizeof(w->code), "%s", mc_req_param(r, "code"));
	w->in.code = w->code;
	w->in.level = w->level;
	w->in.criteria = w->criteria;
	w->in.comment = w->comment;
	w->in.cal = app->cal;
	w->in.now = mc_api_now(app);
	w->in.change_window_s = app->cfg.rating_change_window_ms / 1000;
	w->in.followup_days = app->cfg.rating_followup_days;
	w->aw.fn = rate_fn;
	w->aw.reply = rate_reply;
	return 0;
}

/* POST /api/v1/citizen/dossiers/{code}/rating: the applicant rates. */
void api_citizen_rate(struct mc_req *r)
{
	struct rate *w = mc_calloc(1, sizeof(*w));
	struct mc_citizen cz;
	char hash[MC_SHA256_HEX];

	if (mc_api_citizen(r, &cz, hash) || rate_parse(r, w)) {
		mc_free(w);
		return;
	}
	snprintf(w->id_number, sizeof(w->id_number), "%s", cz.id_number);
	w->in.citizen_id = cz.id;
	w->in.citizen_id_number = w->id_number;
	mc_api_write_submit(r, &w->aw);
}

/* POST /api/v1/dossiers/{code}/rating: on the counter's kiosk. */
void api_dossiers_rate(struct mc_req *r)
{
	struct rate *w = mc_calloc(1, sizeof(*w));
	struct mc_dossier *d;

	if (mc_api_user(r, &w->officer) ||
	    mc_api_require_role(r, &w->officer,
				1u << MC_ROLE_COUNTER_OFFICER)) {
		mc_free(w);
		return;
	}
	/* Only at the counter that may see the dossier. */
	d = mc_calloc(1, sizeof(*d));
	if (mc_dossier_get(mc_req_db_primary(r), mc_req_param(r, "code"), d,
			   NULL) || !mc_dossier_visible(d, &w->officer)) {
		mc_dossier_release(d);
		mc_free(d);
		mc_free(w);
		mc_reply_problem(r, 404, "not-found", "Không tìm thấy",
				 "no such dossier", NULL);
		return;
	}
	mc_dossier_release(d);
	mc_free(d);
	if (rate_parse(r, w)) {
		mc_free(w);
		return;
	}
	w->in.officer = &w->officer;
	mc_api_write_submit(r, &w->aw);
}

/* GET /api/v1/dossiers/{code}/rating */
void api_dossiers_rating(struct mc_req *r)
{
	struct mc_err err = MC_ERR_INIT;
	struct mc_dossier *d = mc_calloc(1, sizeof(*d));
	struct mc_rating rt;
	struct mc_user me;

	if (mc_api_user(r, &me)) {
		mc_free(d);
		return;
	}
	if (mc_dossier_get(mc_req_db(r), mc_req_param(r, "code"), d, NULL) ||
	    !mc_dossier_visible(d, &me) ||
	    mc_rating_get(mc_req_db(r), d->code, &rt, &err)) {
		mc_dossier_release(d);
		mc_free(d);
		if (err.code && err.code != MC_ENOTFOUND) {
			mc_reply_err(r, &err);
			return;
		}
		mc_reply_problem(r, 404, "not-found", "Không tìm thấy",
				 "no such dossier, or not rated yet", NULL);
		return;
	}
	mc_dossier_release(d);
	mc_free(d);
	mc_reply_json(r, 200, mc_api_rating_json(&rt));
}

struct list {
	json_t *items;
	int64_t last;
};

static void followup_item(const struct mc_rating *rt, void *arg)
{
	struct list *l = arg;

	json_array_append_new(l->items, mc_api_rating_json(rt));
	l->last = rt->id;
}

static const unsigned leaders = 1u << MC_ROLE_LEADER | 1u << MC_ROLE_ADMIN;

/* GET /api/v1/ratings/followups?status=open|done */
void api_ratings_followups(struct mc_req *r)
{
	static const char *const allowed[] = { "status", "limit", "cursor",
					       NULL };
	struct mc_err err = MC_ERR_INIT;
	struct list l = { NULL, 0 };
	struct mc_user me;
	const char *status = mc_req_query(r, "status"), *v;
	long cursor = 0;
	int limit, n;

	if (mc_api_user(r, &me) || mc_api_require_role(r, &me, leaders))
		return;
	if (mc_req_query_check(r, allowed, &err) ||
	    mc_api_limit(r, 50, 500, &limit, &err) ||
	    ((v = mc_req_query(r, "cursor")) &&
	     mc_parse_int("cursor", v, 1, LONG_MAX, &cursor, &err))) {
		if (err.code)
			mc_reply_err(r, &err);
		return;
	}
	if (status && strcmp(status, "open") && strcmp(status, "done")) {
		mc_err_field(&err, "status", "one_of", "open or done");
		mc_reply_err(r, &err);
		return;
	}
	l.items = json_array();
	n = mc_rating_followups(mc_req_db(r), me.unit_path,
				!status || !strcmp(status, "open"), cursor,
				limit, followup_item, &l, &err);
	if (n < 0) {
		json_decref(l.items);
		mc_reply_err(r, &err);
		return;
	}
	mc_api_page_after(r, l.items, n == limit, l.last);
}

struct done {
	struct mc_api_write aw;
	int64_t id, now;
	struct mc_user leader;
	char note[MC_RATING_COMMENT_MAX];
};

static int done_fn(struct mc_conn *c, struct mc_api_write *aw,
		   struct mc_err *err)
{
	struct done *w = (struct done *)aw;

	return mc_rating_followup_done(c, w->id, &w->leader, w->note, w->now,
				       err);
}

static void done_reply(struct mc_req *r, struct mc_api_write *aw)
{
	struct done *w = (struct done *)aw;

	mc_reply_json(r, 200, json_pack("{s:I, s:s}", "id",
					(json_int_t)w->id, "followup",
					"done"));
}

/* POST /api/v1/ratings/{id}/followup {"note": …} */
void api_ratings_followup(struct mc_req *r)
{
	static const char *const known[] = { "note", NULL };
	struct mc_err err = MC_ERR_INIT;
	struct done *w = mc_calloc(1, sizeof(*w));
	json_t *body;
	long id = 0;
	int bad = 0;

	if (mc_api_user(r, &w->leader) ||
	    mc_api_require_role(r, &w->leader, 1u << MC_ROLE_LEADER) ||
	    !(body = mc_api_body(r))) {
		mc_free(w);
		return;
	}
	bad |= mc_api_known(body, "", known, &err);
	bad |= mc_api_str(body, "", "note", true, 1000, w->note,
			  sizeof(w->note), &err);
	json_decref(body);
	if (mc_parse_int("id", mc_req_param(r, "id"), 1, LONG_MAX, &id, &err))
		bad = -1;
	if (bad) {
		mc_free(w);
		mc_reply_err(r, &err);
		return;
	}
	w->id = id;
	w->now = mc_api_now(mc_req_app(r));
	w->aw.fn = done_fn;
	w->aw.reply = done_reply;
	mc_api_write_submit(r, &w->aw);
}

static void stats_row(const struct mc_rating_row *row, void *arg)
{
	int64_t total = row->very_satisfied + row->satisfied +
			row->not_satisfied;

	json_array_append_new(arg, json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, "
		"s:f}", "key", row->key, "name", row->name, "very_satisfied",
		(json_int_t)row->very_satisfied, "satisfied",
		(json_int_t)row->satisfied, "not_satisfied",
		(json_int_t)row->not_satisfied, "total", (json_int_t)total,
		"satisfaction_rate", total ? (double)(row->very_satisfied +
		row->satisfied) * 100.0 / (double)total : 0.0));
}

/* GET /api/v1/ratings/stats?from=&to=&group_by= */
void api_ratings_stats(struct mc_req *r)
{
	static const char *const allowed[] = { "from", "to", "group_by",
					       NULL };
	static const char *const groups[] = { "unit", "procedure", "officer",
					      NULL };
	struct mc_err err = MC_ERR_INIT;
	const char *g = mc_req_query(r, "group_by");
	const char *from = mc_req_query(r, "from"), *to = mc_req_query(r, "to");
	char f[24], t[24];
	int32_t d1 = 0, d2 = 0;
	struct mc_user me;
	json_t *items;
	int n, bad = 0;

	if (mc_api_user(r, &me) ||
	    mc_api_require_role(r, &me, leaders |
				1u << MC_ROLE_CONTROL_OFFICER))
		return;
	if (mc_req_query_check(r, allowed, &err)) {
		mc_reply_err(r, &err);
		return;
	}
	if (!from)
		bad |= mc_err_field(&err, "from", "required", "the first day, "
				    "YYYY-MM-DD");
	else
		bad |= mc_parse_date("from", from, &d1, &err);
	if (!to)
		bad |= mc_err_field(&err, "to", "required", "the last day, "
				    "YYYY-MM-DD");
	else
		bad |= mc_parse_date("to", to, &d2, &err);
	if (!bad && d2 < d1)
		bad |= mc_err_field(&err, "to", "order", "not before from");
	if (g && !mc_api_one_of(g, groups))
		bad |= mc_err_field(&err, "group_by", "one_of", "unit, "
				    "procedure or officer");
	if (bad) {
		mc_reply_err(r, &err);
		return;
	}
	mc_store_time(mc_local_day_start(d1), f);
	mc_store_time(mc_local_day_start(d2 + 1), t);
	items = json_array();
	n = mc_rating_stats(mc_req_db(r), me.unit_path, f, t,
			    !g || !strcmp(g, "unit") ? MC_RG_UNIT :
			    !strcmp(g, "procedure") ? MC_RG_PROCEDURE :
			    MC_RG_OFFICER, stats_row, items, &err);
	if (n < 0) {
		json_decref(items);
		mc_reply_err(r, &err);
		return;
	}
	mc_reply_json(r, 200, json_pack("{s:s, s:s, s:s, s:o}", "from", from,
					"to", to, "group_by", g ? g : "unit",
					"items", items));
}
