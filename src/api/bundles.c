/*
 * bundles.c — linked-procedure bundles over HTTP (docs/bundles.md): the
 * province's definitions, and applications taken in at the counter.
 */
#include "core/compat.h"
#include "core/mem.h"
#include "api/api.h"
#include "api/util.h"
#include "app.h"
#include "store/bundles.h"
#include "store/portal.h"

#include <jansson.h>

static json_t *bundle_json(const struct mc_bundle *b)
{
	json_t *m = json_array();
	int i;

	for (i = 0; i < b->nmembers; i++)
		json_array_append_new(m, json_pack("{s:s, s:s, s:i}",
			"procedure_code", b->members[i].procedure_code,
			"procedure_name", b->members[i].procedure_name,
			"stage", b->members[i].stage));
	return json_pack("{s:s, s:s, s:s, s:o}", "code", b->code, "name",
			 b->name, "legal_basis", b->legal_basis, "members", m);
}

static json_t *application_json(const struct mc_bundle_dossier *a)
{
	json_t *kids = json_array();
	int i;

	for (i = 0; i < a->nchildren; i++)
		json_array_append_new(kids, json_pack("{s:s, s:s, s:s, s:i, "
			"s:s, s:s, s:o, s:o, s:o}", "code", a->children[i].code,
			"procedure_code", a->children[i].procedure_code,
			"procedure_name", a->children[i].procedure_name,
			"stage", a->children[i].stage, "status",
			a->children[i].status, "unit_code",
			a->children[i].unit_code, "due_at",
			mc_api_time(a->children[i].due_at), "finished_at",
			mc_api_time(a->children[i].finished_at), "timeliness",
			mc_api_text(a->children[i].timeliness)));
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:i, s:i, "
		"s:{s:s, s:s}, s:o, s:o, s:o, s:o, s:o}", "code", a->code,
		"bundle_code",
		a->bundle_code, "bundle_name", a->bundle_name, "unit_code",
		a->unit_code, "status", a->status, "note",
		mc_api_text(a->note), "stage", a->stage, "stages",
		a->stages, "applicant", "id_number", a->applicant_id, "name",
		a->applicant_name, "received_at", mc_api_time(a->received_at),
		"due_at", mc_api_time(a->due_at), "finished_at",
		mc_api_time(a->finished_at), "timeliness",
		mc_api_text(a->timeliness), "children", kids);
}

static void list_item(const struct mc_bundle *b, void *arg)
{
	json_array_append_new(arg, bundle_json(b));
}

/* GET /api/v1/bundles: every bundle, for staff. */
void api_bundles_list(struct mc_req *r)
{
	struct mc_err err = MC_ERR_INIT;
	struct mc_user me;
	json_t *items;

	if (mc_api_user(r, &me))
		return;
	items = json_array();
	if (mc_bundle_list(mc_req_db(r), list_item, items, &err)) {
		json_decref(items);
		mc_reply_err(r, &err);
		return;
	}
	mc_reply_json(r, 200, json_pack("{s:o}", "items", items));
}

/* PUT /api/v1/bundles/{code} */

struct put_write {
	struct mc_api_write aw;
	struct mc_bundle b;
};

static int put_fn(struct mc_conn *c, struct mc_api_write *aw,
		  struct mc_err *err)
{
	struct put_write *w = (struct put_write *)aw;
	char code[sizeof(w->b.code)];

	/* Read back as stored, with the procedures' names. */
	snprintf(code, sizeof(code), "%s", w->b.code);
	return mc_bundle_put(c, &w->b, w->aw.now, err) ? err->code :
	       mc_bundle_get(c, code, &w->b, err);
}

static void put_reply(struct mc_req *r, struct mc_api_write *aw)
{
	mc_reply_json(r, 200, bundle_json(&((struct put_write *)aw)->b));
}

void api_bundles_put(struct mc_req *r)
{
	static const char *const known[] = { "name", "legal_basis", "members",
		NULL };
	static const char *const mknown[] = { "procedure_code", "stage",
		NULL };
	const char *code = mc_req_param(r, "code");
	struct mc_err err = MC_ERR_INIT;
	struct put_write *w;
	struct mc_user me;
	json_t *body, *list, *m;
	size_t i;
	int bad = 0, n;

	if (mc_api_user(r, &me) ||
	    mc_api_require_role(r, &me, 1u << MC_ROLE_ADMIN |
				1u << MC_ROLE_CONTROL_OFFICER) ||
	    !(body = mc_api_body(r)))
		return;
	w = mc_calloc(1, sizeof(*w));
	if (!code || !*code || strlen(code) >= sizeof(w->b.code))
		bad |= mc_err_field(&err, "code", "length", "a code of 1 to %d "
				    "characters", (int)sizeof(w->b.code) - 1);
	else
		snprintf(w->b.code, sizeof(w->b.code), "%s", code);
	bad |= mc_api_known(body, "", known, &err);
	bad |= mc_api_str(body, "", "name", true, MC_NAME_MAX - 1, w->b.name,
			  sizeof(w->b.name), &err);
	bad |= mc_api_str(body, "", "legal_basis", true,
			  sizeof(w->b.legal_basis) - 1, w->b.legal_basis,
			  sizeof(w->b.legal_basis), &err);
	n = mc_api_list(body, "members", MC_BUNDLE_MAX_MEMBERS, &list, &err);
	bad |= n < 0;
	json_array_foreach(n > 0 ? list : NULL, i, m) {
		char path[40];
		int64_t stage = 0;

		if (mc_api_item(m, "members", i, path, sizeof(path), &err)) {
			bad = 1;
			continue;
		}
		bad |= mc_api_known(m, path, mknown, &err);
		bad |= mc_api_str(m, path, "procedure_code", true,
				  MC_CODE_MAX - 1,
				  w->b.members[i].procedure_code,
				  sizeof(w->b.members[i].procedure_code), &err);
		bad |= mc_api_int(m, path, "stage", true, 1,
				  MC_BUNDLE_MAX_STAGES, 1, &stage, &err);
		w->b.members[i].stage = (int)stage;
		w->b.nmembers = (int)i + 1;
	}
	json_decref(body);
	if (bad) {
		mc_free(w);
		mc_reply_err(r, &err);
		return;
	}
	w->aw.fn = put_fn;
	w->aw.reply = put_reply;
	mc_api_write_submit(r, &w->aw);
}

/* POST /api/v1/bundles/{code}/applications */

struct apply_write {
	struct mc_api_write aw;
	struct mc_user actor;
	char bundle[32];
	char *application;
	const struct mc_calendar *cal;
	const struct mc_notify *notify;
	struct mc_bundle_dossier out;
};

static int apply_fn(struct mc_conn *c, struct mc_api_write *aw,
		    struct mc_err *err)
{
	struct apply_write *w = (struct apply_write *)aw;

	return mc_bundle_intake(c, w->cal, &w->actor, w->bundle,
				w->application, w->notify, w->aw.now, &w->out,
				err);
}

static void apply_reply(struct mc_req *r, struct mc_api_write *aw)
{
	struct apply_write *w = (struct apply_write *)aw;
	char loc[160];

	snprintf(loc, sizeof(loc), "/api/v1/bundle-applications/%s",
		 w->out.code);
	mc_req_header(r, "location", loc);
	mc_reply_json(r, 201, application_json(&w->out));
}

static void apply_release(struct mc_api_write *aw)
{
	mc_free(((struct apply_write *)aw)->application);
}

/*
 * The application checked as the intake of each member would be: the
 * applicant once, each member's components; normalized into '*out'.
 */
static int application_parse(json_t *body, int64_t now, char **out,
			     struct mc_err *err)
{
	static const char *const known[] = { "channel", "return_channel",
		"applicant", "components", NULL };
	struct mc_intake *in = mc_malloc(sizeof(*in));
	json_t *comps = json_object_get(body, "components"), *v, *one;
	const char *k;
	int bad = mc_api_known(body, "", known, err);

	if (comps && !json_is_object(comps))
		bad |= mc_err_field(err, "components", "type", "an object: "
				    "for each procedure of the bundle, its "
				    "components [{\"code\", \"provided\"}]");
	if (json_is_string(json_object_get(body, "channel")) &&
	    !strcmp(json_string_value(json_object_get(body, "channel")),
		    "online"))
		bad |= mc_err_field(err, "channel", "enum", "a linked "
				    "application is taken in at the counter: "
				    "direct or postal");
	/* The applicant and the channel, as any intake checks them. */
	one = json_pack("{s:s, s:O*, s:O*, s:O*, s:[]}", "procedure_code",
			"0", "channel", json_object_get(body, "channel"),
			"return_channel", json_object_get(body,
							  "return_channel"),
			"applicant", json_object_get(body, "applicant"),
			"components");
	bad |= mc_api_intake_parse(one, now, in, err) != 0;
	json_decref(one);
	json_object_foreach(json_is_object(comps) ? comps : NULL, k, v) {
		json_t *o = json_pack("{s:s, s:s, s:O*, s:O}", "procedure_code",
				      k, "channel", "direct", "applicant",
				      json_object_get(body, "applicant"),
				      "components", v);

		bad |= mc_api_intake_parse(o, now, in, err) != 0;
		json_decref(o);
	}
	mc_free(in);
	if (!bad && !(*out = mc_portal_json(body, JSON_SORT_KEYS)))
		return mc_error(err, MC_ENOMEM, "the application cannot be "
				"kept");
	return bad ? MC_EINVAL : 0;
}

void api_bundles_apply(struct mc_req *r)
{
	const char *code = mc_req_param(r, "code");
	struct mc_err err = MC_ERR_INIT;
	struct apply_write *w = mc_calloc(1, sizeof(*w));
	char *text = NULL;
	json_t *body;

	if (mc_api_user(r, &w->actor) ||
	    mc_api_require_role(r, &w->actor,
				1u << MC_ROLE_COUNTER_OFFICER) ||
	    !(body = mc_api_body(r))) {
		mc_free(w);
		return;
	}
	snprintf(w->bundle, sizeof(w->bundle), "%s", code ? code : "");
	if (application_parse(body, mc_api_now(mc_req_app(r)), &text, &err)) {
		json_decref(body);
		mc_free(w);
		mc_reply_err(r, &err);
		return;
	}
	json_decref(body);
	w->application = text;
	w->cal = mc_req_app(r)->cal;
	w->notify = mc_req_app(r)->notify;
	w->aw.fn = apply_fn;
	w->aw.reply = apply_reply;
	w->aw.release = apply_release;
	mc_api_write_submit(r, &w->aw);
}

/*
 * Whether 'me' has a hand in application 'a': their unit received it, or
 * holds one of its dossiers now (or is above either).
 */
static bool concerns(const struct mc_bundle_dossier *a,
		     const struct mc_user *me)
{
	int i;

	if (mc_unit_within(a->unit_path, me->unit_path))
		return true;
	for (i = 0; i < a->nchildren; i++)
		if (mc_unit_within(a->children[i].unit_path, me->unit_path))
			return true;
	return false;
}

/* GET /api/v1/bundle-applications/{code}: staff who have a hand in it. */
void api_bundle_application(struct mc_req *r)
{
	struct mc_bundle_dossier *a = mc_malloc(sizeof(*a));
	struct mc_err err = MC_ERR_INIT;
	struct mc_user me;

	if (mc_api_user(r, &me)) {
		mc_free(a);
		return;
	}
	if (mc_bundle_dossier_get(mc_req_db(r), mc_req_param(r, "code"), a,
				  &err))
		mc_reply_err(r, &err);
	else if (!concerns(a, &me))
		/* As for no such application, as far as they know. */
		mc_reply_problem(r, 404, "not-found", "Không tìm thấy",
				 "no linked application has this code", NULL);
	else
		mc_reply_json(r, 200, application_json(a));
	mc_free(a);
}

/* POST /api/v1/bundle-applications/{code}/resume */

struct resume_write {
	struct mc_api_write aw;
	char code[MC_DOSSIER_CODE_MAX];
	struct mc_user me;
	const struct mc_calendar *cal;
	const struct mc_notify *notify;
	struct mc_bundle_dossier out;
};

static int resume_fn(struct mc_conn *c, struct mc_api_write *aw,
		     struct mc_err *err)
{
	struct resume_write *w = (struct resume_write *)aw;
	int rc = mc_bundle_dossier_get(c, w->code, &w->out, err);

	if (rc)
		return rc;
	if (!concerns(&w->out, &w->me))
		return mc_error(err, MC_ENOTFOUND, "no linked application "
				"has the code %s", w->code);
	return mc_bundle_resume(c, w->cal, w->notify, w->aw.now, &w->out,
				err);
}

static void resume_reply(struct mc_req *r, struct mc_api_write *aw)
{
	mc_reply_json(r, 200, application_json(&((struct resume_write *)aw)
					       ->out));
}

/*
 * An application blocked because a procedure changed since it was made
 * is judged again once the catalog is put right: counter officers and
 * control officers of a unit that has a hand in it.
 */
void api_bundle_resume(struct mc_req *r)
{
	const char *code = mc_req_param(r, "code");
	struct resume_write *w = mc_calloc(1, sizeof(*w));

	if (mc_api_user(r, &w->me) ||
	    mc_api_require_role(r, &w->me, 1u << MC_ROLE_COUNTER_OFFICER |
				1u << MC_ROLE_CONTROL_OFFICER |
				1u << MC_ROLE_ADMIN)) {
		mc_free(w);
		return;
	}
	snprintf(w->code, sizeof(w->code), "%s", code ? code : "");
	w->cal = mc_req_app(r)->cal;
	w->notify = mc_req_app(r)->notify;
	w->aw.fn = resume_fn;
	w->aw.reply = resume_reply;
	mc_api_write_submit(r, &w->aw);
}
