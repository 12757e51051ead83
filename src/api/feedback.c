/*
 * feedback.c — feedback and petitions over HTTP (docs/feedback.md):
 * intake from every channel, the steps with their deadlines, listings
 * with the overdue flagged, the citizen's own, the published answers.
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
#include "domain/ident.h"
#include "store/citizens.h"
#include "store/feedback.h"

static const char *const subjects[] = { "regulation", "procedure", "conduct",
					NULL };

void mc_api_feedback_limits(const struct mc_app *app, struct mc_fb_limits *l)
{
	l->reject_wd = app->cfg.feedback_reject_days;
	l->forward_wd = app->cfg.feedback_forward_days;
	l->request_info_wd = app->cfg.feedback_info_days;
	l->handle_wd = app->cfg.feedback_handle_days;
	l->publish_wd = app->cfg.feedback_publish_days;
}

/* The public part: no one's name or contact. */
json_t *mc_api_feedback_public(const struct mc_feedback *f)
{
	return json_pack("{s:s, s:s, s:o, s:s, s:s, s:s, s:o, s:o, s:o, s:o}",
		"code", f->code, "kind", f->kind, "subject",
		mc_api_text(f->subject), "title", f->title, "status",
		mc_fb_status_name(f->status), "status_label",
		mc_fb_status_label(f->status), "received_at",
		mc_api_time(f->received_at), "answer",
		f->status == MC_FB_PUBLISHED ? mc_api_text(f->answer) :
		json_null(), "published_at", f->status == MC_FB_PUBLISHED ?
		mc_api_time(f->closed_at) : json_null(), "content",
		f->status == MC_FB_PUBLISHED ? json_string(f->content) :
		json_null());
}

static json_t *staff_json(const struct mc_feedback *f, int64_t now)
{
	json_t *o = mc_api_feedback_public(f);

	json_object_set_new(o, "content", json_string(f->content));
	json_object_set_new(o, "answer", mc_api_text(f->answer));
	json_object_set_new(o, "channel", json_string(f->channel));
	json_object_set_new(o, "sender", json_pack("{s:s, s:o, s:o, s:o}",
		"name", f->sender_name, "phone", mc_api_text(f->sender_phone),
		"email", mc_api_text(f->sender_email), "address",
		mc_api_text(f->sender_address)));
	json_object_set_new(o, "dossier_code", mc_api_text(f->dossier_code));
	json_object_set_new(o, "external_id", mc_api_text(f->external_id));
	json_object_set_new(o, "unit_code", json_string(f->unit_code));
	json_object_set_new(o, "unit_name", json_string(f->unit_name));
	json_object_set_new(o, "due_at", mc_api_time(f->due_at));
	json_object_set_new(o, "overdue", json_boolean(
		f->closed_at == MC_NO_TIME && f->due_at != MC_NO_TIME &&
		f->due_at < now));
	json_object_set_new(o, "answered_at", mc_api_time(f->answered_at));
	json_object_set_new(o, "closed_at", mc_api_time(f->closed_at));
	json_object_set_new(o, "reason", mc_api_text(f->reason));
	json_object_set_new(o, "forwarded_to", mc_api_text(f->forwarded_to));
	json_object_set_new(o, "reaction", mc_api_text(f->reaction));
	json_object_set_new(o, "version", json_integer(f->row_version));
	return o;
}

/* Intake. */

struct intake {
	struct mc_api_write aw;
	struct mc_feedback_in in;
	struct mc_fb_limits lim;
	struct mc_user actor;
	char channel[16], kind[16], subject[16], title[512], content[8192];
	char name[MC_NAME_MAX], phone[24], email[256], address[MC_NAME_MAX];
	char dossier[96], external[128], unit[MC_CODE_MAX];
	struct mc_feedback out;
	bool created;
};

static int intake_fn(struct mc_conn *c, struct mc_api_write *aw,
		     struct mc_err *err)
{
	struct intake *w = (struct intake *)aw;

	return mc_feedback_create(c, &w->in, &w->out, &w->created, err);
}

static void intake_reply(struct mc_req *r, struct mc_api_write *aw)
{
	struct intake *w = (struct intake *)aw;

	mc_reply_json(r, w->created ? 201 : 200,
		      staff_json(&w->out, mc_api_now(mc_req_app(r))));
}

/*
 * Checks the fields of feedback 'w' already read; 'with_sender': the
 * sender comes from the body (not from a signed-in citizen).
 */
static int intake_check(struct mc_app *app, struct intake *w,
			bool with_sender, struct mc_err *err)
{
	static const char *const kinds[] = { "reflection", "recommendation",
					     NULL };
	char norm[MC_PHONE_NORM_SIZE];
	int bad = 0;

	if (!w->kind[0])
		snprintf(w->kind, sizeof(w->kind), "reflection");
	if (!mc_api_one_of(w->kind, kinds))
		bad |= mc_err_field(err, "kind", "one_of", "reflection (phản "
				    "ánh) or recommendation (kiến nghị)");
	if (w->subject[0] && !mc_api_one_of(w->subject, subjects))
		bad |= mc_err_field(err, "subject", "one_of", "regulation, "
				    "procedure or conduct");
	if (with_sender) {
		if (!w->phone[0] && !w->email[0])
			bad |= mc_err_field(err, "sender.phone", "required",
					    "give a phone number or an "
					    "e-mail address to answer to");
		if (w->phone[0]) {
			if (mc_phone_check("sender.phone", w->phone, norm,
					   sizeof(norm), err))
				bad = -1;
			else
				snprintf(w->phone, sizeof(w->phone), "%s",
					 norm);
		}
		if (w->email[0] && mc_email_check("sender.email", w->email,
						  err))
			bad = -1;
	}
	w->in.channel = w->channel;
	w->in.kind = w->kind;
	w->in.subject = w->subject;
	w->in.title = w->title;
	w->in.content = w->content;
	w->in.sender_name = w->name;
	w->in.sender_phone = w->phone;
	w->in.sender_email = w->email;
	w->in.sender_address = w->address;
	w->in.dossier_code = w->dossier;
	w->in.external_id = w->external;
	w->in.unit_code = w->unit;
	w->in.default_unit = app->cfg.feedback_unit;
	w->in.cal = app->cal;
	mc_api_feedback_limits(app, &w->lim);
	w->in.lim = &w->lim;
	w->in.now = mc_api_now(app);
	w->aw.fn = intake_fn;
	w->aw.reply = intake_reply;
	return bad;
}

/* The body fields common to staff and citizens. */
static int read_common(json_t *body, struct intake *w, struct mc_err *err)
{
	int bad = 0;

	bad |= mc_api_str(body, "", "kind", false, 15, w->kind,
			  sizeof(w->kind), err);
	bad |= mc_api_str(body, "", "subject", false, 15, w->subject,
			  sizeof(w->subject), err);
	bad |= mc_api_str(body, "", "title", true, 200, w->title,
			  sizeof(w->title), err);
	bad |= mc_api_str(body, "", "content", true, 4000, w->content,
			  sizeof(w->content), err);
	bad |= mc_api_str(body, "", "dossier_code", false, 95, w->dossier,
			  sizeof(w->dossier), err);
	return bad;
}

void api_feedback_create(struct mc_req *r)
{
	static const char *const known[] = { "channel", "kind", "subject",
		"title", "content", "sender", "dossier_code", "external_id",
		"unit_code", NULL };
	static const char *const sender_known[] = { "name", "phone", "email",
		"address", NULL };
	static const char *const channels[] = { "portal", "letter", "hotline",
						"counter", NULL };
	struct mc_app *app = mc_req_app(r);
	struct mc_err err = MC_ERR_INIT;
	struct intake *w = mc_calloc(1, sizeof(*w));
	json_t *body, *sender;
	int bad = 0;

	if (mc_api_user(r, &w->actor) || !(body = mc_api_body(r))) {
		mc_free(w);
		return;
	}
	bad |= mc_api_known(body, "", known, &err);
	bad |= mc_api_str(body, "", "channel", true, 15, w->channel,
			  sizeof(w->channel), &err);
	if (w->channel[0] && !mc_api_one_of(w->channel, channels))
		bad |= mc_err_field(&err, "channel", "one_of", "portal, "
				    "letter, hotline or counter");
	bad |= read_common(body, w, &err);
	bad |= mc_api_str(body, "", "external_id", false, 120, w->external,
			  sizeof(w->external), &err);
	bad |= mc_api_str(body, "", "unit_code", false, MC_CODE_MAX - 1,
			  w->unit, sizeof(w->unit), &err);
	sender = json_object_get(body, "sender");
	if (!json_is_object(sender)) {
		bad |= mc_err_field(&err, "sender", "required", "an object "
				    "with name and phone or email");
	} else {
		bad |= mc_api_known(sender, "sender.", sender_known, &err);
		bad |= mc_api_str(sender, "sender.", "name", true, 200,
				  w->name, sizeof(w->name), &err);
		bad |= mc_api_str(sender, "sender.", "phone", false, 20,
				  w->phone, sizeof(w->phone), &err);
		bad |= mc_api_str(sender, "sender.", "email", false, 254,
				  w->email, sizeof(w->email), &err);
		bad |= mc_api_str(sender, "sender.", "address", false, 300,
				  w->address, sizeof(w->address), &err);
	}
	json_decref(body);
	bad |= intake_check(app, w, true, &err);
	if (bad) {
		mc_free(w);
		mc_reply_err(r, &err);
		return;
	}
	w->in.actor = &w->actor;
	mc_api_write_submit(r, &w->aw);
}

/* POST /api/v1/citizen/feedback: by the signed-in citizen (web). */
void api_citizen_feedback_create(struct mc_req *r)
{
	static const char *const known[] = { "kind", "subject", "title",
		"content", "dossier_code", NULL };
	struct mc_app *app = mc_req_app(r);
	struct mc_err err = MC_ERR_INIT;
	struct intake *w = mc_calloc(1, sizeof(*w));
	struct mc_citizen cz;
	char hash[MC_SHA256_HEX];
	json_t *body;
	int bad = 0;

	if (mc_api_citizen(r, &cz, hash) || !(body = mc_api_body(r))) {
		mc_free(w);
		return;
	}
	bad |= mc_api_known(body, "", known, &err);
	bad |= read_common(body, w, &err);
	json_decref(body);
	snprintf(w->channel, sizeof(w->channel), "web");
	snprintf(w->name, sizeof(w->name), "%s", cz.name);
	snprintf(w->phone, sizeof(w->phone), "%s", cz.phone);
	snprintf(w->email, sizeof(w->email), "%s", cz.email);
	bad |= intake_check(app, w, false, &err);
	if (bad) {
		mc_free(w);
		mc_reply_err(r, &err);
		return;
	}
	w->in.citizen_id = cz.id;
	mc_api_write_submit(r, &w->aw);
}

/* Steps. */

struct step {
	struct mc_api_write aw;
	struct mc_feedback_act act;
	struct mc_fb_limits lim;
	struct mc_user actor;
	char code[48], reason[2048], answer[8192], subject[16];
	char unit[MC_CODE_MAX], forwarded_to[512];
	struct mc_feedback out;
};

static int step_fn(struct mc_conn *c, struct mc_api_write *aw,
		   struct mc_err *err)
{
	struct step *w = (struct step *)aw;

	return mc_feedback_act(c, w->code, &w->act, &w->out, err);
}

static void step_reply(struct mc_req *r, struct mc_api_write *aw)
{
	struct step *w = (struct step *)aw;

	mc_reply_json(r, 200, staff_json(&w->out, mc_api_now(mc_req_app(r))));
}

static const unsigned handlers = 1u << MC_ROLE_ADMIN |
	1u << MC_ROLE_CONTROL_OFFICER | 1u << MC_ROLE_LEADER |
	1u << MC_ROLE_SPECIALIST;

void api_feedback_act(struct mc_req *r)
{
	static const char *const known[] = { "action", "reason", "answer",
		"subject", "unit_code", "forwarded_to", "version", NULL };
	struct mc_app *app = mc_req_app(r);
	struct mc_err err = MC_ERR_INIT;
	struct step *w = mc_calloc(1, sizeof(*w));
	char action[24];
	int64_t version = 0;
	json_t *body;
	int bad = 0, a;

	if (mc_api_user(r, &w->actor) ||
	    mc_api_require_role(r, &w->actor, handlers) ||
	    !(body = mc_api_body(r))) {
		mc_free(w);
		return;
	}
	bad |= mc_api_known(body, "", known, &err);
	bad |= mc_api_str(body, "", "action", true, 23, action,
			  sizeof(action), &err);
	bad |= mc_api_str(body, "", "reason", false, 1000, w->reason,
			  sizeof(w->reason), &err);
	bad |= mc_api_str(body, "", "answer", false, 4000, w->answer,
			  sizeof(w->answer), &err);
	bad |= mc_api_str(body, "", "subject", false, 15, w->subject,
			  sizeof(w->subject), &err);
	bad |= mc_api_str(body, "", "unit_code", false, MC_CODE_MAX - 1,
			  w->unit, sizeof(w->unit), &err);
	bad |= mc_api_str(body, "", "forwarded_to", false, 300,
			  w->forwarded_to, sizeof(w->forwarded_to), &err);
	bad |= mc_api_int(body, "", "version", false, 1, INT64_MAX, 0,
			  &version, &err);
	json_decref(body);
	a = mc_fb_action_parse(action);
	if (action[0] && a < 0)
		bad |= mc_err_field(&err, "action", "one_of", "accept, reject, "
				    "forward, route, request_info, "
				    "supply_info, answer or publish");
	if (w->subject[0] && !mc_api_one_of(w->subject, subjects))
		bad |= mc_err_field(&err, "subject", "one_of", "regulation, "
				    "procedure or conduct");
	if (bad) {
		mc_free(w);
		mc_reply_err(r, &err);
		return;
	}
	snprintf(w->code, sizeof(w->code), "%s", mc_req_param(r, "code"));
	w->act.action = (enum mc_fb_action)a;
	w->act.reason = w->reason;
	w->act.answer = w->answer;
	w->act.subject = w->subject;
	w->act.unit_code = w->unit;
	w->act.forwarded_to = w->forwarded_to;
	w->act.expect_version = version;
	w->act.actor = &w->actor;
	w->act.cal = app->cal;
	mc_api_feedback_limits(app, &w->lim);
	w->act.lim = &w->lim;
	w->act.now = mc_api_now(app);
	w->aw.fn = step_fn;
	w->aw.reply = step_reply;
	mc_api_write_submit(r, &w->aw);
}

static void event_item(const struct mc_feedback_event *e, void *arg)
{
	json_array_append_new(arg, json_pack("{s:I, s:o, s:s, s:s, s:o, s:s, "
		"s:s, s:o}", "seq", (json_int_t)e->seq, "at",
		mc_api_time(e->at), "actor", e->actor, "action", e->action,
		"from_status", mc_api_text(e->from), "to_status", e->to,
		"note", e->note, "on_time", e->on_time < 0 ? json_null() :
		json_boolean(e->on_time)));
}

void api_feedback_get(struct mc_req *r)
{
	struct mc_err err = MC_ERR_INIT;
	struct mc_feedback *f = mc_calloc(1, sizeof(*f));
	struct mc_user me;
	json_t *o, *events;

	if (mc_api_user(r, &me)) {
		mc_free(f);
		return;
	}
	if (mc_feedback_get(mc_req_db(r), mc_req_param(r, "code"), f, &err) ||
	    !mc_unit_within(f->unit_path, me.unit_path)) {
		mc_free(f);
		if (err.code && err.code != MC_ENOTFOUND) {
			mc_reply_err(r, &err);
			return;
		}
		mc_reply_problem(r, 404, "not-found", "Không tìm thấy",
				 "no such feedback in your units", NULL);
		return;
	}
	o = staff_json(f, mc_api_now(mc_req_app(r)));
	events = json_array();
	if (mc_feedback_events(mc_req_db(r), f->id, event_item, events,
			       &err) < 0) {
		json_decref(events);
		json_decref(o);
		mc_free(f);
		mc_reply_err(r, &err);
		return;
	}
	json_object_set_new(o, "events", events);
	mc_free(f);
	mc_reply_json(r, 200, o);
}

/* Listings. */

struct list {
	json_t *items;
	int64_t last, now;
	int view;			/* 0 staff, 1 public */
};

static void list_item(const struct mc_feedback *f, void *arg)
{
	struct list *l = arg;

	json_array_append_new(l->items, l->view ? mc_api_feedback_public(f) :
			      staff_json(f, l->now));
	l->last = f->id;
}

/* Reads limit and cursor; answers 400 itself on error. */
static int paging(struct mc_req *r, const char *const *allowed, int def,
		  struct mc_feedback_filter *f)
{
	struct mc_err err = MC_ERR_INIT;
	const char *v;
	long cursor = 0;

	if (mc_req_query_check(r, allowed, &err) ||
	    mc_api_limit(r, def, 500, &f->limit, &err) ||
	    ((v = mc_req_query(r, "cursor")) &&
	     mc_parse_int("cursor", v, 1, LONG_MAX, &cursor, &err))) {
		if (err.code)
			mc_reply_err(r, &err);
		return -1;
	}
	f->before_id = cursor;
	return 0;
}

static void list_answer(struct mc_req *r, struct mc_feedback_filter *f,
			int view)
{
	struct mc_err err = MC_ERR_INIT;
	struct list l;
	int n;

	l.items = json_array();
	l.last = 0;
	l.now = f->now = mc_api_now(mc_req_app(r));
	l.view = view;
	n = mc_feedback_list(mc_req_db(r), f, list_item, &l, &err);
	if (n < 0) {
		json_decref(l.items);
		mc_reply_err(r, &err);
		return;
	}
	mc_api_page_after(r, l.items, n == f->limit, l.last);
}

void api_feedback_list(struct mc_req *r)
{
	static const char *const allowed[] = { "status", "overdue", "subject",
		"limit", "cursor", NULL };
	struct mc_feedback_filter f;
	struct mc_err err = MC_ERR_INIT;
	const char *st = mc_req_query(r, "status"), *ov;
	struct mc_user me;
	bool overdue = false;

	if (mc_api_user(r, &me))
		return;
	memset(&f, 0, sizeof(f));
	if (paging(r, allowed, 50, &f))
		return;
	f.scope_path = me.unit_path;
	f.status = st ? mc_fb_status_parse(st) : -1;
	if (st && f.status < 0) {
		mc_err_field(&err, "status", "one_of", "received, accepted, "
			     "info_requested, answered, published, rejected "
			     "or forwarded");
	}
	f.subject = mc_req_query(r, "subject");
	if (f.subject && !mc_api_one_of(f.subject, subjects))
		mc_err_field(&err, "subject", "one_of", "regulation, procedure "
			     "or conduct");
	if ((ov = mc_req_query(r, "overdue")))
		mc_parse_bool("overdue", ov, &overdue, &err);
	if (err.code) {
		mc_reply_err(r, &err);
		return;
	}
	f.overdue_only = overdue;
	list_answer(r, &f, 0);
}

void api_citizen_feedback_list(struct mc_req *r)
{
	static const char *const allowed[] = { "limit", "cursor", NULL };
	struct mc_feedback_filter f;
	struct mc_citizen cz;
	char hash[MC_SHA256_HEX];

	if (mc_api_citizen(r, &cz, hash))
		return;
	memset(&f, 0, sizeof(f));
	if (paging(r, allowed, 20, &f))
		return;
	f.status = -1;
	f.citizen_id = cz.id;
	list_answer(r, &f, 1);
}

void api_public_feedback(struct mc_req *r)
{
	static const char *const allowed[] = { "subject", "limit", "cursor",
					       NULL };
	struct mc_feedback_filter f;
	struct mc_err err = MC_ERR_INIT;

	memset(&f, 0, sizeof(f));
	if (paging(r, allowed, 20, &f))
		return;
	f.status = -1;
	f.published_only = true;
	f.subject = mc_req_query(r, "subject");
	if (f.subject && !mc_api_one_of(f.subject, subjects)) {
		mc_err_field(&err, "subject", "one_of", "regulation, procedure "
			     "or conduct");
		mc_reply_err(r, &err);
		return;
	}
	list_answer(r, &f, 1);
}

struct react {
	struct mc_api_write aw;
	char code[48], reaction[16];
	int64_t citizen_id, now;
};

static int react_fn(struct mc_conn *c, struct mc_api_write *aw,
		    struct mc_err *err)
{
	struct react *w = (struct react *)aw;

	return mc_feedback_react(c, w->code, w->citizen_id, w->reaction,
				 w->now, err);
}

static void react_reply(struct mc_req *r, struct mc_api_write *aw)
{
	struct react *w = (struct react *)aw;

	mc_reply_json(r, 200, json_pack("{s:s, s:s}", "code", w->code,
					"reaction", w->reaction));
}

void api_citizen_feedback_react(struct mc_req *r)
{
	static const char *const known[] = { "reaction", NULL };
	static const char *const reactions[] = { "like", "dislike", NULL };
	struct mc_err err = MC_ERR_INIT;
	struct react *w = mc_calloc(1, sizeof(*w));
	struct mc_citizen cz;
	char hash[MC_SHA256_HEX];
	json_t *body;
	int bad = 0;

	if (mc_api_citizen(r, &cz, hash) || !(body = mc_api_body(r))) {
		mc_free(w);
		return;
	}
	bad |= mc_api_known(body, "", known, &err);
	bad |= mc_api_str(body, "", "reaction", true, 15, w->reaction,
			  sizeof(w->reaction), &err);
	json_decref(body);
	if (w->reaction[0] && !mc_api_one_of(w->reaction, reactions))
		bad |= mc_err_field(&err, "reaction", "one_of", "like or "
				    "dislike");
	if (bad) {
		mc_free(w);
		mc_reply_err(r, &err);
		return;
	}
	snprintf(w->code, sizeof(w->code), "%s", mc_req_param(r, "code"));
	w->citizen_id = cz.id;
	w->now = mc_api_now(mc_req_app(r));
	w->aw.fn = react_fn;
	w->aw.reply = react_reply;
	mc_api_write_submit(r, &w->aw);
}
