/*
 * queue.c — the centre's floor over HTTP (docs/queue.md): its service
 * groups and counters; the kiosk's tickets and the display board (no
 * sign-in: devices on the centre's floor); the officer's call, finish,
 * no-show and the visit's rating at the counter's tablet; the figures.
 */
#include "core/compat.h"
#include "core/mem.h"
#include "core/parse.h"
#include "core/timeutil.h"
#include "api/api.h"
#include "api/util.h"
#include "app.h"
#include "store/queue.h"

#include <jansson.h>

static json_t *ticket_json(const struct mc_queue_ticket *t)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, "
		"s:o, s:o}", "id", (json_int_t)t->id, "number", t->number,
		"service", t->service, "service_name", t->service_name,
		"status", t->status, "issued_at", mc_api_time(t->issued_at),
		"called_at", mc_api_time(t->called_at), "finished_at",
		mc_api_time(t->finished_at), "counter", t->counter ?
		json_integer(t->counter) : json_null(), "officer",
		mc_api_text(t->officer), "dossier_code",
		mc_api_text(t->dossier_code), "rating", mc_api_text(t->rating));
}

static json_t *config_json(const struct mc_unit *u,
			   const struct mc_queue_config *cfg)
{
	json_t *sv = json_array(), *ct = json_array();
	int i;

	for (i = 0; i < cfg->nservices; i++)
		json_array_append_new(sv, json_pack("{s:s, s:s}", "code",
			cfg->services[i].code, "name", cfg->services[i].name));
	for (i = 0; i < cfg->ncounters; i++)
		json_array_append_new(ct, json_pack("{s:i, s:s, s:o}",
			"number", cfg->counters[i].number, "name",
			cfg->counters[i].name,
			"services", mc_api_list_of(cfg->counters[i].services)));
	return json_pack("{s:{s:s, s:s}, s:o, s:o}", "unit", "code", u->code,
			 "name", u->name, "services", sv, "counters", ct);
}

/* The unit of path parameter "code"; answers 404 itself when none. */
static int unit_of(struct mc_req *r, const char *code, struct mc_unit *u)
{
	struct mc_err err = MC_ERR_INIT;

	if (!code || mc_unit_get(mc_req_db(r), code, u, &err)) {
		if (!err.code)
			mc_error(&err, MC_ENOTFOUND, "no unit");
		mc_reply_err(r, &err);
		return -1;
	}
	return 0;
}


/* GET /api/v1/units/{code}/queue */
void api_queue_config_get(struct mc_req *r)
{
	struct mc_err err = MC_ERR_INIT;
	struct mc_queue_config *cfg;
	struct mc_user me;
	struct mc_unit u;

	if (mc_api_user(r, &me) || unit_of(r, mc_req_param(r, "code"), &u))
		return;
	cfg = mc_calloc(1, sizeof(*cfg));
	if (mc_queue_config_get(mc_req_db(r), u.id, cfg, &err))
		mc_reply_err(r, &err);
	else
		mc_reply_json(r, 200, config_json(&u, cfg));
	mc_free(cfg);
}

struct config_write {
	struct mc_api_write aw;
	struct mc_unit unit;
	struct mc_queue_config cfg;
};

static int config_fn(struct mc_conn *c, struct mc_api_write *aw,
		     struct mc_err *err)
{
	struct config_write *w = (struct config_write *)aw;

	return mc_queue_config_put(c, w->unit.id, &w->cfg, err);
}

static void config_reply(struct mc_req *r, struct mc_api_write *aw)
{
	struct config_write *w = (struct config_write *)aw;

	mc_reply_json(r, 200, config_json(&w->unit, &w->cfg));
}

/* A group's letter: one of A … Z. */
static bool letter(const char *s)
{
	return s && s[0] >= 'A' && s[0] <= 'Z' && !s[1];
}

/* The services of counter item 'k' ("A,B") into 'out', checked. */
static int counter_services(json_t *k, const char *path, char *out,
			    size_t n, struct mc_err *err)
{
	json_t *list = json_object_get(k, "services"), *v;
	size_t i, len = 0;
	char field[64];

	snprintf(field, sizeof(field), "%s.services", path);
	if (!json_is_array(list) || !json_array_size(list))
		return mc_err_field(err, field, "required", "the groups the "
				    "counter serves, at least one");
	out[0] = '\0';
	json_array_foreach(list, i, v) {
		if (!letter(json_string_value(v)) || i >= MC_QUEUE_MAX_SERVICES)
			return mc_err_field(err, field, "format", "letters "
					    "A to Z, at most %d",
					    MC_QUEUE_MAX_SERVICES);
		len += (size_t)snprintf(out + len, n - len, "%s%s",
					i ? "," : "", json_string_value(v));
	}
	return 0;
}

/*
 * PUT /api/v1/units/{code}/queue {"services": [{"code", "name"}],
 * "counters": [{"number", "name", "services": ["A"]}]}
 */
void api_queue_config_put(struct mc_req *r)
{
	static const char *const known[] = { "services", "counters", NULL };
	static const char *const sknown[] = { "code", "name", NULL };
	static const char *const cknown[] = { "number", "name", "services",
		NULL };
	struct mc_err err = MC_ERR_INIT;
	struct config_write *w;
	struct mc_user me;
	json_t *body, *list, *it;
	size_t i, j;
	int bad = 0, n;

	if (mc_api_user(r, &me) ||
	    mc_api_require_role(r, &me, 1u << MC_ROLE_ADMIN |
				1u << MC_ROLE_CONTROL_OFFICER))
		return;
	w = mc_calloc(1, sizeof(*w));
	if (unit_of(r, mc_req_param(r, "code"), &w->unit)) {
		mc_free(w);
		return;
	}
	if (!mc_unit_within(w->unit.path, me.unit_path)) {
		mc_free(w);
		mc_error(&err, MC_ENOTFOUND, "no unit %s in your units",
			 mc_req_param(r, "code"));
		mc_reply_err(r, &err);
		return;
	}
	if (!(body = mc_api_body(r))) {
		mc_free(w);
		return;
	}
	bad |= mc_api_known(body, "", known, &err);
	n = mc_api_list(body, "services", MC_QUEUE_MAX_SERVICES, &list, &err);
	bad |= n < 0;
	json_array_foreach(n > 0 ? list : NULL, i, it) {
		struct mc_queue_service *s = &w->cfg.services[i];
		char path[40];

		if (mc_api_item(it, "services", i, path, sizeof(path), &err)) {
			bad = 1;
			continue;
		}
		bad |= mc_api_known(it, path, sknown, &err);
		bad |= mc_api_str(it, path, "code", true, 1, s->code,
				  sizeof(s->code), &err);
		bad |= mc_api_str(it, path, "name", true, sizeof(s->name) - 1,
				  s->name, sizeof(s->name), &err);
		if (s->code[0] && !letter(s->code))
			bad |= mc_err_field(&err, "services[].code", "format",
					    "a letter A to Z");
		for (j = 0; j < i; j++)
			if (s->code[0] && !strcmp(w->cfg.services[j].code,
						  s->code))
				bad |= mc_err_field(&err, "services[].code",
						    "unique", "letter %s twice",
						    s->code);
		w->cfg.nservices = (int)i + 1;
	}
	n = mc_api_list(body, "counters", MC_QUEUE_MAX_COUNTERS, &list, &err);
	bad |= n < 0;
	json_array_foreach(n > 0 ? list : NULL, i, it) {
		struct mc_queue_counter *k = &w->cfg.counters[i];
		char path[40];
		int64_t number = 0;

		if (mc_api_item(it, "counters", i, path, sizeof(path), &err)) {
			bad = 1;
			continue;
		}
		bad |= mc_api_known(it, path, cknown, &err);
		bad |= mc_api_int(it, path, "number", true, 1,
				  MC_QUEUE_MAX_COUNTERS, 0, &number, &err);
		k->number = (int)number;
		bad |= mc_api_str(it, path, "name", true, sizeof(k->name) - 1,
				  k->name, sizeof(k->name), &err);
		bad |= counter_services(it, path, k->services,
					sizeof(k->services), &err);
		for (j = 0; j < i; j++)
			if (k->number && w->cfg.counters[j].number == k->number)
				bad |= mc_err_field(&err, "counters[].number",
						    "unique", "counter %d twice",
						    k->number);
		w->cfg.ncounters = (int)i + 1;
	}
	json_decref(body);
	if (bad) {
		mc_free(w);
		mc_reply_err(r, &err);
		return;
	}
	w->aw.fn = config_fn;
	w->aw.reply = config_reply;
	mc_api_write_submit(r, &w->aw);
}

/* GET /api/v1/public/queue/{code}: the board and the kiosk's groups. */
void api_queue_board(struct mc_req *r)
{
	struct mc_err err = MC_ERR_INIT;
	struct mc_queue_config *cfg;
	struct mc_queue_board *b;
	json_t *serving, *groups;
	struct mc_unit u;
	int64_t now = mc_api_now(mc_req_app(r));
	int i, k;

	if (mc_req_query_check(r, (const char *const[]){ NULL }, &err)) {
		mc_reply_err(r, &err);
		return;
	}
	if (unit_of(r, mc_req_param(r, "code"), &u))
		return;
	b = mc_calloc(1, sizeof(*b));
	cfg = mc_calloc(1, sizeof(*cfg));
	if (mc_queue_board_get(mc_req_db(r), u.id, mc_local_day(now), b,
			       &err) ||
	    mc_queue_config_get(mc_req_db(r), u.id, cfg, &err)) {
		mc_reply_err(r, &err);
		goto done;
	}
	serving = json_array();
	for (i = 0; i < b->nserving; i++) {
		const char *name = "";

		for (k = 0; k < cfg->ncounters; k++)
			if (cfg->counters[k].number == b->serving[i].counter)
				name = cfg->counters[k].name;
		json_array_append_new(serving, json_pack("{s:I, s:i, s:s, "
			"s:s, s:s, s:o}", "id", (json_int_t)b->serving[i].id,
			"counter", b->serving[i].counter,
			"counter_name", name, "number", b->serving[i].number,
			"service", b->serving[i].service, "called_at",
			mc_api_time(b->serving[i].called_at)));
	}
	groups = json_array();
	for (i = 0; i < b->nwaiting; i++)
		json_array_append_new(groups, json_pack("{s:s, s:s, s:i, s:o}",
			"code", b->waiting[i].service, "name",
			b->waiting[i].name, "waiting", b->waiting[i].waiting,
			"next", mc_api_text(b->waiting[i].next)));
	mc_reply_json(r, 200, json_pack("{s:{s:s, s:s}, s:o, s:o, s:o}",
		"unit", "code", u.code, "name", u.name, "at",
		mc_api_time(now), "services", groups, "serving", serving));
done:
	mc_free(cfg);
	mc_free(b);
}

struct issue_write {
	struct mc_api_write aw;
	int64_t unit_id;
	char service[2];
	int ahead;
	struct mc_queue_ticket out;
};

static int issue_fn(struct mc_conn *c, struct mc_api_write *aw,
		    struct mc_err *err)
{
	struct issue_write *w = (struct issue_write *)aw;

	return mc_queue_issue(c, w->unit_id, w->service, aw->now, &w->out,
			      &w->ahead, err);
}

static void issue_reply(struct mc_req *r, struct mc_api_write *aw)
{
	struct issue_write *w = (struct issue_write *)aw;
	json_t *j = ticket_json(&w->out);

	json_object_set_new(j, "ahead", json_integer(w->ahead));
	mc_reply_json(r, 201, j);
}

/* POST /api/v1/public/queue/{code}/tickets {"service": "A"}: the kiosk. */
void api_queue_issue(struct mc_req *r)
{
	static const char *const known[] = { "service", NULL };
	struct mc_err err = MC_ERR_INIT;
	struct issue_write *w;
	struct mc_unit u;
	json_t *body;
	int bad = 0;

	if (unit_of(r, mc_req_param(r, "code"), &u) ||
	    !(body = mc_api_body(r)))
		return;
	w = mc_calloc(1, sizeof(*w));
	w->unit_id = u.id;
	bad |= mc_api_known(body, "", known, &err);
	bad |= mc_api_str(body, "", "service", true, 1, w->service,
			  sizeof(w->service), &err);
	json_decref(body);
	if (bad) {
		mc_free(w);
		mc_reply_err(r, &err);
		return;
	}
	w->aw.fn = issue_fn;
	w->aw.reply = issue_reply;
	mc_api_write_submit(r, &w->aw);
}

struct call_write {
	struct mc_api_write aw;
	int64_t unit_id, officer_id;
	int counter;
	struct mc_queue_ticket out;
};

static int call_fn(struct mc_conn *c, struct mc_api_write *aw,
		   struct mc_err *err)
{
	struct call_write *w = (struct call_write *)aw;

	return mc_queue_call(c, w->unit_id, w->counter, w->officer_id,
			     aw->now, &w->out, err);
}

static void call_reply(struct mc_req *r, struct mc_api_write *aw)
{
	struct call_write *w = (struct call_write *)aw;

	mc_reply_json(r, 200, json_pack("{s:o}", "ticket", w->out.id ?
				       ticket_json(&w->out) : json_null()));
}

/*
 * POST /api/v1/queue/call {"counter": 3, "unit_code": "…"}: the counter
 * calls its next ticket (unit_code default: the officer's own unit).
 */
void api_queue_call(struct mc_req *r)
{
	static const char *const known[] = { "counter", "unit_code", NULL };
	struct mc_err err = MC_ERR_INIT;
	struct call_write *w;
	struct mc_user me;
	struct mc_unit u;
	char code[MC_CODE_MAX] = "";
	int64_t counter = 0;
	json_t *body;
	int bad = 0;

	if (mc_api_user(r, &me) ||
	    mc_api_require_role(r, &me, 1u << MC_ROLE_COUNTER_OFFICER) ||
	    !(body = mc_api_body(r)))
		return;
	bad |= mc_api_known(body, "", known, &err);
	bad |= mc_api_int(body, "", "counter", true, 1, MC_QUEUE_MAX_COUNTERS,
			  0, &counter, &err);
	bad |= mc_api_str(body, "", "unit_code", false, sizeof(code) - 1,
			  code, sizeof(code), &err);
	json_decref(body);
	if (bad) {
		mc_reply_err(r, &err);
		return;
	}
	if (unit_of(r, code[0] ? code : me.unit_code, &u))
		return;
	if (!mc_unit_within(u.path, me.unit_path)) {
		mc_error(&err, MC_ENOTFOUND, "no unit %s in your units",
			 u.code);
		mc_reply_err(r, &err);
		return;
	}
	w = mc_calloc(1, sizeof(*w));
	w->unit_id = u.id;
	w->officer_id = me.id;
	w->counter = (int)counter;
	w->aw.fn = call_fn;
	w->aw.reply = call_reply;
	mc_api_write_submit(r, &w->aw);
}

struct end_write {
	struct mc_api_write aw;
	int64_t id;
	char scope[MC_PATH_MAX];
	enum { END_DONE, END_MISSED, END_RATE } what;
	char dossier[64];
	char level[16];
	struct mc_queue_ticket out;
};

static int end_fn(struct mc_conn *c, struct mc_api_write *aw,
		  struct mc_err *err)
{
	struct end_write *w = (struct end_write *)aw;

	if (w->what == END_RATE)
		return mc_queue_rate(c, w->id, w->scope, w->level, aw->now,
				     &w->out, err);
	return mc_queue_finish(c, w->id, w->scope, w->what == END_MISSED,
			       w->dossier, aw->now, &w->out, err);
}

static void end_reply(struct mc_req *r, struct mc_api_write *aw)
{
	mc_reply_json(r, 200, ticket_json(&((struct end_write *)aw)->out));
}

/* The ticket's end or rating, by a counter officer of its centre. */
static void ticket_end(struct mc_req *r, int what)
{
	static const char *const known_done[] = { "dossier_code", NULL };
	static const char *const known_rate[] = { "level", NULL };
	static const char *const levels[] = { "very_satisfied", "satisfied",
		"not_satisfied", NULL };
	struct mc_err err = MC_ERR_INIT;
	struct end_write *w;
	struct mc_user me;
	long id = 0;
	json_t *body = NULL;
	int bad = 0;

	if (mc_api_user(r, &me) ||
	    mc_api_require_role(r, &me, 1u << MC_ROLE_COUNTER_OFFICER))
		return;
	w = mc_calloc(1, sizeof(*w));
	w->what = what;
	snprintf(w->scope, sizeof(w->scope), "%s", me.unit_path);
	bad |= mc_parse_int("id", mc_req_param(r, "id"), 1, INT64_MAX, &id,
			    &err);
	w->id = id;
	if (what != END_MISSED) {
		if (!(body = mc_api_body(r))) {
			mc_free(w);
			return;
		}
		bad |= mc_api_known(body, "", what == END_RATE ? known_rate :
				    known_done, &err);
		if (what == END_RATE) {
			bad |= mc_api_str(body, "", "level", true,
					  sizeof(w->level) - 1, w->level,
					  sizeof(w->level), &err);
			if (w->level[0] && !mc_api_one_of(w->level, levels))
				bad |= mc_err_field(&err, "level", "enum",
						    "very_satisfied, "
						    "satisfied or "
						    "not_satisfied");
		} else {
			bad |= mc_api_str(body, "", "dossier_code", false,
					  sizeof(w->dossier) - 1, w->dossier,
					  sizeof(w->dossier), &err);
		}
		json_decref(body);
	}
	if (bad) {
		mc_free(w);
		mc_reply_err(r, &err);
		return;
	}
	w->aw.fn = end_fn;
	w->aw.reply = end_reply;
	mc_api_write_submit(r, &w->aw);
}

/* POST /api/v1/queue/tickets/{id}/finish {"dossier_code"} */
void api_queue_finish(struct mc_req *r)
{
	ticket_end(r, END_DONE);
}

/* POST /api/v1/queue/tickets/{id}/missed */
void api_queue_missed(struct mc_req *r)
{
	ticket_end(r, END_MISSED);
}

/* POST /api/v1/queue/tickets/{id}/rating {"level"} */
void api_queue_rate(struct mc_req *r)
{
	ticket_end(r, END_RATE);
}

static json_t *figures_json(const struct mc_queue_figures *f)
{
	int64_t rated = f->ratings[0] + f->ratings[1] + f->ratings[2];

	return json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:o, s:I, s:o, s:I, "
		"s:{s:I, s:I, s:I}, s:o}", "key", f->key, "name", f->name,
		"issued", (json_int_t)f->issued, "served",
		(json_int_t)f->served, "missed", (json_int_t)f->missed,
		"waiting_now", (json_int_t)f->waiting_now,
		"wait_seconds_avg", f->wait_n ? json_integer(f->wait_s_total /
		f->wait_n) : json_null(), "wait_seconds_median",
		(json_int_t)f->wait_s_median, "serve_seconds_avg", f->serve_n ?
		json_integer(f->serve_s_total / f->serve_n) : json_null(),
		"serve_seconds_median", (json_int_t)f->serve_s_median,
		"ratings", "very_satisfied", (json_int_t)f->ratings[0],
		"satisfied", (json_int_t)f->ratings[1], "not_satisfied",
		(json_int_t)f->ratings[2], "satisfaction_rate",
		mc_api_percent(f->ratings[0] + f->ratings[1], rated));
}

/* GET /api/v1/queue/stats?unit_code=&from=&to= */
void api_queue_stats(struct mc_req *r)
{
	static const char *const allowed[] = { "unit_code", "from", "to",
		NULL };
	struct mc_err err = MC_ERR_INIT;
	struct mc_queue_stats *st;
	struct mc_user me;
	struct mc_unit u;
	const char *code = mc_req_query(r, "unit_code");
	int32_t from = 0, to = 0, today;
	json_t *cs, *ss;
	int i;

	if (mc_api_user(r, &me))
		return;
	today = mc_local_day(mc_api_now(mc_req_app(r)));
	if (mc_req_query_check(r, allowed, &err))
		goto bad;
	if (!mc_req_query(r, "from"))
		from = today;
	else if (mc_parse_date("from", mc_req_query(r, "from"), &from, &err))
		goto bad;
	if (!mc_req_query(r, "to"))
		to = today;
	else if (mc_parse_date("to", mc_req_query(r, "to"), &to, &err))
		goto bad;
	if (to < from || to - from > 1100) {
		mc_err_field(&err, "to", "range", "from 0 to 1100 days after "
			     "from");
		goto bad;
	}
	if (unit_of(r, code ? code : me.unit_code, &u))
		return;
	if (!mc_unit_within(u.path, me.unit_path)) {
		mc_error(&err, MC_ENOTFOUND, "no unit %s in your units",
			 u.code);
		goto bad;
	}
	st = mc_calloc(1, sizeof(*st));
	if (mc_queue_stats_get(mc_req_db(r), u.id, from, to, st, &err)) {
		mc_free(st);
		goto bad;
	}
	cs = json_array();
	for (i = 0; i < st->ncounters; i++)
		json_array_append_new(cs, figures_json(&st->counters[i]));
	ss = json_array();
	for (i = 0; i < st->nservices; i++)
		json_array_append_new(ss, figures_json(&st->services[i]));
	{
		char f[11], t[11];

		mc_reply_json(r, 200, json_pack("{s:{s:s, s:s}, s:s, s:s, "
			"s:o, s:o, s:o}", "unit", "code", u.code, "name",
			u.name, "from", mc_date_format(from, f, sizeof(f)),
			"to", mc_date_format(to, t, sizeof(t)), "all",
			figures_json(&st->all), "counters", cs, "services",
			ss));
	}
	mc_free(st);
	return;
bad:
	mc_reply_err(r, &err);
}
