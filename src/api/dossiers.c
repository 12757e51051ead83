/*
 * dossiers.c — the dossier resource: intake (POST /api/v1/dossiers), one
 * dossier, the listing, actions, events, and the citizen's public look-up.
 *
 * Reads run inline on the loop's connection; intake and actions go to the
 * writer, where the store decides with the lifecycle and writes the change
 * with its event (store/dossiers.c). Authorization happens there too, in
 * one place: the role (domain/lifecycle.c's table) and the unit (the
 * actor's unit must contain the receiving or the handling unit). A dossier
 * the user may not see is 404, like one that does not exist.
 */
#include "core/compat.h"
#include "core/err.h"
#include "core/fold.h"
#include "core/mem.h"
#include "core/parse.h"
#include "core/sha256.h"
#include "core/timeutil.h"
#include "api/api.h"
#include "api/util.h"
#include "app.h"
#include "domain/calendar.h"
#include "domain/ident.h"
#include "domain/fees.h"
#include "domain/lifecycle.h"
#include "http/server.h"
#include "jobs/registry.h"
#include "render/doc.h"
#include "store/catalog.h"
#include "store/documents.h"
#include "store/dossiers.h"
#include "store/files.h"
#include "render/forms.h"
#include "store/results.h"

#include <sodium.h>

static const char *const return_channels[] = {
	"counter", "postal", "online", NULL
};

/* The actions 'u' may take on 'd' now (status, role and unit). */
static json_t *allowed_actions(const struct mc_dossier *d,
			       const struct mc_user *u,
			       const struct mc_calendar *cal, int64_t now)
{
	json_t *list = json_array();
	int a;

	for (a = 0; a < MC_ACT_COUNT; a++) {
		struct mc_lc_decision dec;

		/* An apology needs a date; any later one will do here. */
		if (mc_dossier_decide(d, u, (enum mc_action)a, cal, now,
				      d->due_at == MC_NO_TIME ? 0 :
				      d->due_at + 1, &dec, NULL) == 0)
			json_array_append_new(list, json_string(
				mc_action_name((enum mc_action)a)));
	}
	return list;
}

/*
 * The dossier as the API shows it; 'u' (may be NULL) adds the actions
 * that user may take now.
 */
static json_t *dossier_json(const struct mc_dossier *d, int64_t now,
			    const struct mc_user *u,
			    const struct mc_calendar *cal)
{
	json_t *o, *steps = json_array(), *pauses = json_array(),
	       *comps = json_array();
	bool digitized = false;
	int i;

	for (i = 0; i < d->nsteps; i++) {
		const struct mc_dossier_step *t = &d->steps[i];
		json_t *s = json_pack("{s:i, s:s, s:s, s:o, s:o, s:o, s:o}",
			"plan_step", t->plan_step, "name", t->name,
			"unit_code", t->unit_code, "assignee",
			mc_api_text(t->assignee), "started_at",
			mc_api_time(t->started_at), "due_at",
			mc_api_time(t->due_at), "finished_at",
			mc_api_time(t->finished_at));

		if (t->due_at != MC_NO_TIME && t->finished_at != MC_NO_TIME)
			json_object_set_new(s, "timeliness", json_string(
				mc_tl_name(t->finished_at > t->due_at ?
					   MC_TL_LATE :
					   mc_local_day(t->finished_at) <
					   mc_local_day(t->due_at) ?
					   MC_TL_EARLY : MC_TL_ON_TIME)));
		json_array_append_new(steps, s);
	}
	for (i = 0; i < d->npauses; i++)
		json_array_append_new(pauses, json_pack("{s:o, s:o, s:s}",
			"from", mc_api_time(d->pauses[i].from), "to",
			mc_api_time(d->pauses[i].to), "reason",
			d->pauses[i].reason));
	for (i = 0; i < d->ncomponents; i++) {
		const struct mc_dossier_component *k = &d->components[i];

		json_array_append_new(comps, json_pack(
			"{s:s, s:s, s:s, s:i, s:b, s:b, s:b, s:b, s:o, s:o, "
			"s:o, s:o}", "code", k->code, "name", k->name, "form",
			k->form, "quantity", k->quantity, "required",
			k->required, "provided", k->provided, "digitized",
			k->file_sha256[0] != '\0', "reused", k->reused, "file",
			!k->file_sha256[0] ? json_null() : json_pack(
			"{s:s, s:s, s:I}", "sha256", k->file_sha256,
			"media_type", k->media_type, "size",
			(json_int_t)k->file_size), "scan",
			k->scanned_at == MC_NO_TIME ? json_null() : json_pack(
			"{s:s, s:o, s:s}", "scanned_by", k->scanned_by,
			"scanned_at", mc_api_time(k->scanned_at), "signature",
			k->scan_signature), "source_document_id",
			k->source_document_id ?
			json_integer(k->source_document_id) : json_null(),
			"asked_again_reason", mc_api_text(k->asked_again)));
		digitized |= k->file_sha256[0] != '\0';
	}
	o = json_pack("{s:s, s:s, s:s, s:s, s:i, s:s, s:s, s:s, s:o, s:s, "
		"s:s, s:{s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:b, s:b}, s:s, s:o, "
		"s:o, "
		"s:o, "
		"s:o, s:o, s:o, s:o, s:s, s:o, s:i, s:i, s:i, s:o, s:o, s:o, "
		"s:I, s:o, s:o, s:o}",
		"code", d->code,
		"status", mc_status_name(d->status),
		"status_label", mc_status_label(d->status),
		"procedure_code", d->procedure_code,
		"procedure_version", d->procedure_version,
		"procedure_name", d->procedure_name,
		"unit_code", d->unit_code,
		"current_unit_code", d->current_unit_code,
		"assignee", mc_api_text(d->assignee),
		"channel", mc_channel_name(d->channel),
		"return_channel", d->return_channel,
		"applicant",
		"kind", d->applicant_kind,
		"id_number", d->applicant_id,
		"name", d->applicant_name,
		"phone", mc_api_text(d->applicant_phone),
		"email", mc_api_text(d->applicant_email),
		"address", mc_api_text(d->applicant_address),
		"categories", mc_api_list_of(d->applicant_categories),
		"verified", d->applicant_verified,
		"vneid", d->applicant_vneid,
		"rules", d->rules,
		"processing_time", mc_api_period(d->time.amount, d->time.unit),
		"submitted_at", mc_api_time(d->submitted_at),
		"received_at", mc_api_time(d->received_at),
		"due_at", mc_api_time(d->due_at),
		"original_due_at", mc_api_time(d->original_due_at),
		"finished_at", mc_api_time(d->finished_at),
		"returned_at", mc_api_time(d->returned_at),
		"timeliness", mc_tl_name(mc_dossier_timeliness(d, now)),
		"supplement_requested_at",
		mc_api_time(d->supplement_requested_at),
		"current_step", d->current_step,
		"supplements", d->supplements,
		"apologies", d->apologies,
		"reason", mc_api_text(d->reason),
		"result_number", mc_api_text(d->result_number),
		"result_summary", mc_api_text(d->result_summary),
		"version", (json_int_t)d->row_version,
		"steps", steps, "pauses", pauses, "components", comps);
	/* HoSoCoThanhPhanSoHoa: a component of it was digitized. */
	json_object_set_new(o, "has_digitized_component",
			    json_boolean(digitized));
	json_object_set_new(o, "period_started_at",
			    mc_api_time(d->period_started_at));
	/* Received outside its commune: the one the counter named. */
	json_object_set_new(o, "competent_unit_code",
			    mc_api_text(d->agency_code));
	if (u && cal)
		json_object_set_new(o, "actions", allowed_actions(d, u, cal,
								   now));
	return o;
}

/* Intake. */

struct intake_write {
	struct mc_api_write aw;
	struct mc_user actor;
	struct mc_intake in;
	const struct mc_calendar *cal;
	int64_t now;
	struct mc_dossier d;
	struct mc_registry *reg;	/* applicant.verify: asked first */
	int vrc;
	struct mc_err verr;
	bool replayed;			/* its Idempotency-Key seen before */
};


static int intake_fn(struct mc_conn *c, struct mc_api_write *aw,
		     struct mc_err *err)
{
	struct intake_write *iw = (struct intake_write *)aw;
	char purpose[160];
	int rc = mc_dossier_intake_once(c, iw->cal, &iw->actor, &iw->in,
					iw->now, &iw->d, &iw->replayed, err);

	if (rc || !iw->in.verify || iw->replayed)
		return rc;
	snprintf(purpose, sizeof(purpose), "Tiếp nhận hồ sơ %s", iw->d.code);
	return mc_access_log_registry(c, iw->in.applicant_id,
				      iw->actor.username, iw->actor.unit_code,
				      purpose, iw->now, err);
}

/* A look-up that did not verify: logged all the same, then answered. */
static int verify_failed_fn(struct mc_conn *c, struct mc_api_write *aw,
			    struct mc_err *err)
{
	struct intake_write *iw = (struct intake_write *)aw;
	char purpose[160];

	snprintf(purpose, sizeof(purpose), "Đối chiếu người nộp hồ sơ thủ "
		 "tục %s", iw->in.procedure_code);
	return mc_access_log_registry(c, iw->in.applicant_id,
				      iw->actor.username, iw->actor.unit_code,
				      purpose, iw->now, err);
}

static void verify_failed_reply(struct mc_req *r, struct mc_api_write *aw)
{
	struct intake_write *iw = (struct intake_write *)aw;

	if (iw->vrc == MC_ETIMEOUT || iw->vrc == MC_EIO) {
		mc_reply_problem(r, iw->vrc == MC_ETIMEOUT ? 504 : 502,
				 "registry-unavailable", "CSDL quốc gia về dân "
				 "cư chưa trả lời; tiếp nhận không đối chiếu "
				 "(bỏ applicant.verify) hoặc thử lại",
				 iw->verr.message, NULL);
		return;
	}
	/* 409: what the officer typed differs from the database. */
	iw->verr.code = MC_ECONFLICT;
	mc_reply_err(r, &iw->verr);
}

/*
 * On a worker: the applicant as the population database has them,
 * compared with what was typed. A difference is shown, never fixed.
 */
static void verify_run(struct mc_conn *db, void *arg)
{
	struct intake_write *iw = arg;
	struct mc_person p;
	char typed[MC_NAME_MAX], held[MC_NAME_MAX];

	(void)db;
	iw->vrc = mc_registry_person(iw->reg, iw->in.applicant_id,
				     iw->actor.username,
				     iw->in.procedure_code, &p, &iw->verr);
	if (iw->vrc == MC_ENOTFOUND) {
		mc_err_clear(&iw->verr);
		iw->vrc = mc_err_field(&iw->verr, "applicant.id_number",
				       "registry", "the population database "
				       "has no one with this number");
	} else if (!iw->vrc) {
		mc_utf8_upper(iw->in.applicant_name, typed, sizeof(typed));
		mc_utf8_upper(p.name, held, sizeof(held));
		if (strcmp(typed, held))
			iw->vrc = mc_err_field(&iw->verr, "applicant.name",
					       "registry", "the population "
					       "database has \"%s\"", p.name);
		iw->in.verified = !iw->vrc;
	}
	sodium_memzero(&p, sizeof(p));
}

static void verify_done(struct mc_req *r, void *arg)
{
	struct intake_write *iw = arg;

	if (mc_req_answered(r)) {
		mc_free(iw);
		return;
	}
	if (iw->vrc) {
		iw->aw.fn = verify_failed_fn;
		iw->aw.reply = verify_failed_reply;
	}
	mc_api_write_submit(r, &iw->aw);
}

static void intake_release(struct mc_api_write *aw)
{
	mc_dossier_release(&((struct intake_write *)aw)->d);
}

static void intake_reply(struct mc_req *r, struct mc_api_write *aw)
{
	struct intake_write *iw = (struct intake_write *)aw;
	char loc[160];

	snprintf(loc, sizeof(loc), "/api/v1/dossiers/%s", iw->d.code);
	mc_req_header(r, "location", loc);
	if (iw->replayed)
		mc_req_header(r, "idempotent-replayed", "true");
	mc_reply_json(r, 201, dossier_json(&iw->d, iw->now, &iw->actor,
					   iw->cal));
}

int mc_api_idempotency(struct mc_req *r, const char *actor,
		       struct mc_intake *in, struct mc_err *err)
{
	const char *key = mc_req_header_get(r, "idempotency-key");
	const char *body;
	size_t i, n, len = 0;

	if (!key)
		return 0;
	n = strlen(key);
	for (i = 0; i < n; i++)
		if (!((key[i] >= 'a' && key[i] <= 'z') ||
		      (key[i] >= 'A' && key[i] <= 'Z') ||
		      (key[i] >= '0' && key[i] <= '9') || key[i] == '-' ||
		      key[i] == '_'))
			break;
	if (n == 0 || n > 64 || i < n)
		return mc_err_field(err, "Idempotency-Key", "format", "1 to 64 "
				    "letters, digits, '-' or '_'");
	snprintf(in->idem_key, sizeof(in->idem_key), "%s", key);
	snprintf(in->idem_actor, sizeof(in->idem_actor), "%s", actor);
	body = mc_req_body(r, &len);
	mc_sha256_hex(body ? body : "", body ? len : 0, in->idem_hash);
	return 0;
}

/* applicant.categories: the exemption categories, known and once each. */
static int categories_parse(json_t *a, struct mc_intake *in,
			    struct mc_err *err)
{
	json_t *v = json_object_get(a, "categories"), *e;
	size_t i, len = 0;

	if (!v)
		return 0;
	if (!json_is_array(v) || json_array_size(v) > 7)
		return mc_err_field(err, "applicant.categories", "type", "a "
				    "list of at most 7 categories");
	json_array_foreach(v, i, e) {
		const char *c = json_string_value(e);

		if (!c || !mc_fee_category_label(c))
			return mc_err_field(err, "applicant.categories",
					    "one_of", "categories are %s",
					    mc_fee_categories());
		if (!mc_fee_list_has(in->applicant_categories, c))
			len += (size_t)snprintf(in->applicant_categories + len,
				sizeof(in->applicant_categories) - len, "%s%s",
				len ? "," : "", c);
	}
	return 0;
}

/* fee_quantities: [{"item", "quantity"}] for fees counted per copy/page. */
static int quantities_parse(json_t *o, struct mc_intake *in,
			    struct mc_err *err)
{
	json_t *v, *item;
	size_t i, len = 0;
	unsigned seen = 0;
	int rc = 0, n;

	n = mc_api_list(o, "fee_quantities", MC_PROC_MAX_FEES, &v, err);
	if (n < 0)
		return MC_EINVAL;
	json_array_foreach(v, i, item) {
		static const char *const qk[] = { "item", "quantity", NULL };
		char path[40];
		int64_t k = 0, q = 0;

		if (mc_api_item(item, "fee_quantities", i, path, sizeof(path),
				err)) {
			rc |= MC_EINVAL;
			continue;
		}
		rc |= mc_api_known(item, path, qk, err);
		rc |= mc_api_int(item, path, "item", true, 0,
				 MC_PROC_MAX_FEES - 1, 0, &k, err);
		rc |= mc_api_int(item, path, "quantity", true, 1, 100000, 0, &q,
				 err);
		if (rc)
			continue;
		if (seen & (1u << k)) {
			char f[48];

			snprintf(f, sizeof(f), "%sitem", path);
			rc |= mc_err_field(err, f, "unique", "fee item %d is "
					   "given twice", (int)k);
			continue;
		}
		seen |= 1u << k;
		len += (size_t)snprintf(in->fee_quantities + len,
			sizeof(in->fee_quantities) - len, "%s%d:%d",
			len ? "," : "", (int)k, (int)q);
	}
	return rc ? MC_EINVAL : 0;
}

int mc_api_intake_parse(json_t *o, int64_t now, struct mc_intake *in,
			struct mc_err *err)
{
	static const char *const known[] = {
		"procedure_code", "channel", "return_channel", "unit_code",
		"competent_unit_code", "applicant", "components",
		"fee_quantities", NULL
	};
	static const char *const aknown[] = {
		"kind", "id_number", "name", "phone", "email", "address",
		"categories", "verify", NULL
	};
	char channel[16];
	json_t *a, *v, *item;
	size_t i;
	int rc = 0, ch;

	memset(in, 0, sizeof(*in));
	rc |= mc_api_known(o, "", known, err);
	rc |= mc_api_str(o, "", "procedure_code", true, MC_CODE_MAX - 1,
			 in->procedure_code, sizeof(in->procedure_code), err);
	rc |= mc_api_str(o, "", "channel", true, 15, channel, sizeof(channel),
			 err);
	ch = mc_channel_parse(channel);
	if (channel[0] && ch < 0)
		rc |= mc_err_field(err, "channel", "enum", "must be direct, "
				   "online or postal");
	in->channel = ch < 0 ? MC_CH_DIRECT : (enum mc_channel)ch;
	rc |= mc_api_str(o, "", "return_channel", false, 15,
			 in->return_channel, sizeof(in->return_channel), err);
	if (!in->return_channel[0])
		snprintf(in->return_channel, sizeof(in->return_channel),
			 "%s", in->channel == MC_CH_POSTAL ? "postal" :
			 "counter");
	else if (!mc_api_one_of(in->return_channel, return_channels))
		rc |= mc_err_field(err, "return_channel", "enum", "must be "
				   "counter, postal or online");
	rc |= mc_api_str(o, "", "unit_code", false, MC_CODE_MAX - 1,
			 in->unit_code, sizeof(in->unit_code), err);
	rc |= mc_api_str(o, "", "competent_unit_code", false, MC_CODE_MAX - 1,
			 in->competent_unit, sizeof(in->competent_unit), err);
	a = json_object_get(o, "applicant");
	if (!json_is_object(a)) {
		rc |= mc_err_field(err, "applicant", "required", "give the "
				   "applicant: kind, id_number, name, phone");
	} else {
		char phone[64];

		rc |= mc_api_known(a, "applicant.", aknown, err);
		rc |= mc_api_str(a, "applicant.", "kind", true, 15,
				 in->applicant_kind, sizeof(in->applicant_kind),
				 err);
		rc |= mc_api_str(a, "applicant.", "id_number", true, 20,
				 in->applicant_id, sizeof(in->applicant_id),
				 err);
		rc |= mc_api_str(a, "applicant.", "name", true, 200,
				 in->applicant_name, sizeof(in->applicant_name),
				 err);
		rc |= mc_api_str(a, "applicant.", "phone", true, 30, phone,
				 sizeof(phone), err);
		rc |= mc_api_str(a, "applicant.", "email", false, 254,
				 in->applicant_email,
				 sizeof(in->applicant_email), err);
		rc |= mc_api_str(a, "applicant.", "address", false, 250,
				 in->applicant_address,
				 sizeof(in->applicant_address), err);
		v = json_object_get(a, "verify");
		if (v && !json_is_boolean(v))
			rc |= mc_err_field(err, "applicant.verify", "type",
					   "true to check the applicant against "
					   "the population database");
		in->verify = json_is_true(v);
		if (in->verify && strcmp(in->applicant_kind, "person"))
			rc |= mc_err_field(err, "applicant.verify", "person",
					   "only a person is in the population "
					   "database");
		if (strcmp(in->applicant_kind, "person") == 0) {
			if (in->applicant_id[0])
				rc |= mc_pid_check("applicant.id_number",
						   in->applicant_id,
						   mc_local_day(now), NULL,
						   err);
		} else if (strcmp(in->applicant_kind, "organization") == 0) {
			if (in->applicant_id[0])
				rc |= mc_tax_code_check("applicant.id_number",
							in->applicant_id, err);
		} else if (in->applicant_kind[0]) {
			rc |= mc_err_field(err, "applicant.kind", "enum",
					   "must be person or organization");
		}
		if (phone[0])
			rc |= mc_phone_check("applicant.phone", phone,
					     in->applicant_phone,
					     sizeof(in->applicant_phone), err);
		if (in->applicant_email[0])
			rc |= mc_email_check("applicant.email",
					     in->applicant_email, err);
		rc |= categories_parse(a, in, err);
	}
	rc |= quantities_parse(o, in, err);
	if (mc_api_list(o, "components", MC_PROC_MAX_COMPONENTS, &v, err) < 0)
		rc |= MC_EINVAL;
	json_array_foreach(v, i, item) {
		char path[40];

		if (mc_api_item(item, "components", i, path, sizeof(path),
				err)) {
			rc |= MC_EINVAL;
			continue;
		}
		rc |= mc_api_str(item, path, "code", true, 31,
				 in->components[in->ncomponents].code,
				 sizeof(in->components[0].code), err);
		rc |= mc_api_bool(item, path, "provided", true,
				  &in->components[in->ncomponents].provided,
				  err);
		rc |= mc_api_int(item, path, "document_id", false, 1,
				 INT64_MAX, 0,
				 &in->components[in->ncomponents].document_id,
				 err);
		rc |= mc_api_str(item, path, "asked_again_reason", false, 250,
				 in->components[in->ncomponents].asked_again,
				 sizeof(in->components[0].asked_again), err);
		in->ncomponents++;
	}
	return rc ? MC_EINVAL : 0;
}

void api_dossiers_create(struct mc_req *r)
{
	struct mc_err err = MC_ERR_INIT;
	struct intake_write *iw;
	json_t *body;

	iw = mc_calloc(1, sizeof(*iw));
	if (mc_api_user(r, &iw->actor) ||
	    mc_api_require_role(r, &iw->actor, 1u << MC_ROLE_COUNTER_OFFICER)) {
		mc_free(iw);
		return;
	}
	if (!(body = mc_api_body(r))) {
		mc_free(iw);
		return;
	}
	iw->now = mc_api_now(mc_req_app(r));
	if (mc_api_intake_parse(body, iw->now, &iw->in, &err) == 0) {
		char actor[48];

		/* After the parse, which clears 'in'. */
		snprintf(actor, sizeof(actor), "u:%" PRId64, iw->actor.id);
		mc_api_idempotency(r, actor, &iw->in, &err);
	}
	if (err.code) {
		json_decref(body);
		mc_free(iw);
		mc_reply_err(r, &err);
		return;
	}
	json_decref(body);
	iw->cal = mc_req_app(r)->cal;
	iw->in.notify = mc_req_app(r)->notify;
	iw->aw.fn = intake_fn;
	iw->aw.reply = intake_reply;
	iw->aw.release = intake_release;
	if (!iw->in.verify) {
		mc_api_write_submit(r, &iw->aw);
		return;
	}
	if (!mc_registry_has_person(iw->reg = mc_req_app(r)->registry)) {
		mc_free(iw);
		mc_reply_problem(r, 503, "registry-unavailable", "Chưa kết nối "
				 "CSDL quốc gia về dân cư; tiếp nhận không đối "
				 "chiếu (bỏ applicant.verify)",
				 "registry_population_url is not configured",
				 NULL);
		return;
	}
	mc_err_clear(&iw->verr);
	mc_req_defer(r, verify_run, verify_done, iw);
}

/* One dossier, its events. */

/* Loads dossier {code} visible to 'me'; answers 404 itself on failure. */
static struct mc_dossier *load_visible(struct mc_req *r,
				       const struct mc_user *me)
{
	struct mc_err err = MC_ERR_INIT;
	struct mc_dossier *d = mc_calloc(1, sizeof(*d));
	const char *code = mc_req_param(r, "code");

	if (mc_dossier_get(mc_req_db(r), code, d, &err) == 0 &&
	    mc_dossier_visible(d, me))
		return d;
	mc_dossier_release(d);
	if (err.code && err.code != MC_ENOTFOUND)
		mc_reply_err(r, &err);
	else
		mc_reply_problem(r, 404, "not-found", "Không tìm thấy hồ sơ",
				 "no such dossier, or not one of your units'",
				 NULL);
	mc_free(d);
	return NULL;
}

/*
 * Refuses any query parameter but 'allowed' (NULL-terminated, or NULL
 * for none); answers itself and returns -1.
 */
static int only_query(struct mc_req *r, const char *const *allowed)
{
	static const char *const none[] = { NULL };
	struct mc_err err = MC_ERR_INIT;

	if (mc_req_query_check(r, allowed ? allowed : none, &err) == 0)
		return 0;
	mc_reply_err(r, &err);
	return -1;
}

static int no_query(struct mc_req *r)
{
	return only_query(r, NULL);
}

/*
 * A staff read of a dossier goes into its applicant's access log before
 * the dossier is answered; the same officer reading it again within this
 * window is not logged again.
 */
#define READ_LOG_WINDOW (10 * 60)

struct read_write {
	struct mc_api_write aw;
	struct mc_user me;
	struct mc_access a;
	struct mc_dossier *d;
};

static int read_fn(struct mc_conn *c, struct mc_api_write *aw,
		   struct mc_err *err)
{
	struct read_write *w = (struct read_write *)aw;

	w->a.at = aw->now;
	return mc_access_log_add(c, w->d->applicant_id, &w->a, err);
}

static void file_item(const char *code, const char *sha256,
		      const char *media_type, int64_t size, const char *name,
		      void *arg)
{
	json_t *k;
	size_t i;

	json_array_foreach((json_t *)arg, i, k)
		if (code && !strcmp(json_string_value(json_object_get(k,
					"code")), code))
			json_array_append_new(json_object_get(k, "files"),
				json_pack("{s:s, s:s, s:I, s:o}", "sha256",
				sha256 ? sha256 : "", "media_type",
				media_type ? media_type : "", "size",
				(json_int_t)size, "name",
				mc_api_text(name ? name : "")));
}

/*
 * Dossier 'd' as JSON with every file of each component (components[].
 * files: one paper may come as several, from the national portal).
 */
static json_t *dossier_full_json(struct mc_req *r, const struct mc_dossier *d,
				 const struct mc_user *me)
{
	struct mc_app *app = mc_req_app(r);
	struct mc_err err = MC_ERR_INIT;
	json_t *o = dossier_json(d, mc_api_now(app), me, app->cal);
	json_t *comps = json_object_get(o, "components"), *k;
	size_t i;

	json_array_foreach(comps, i, k)
		json_object_set_new(k, "files", json_array());
	mc_component_files(mc_req_db(r), d->id, file_item, comps, &err);
	return o;
}

static void read_reply(struct mc_req *r, struct mc_api_write *aw)
{
	struct read_write *w = (struct read_write *)aw;

	mc_reply_json(r, 200, dossier_full_json(r, w->d, &w->me));
}

static void read_release(struct mc_api_write *aw)
{
	struct read_write *w = (struct read_write *)aw;

	mc_dossier_release(w->d);
	mc_free(w->d);
}

void api_dossiers_get(struct mc_req *r)
{
	struct mc_app *app = mc_req_app(r);
	struct mc_err err = MC_ERR_INIT;
	struct read_write *w;
	struct mc_dossier *d;
	struct mc_user me;
	int64_t now;
	int rc;

	if (mc_api_user(r, &me) || no_query(r) || !(d = load_visible(r, &me)))
		return;
	now = mc_api_now(app);
	w = mc_calloc(1, sizeof(*w));
	w->me = me;
	w->d = d;
	snprintf(w->a.actor, sizeof(w->a.actor), "%s", me.username);
	snprintf(w->a.actor_unit, sizeof(w->a.actor_unit), "%s",
		 me.unit_code);
	snprintf(w->a.action, sizeof(w->a.action), "dossier");
	snprintf(w->a.purpose, sizeof(w->a.purpose), "%s", d->code);
	rc = mc_access_log_recent(mc_req_db(r), d->applicant_id, &w->a,
				  now - READ_LOG_WINDOW, &err);
	if (rc < 0) {
		mc_reply_err(r, &err);
	} else if (rc == 0) {
		w->aw.fn = read_fn;
		w->aw.reply = read_reply;
		w->aw.release = read_release;
		mc_api_write_submit(r, &w->aw);
		return;
	} else {
		mc_reply_json(r, 200, dossier_full_json(r, d, &me));
	}
	read_release(&w->aw);
	mc_free(w);
}

static void event_item(const struct mc_event *e, void *arg)
{
	int64_t t = mc_store_time_parse(e->at);

	json_array_append_new(arg, json_pack("{s:I, s:o, s:s, s:s, s:o, s:s, "
		"s:o, s:o, s:s, s:s}", "seq", (json_int_t)e->seq, "at",
		mc_api_time(t), "actor", e->actor, "action", e->action,
		"from_status", mc_api_text(e->from_status), "to_status",
		e->to_status, "note", mc_api_text(e->note), "detail",
		mc_api_text(e->detail), "prev_hash", e->prev_hash, "hash",
		e->hash));
}

void api_dossiers_events(struct mc_req *r)
{
	struct mc_err err = MC_ERR_INIT;
	struct mc_dossier *d;
	struct mc_user me;
	json_t *items;

	if (mc_api_user(r, &me) || no_query(r) || !(d = load_visible(r, &me)))
		return;
	items = json_array();
	if (mc_dossier_events(mc_req_db(r), d->id, event_item, items,
			      &err) < 0) {
		json_decref(items);
		mc_reply_err(r, &err);
	} else {
		mc_reply_json(r, 200, json_pack("{s:s, s:o}", "code", d->code,
						"items", items));
	}
	mc_dossier_release(d);
	mc_free(d);
}

/*
 * Printed forms (docs/forms.md): each a job of one shape. The handler
 * reads what the page needs on the loop, a worker draws it, the loop
 * sends it.
 */

struct form_job {
	struct mc_dossier *d;
	struct mc_unit_heading head;	/* of the unit that issues it */
	int (*draw)(struct form_job *q);
	const char *name;		/* "receipt", … for the file name */
	int64_t at;			/* the form's date */
	char person[MC_NAME_MAX];	/* who receives or signs */
	char text[2 * MC_NAME_MAX + 8];	/* the look-up link, the contact */
	enum mc_notice_kind kind;	/* a notice: which, from what event */
	struct mc_event ev;
	int nrows;			/* the control sheet's hand-overs */
	struct mc_control_row *rows;
	char (*labels)[2][MC_NAME_MAX + 80];
	bool file_copy;			/* the receipt: also the copy kept */
	struct mc_buf pdf;
	bool ran;
	int rc;
	struct mc_err err;
};

static void form_free(struct form_job *q)
{
	mc_buf_release(&q->pdf);
	mc_dossier_release(q->d);
	mc_free(q->d);
	mc_free(q->rows);
	mc_free(q->labels);
	mc_free(q);
}

static void form_run(struct mc_conn *db, void *arg)
{
	struct form_job *q = arg;

	(void)db;
	q->ran = true;
	q->rc = q->draw(q);
}

static void form_done(struct mc_req *r, void *arg)
{
	struct form_job *q = arg;
	char disp[160];

	/* A job no worker ran was answered 503 already. */
	if (q->ran && q->rc) {
		mc_reply_err(r, &q->err);
	} else if (q->ran) {
		snprintf(disp, sizeof(disp), "inline; filename=\"%s-%s.pdf\"",
			 q->name, q->d->code);
		mc_req_header(r, "content-disposition", disp);
		mc_reply_bytes(r, 200, "application/pdf", q->pdf.buf,
			       q->pdf.len);
	}
	form_free(q);
}

/* A form of the dossier in the path, for a user who may see it; NULL
 * when answered. */
static struct form_job *form_begin(struct mc_req *r, const char *name,
				   int (*draw)(struct form_job *q),
				   const char *const *query,
				   struct mc_user *me)
{
	struct form_job *q;
	struct mc_dossier *d;

	if (mc_api_user(r, me) || only_query(r, query) ||
	    !(d = load_visible(r, me)))
		return NULL;
	q = mc_calloc(1, sizeof(*q));
	q->d = d;
	q->name = name;
	q->draw = draw;
	q->at = mc_api_now(mc_req_app(r));
	mc_buf_init(&q->pdf, 4 << 20);
	return q;
}

/* Heads the form with unit 'unit_id' and has it drawn. */
static void form_go(struct mc_req *r, struct form_job *q, int64_t unit_id)
{
	if ((q->rc = mc_unit_heading(mc_req_db(r), unit_id, &q->head,
				     &q->err))) {
		mc_reply_err(r, &q->err);
		form_free(q);
		return;
	}
	mc_req_defer(r, form_run, form_done, q);
}

static bool set_2025(const struct mc_dossier *d)
{
	return !strcmp(d->rules, "nd118_2025");
}

static const char *period_vi(const struct mc_period *p, char *out, size_t n)
{
	static const char *const units[] = { "ngày làm việc", "giờ làm việc",
					     "ngày", "tháng" };

	snprintf(out, n, "%02d %s", (int)p->amount,
		 units[(int)p->unit < 4 ? (int)p->unit : 0]);
	return out;
}

static int draw_receipt(struct form_job *q)
{
	const struct mc_dossier *d = q->d;
	struct mc_receipt_item *items;
	struct mc_receipt_doc doc;
	char period[64];
	int i, n = 0, rc;

	items = mc_calloc((size_t)d->ncomponents + 1, sizeof(*items));
	for (i = 0; i < d->ncomponents; i++) {
		const struct mc_dossier_component *k = &d->components[i];

		if (!k->provided)
			continue;
		items[n].name = k->name;
		items[n].form = k->form;
		items[n].quantity = k->quantity > 0 ? k->quantity : 1;
		items[n].reused = k->reused;
		n++;
	}
	memset(&doc, 0, sizeof(doc));
	doc.set_2025 = set_2025(d);
	doc.governing = q->head.governing;
	doc.issuer = q->head.issuer;
	doc.place = q->head.place;
	doc.dossier_code = d->code;
	doc.received_at = d->received_at;
	doc.due_at = d->due_at;
	doc.applicant = d->applicant_name;
	doc.address = d->applicant_address;
	doc.phone = d->applicant_phone;
	doc.email = d->applicant_email;
	doc.procedure = d->procedure_name;
	doc.period = period_vi(&d->time, period, sizeof(period));
	doc.nitems = n;
	doc.items = items;
	doc.return_channel = d->return_channel;
	doc.officer = q->person;
	doc.lookup_url = q->text;
	doc.file_copy = q->file_copy;
	rc = mc_render_receipt(&doc, &q->pdf, &q->err);
	mc_free(items);
	return rc;
}

/*
 * GET /api/v1/dossiers/{code}/forms/receipt.pdf: Giấy tiếp nhận hồ sơ và
 * hẹn trả kết quả (Mẫu 01 of TT 01/2018 or TT 03/2025, by the dossier's
 * rules), signed off by the officer who received it, with the QR code of
 * the public look-up. 409 rule "received" before the dossier is received.
 * ?copies=2 prints the copy the centre keeps (liên lưu) first, on a
 * sheet of its own.
 */
void api_dossiers_form_receipt(struct mc_req *r)
{
	static const char *const copies[] = { "copies", NULL };
	struct mc_err err = MC_ERR_INIT;
	struct mc_user me, officer;
	struct form_job *q;
	const char *n;

	if (!(q = form_begin(r, "tiep-nhan", draw_receipt, copies, &me)))
		return;
	n = mc_req_query(r, "copies");
	if (n && strcmp(n, "1") && strcmp(n, "2")) {
		mc_err_field(&err, "copies", "enum", "1 (the applicant's) or 2 "
			     "(and the copy the centre keeps)");
		mc_reply_err(r, &err);
		form_free(q);
		return;
	}
	q->file_copy = n && !strcmp(n, "2");
	if (q->d->received_at == MC_NO_TIME) {
		mc_err_rule(&err, MC_ECONFLICT, "code", "received", "dossier %s "
			    "has not been received", q->d->code);
		mc_reply_err(r, &err);
		form_free(q);
		return;
	}
	/* The officer who took it in: the intake event's, else the reader. */
	snprintf(q->person, sizeof(q->person), "%s",
		 mc_dossier_receiver(mc_req_db(r), q->d->id, &officer) ?
		 me.full_name : officer.full_name);
	snprintf(q->text, sizeof(q->text), "%s/tra-cuu/%s",
		 mc_req_app(r)->cfg.public_url, q->d->code);
	form_go(r, q, q->d->unit_id);
}

static int draw_control(struct form_job *q)
{
	const struct mc_dossier *d = q->d;
	struct mc_control_doc doc;

	memset(&doc, 0, sizeof(doc));
	doc.set_2025 = set_2025(d);
	doc.governing = q->head.governing;
	doc.issuer = q->head.issuer;
	doc.place = q->head.place;
	doc.at = q->at;
	doc.dossier_code = d->code;
	doc.procedure = d->procedure_name;
	doc.applicant = d->applicant_name;
	doc.lead_unit = q->nrows ? q->labels[q->nrows - 1][0] : q->head.issuer;
	doc.received_at = d->received_at;
	doc.due_at = d->due_at;
	doc.nrows = q->nrows;
	doc.rows = q->rows;
	return mc_render_control_sheet(&doc, &q->pdf, &q->err);
}

/*
 * GET /api/v1/dossiers/{code}/forms/control.pdf: Phiếu kiểm soát quá
 * trình giải quyết hồ sơ — every hand-over (step, unit, who), when it
 * was received and given on, and whether within the step's share of the
 * time.
 */
void api_dossiers_form_control(struct mc_req *r)
{
	struct form_job *q;
	struct mc_user me;
	struct mc_unit u;
	int i;

	if (!(q = form_begin(r, "kiem-soat", draw_control, NULL, &me)))
		return;
	/* The units' names are read here, on the loop's connection. */
	q->nrows = q->d->nsteps;
	q->rows = mc_calloc((size_t)q->nrows + 1, sizeof(*q->rows));
	q->labels = mc_calloc((size_t)q->nrows + 1, sizeof(*q->labels));
	for (i = 0; i < q->nrows; i++) {
		const struct mc_dossier_step *st = &q->d->steps[i];

		snprintf(q->labels[i][0], sizeof(q->labels[i][0]), "%s",
			 mc_unit_get(mc_req_db(r), st->unit_code, &u, NULL) ?
			 st->unit_code : u.name);
		snprintf(q->labels[i][1], sizeof(q->labels[i][1]), "%s%s%s",
			 st->name, st->assignee[0] ? ", " : "", st->assignee);
		q->rows[i].unit = q->labels[i][0];
		q->rows[i].step = q->labels[i][1];
		q->rows[i].given_at = st->started_at;
		q->rows[i].done_at = st->finished_at;
		q->rows[i].due_at = st->due_at;
	}
	form_go(r, q, q->d->unit_id);
}

/* The notices after receipt, from the event that made each. */

struct notice_find {
	const char *action;
	struct mc_event last;
	bool found;
};

static void notice_event(const struct mc_event *e, void *arg)
{
	struct notice_find *f = arg;

	if (!strcmp(e->action, f->action)) {
		f->last = *e;
		f->found = true;
	}
}

/* An instant "name=YYYY-MM-DDTHH:MM:SSZ" in an event's detail. */
static int64_t detail_time(const char *detail, const char *name)
{
	const char *p = strstr(detail, name);
	char t[24];

	if (!p)
		return MC_NO_TIME;
	snprintf(t, sizeof(t), "%.20s", p + strlen(name));
	return mc_store_time_parse(t);
}

static int draw_notice(struct form_job *q)
{
	const struct mc_dossier *d = q->d;
	struct mc_notice_doc doc;

	memset(&doc, 0, sizeof(doc));
	doc.kind = q->kind;
	doc.set_2025 = set_2025(d);
	doc.governing = q->head.governing;
	doc.issuer = q->head.issuer;
	doc.place = q->head.place;
	doc.at = mc_store_time_parse(q->ev.at);
	doc.applicant = d->applicant_name;
	doc.dossier_code = d->code;
	doc.procedure = d->procedure_name;
	doc.received_at = d->received_at != MC_NO_TIME ? d->received_at :
		d->submitted_at;
	doc.reason = q->ev.note;
	doc.items = strncmp(q->ev.detail, "items=", 6) ? "" :
		q->ev.detail + 6;
	doc.old_due = detail_time(q->ev.detail, "old_due_at=");
	doc.new_due = detail_time(q->ev.detail, "new_due_at=");
	doc.signer = q->person;
	doc.contact = q->text;
	return mc_render_notice(&doc, &q->pdf, &q->err);
}

/*
 * A notice of the dossier, drawn from the latest event of 'action': the
 * officer who took it signs, their unit issues. 409 rule "notice" when
 * the dossier has no such event.
 */
static void form_notice(struct mc_req *r, enum mc_notice_kind kind,
			const char *action, const char *name)
{
	struct mc_err err = MC_ERR_INIT;
	struct notice_find f = { action, { 0 }, false };
	struct form_job *q;
	struct mc_user me, who;

	if (!(q = form_begin(r, name, draw_notice, NULL, &me)))
		return;
	if (mc_dossier_events(mc_req_db(r), q->d->id, notice_event, &f,
			      &err) < 0 || !f.found ||
	    mc_user_get(mc_req_db(r), f.last.actor, &who, &err)) {
		if (!err.code)
			mc_err_rule(&err, MC_ECONFLICT, "code", "notice",
				    "dossier %s has no %s to print",
				    q->d->code, action);
		mc_reply_err(r, &err);
		form_free(q);
		return;
	}
	q->kind = kind;
	q->ev = f.last;
	snprintf(q->person, sizeof(q->person), "%s", who.full_name);
	snprintf(q->text, sizeof(q->text), "%s, %s", who.full_name,
		 who.unit_name);
	form_go(r, q, who.unit_id);
}

void api_dossiers_form_supplement(struct mc_req *r)
{
	form_notice(r, MC_NOTICE_SUPPLEMENT, "request_supplement", "bo-sung");
}

void api_dossiers_form_refusal(struct mc_req *r)
{
	form_notice(r, MC_NOTICE_REFUSAL, "refuse", "tu-choi");
}

void api_dossiers_form_apology(struct mc_req *r)
{
	form_notice(r, MC_NOTICE_APOLOGY, "apologize", "xin-loi");
}

void api_dossiers_form_stop(struct mc_req *r)
{
	form_notice(r, MC_NOTICE_STOP, "stop", "dung-giai-quyet");
}

struct result_list {
	json_t *items;
	const struct mc_app *app;
};

static void result_item(const struct mc_result *res, void *arg)
{
	struct result_list *l = arg;

	json_array_append_new(l->items, mc_api_result_json(l->app, res));
}

/* GET /api/v1/dossiers/{code}/results: its e-results, oldest first. */
void api_dossiers_results(struct mc_req *r)
{
	struct mc_err err = MC_ERR_INIT;
	struct mc_dossier *d;
	struct mc_user me;
	struct result_list l;

	if (mc_api_user(r, &me) || no_query(r) || !(d = load_visible(r, &me)))
		return;
	l.items = json_array();
	l.app = mc_req_app(r);
	if (mc_result_list(mc_req_db(r), d->id, result_item, &l, &err) < 0) {
		json_decref(l.items);
		mc_reply_err(r, &err);
	} else {
		mc_reply_json(r, 200, json_pack("{s:s, s:o}", "code", d->code,
						"items", l.items));
	}
	mc_dossier_release(d);
	mc_free(d);
}

void api_dossiers_messages(struct mc_req *r)
{
	struct mc_message_filter f;
	struct mc_err err = MC_ERR_INIT;
	struct mc_dossier *d;
	struct mc_user me;
	json_t *items;

	if (mc_api_user(r, &me) || no_query(r) || !(d = load_visible(r, &me)))
		return;
	memset(&f, 0, sizeof(f));
	f.dossier_id = d->id;
	f.after_group = -1;
	f.limit = 1000;
	items = json_array();
	if (mc_outbox_list(mc_req_db(r), &f, mc_api_message_item, items,
			   &err) < 0) {
		json_decref(items);
		mc_reply_err(r, &err);
	} else {
		mc_reply_json(r, 200, json_pack("{s:s, s:o}", "code", d->code,
						"items", items));
	}
	mc_dossier_release(d);
	mc_free(d);
}

/* Actions. */

struct act_write {
	struct mc_api_write aw;
	struct mc_user actor;
	struct mc_act act;
	char code[MC_DOSSIER_CODE_MAX];
	const struct mc_calendar *cal;
	int64_t now;
	struct mc_dossier d;
	const struct mc_app *app;
	struct mc_result_sig *esig;	/* complete with a result file */
	struct mc_result_ctx *ctx;	/* complete, generating the result */
	bool ran;
	int rc;
	struct mc_err err;
};

static int act_fn(struct mc_conn *c, struct mc_api_write *aw,
		  struct mc_err *err)
{
	struct act_write *w = (struct act_write *)aw;

	return mc_dossier_act(c, w->cal, &w->actor, w->code, &w->act, w->now,
			      &w->d, err);
}

static void act_release(struct mc_api_write *aw)
{
	mc_dossier_release(&((struct act_write *)aw)->d);
	mc_free(((struct act_write *)aw)->esig);
	mc_free(((struct act_write *)aw)->ctx);
}

/* On a worker: the e-result signed by the actor's unit. */
static void act_sign_run(struct mc_conn *db, void *arg)
{
	struct act_write *w = arg;

	(void)db;
	w->ran = true;
	if (w->ctx)
		w->rc = mc_api_result_generate(w->app, &w->actor, w->ctx,
					       w->act.result_number,
					       w->act.result_summary, w->now,
					       w->esig, &w->err);
	else
		w->rc = mc_api_result_sign(w->app, &w->actor,
					   w->act.result_file,
					   w->act.result_number, NULL, w->now,
					   w->esig, &w->err);
}

static void act_sign_done(struct mc_req *r, void *arg)
{
	struct act_write *w = arg;

	if (!w->ran || w->rc) {
		if (w->ran)		/* else 503 is answered already */
			mc_reply_err(r, &w->err);
		act_release(&w->aw);
		mc_free(w);
		return;
	}
	w->act.esig = w->esig;
	mc_api_write_submit(r, &w->aw);
}

static void act_reply(struct mc_req *r, struct mc_api_write *aw)
{
	struct act_write *w = (struct act_write *)aw;

	mc_reply_json(r, 200, dossier_json(&w->d, w->now, &w->actor, w->cal));
}

int mc_api_act_parse(json_t *o, struct mc_act *a, struct mc_err *err)
{
	static const char *const known[] = {
		"action", "reason", "note", "items", "assignee", "unit_code",
		"new_due_at", "result", "channel", "version", NULL
	};
	char action[32], due[40];
	json_t *v, *item;
	int64_t n;
	size_t i;
	int rc = 0, ac;

	memset(a, 0, sizeof(*a));
	a->new_due_at = MC_NO_TIME;
	rc |= mc_api_known(o, "", known, err);
	rc |= mc_api_str(o, "", "action", true, 31, action, sizeof(action),
			 err);
	ac = mc_action_parse(action);
	if (action[0] && ac < 0)
		rc |= mc_err_field(err, "action", "enum", "unknown action %s",
				   action);
	a->action = ac < 0 ? MC_ACT_ACCEPT : (enum mc_action)ac;
	rc |= mc_api_str(o, "", "reason", false, 1000, a->reason,
			 sizeof(a->reason), err);
	rc |= mc_api_str(o, "", "note", false, 1000, a->note, sizeof(a->note),
			 err);
	rc |= mc_api_str(o, "", "assignee", false, 63, a->assignee,
			 sizeof(a->assignee), err);
	rc |= mc_api_str(o, "", "unit_code", false, MC_CODE_MAX - 1,
			 a->unit_code, sizeof(a->unit_code), err);
	rc |= mc_api_str(o, "", "channel", false, 15, a->channel,
			 sizeof(a->channel), err);
	if (a->channel[0] && !mc_api_one_of(a->channel, return_channels))
		rc |= mc_err_field(err, "channel", "enum", "must be counter, "
				   "postal or online");
	rc |= mc_api_str(o, "", "new_due_at", false, 35, due, sizeof(due),
			 err);
	if (due[0])
		rc |= mc_parse_instant("new_due_at", due, &a->new_due_at, err);
	rc |= mc_api_int(o, "", "version", false, 1, INT64_MAX, 0, &n, err);
	a->expect_version = n;
	if (mc_api_list(o, "items", MC_SUPPLEMENT_MAX_ITEMS, &v, err) < 0)
		rc |= MC_EINVAL;
	json_array_foreach(v, i, item) {
		char path[40];
		json_t *wrap = json_pack("{s:O}", "x", item);

		snprintf(path, sizeof(path), "items[%zu]", i);
		if (mc_api_str(wrap, "", "x", true, 250, a->items[a->nitems],
			       sizeof(a->items[0]), NULL)) {
			rc |= mc_err_field(err, path, "text", "must be a "
					   "non-empty text of at most 250 "
					   "characters");
		} else {
			a->nitems++;
		}
		json_decref(wrap);
	}
	{
		/* The items are recorded whole in the event: they must fit. */
		size_t total = 16;
		int k;

		for (k = 0; k < a->nitems; k++)
			total += strlen(a->items[k]) + 2;
		if (total > MC_EVENT_DETAIL_MAX)
			rc |= mc_err_field(err, "items", "max_total", "the "
					   "items take %zu bytes together, at "
					   "most %d", total,
					   MC_EVENT_DETAIL_MAX);
	}
	v = json_object_get(o, "result");
	if (json_is_object(v)) {
		static const char *const rk[] = { "number", "summary", "file",
						  "generate", NULL };

		rc |= mc_api_known(v, "result.", rk, err);
		rc |= mc_api_str(v, "result.", "number", false, 63,
				 a->result_number, sizeof(a->result_number),
				 err);
		rc |= mc_api_str(v, "result.", "summary", false, 1000,
				 a->result_summary, sizeof(a->result_summary),
				 err);
		rc |= mc_api_str(v, "result.", "file", false, 64,
				 a->result_file, sizeof(a->result_file), err);
		rc |= mc_api_bool(v, "result.", "generate", false,
				  &a->result_generate, err);
		if ((a->result_file[0] || a->result_generate) &&
		    a->action != MC_ACT_COMPLETE)
			rc |= mc_err_field(err, a->result_file[0] ?
					   "result.file" : "result.generate",
					   "action", "an e-result is issued by "
					   "complete");
		if (a->result_file[0] && a->result_generate)
			rc |= mc_err_field(err, "result.generate", "file",
					   "either upload the result (file) or "
					   "let motcua draw it (generate)");
	} else if (v && !json_is_null(v)) {
		rc |= mc_err_field(err, "result", "type", "must be an object "
				   "{number, summary, file}");
	}
	return rc ? MC_EINVAL : 0;
}

void api_dossiers_act(struct mc_req *r)
{
	struct mc_err err = MC_ERR_INIT;
	struct act_write *w;
	json_t *body;

	w = mc_calloc(1, sizeof(*w));
	if (mc_api_user(r, &w->actor)) {
		mc_free(w);
		return;
	}
	if (!(body = mc_api_body(r))) {
		mc_free(w);
		return;
	}
	if (mc_api_act_parse(body, &w->act, &err)) {
		json_decref(body);
		mc_free(w);
		mc_reply_err(r, &err);
		return;
	}
	json_decref(body);
	snprintf(w->code, sizeof(w->code), "%s", mc_req_param(r, "code"));
	w->now = mc_api_now(mc_req_app(r));
	w->cal = mc_req_app(r)->cal;
	w->act.notify = mc_req_app(r)->notify;
	w->aw.fn = act_fn;
	w->aw.reply = act_reply;
	w->aw.release = act_release;
	if (w->act.result_generate) {
		/* What the result says, read now; drawn on a worker. */
		w->ctx = mc_calloc(1, sizeof(*w->ctx));
		if (mc_result_context(mc_req_db(r), w->code, &w->actor, w->ctx,
				      &err)) {
			mc_reply_err(r, &err);
			act_release(&w->aw);
			mc_free(w);
			return;
		}
	}
	if (w->act.result_file[0] || w->act.result_generate) {
		w->app = mc_req_app(r);
		w->esig = mc_calloc(1, sizeof(*w->esig));
		mc_req_defer(r, act_sign_run, act_sign_done, w);
		return;
	}
	mc_api_write_submit(r, &w->aw);
}

/* The listing. */

struct dossier_list {
	json_t *items;
	int64_t last;
	int64_t now;
};

/* A line of a listing (DossierBrief), timeliness as of 'now'. */
static json_t *brief_json(const struct mc_dossier *d, int64_t now)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:o, s:o, "
		"s:o, s:s}", "code", d->code, "status",
		mc_status_name(d->status), "procedure_code", d->procedure_code,
		"procedure_name", d->procedure_name, "unit_code", d->unit_code,
		"current_unit_code", d->current_unit_code, "assignee",
		mc_api_text(d->assignee), "applicant_name", d->applicant_name,
		"received_at", mc_api_time(d->received_at), "due_at",
		mc_api_time(d->due_at), "finished_at",
		mc_api_time(d->finished_at), "timeliness",
		mc_tl_name(mc_dossier_timeliness(d, now)));
}

static void dossier_item(const struct mc_dossier *d, void *arg)
{
	struct dossier_list *l = arg;

	json_array_append_new(l->items, brief_json(d, l->now));
	l->last = d->id;
}

void api_dossiers_list(struct mc_req *r)
{
	static const char *const allowed[] = {
		"status", "unit_code", "procedure_code", "timeliness",
		"received_from", "received_to", "q", "limit", "cursor", NULL
	};
	struct mc_err err = MC_ERR_INIT;
	struct mc_dossier_filter f;
	struct dossier_list l;
	struct mc_user me;
	const char *v;
	char from[24], to[24];
	char *folded = NULL;
	long cursor = 0;
	int n;

	if (mc_api_user(r, &me))
		return;
	memset(&f, 0, sizeof(f));
	f.status = f.tl = -1;
	f.now = mc_api_now(mc_req_app(r));
	f.scope_path = me.unit_path;
	if (mc_req_query_check(r, allowed, &err) ||
	    mc_api_limit(r, 50, 500, &f.limit, &err))
		goto bad;
	if ((v = mc_req_query(r, "status")) &&
	    (f.status = mc_status_parse(v)) < 0)
		mc_err_field(&err, "status", "enum", "unknown status %.40s",
			     v);
	if ((v = mc_req_query(r, "timeliness")) &&
	    ((f.tl = mc_tl_parse(v)) < 0 || f.tl == MC_TL_NONE))
		mc_err_field(&err, "timeliness", "enum", "must be early, "
			     "on_time, late, within_deadline or overdue");
	f.unit_code = mc_req_query(r, "unit_code");
	f.procedure_code = mc_req_query(r, "procedure_code");
	if ((v = mc_req_query(r, "received_from"))) {
		int32_t day;

		if (mc_parse_date("received_from", v, &day, &err) == 0)
			f.received_from = mc_time_format_utc(
				mc_local_day_start(day), from, sizeof(from));
	}
	if ((v = mc_req_query(r, "received_to"))) {
		int32_t day;

		if (mc_parse_date("received_to", v, &day, &err) == 0)
			f.received_to = mc_time_format_utc(
				mc_local_day_start(day + 1), to, sizeof(to));
	}
	if ((v = mc_req_query(r, "q"))) {
		if (strlen(v) > 200)
			mc_err_field(&err, "q", "max_length", "at most 200 "
				     "characters");
		f.q = v;
		folded = mc_text_fold(v, strlen(v));
		f.q_folded = folded;
	}
	if ((v = mc_req_query(r, "cursor")))
		mc_parse_int("cursor", v, 1, INT64_MAX, &cursor, &err);
	f.before_id = cursor;
	if (err.code)
		goto bad;
	l.items = json_array();
	l.last = 0;
	l.now = f.now;
	n = mc_dossier_list(mc_req_db(r), &f, dossier_item, &l, &err);
	mc_free(folded);
	folded = NULL;
	if (n < 0) {
		json_decref(l.items);
		goto bad;
	}
	mc_api_page_after(r, l.items, n == f.limit, l.last);
	return;
bad:
	mc_free(folded);
	if (!mc_req_answered(r))
		mc_reply_err(r, &err);
}

/* The work list. */

struct task_list {
	json_t *items;
	int64_t now, soon;
};

static void task_item(const struct mc_dossier *d, void *arg)
{
	struct task_list *t = arg;
	const char *urgency = "normal";
	json_t *o;

	if (d->status != MC_ST_RESULT_READY && d->due_at != MC_NO_TIME) {
		if (d->due_at <= t->now)
			urgency = "overdue";
		else if (d->due_at <= t->soon)
			urgency = "due_soon";
	}
	o = brief_json(d, t->now);
	json_object_set_new(o, "status_label",
			    json_string(mc_status_label(d->status)));
	json_object_set_new(o, "urgency", json_string(urgency));
	json_array_append_new(t->items, o);
}

/*
 * GET /api/v1/tasks: what waits for the user at their units, nearest due
 * first, each marked overdue, due_soon (less than a working day left, as
 * the deadline watch counts it) or normal. A specialist sees what is
 * assigned to them or to no one; leaders and counter officers all of it.
 */
void api_tasks_list(struct mc_req *r)
{
	static const char *const allowed[] = { "limit", NULL };
	struct mc_app *app = mc_req_app(r);
	struct mc_err err = MC_ERR_INIT;
	struct task_list t;
	struct mc_user me;
	int limit, n;

	if (mc_api_user(r, &me))
		return;
	if (mc_req_query_check(r, allowed, &err) ||
	    mc_api_limit(r, 200, 500, &limit, &err)) {
		mc_reply_err(r, &err);
		return;
	}
	t.now = mc_api_now(app);
	if (mc_cal_add_working(app->cal, t.now, mc_cal_day_seconds(app->cal),
			       &t.soon, &err)) {
		mc_reply_err(r, &err);
		return;
	}
	t.items = json_array();
	n = mc_dossier_tasks(mc_req_db(r), me.unit_path, me.role ==
			     MC_ROLE_SPECIALIST ? me.id : 0, limit + 1,
			     task_item, &t, &err);
	if (n < 0) {
		json_decref(t.items);
		mc_reply_err(r, &err);
		return;
	}
	if (n > limit)
		json_array_remove(t.items, (size_t)limit);
	mc_reply_json(r, 200, json_pack("{s:o, s:b}", "items", t.items,
					"more", n > limit));
}

/* The audit of every event chain, on a worker (it reads them all). */

#define AUDIT_MAX_LISTED 100

struct audit {
	json_t *broken;
	int64_t events;
	int nbroken, rc;
	struct mc_err err;
};

static void audit_bad(const char *code, int64_t seq, const char *why,
		      void *arg)
{
	struct audit *a = arg;

	if (json_array_size(a->broken) < AUDIT_MAX_LISTED)
		json_array_append_new(a->broken, json_pack("{s:s, s:I, s:s}",
			"code", code, "seq", (json_int_t)seq, "why", why));
}

static void audit_run(struct mc_conn *db, void *arg)
{
	struct audit *a = arg;

	a->rc = mc_audit_verify(db, audit_bad, a, &a->events, &a->err);
	a->nbroken = a->rc > 0 ? a->rc : 0;
}

static void audit_done(struct mc_req *r, void *arg)
{
	struct audit *a = arg;

	if (!mc_req_answered(r)) {
		if (a->rc < 0)
			mc_reply_err(r, &a->err);
		else
			mc_reply_json(r, 200, json_pack("{s:b, s:I, s:i, "
				"s:O}", "intact", a->nbroken == 0, "events",
				(json_int_t)a->events, "broken", a->nbroken,
				"chains", a->broken));
	}
	json_decref(a->broken);
	mc_free(a);
}

/*
 * GET /api/v1/audit: every dossier's event chain checked, as `motcua
 * audit verify` does; administrators only.
 */
void api_audit_verify(struct mc_req *r)
{
	struct mc_err err = MC_ERR_INIT;
	struct audit *a;
	struct mc_user me;

	if (mc_api_user(r, &me) ||
	    mc_api_require_role(r, &me, 1u << MC_ROLE_ADMIN))
		return;
	if (mc_req_query_check(r, (const char *const[]){ NULL }, &err)) {
		mc_reply_err(r, &err);
		return;
	}
	a = mc_calloc(1, sizeof(*a));
	a->broken = json_array();
	mc_req_defer(r, audit_run, audit_done, a);
}

/* The public look-up. */

/* "Nguyễn Văn An" → "N*** V*** An": the given name only, for the owner. */
static void mask_name(const char *name, char *out, size_t n)
{
	const char *last = strrchr(name, ' ');
	size_t len = 0;
	const char *p = name;

	while (*p && len + 8 < n) {
		const char *end = strchr(p, ' ');

		if (!end)
			end = p + strlen(p);
		if (p == last + 1 || !last) {
			len += (size_t)snprintf(out + len, n - len, "%.*s",
						(int)(end - p), p);
		} else {
			size_t cl = 1;

			while (p + cl < end && ((unsigned char)p[cl] & 0xc0) ==
			       0x80)
				cl++;
			len += (size_t)snprintf(out + len, n - len, "%.*s*** ",
						(int)cl, p);
		}
		p = *end ? end + 1 : end;
	}
	out[len < n ? len : n - 1] = '\0';
}

void api_public_dossier(struct mc_req *r)
{
	static const char *const allowed[] = { "phone_last4", NULL };
	struct mc_err err = MC_ERR_INIT;
	struct mc_dossier *d;
	const char *last4 = mc_req_query(r, "phone_last4");
	char masked[MC_NAME_MAX];
	struct mc_app *app = mc_req_app(r);
	int64_t now = mc_api_now(app);
	size_t plen;

	if (mc_req_query_check(r, allowed, &err)) {
		mc_reply_err(r, &err);
		return;
	}
	if (!last4 || strlen(last4) != 4 || mc_digits(last4, 4) < 0) {
		mc_err_field(&err, "phone_last4", "format", "give the last 4 "
			     "digits of the applicant's phone number");
		mc_reply_err(r, &err);
		return;
	}
	/*
	 * Guessing the four digits is slowed down per client address, and
	 * per dossier code whoever asks: many addresses together get no
	 * more guesses at one dossier than lookup_max_per_code.
	 */
	if (mc_api_limited(r, app->lookup_limit, "failed look-ups", "Tra cứu "
			   "sai quá nhiều lần, vui lòng thử lại sau") ||
	    mc_api_limited_key(r, app->lookup_code_limit, mc_req_param(r,
			       "code"), "dossier", "failed look-ups", "Hồ sơ "
			       "này bị tra cứu sai quá nhiều lần, vui lòng thử "
			       "lại sau"))
		return;
	d = mc_calloc(1, sizeof(*d));
	plen = 0;
	if (mc_dossier_get_public(mc_req_db(r), mc_req_param(r, "code"), d,
				  &err) == 0)
		plen = strlen(d->applicant_phone);
	/* The same answer for a wrong factor and for no such dossier. */
	if (plen < 4 || strcmp(d->applicant_phone + plen - 4, last4) != 0) {
		mc_dossier_release(d);
		mc_free(d);
		mc_api_limit_fail(r, app->lookup_limit);
		mc_api_limit_fail_key(app->lookup_code_limit,
				      mc_req_param(r, "code"));
		if (err.code && err.code != MC_ENOTFOUND) {
			mc_reply_err(r, &err);
			return;
		}
		mc_reply_problem(r, 404, "not-found", "Không tìm thấy hồ sơ",
				 "no dossier matches this code and phone "
				 "number", NULL);
		return;
	}
	mask_name(d->applicant_name, masked, sizeof(masked));
	mc_reply_json(r, 200, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o, "
		"s:o, s:o, s:s}", "code", d->code, "status",
		mc_status_name(d->status), "status_label",
		mc_status_label(d->status), "procedure_code", d->procedure_code,
		"procedure_name", d->procedure_name, "applicant_name", masked,
		"received_at", mc_api_time(d->received_at), "due_at",
		mc_api_time(d->due_at), "finished_at",
		mc_api_time(d->finished_at), "timeliness",
		mc_tl_name(mc_dossier_timeliness(d, now))));
	mc_dossier_release(d);
	mc_free(d);
}
