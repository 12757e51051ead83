/*
 * registry.c — the national registries at the counter
 * (docs/registries.md): a person looked up by identity number, a business
 * by tax code, to fill in the applicant; each look-up logged in the
 * access log with its purpose.
 */
#include "core/compat.h"
#include "core/mem.h"
#include "api/api.h"
#include "api/util.h"
#include "app.h"
#include "domain/ident.h"
#include "jobs/registry.h"
#include "store/documents.h"

#include <sodium.h>

/* One look-up: asked on a worker, then logged and answered. */
struct lookup {
	struct mc_api_write aw;		/* the access log's line */
	struct mc_registry *reg;
	bool business;			/* else a person */
	char key[24];			/* identity number or tax code */
	char officer[64], unit[MC_CODE_MAX];
	char procedure[MC_CODE_MAX], purpose[128];
	union {
		struct mc_person p;
		struct mc_business b;
	} u;
	int rc;
	struct mc_err err;
};

/* On a worker: the database asked (or its kept answer). */
static void lookup_run(struct mc_conn *db, void *arg)
{
	struct lookup *q = arg;

	(void)db;
	q->rc = q->business ? mc_registry_business(q->reg, q->key, &q->u.b,
						   &q->err) :
		mc_registry_person(q->reg, q->key, q->officer, q->procedure,
				   &q->u.p, &q->err);
}

static int log_fn(struct mc_conn *c, struct mc_api_write *aw,
		  struct mc_err *err)
{
	struct lookup *q = (struct lookup *)aw;

	return mc_access_log_registry(c, q->key, q->officer, q->unit,
				      q->purpose, aw->now, err);
}

static json_t *person_json(const struct mc_person *p)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:{s:s, s:s}, "
		"s:s, s:o, s:b}", "id_number", p->id_number, "name", p->name,
		"birth_date", p->birth_date, "sex", p->sex,
		"permanent_address", p->permanent_address, "current_address",
		p->current_address, "hometown", p->hometown,
		"household_head", "name", p->head_name, "relation",
		p->head_relation, "source", "CSDL quốc gia về dân cư",
		"fetched_at", mc_api_time(p->fetched_at), "cached",
		p->cached);
}

static json_t *business_json(const struct mc_business *b)
{
	json_t *reps = json_array();
	int i;

	for (i = 0; i < b->nrepresentatives; i++)
		json_array_append_new(reps, json_string(b->representatives[i]));
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:s, "
		"s:o}", "tax_code", b->tax_code, "name", b->name,
		"short_name", b->short_name, "foreign_name", b->foreign_name,
		"type", b->type, "status", b->status, "founded", b->founded,
		"address", b->address, "representatives", reps, "source",
		"CSDL quốc gia về đăng ký doanh nghiệp", "fetched_at",
		mc_api_time(b->fetched_at));
}

static void log_reply(struct mc_req *r, struct mc_api_write *aw)
{
	struct lookup *q = (struct lookup *)aw;

	if (q->rc == MC_ENOTFOUND)
		mc_reply_problem(r, 404, "not-found", q->business ?
				 "Không tìm thấy doanh nghiệp trong CSDL quốc "
				 "gia về đăng ký doanh nghiệp" :
				 "Không tìm thấy công dân trong CSDL quốc gia "
				 "về dân cư", q->err.message, NULL);
	else if (q->rc)
		/* The screen goes on: the officer types the applicant in. */
		mc_reply_problem(r, q->rc == MC_ETIMEOUT ? 504 : 502,
				 "registry-unavailable", q->business ?
				 "CSDL quốc gia về đăng ký doanh nghiệp chưa "
				 "trả lời; vui lòng nhập thông tin tổ chức" :
				 "CSDL quốc gia về dân cư chưa trả lời; vui "
				 "lòng nhập thông tin người nộp hồ sơ",
				 q->err.message, NULL);
	else
		mc_reply_json(r, 200, q->business ? business_json(&q->u.b) :
			      person_json(&q->u.p));
}

static void lookup_release(struct mc_api_write *aw)
{
	/* Personal data: not left in freed memory. */
	sodium_memzero(&((struct lookup *)aw)->u, sizeof(((struct lookup *)
							  aw)->u));
}

/* Back on the loop: the look-up is logged, then answered. */
static void lookup_done(struct mc_req *r, void *arg)
{
	struct lookup *q = arg;

	if (mc_req_answered(r)) {
		lookup_release(&q->aw);
		mc_free(q);
		return;
	}
	q->aw.fn = log_fn;
	q->aw.reply = log_reply;
	q->aw.release = lookup_release;
	mc_api_write_submit(r, &q->aw);
}

/*
 * The look-up of 'key' by the officer signed in, with its purpose
 * (required, logged) and query parameters 'allowed'; 'err' holds the
 * caller's field errors ('bad'), answered with any of the purpose's. NULL
 * when answered.
 */
static struct lookup *lookup_new(struct mc_req *r, const char *const *allowed,
				 const char *key, bool business,
				 struct mc_err *err, int bad)
{
	const char *purpose = mc_req_query(r, "purpose");
	struct mc_err qerr = MC_ERR_INIT;
	struct mc_user me;
	struct lookup *q;

	if (mc_api_user(r, &me) ||
	    mc_api_require_role(r, &me, 1u << MC_ROLE_COUNTER_OFFICER |
				1u << MC_ROLE_SPECIALIST))
		return NULL;
	if (mc_req_query_check(r, allowed, &qerr)) {
		mc_reply_err(r, &qerr);
		return NULL;
	}
	if (!purpose || !*purpose || strlen(purpose) > 120)
		bad |= mc_err_field(err, "purpose", "required", "why the %s "
				    "is looked up (up to 120 bytes), logged",
				    business ? "business" : "person");
	if (bad) {
		mc_reply_err(r, err);
		return NULL;
	}
	q = mc_calloc(1, sizeof(*q));
	q->reg = mc_req_app(r)->registry;
	q->business = business;
	snprintf(q->key, sizeof(q->key), "%s", key);
	snprintf(q->officer, sizeof(q->officer), "%s", me.username);
	snprintf(q->unit, sizeof(q->unit), "%s", me.unit_code);
	snprintf(q->purpose, sizeof(q->purpose), "%s", purpose);
	return q;
}

/*
 * GET /api/v1/registry/persons/{id_number}?purpose=…[&procedure_code=…]:
 * the person as the national population database has them, to fill in
 * the applicant at the counter. Counter officers and specialists; the
 * purpose is required and logged in the person's access log.
 */
void api_registry_person(struct mc_req *r)
{
	static const char *const allowed[] = { "purpose", "procedure_code",
					       NULL };
	const char *id = mc_req_param(r, "id_number");
	const char *proc = mc_req_query(r, "procedure_code");
	struct mc_err err = MC_ERR_INIT;
	struct lookup *q;
	int bad = 0;

	if (strlen(id) != 12 || strspn(id, "0123456789") != 12)
		bad |= mc_err_field(&err, "id_number", "format", "12 digits: "
				    "a personal identity number");
	if (proc && strlen(proc) >= MC_CODE_MAX)
		bad |= mc_err_field(&err, "procedure_code", "length", "a "
				    "procedure's code");
	if (!(q = lookup_new(r, allowed, id, false, &err, bad)))
		return;
	if (!mc_registry_has_person(q->reg)) {
		mc_reply_problem(r, 503, "registry-unavailable", "Chưa kết nối "
				 "CSDL quốc gia về dân cư; vui lòng nhập thông "
				 "tin người nộp hồ sơ", "registry_population_url "
				 "is not configured", NULL);
	} else {
		snprintf(q->procedure, sizeof(q->procedure), "%s",
			 proc ? proc : "");
		mc_req_defer(r, lookup_run, lookup_done, q);
		return;
	}
	mc_free(q);
}

/*
 * GET /api/v1/registry/businesses/{tax_code}?purpose=…: a business as the
 * national business registration database has it, to fill in an
 * organization applicant; the purpose is logged (its representatives are
 * people). Counter officers and specialists.
 */
void api_registry_business(struct mc_req *r)
{
	static const char *const allowed[] = { "purpose", NULL };
	const char *tax = mc_req_param(r, "tax_code");
	struct mc_err err = MC_ERR_INIT;
	struct lookup *q;

	if (!(q = lookup_new(r, allowed, tax, true, &err,
			     mc_tax_code_check("tax_code", tax, &err))))
		return;
	if (!mc_registry_has_business(q->reg)) {
		mc_reply_problem(r, 503, "registry-unavailable", "Chưa kết nối "
				 "CSDL quốc gia về đăng ký doanh nghiệp; vui "
				 "lòng nhập thông tin tổ chức",
				 "registry_business_url is not configured",
				 NULL);
	} else {
		mc_req_defer(r, lookup_run, lookup_done, q);
		return;
	}
	mc_free(q);
}
