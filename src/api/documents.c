/*
 * documents.c — the personal data store over HTTP (docs/data-store.md):
 * the citizen's own documents and the log of who read them; staff reading
 * someone's documents only for a dossier of theirs they may see, each
 * read logged before it is answered.
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
#include "files/certify.h"
#include "store/catalog.h"
#include "store/citizens.h"
#include "store/documents.h"
#include "store/dossiers.h"
#include "store/files.h"

static json_t *document_json(const struct mc_document *d)
{
	return json_pack("{s:I, s:s, s:s, s:o, s:o, s:o, s:o, s:s, s:s, s:o, "
		"s:o, s:o, s:o, s:{s:s, s:s}, s:b, s:o, s:o}", "id",
		(json_int_t)d->id,
		"type_code", d->type_code, "type_name", d->type_name,
		"number", mc_api_text(d->number), "issuer",
		mc_api_text(d->issuer), "issued_on", mc_api_text(d->issued_on),
		"valid_until", mc_api_text(d->valid_until), "status",
		d->status, "source", d->source, "source_dossier",
		mc_api_text(d->source_dossier), "source_procedure",
		mc_api_text(d->source_procedure), "result_code",
		mc_api_text(d->result_code), "signer", mc_api_text(d->signer),
		"file", "sha256",
		d->file_sha256, "media_type", d->media_type, "verified",
		d->verified, "certified_by", mc_api_text(d->certified_by),
		"created_at", mc_api_time(d->created_at));
}

static void document_item(const struct mc_document *d, void *arg)
{
	json_array_append_new(arg, document_json(d));
}

/* GET /api/v1/citizen/documents: the citizen's own store. */
void api_citizen_documents(struct mc_req *r)
{
	struct mc_err err = MC_ERR_INIT;
	struct mc_citizen cz;
	char hash[MC_SHA256_HEX];
	json_t *items;

	if (mc_api_citizen(r, &cz, hash))
		return;
	items = json_array();
	if (mc_document_list(mc_req_db_primary(r), cz.id_number,
			     document_item, items, &err) < 0) {
		json_decref(items);
		mc_reply_err(r, &err);
		return;
	}
	mc_reply_json(r, 200, json_pack("{s:o}", "items", items));
}

struct add {
	struct mc_api_write aw;
	struct mc_document d;
};

static int add_fn(struct mc_conn *c, struct mc_api_write *aw,
		  struct mc_err *err)
{
	struct add *w = (struct add *)aw;
	char owner[40];
	int rc = mc_document_type_known(c, w->d.type_code, err);

	if (rc)
		return rc == MC_ENOTFOUND ? mc_err_field(err, "type_code",
			"known", "no document type %s", w->d.type_code) : rc;
	snprintf(owner, sizeof(owner), "c:%s", w->d.owner_id);
	if ((rc = mc_upload_owned(c, w->d.file_sha256, owner, "sha256", err)))
		return rc;
	return mc_document_add(c, &w->d, 0, 0, NULL, aw->now, err);
}

static void add_reply(struct mc_req *r, struct mc_api_write *aw)
{
	struct add *w = (struct add *)aw;

	mc_reply_json(r, 201, json_pack("{s:I, s:s, s:s, s:b}", "id",
		(json_int_t)w->d.id, "type_code", w->d.type_code, "status",
		"valid", "verified", 0));
}

/* A "YYYY-MM-DD" field, or "" when absent; 1 after a field error. */
static int date_field(json_t *body, const char *name, char out[11],
		      struct mc_err *err)
{
	char buf[16];
	int32_t day;
	int bad = mc_api_str(body, "", name, false, 10, buf, sizeof(buf), err);

	out[0] = '\0';
	if (bad || !buf[0])
		return bad;
	if (mc_date_parse(buf, strlen(buf), &day, NULL, 0))
		return mc_err_field(err, name, "format", "a day as YYYY-MM-DD"),
		       1;
	snprintf(out, 11, "%.10s", buf);
	return 0;
}

/*
 * POST /api/v1/citizen/documents {type_code, sha256, number, issuer,
 * issued_on, valid_until}: one of the citizen's uploads into their store,
 * unverified until an officer certifies it.
 */
void api_citizen_documents_add(struct mc_req *r)
{
	static const char *const known[] = { "type_code", "sha256", "number",
		"issuer", "issued_on", "valid_until", NULL };
	struct mc_err err = MC_ERR_INIT;
	struct mc_citizen cz;
	char hash[MC_SHA256_HEX];
	struct add *w;
	json_t *body;
	int bad = 0;

	if (mc_api_citizen(r, &cz, hash) || !(body = mc_api_body(r)))
		return;
	w = mc_calloc(1, sizeof(*w));
	bad |= mc_api_known(body, "", known, &err);
	bad |= mc_api_str(body, "", "type_code", true, 15, w->d.type_code,
			  sizeof(w->d.type_code), &err);
	bad |= mc_api_str(body, "", "sha256", true, 64, w->d.file_sha256,
			  sizeof(w->d.file_sha256), &err);
	bad |= mc_api_str(body, "", "number", false, 63, w->d.number,
			  sizeof(w->d.number), &err);
	bad |= mc_api_str(body, "", "issuer", false, 255, w->d.issuer,
			  sizeof(w->d.issuer), &err);
	bad |= date_field(body, "issued_on", w->d.issued_on, &err);
	bad |= date_field(body, "valid_until", w->d.valid_until, &err);
	json_decref(body);
	if (bad) {
		mc_free(w);
		mc_reply_err(r, &err);
		return;
	}
	snprintf(w->d.owner_id, sizeof(w->d.owner_id), "%s", cz.id_number);
	snprintf(w->d.source, sizeof(w->d.source), "owner");
	w->d.verified = false;
	w->aw.fn = add_fn;
	w->aw.reply = add_reply;
	mc_api_write_submit(r, &w->aw);
}

static void access_item(const struct mc_access *a, void *arg)
{
	json_array_append_new(arg, json_pack("{s:o, s:s, s:o, s:s, s:o, s:o, "
		"s:s}", "at", mc_api_time(a->at), "actor", a->actor,
		"actor_unit", mc_api_text(a->actor_unit), "action", a->action,
		"document_id", a->document_id ? json_integer(a->document_id) :
		json_null(), "document_type", mc_api_text(a->document_type),
		"purpose", a->purpose));
}

/* GET /api/v1/me/access-log: who read the citizen's data, and why. */
void api_me_access_log(struct mc_req *r)
{
	struct mc_err err = MC_ERR_INIT;
	struct mc_citizen cz;
	char hash[MC_SHA256_HEX];
	json_t *items;

	if (mc_api_citizen(r, &cz, hash))
		return;
	items = json_array();
	if (mc_access_log_list(mc_req_db_primary(r), cz.id_number, access_item,
			       items, &err) < 0) {
		json_decref(items);
		mc_reply_err(r, &err);
		return;
	}
	mc_reply_json(r, 200, json_pack("{s:o}", "items", items));
}

/* A staff read of someone's data, for a dossier: logged, then answered. */
struct staff_read {
	struct mc_api_write aw;
	struct mc_user me;
	char owner_id[24];
	char purpose[MC_DOSSIER_CODE_MAX];
	int64_t document_id;		/* 0: the list */
	json_t *items;			/* the list, read in the write */
	struct mc_document doc;
};

/*
 * Checks that 'purpose' names a dossier 'me' may see whose applicant is
 * 'owner_id'; else MC_EFORBIDDEN with rule "purpose".
 */
static int purpose_ok(struct mc_conn *c, const struct mc_user *me,
		      const char *purpose, const char *owner_id,
		      struct mc_err *err)
{
	struct mc_dossier *d = mc_calloc(1, sizeof(*d));
	int rc = mc_dossier_get(c, purpose, d, NULL);

	if (rc || !mc_dossier_visible(d, me) ||
	    strcmp(d->applicant_id, owner_id) != 0)
		rc = mc_err_rule(err, MC_EFORBIDDEN, "purpose", "dossier",
				 "a person's documents are read only for a "
				 "dossier of theirs you handle");
	mc_dossier_release(d);
	mc_free(d);
	return rc;
}

static int read_fn(struct mc_conn *c, struct mc_api_write *aw,
		   struct mc_err *err)
{
	struct staff_read *w = (struct staff_read *)aw;
	struct mc_access a;
	int rc;

	if (w->document_id) {
		rc = mc_document_get(c, w->document_id, &w->doc, err);
		if (rc)
			return rc;
		snprintf(w->owner_id, sizeof(w->owner_id), "%s",
			 w->doc.owner_id);
	}
	rc = purpose_ok(c, &w->me, w->purpose, w->owner_id, err);
	if (rc)
		return rc;
	memset(&a, 0, sizeof(a));
	a.at = aw->now;
	snprintf(a.actor, sizeof(a.actor), "%s", w->me.username);
	snprintf(a.actor_unit, sizeof(a.actor_unit), "%s", w->me.unit_code);
	snprintf(a.action, sizeof(a.action), "%s", w->document_id ? "read" :
		 "list");
	a.document_id = w->document_id;
	snprintf(a.purpose, sizeof(a.purpose), "%s", w->purpose);
	rc = mc_access_log_add(c, w->owner_id, &a, err);
	if (!rc && !w->document_id) {
		json_decref(w->items);
		w->items = json_array();
		rc = mc_document_list(c, w->owner_id, document_item, w->items,
				      err);
		rc = rc < 0 ? rc : 0;
	}
	return rc;
}

static void read_reply(struct mc_req *r, struct mc_api_write *aw)
{
	struct staff_read *w = (struct staff_read *)aw;

	if (w->document_id) {
		mc_api_send_stored(r, w->doc.file_sha256, w->doc.file_size,
				   w->doc.media_type);
		return;
	}
	mc_reply_json(r, 200, json_pack("{s:s, s:s, s:O}", "owner_id",
		w->owner_id, "purpose", w->purpose, "items", w->items));
}

static void read_release(struct mc_api_write *aw)
{
	json_decref(((struct staff_read *)aw)->items);
}

/* Starts a logged staff read; 'document_id' 0 for the list. */
static void staff_read(struct mc_req *r, const char *owner_id,
		       int64_t document_id)
{
	static const char *const allowed[] = { "purpose", NULL };
	const char *purpose = mc_req_query(r, "purpose");
	struct mc_err err = MC_ERR_INIT;
	struct staff_read *w = mc_calloc(1, sizeof(*w));

	if (mc_api_user(r, &w->me)) {
		mc_free(w);
		return;
	}
	if (mc_req_query_check(r, allowed, &err) ||
	    ((!purpose || !*purpose) &&
	     mc_err_field(&err, "purpose", "required", "the code of the "
			  "dossier these documents are read for"))) {
		mc_free(w);
		mc_reply_err(r, &err);
		return;
	}
	snprintf(w->owner_id, sizeof(w->owner_id), "%s", owner_id);
	snprintf(w->purpose, sizeof(w->purpose), "%s", purpose);
	w->document_id = document_id;
	w->aw.fn = read_fn;
	w->aw.reply = read_reply;
	w->aw.release = read_release;
	mc_api_write_submit(r, &w->aw);
}

/* GET /api/v1/people/{id}/documents?purpose=<dossier code> */
void api_people_documents(struct mc_req *r)
{
	staff_read(r, mc_req_param(r, "id"), 0);
}

/* GET /api/v1/documents/{id}/file?purpose=<dossier code> */
void api_documents_file(struct mc_req *r)
{
	const char *v = mc_req_param(r, "id");
	char *end;
	long long id = strtoll(v, &end, 10);

	if (!*v || *end || id <= 0) {
		mc_reply_problem(r, 404, "not-found", "Không tìm thấy",
				 "no such document", NULL);
		return;
	}
	staff_read(r, "", (int64_t)id);
}

/* Offers: what the store holds for the components of a procedure. */

struct offers {
	json_t *items;			/* per component */
	const struct mc_proc_component *pc;
	const char *owner;
	int32_t today;
	json_t *docs;			/* of the component being filled */
};

static void offer_item(const struct mc_document *d, void *arg)
{
	struct offers *o = arg;

	if (mc_document_reusable(d, o->owner, o->pc->document_type, o->today))
		json_array_append_new(o->docs, json_pack("{s:I, s:s, s:o, s:o, "
			"s:s, s:o}", "id", (json_int_t)d->id, "type_code",
			d->type_code, "number", mc_api_text(d->number),
			"valid_until", mc_api_text(d->valid_until), "source",
			d->source, "source_dossier",
			mc_api_text(d->source_dossier)));
}

/*
 * The reusable documents of 'owner' for each component of procedure
 * 'code' in force today, or NULL with 'err'.
 */
static json_t *offers_of(struct mc_conn *c, const char *owner,
			 const char *code, int64_t now, struct mc_err *err)
{
	struct mc_procedure *p = mc_calloc(1, sizeof(*p));
	struct offers o = { json_array(), NULL, owner, mc_local_day(now),
			    NULL };
	int i, rc;

	rc = mc_procedure_get(c, code, 0, o.today, p, NULL);
	if (rc)
		rc = mc_err_field(err, "procedure", "in_force", "no version of "
				  "procedure %s is in force today", code);
	for (i = 0; !rc && i < p->ncomponents; i++) {
		o.pc = &p->components[i];
		if (!o.pc->document_type[0])
			continue;
		o.docs = json_array();
		rc = mc_document_list(c, owner, offer_item, &o, err);
		rc = rc < 0 ? rc : 0;
		json_array_append_new(o.items, json_pack("{s:s, s:s, s:s, s:o}",
			"component", o.pc->code, "name", o.pc->name,
			"document_type", o.pc->document_type, "documents",
			o.docs));
	}
	mc_procedure_release(p);
	mc_free(p);
	if (rc) {
		json_decref(o.items);
		return NULL;
	}
	return o.items;
}

/* GET /api/v1/citizen/offers?procedure=CODE: the citizen's own offers. */
void api_citizen_offers(struct mc_req *r)
{
	static const char *const allowed[] = { "procedure", NULL };
	const char *code = mc_req_query(r, "procedure");
	struct mc_err err = MC_ERR_INIT;
	struct mc_citizen cz;
	char hash[MC_SHA256_HEX];
	json_t *items;

	if (mc_api_citizen(r, &cz, hash))
		return;
	if (mc_req_query_check(r, allowed, &err) ||
	    ((!code || !*code) && mc_err_field(&err, "procedure", "required",
					       "the procedure's code"))) {
		mc_reply_err(r, &err);
		return;
	}
	items = offers_of(mc_req_db_primary(r), cz.id_number, code,
			  mc_api_now(mc_req_app(r)), &err);
	if (!items)
		mc_reply_err(r, &err);
	else
		mc_reply_json(r, 200, json_pack("{s:s, s:o}", "procedure", code,
						"items", items));
}

struct staff_offers {
	struct mc_api_write aw;
	struct mc_user me;
	char owner_id[24], procedure[MC_CODE_MAX];
	json_t *items;
};

static int staff_offers_fn(struct mc_conn *c, struct mc_api_write *aw,
			   struct mc_err *err)
{
	struct staff_offers *w = (struct staff_offers *)aw;
	struct mc_access a;

	json_decref(w->items);
	w->items = offers_of(c, w->owner_id, w->procedure, aw->now, err);
	if (!w->items)
		return err->code ? err->code : MC_EINTERNAL;
	memset(&a, 0, sizeof(a));
	a.at = aw->now;
	snprintf(a.actor, sizeof(a.actor), "%s", w->me.username);
	snprintf(a.actor_unit, sizeof(a.actor_unit), "%s", w->me.unit_code);
	snprintf(a.action, sizeof(a.action), "list");
	snprintf(a.purpose, sizeof(a.purpose), "intake %s", w->procedure);
	return mc_access_log_add(c, w->owner_id, &a, err);
}

static void staff_offers_reply(struct mc_req *r, struct mc_api_write *aw)
{
	struct staff_offers *w = (struct staff_offers *)aw;

	mc_reply_json(r, 200, json_pack("{s:s, s:s, s:O}", "owner_id",
		w->owner_id, "procedure", w->procedure, "items", w->items));
}

static void staff_offers_release(struct mc_api_write *aw)
{
	json_decref(((struct staff_offers *)aw)->items);
}

/*
 * GET /api/v1/people/{id}/offers?procedure=CODE: at the counter, what the
 * applicant's store holds for the procedure's components (logged).
 */
void api_people_offers(struct mc_req *r)
{
	static const char *const allowed[] = { "procedure", NULL };
	const char *code = mc_req_query(r, "procedure");
	struct mc_err err = MC_ERR_INIT;
	struct staff_offers *w = mc_calloc(1, sizeof(*w));

	if (mc_api_user(r, &w->me) ||
	    mc_api_require_role(r, &w->me, 1u << MC_ROLE_COUNTER_OFFICER)) {
		mc_free(w);
		return;
	}
	if (mc_req_query_check(r, allowed, &err) ||
	    ((!code || !*code) && mc_err_field(&err, "procedure", "required",
					       "the procedure's code"))) {
		mc_free(w);
		mc_reply_err(r, &err);
		return;
	}
	snprintf(w->owner_id, sizeof(w->owner_id), "%s",
		 mc_req_param(r, "id"));
	snprintf(w->procedure, sizeof(w->procedure), "%s", code);
	w->aw.fn = staff_offers_fn;
	w->aw.reply = staff_offers_reply;
	w->aw.release = staff_offers_release;
	mc_api_write_submit(r, &w->aw);
}

/* Figures of digitization and reuse. */

static json_t *reuse_json(const struct mc_reuse_row *w)
{
	json_t *o = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I}", "received",
		(json_int_t)w->received, "digitized", (json_int_t)w->digitized,
		"reused", (json_int_t)w->reused, "asked_again",
		(json_int_t)w->asked_again, "paper_result",
		(json_int_t)w->paper_result, "e_result",
		(json_int_t)w->e_result);

	json_object_set_new(o, "reuse_rate", mc_api_percent(w->reused,
							     w->received));
	json_object_set_new(o, "digitization_rate",
			    mc_api_percent(w->digitized, w->received));
	json_object_set_new(o, "e_result_rate",
			    mc_api_percent(w->e_result, w->paper_result));
	return o;
}

struct reuse_list {
	json_t *items;
	struct mc_reuse_row total;
};

static void reuse_item(const struct mc_reuse_row *row, void *arg)
{
	struct reuse_list *l = arg;
	json_t *o = reuse_json(row);

	json_object_set_new(o, "unit_code", json_string(row->unit_code));
	json_object_set_new(o, "unit_name", json_string(row->unit_name));
	json_object_set_new(o, "procedure_code",
			    json_string(row->procedure_code));
	json_object_set_new(o, "procedure_name",
			    json_string(row->procedure_name));
	json_array_append_new(l->items, o);
	l->total.received += row->received;
	l->total.digitized += row->digitized;
	l->total.reused += row->reused;
	l->total.asked_again += row->asked_again;
	l->total.paper_result += row->paper_result;
	l->total.e_result += row->e_result;
}

/* The longest period one request may cover, in days. */
#define REUSE_MAX_DAYS 1100

/*
 * GET /api/v1/stats/reuse?from=&to=[&unit_code=][&procedure_code=]:
 * digitization, reuse and "asked again" per competent unit and
 * procedure, for the dossiers received in the period (both days
 * included) that the user's units have a hand in.
 */
void api_stats_reuse(struct mc_req *r)
{
	static const char *const allowed[] = { "from", "to", "unit_code",
					       "procedure_code", NULL };
	struct mc_err err = MC_ERR_INIT;
	struct reuse_list l;
	struct mc_user me;
	const char *v;
	int32_t from = 0, to = 0;

	if (mc_api_user(r, &me))
		return;
	if (!mc_req_query_check(r, allowed, &err)) {
		if (!(v = mc_req_query(r, "from")))
			mc_err_field(&err, "from", "required", "the first day "
				     "of the period, YYYY-MM-DD");
		else
			mc_parse_date("from", v, &from, &err);
		if (!(v = mc_req_query(r, "to")))
			mc_err_field(&err, "to", "required", "the last day of "
				     "the period, YYYY-MM-DD");
		else
			mc_parse_date("to", v, &to, &err);
		if (!err.code && to < from)
			mc_err_field(&err, "to", "min", "the period ends "
				     "before it begins");
		if (!err.code && to - from >= REUSE_MAX_DAYS)
			mc_err_field(&err, "to", "max", "at most %d days at "
				     "once", REUSE_MAX_DAYS);
	}
	if (err.code) {
		mc_reply_err(r, &err);
		return;
	}
	memset(&l, 0, sizeof(l));
	l.items = json_array();
	if (mc_reuse_stats(mc_req_db(r), me.unit_path, mc_local_day_start(from),
			   mc_local_day_start(to + 1),
			   mc_req_query(r, "unit_code"),
			   mc_req_query(r, "procedure_code"), reuse_item, &l,
			   &err) < 0) {
		json_decref(l.items);
		mc_reply_err(r, &err);
		return;
	}
	{
		char f[11], t[11];

		mc_reply_json(r, 200, json_pack("{s:s, s:s, s:o, s:o}", "from",
			mc_date_format(from, f, sizeof(f)), "to",
			mc_date_format(to, t, sizeof(t)), "items", l.items,
			"total", reuse_json(&l.total)));
	}
}

/* Certifying an owner's own upload against the original. */

struct certify {
	struct mc_api_write aw;
	struct mc_user me;
	int64_t id;
	char purpose[MC_DOSSIER_CODE_MAX];
	const struct mc_app *app;
	struct mc_document doc;
};

static int certify_fn(struct mc_conn *c, struct mc_api_write *aw,
		      struct mc_err *err)
{
	struct certify *w = (struct certify *)aw;
	char msg[700], sig[MC_CERTIFY_SIG_B64], when[24];
	struct mc_access a;
	int rc;

	rc = mc_document_get(c, w->id, &w->doc, err);
	if (rc == MC_ENOTFOUND)
		return mc_error(err, MC_ENOTFOUND, "no document %" PRId64,
				w->id);
	if (!rc)
		rc = purpose_ok(c, &w->me, w->purpose, w->doc.owner_id, err);
	if (rc)
		return rc;
	if (strcmp(w->doc.source, "owner") != 0)
		return mc_err_rule(err, MC_ECONFLICT, "id", "source", "only a "
				   "document the owner added is certified "
				   "here");
	/* The same key and shape as a component's scan (docs/files.md). */
	mc_time_format_utc(aw->now, when, sizeof(when));
	snprintf(msg, sizeof(msg), "motcua-document-v1\n%s\n%s\n%s\n%s\n%s",
		 w->doc.file_sha256, w->doc.owner_id, w->doc.type_code,
		 w->me.username, when);
	mc_certify_sign(w->app->scan_key, msg, sig);
	rc = mc_document_certify(c, w->id, w->me.id, sig, aw->now, err);
	if (rc)
		return rc;
	memset(&a, 0, sizeof(a));
	a.at = aw->now;
	snprintf(a.actor, sizeof(a.actor), "%s", w->me.username);
	snprintf(a.actor_unit, sizeof(a.actor_unit), "%s", w->me.unit_code);
	snprintf(a.action, sizeof(a.action), "read");
	a.document_id = w->id;
	snprintf(a.purpose, sizeof(a.purpose), "%s", w->purpose);
	rc = mc_access_log_add(c, w->doc.owner_id, &a, err);
	if (!rc)
		rc = mc_document_get(c, w->id, &w->doc, err);
	return rc;
}

static void certify_reply(struct mc_req *r, struct mc_api_write *aw)
{
	mc_reply_json(r, 200, document_json(&((struct certify *)aw)->doc));
}

/*
 * POST /api/v1/documents/{id}/certify {purpose, matches_original}: at the
 * counter, with the original paper in hand, an officer certifies a
 * document the owner added themselves; from then on it is verified and
 * may stand for the paper (logged as a read for the dossier 'purpose').
 */
void api_documents_certify(struct mc_req *r)
{
	static const char *const known[] = { "purpose", "matches_original",
					     NULL };
	struct mc_err err = MC_ERR_INIT;
	struct certify *w = mc_calloc(1, sizeof(*w));
	bool matches = false;
	json_t *body;
	int rc = 0;

	if (mc_api_user(r, &w->me) ||
	    mc_api_require_role(r, &w->me, 1u << MC_ROLE_COUNTER_OFFICER) ||
	    !(body = mc_api_body(r))) {
		mc_free(w);
		return;
	}
	rc |= mc_api_known(body, "", known, &err);
	rc |= mc_api_str(body, "", "purpose", true, MC_DOSSIER_CODE_MAX - 1,
			 w->purpose, sizeof(w->purpose), &err);
	rc |= mc_api_bool(body, "", "matches_original", false, &matches, &err);
	if (!rc && !matches)
		rc = mc_err_field(&err, "matches_original", "required", "check "
				  "the file against the original first");
	json_decref(body);
	w->id = strtoll(mc_req_param(r, "id"), NULL, 10);
	if (!rc && !mc_req_app(r)->scan_key)
		rc = mc_error(&err, MC_EINTERNAL, "no certification key");
	if (rc) {
		mc_free(w);
		mc_reply_err(r, &err);
		return;
	}
	w->app = mc_req_app(r);
	w->aw.fn = certify_fn;
	w->aw.reply = certify_reply;
	mc_api_write_submit(r, &w->aw);
}
