/*
 * registry.c — the population database at the counter
 * (docs/registries.md): a person looked up by identity number to fill
 * in the applicant, each look-up logged in the person's access log with
 * its purpose.
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

struct lookup {
	struct mc_api_write aw;		/* the access log's line */
	struct mc_registry *reg;
	char id[16], officer[64], unit[MC_CODE_MAX];
	char procedure[MC_CODE_MAX], purpose[128];
	struct mc_person p;
	int rc;
	struct mc_err err;
};

/* On a worker: the database asked (or its kept answer). */
static void lookup_run(struct mc_conn *db, void *arg)
{
	struct lookup *q = arg;

	(void)db;
	q->rc = mc_registry_person(q->reg, q->id, q->officer, q->procedure,
				   &q->p, &q->err);
}

static int log_fn(struct mc_conn *c, struct mc_api_write *aw,
		  struct mc_err *err)
{
	struct lookup *q = (struct lookup *)aw;
	struct mc_access a;

	memset(&a, 0, sizeof(a));
	a.at = aw->now;
	snprintf(a.actor, sizeof(a.actor), "%s", q->officer);
	snprintf(a.actor_unit, sizeof(a.actor_unit), "%s", q->unit);
	snprintf(a.action, sizeof(a.action), "registry");
	snprintf(a.purpose, sizeof(a.purpose), "%s", q->purpose);
	return mc_access_log_add(c, q->id, &a, err);
}

static void log_reply(struct mc_req *r, struct mc_api_write *aw)
{
	struct lookup *q = (struct lookup *)aw;
	const struct mc_person *p = &q->p;

	if (q->rc == MC_ENOTFOUND) {
		mc_reply_problem(r, 404, "not-found", "Không tìm thấy công dân "
				 "trong CSDL quốc gia về dân cư",
				 q->err.message, NULL);
		return;
	}
	if (q->rc) {
		/* The screen goes on: the officer types the applicant in. */
		mc_reply_problem(r, q->rc == MC_ETIMEOUT ? 504 : 502,
				 "registry-unavailable", "CSDL quốc gia về dân "
				 "cư chưa trả lời; vui lòng nhập thông tin "
				 "người nộp hồ sơ", q->err.message, NULL);
		return;
	}
	mc_reply_json(r, 200, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, "
		"s:{s:s, s:s}, s:s, s:o, s:b}", "id_number", p->id_number,
		"name", p->name, "birth_date", p->birth_date, "sex", p->sex,
		"permanent_address", p->permanent_address, "current_address",
		p->current_address, "hometown", p->hometown,
		"household_head", "name", p->head_name, "relation",
		p->head_relation, "source", "CSDL quốc gia về dân cư",
		"fetched_at", mc_api_time(p->fetched_at), "cached",
		p->cached));
}

static void lookup_release(struct mc_api_write *aw)
{
	/* Personal data: not left in freed memory. */
	sodium_memzero(&((struct lookup *)aw)->p, sizeof(struct mc_person));
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
 * GET /api/v1/registry/persons/{id_number}?purpose=…[&procedure_code=…]:
 * the person as the national population database has them, to fill in
 * the applicant at the counter. Counter officers and specialists; the
 * purpose is required and logged in the person's access log.
 */
void api_registry_person(struct mc_req *r)
{
	static const char *const allowed[] = { "purpose", "procedure_code",
					       NULL };
	struct mc_app *app = mc_req_app(r);
	const char *id = mc_req_param(r, "id_number");
	const char *purpose, *proc;
	struct mc_err err = MC_ERR_INIT;
	struct mc_user me;
	struct lookup *q;
	int bad = 0;

	if (mc_api_user(r, &me) ||
	    mc_api_require_role(r, &me, 1u << MC_ROLE_COUNTER_OFFICER |
				1u << MC_ROLE_SPECIALIST))
		return;
	if (mc_req_query_check(r, allowed, &err)) {
		mc_reply_err(r, &err);
		return;
	}
	purpose = mc_req_query(r, "purpose");
	proc = mc_req_query(r, "procedure_code");
	if (strlen(id) != 12 || strspn(id, "0123456789") != 12)
		bad |= mc_err_field(&err, "id_number", "format", "12 digits: "
				    "a personal identity number");
	if (!purpose || !*purpose || strlen(purpose) > 120)
		bad |= mc_err_field(&err, "purpose", "required", "why the "
				    "person is looked up (up to 120 bytes), "
				    "logged where they can read it");
	if (proc && strlen(proc) >= MC_CODE_MAX)
		bad |= mc_err_field(&err, "procedure_code", "length", "a "
				    "procedure's code");
	if (bad) {
		mc_reply_err(r, &err);
		return;
	}
	if (!mc_registry_has_person(app->registry)) {
		mc_reply_problem(r, 503, "registry-unavailable", "Chưa kết nối "
				 "CSDL quốc gia về dân cư; vui lòng nhập thông "
				 "tin người nộp hồ sơ", "registry_population_url "
				 "is not configured", NULL);
		return;
	}
	q = mc_calloc(1, sizeof(*q));
	q->reg = app->registry;
	snprintf(q->id, sizeof(q->id), "%s", id);
	snprintf(q->officer, sizeof(q->officer), "%s", me.username);
	snprintf(q->unit, sizeof(q->unit), "%s", me.unit_code);
	snprintf(q->procedure, sizeof(q->procedure), "%s", proc ? proc : "");
	snprintf(q->purpose, sizeof(q->purpose), "%s", purpose);
	mc_req_defer(r, lookup_run, lookup_done, q);
}

struct biz_lookup {
	struct mc_api_write aw;		/* the access log's line */
	struct mc_registry *reg;
	char tax[24], officer[64], unit[MC_CODE_MAX], purpose[128];
	struct mc_business b;
	int rc;
	struct mc_err err;
};

static void biz_run(struct mc_conn *db, void *arg)
{
	struct biz_lookup *q = arg;

	(void)db;
	q->rc = mc_registry_business(q->reg, q->tax, &q->b, &q->err);
}

static int biz_log_fn(struct mc_conn *c, struct mc_api_write *aw,
		      struct mc_err *err)
{
	struct biz_lookup *q = (struct biz_lookup *)aw;
	struct mc_access a;

	memset(&a, 0, sizeof(a));
	a.at = aw->now;
	snprintf(a.actor, sizeof(a.actor), "%s", q->officer);
	snprintf(a.actor_unit, sizeof(a.actor_unit), "%s", q->unit);
	snprintf(a.action, sizeof(a.action), "registry");
	snprintf(a.purpose, sizeof(a.purpose), "%s", q->purpose);
	return mc_access_log_add(c, q->tax, &a, err);
}

static void biz_reply(struct mc_req *r, struct mc_api_write *aw)
{
	struct biz_lookup *q = (struct biz_lookup *)aw;
	const struct mc_business *b = &q->b;
	json_t *reps;
	int i;

	if (q->rc == MC_ENOTFOUND) {
		mc_reply_problem(r, 404, "not-found", "Không tìm thấy doanh "
				 "nghiệp trong CSDL quốc gia về đăng ký doanh "
				 "nghiệp", q->err.message, NULL);
		return;
	}
	if (q->rc) {
		mc_reply_problem(r, q->rc == MC_ETIMEOUT ? 504 : 502,
				 "registry-unavailable", "CSDL quốc gia về đăng "
				 "ký doanh nghiệp chưa trả lời; vui lòng nhập "
				 "thông tin tổ chức", q->err.message, NULL);
		return;
	}
	reps = json_array();
	for (i = 0; i < b->nrepresentatives; i++)
		json_array_append_new(reps, json_string(b->representatives[i]));
	mc_reply_json(r, 200, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, "
		"s:s, s:o, s:s, s:o}", "tax_code", b->tax_code, "name",
		b->name, "short_name", b->short_name, "foreign_name",
		b->foreign_name, "type", b->type, "status", b->status,
		"founded", b->founded, "address", b->address,
		"representatives", reps, "source", "CSDL quốc gia về đăng ký "
		"doanh nghiệp", "fetched_at", mc_api_time(b->fetched_at)));
}

static void biz_done(struct mc_req *r, void *arg)
{
	struct biz_lookup *q = arg;

	if (mc_req_answered(r)) {
		mc_free(q);
		return;
	}
	q->aw.fn = biz_log_fn;
	q->aw.reply = biz_reply;
	mc_api_write_submit(r, &q->aw);
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
	struct mc_app *app = mc_req_app(r);
	const char *tax = mc_req_param(r, "tax_code");
	const char *purpose;
	struct mc_err err = MC_ERR_INIT;
	struct biz_lookup *q;
	struct mc_user me;
	int bad = 0;

	if (mc_api_user(r, &me) ||
	    mc_api_require_role(r, &me, 1u << MC_ROLE_COUNTER_OFFICER |
				1u << MC_ROLE_SPECIALIST))
		return;
	if (mc_req_query_check(r, allowed, &err)) {
		mc_reply_err(r, &err);
		return;
	}
	purpose = mc_req_query(r, "purpose");
	bad |= mc_tax_code_check("tax_code", tax, &err);
	if (!purpose || !*purpose || strlen(purpose) > 120)
		bad |= mc_err_field(&err, "purpose", "required", "why the "
				    "business is looked up (up to 120 bytes), "
				    "logged");
	if (bad) {
		mc_reply_err(r, &err);
		return;
	}
	if (!mc_registry_has_business(app->registry)) {
		mc_reply_problem(r, 503, "registry-unavailable", "Chưa kết nối "
				 "CSDL quốc gia về đăng ký doanh nghiệp; vui "
				 "lòng nhập thông tin tổ chức",
				 "registry_business_url is not configured",
				 NULL);
		return;
	}
	q = mc_calloc(1, sizeof(*q));
	q->reg = app->registry;
	snprintf(q->tax, sizeof(q->tax), "%s", tax);
	snprintf(q->officer, sizeof(q->officer), "%s", me.username);
	snprintf(q->unit, sizeof(q->unit), "%s", me.unit_code);
	snprintf(q->purpose, sizeof(q->purpose), "%s", purpose);
	mc_req_defer(r, biz_run, biz_done, q);
}
